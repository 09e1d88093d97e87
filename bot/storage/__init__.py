"""Storage: the one boundary to SQLite (sqlite-utils, ``Migrations``); no SQL elsewhere.

One module per aggregate: the database itself and the conversation log (``database``:
``Storage``), the schema (``migrations``), contact requests (``contacts``:
``ContactStore``, over the rows in ``tickets`` and ``outbox``), the update journal
(``journal``) and the curation loop (``curation``). Ids are plain integers: nothing here
knows Telegram.

May import: bot.common.
"""
