"""The terminal adapter: the chat in a terminal (``chat``) on the same core as Telegram,
and replies rendered as text with numbered choices (``render``).

May import: bot.common, bot.knowledge, bot.understanding, bot.answering, bot.storage,
bot.conversation, bot.curation, bot.operations.
"""
