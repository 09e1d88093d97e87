"""The Telegram adapter, the only package that imports ``telegram`` (python-telegram-bot).

``build_application`` and the bot's lifecycle (``app``), the enquirer and staff handlers
(``enquirer``, ``staff``), replies to an update (``replies``), the outbox sender
(``outbox``), rendering (``render``), the one retry policy (``delivery``), the update
journal's queue and connection (``journal``) and waiting for the Bot API (``startup``).

May import: bot.common, bot.knowledge, bot.understanding, bot.answering, bot.storage,
bot.conversation, bot.curation, bot.operations.
"""
