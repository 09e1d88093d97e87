"""Storage: the one boundary to SQLite (sqlite-utils, ``Migrations``); no SQL elsewhere.

The database, its schema and the conversation log (``database``), and the queries of the
curation loop (``curation``). Ids are plain integers: nothing here knows Telegram.

May import: bot.common.
"""
