"""The knowledge base: loading and validating the curated YAML and its sources.

Entries, synonyms, intents, messages and topics (``base``: ``load_knowledge``,
``KnowledgeBase``), the JSON Schemas of the files (``schema``), the source texts
(``sources``) and the faithfulness of every answer to them (``faithfulness``).

May import: bot.common.
"""
