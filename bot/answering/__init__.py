"""Answering: one enquirer message in, one transport-neutral ``Reply`` out.

The ``Answerer`` (``answerer``), the choice among weak or tied hits by what a question
names (``weak_matches``), BM25 retrieval over the entries (``retrieval``; its postings,
``postings`` for a small knowledge base and ``postings_arrays`` with numpy for a large
one; and ``bm25``, which only building an index imports), the cache of a built Answerer that
``ask`` and ``eval`` read (``cache``) and the scoring of eval sets (``evaluation``).
Nothing here stores anything or knows a transport.

May import: bot.common, bot.knowledge, bot.understanding.
"""
