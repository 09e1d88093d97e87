"""The knowledge base: loading and validating the curated YAML, its sources and its
translations.

``load_knowledge`` (``base``) reads the English files and a folder per translation
(``translations``: knowledge/da/, knowledge/sv/), one folder's files at a time
(``parsing``), into ``KnowledgeBase`` and its parts (``model``); the JSON Schemas of the
files (``schema``), the source texts (``sources``), the faithfulness of every answer in
every language to them (``faithfulness``) and translations kept in step with the
English (``stamps``).

May import: bot.common.
"""
