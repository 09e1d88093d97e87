"""The conversation: what the bot does with an enquirer, whatever the transport.

The dialogue both adapters drive (``dialogue``), the contact form (``contact_form``),
tickets and their messages to staff (``tickets``), routing to staff chats
(``routing``), office hours (``office_hours``), personal data (``privacy``) and the
codec of every button's callback data (``callback_data``).

May import: bot.common, bot.knowledge, bot.understanding, bot.answering, bot.storage.
"""
