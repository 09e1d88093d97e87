"""Common: what every layer may use and that knows nothing of the bot's subject.

Typed errors (``errors``), text normalisation (``textnorm``), YAML with line numbers
(``yamlfile``), regular expressions compiled on first use (``patterns``), lengths as
Telegram counts them (``lengths``), finding and removing personal data in free text
(``scrubbing``), the one-line log format (``logs``), the user's cache folder
(``user_cache``) and the languages the bot speaks (``languages``: ``Language``).

May import: nothing from bot (the standard library and third-party packages only).
"""
