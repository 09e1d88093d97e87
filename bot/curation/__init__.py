"""Curation and staff reports: the tools that keep the knowledge base right.

``kb check``'s quality checks (``lint``), ``kb check --stamp`` (``stamping``), staff
answers as draft entries (``drafts``), ``kb suggest`` (``suggestions``), review dates
and the monthly notice (``reviews``), and the plain-text reports staff read
(``staff_reports``).

May import: bot.common, bot.knowledge, bot.understanding, bot.answering, bot.storage,
bot.conversation.
"""
