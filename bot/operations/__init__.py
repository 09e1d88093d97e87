"""Operations: settings from the environment, the core wired from them, the health check.

``Settings`` (``config``), ``build_services`` (``services``), shared by the Telegram bot
and the terminal, and the HTTP health endpoint (``health``).

May import: bot.common, bot.knowledge, bot.understanding, bot.answering, bot.storage,
bot.conversation, bot.curation.
"""
