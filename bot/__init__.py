"""MVA Life Science Ambassador Programme enquiry bot.

One package per layer, bottom-up; each package's docstring says what it holds and, in
its ``May import:`` line, which layers it may import (tests/test_architecture.py holds
every import to it, and forbids import cycles):

- ``bot.common``: errors, text normalisation, YAML with lines, UTF-16 lengths, logging;
- ``bot.knowledge``: the knowledge base and its sources, loaded and validated;
- ``bot.understanding``: what a message asks (parts, shorthand, typos, subjects);
- ``bot.answering``: one message in, one transport-neutral ``Reply`` out;
- ``bot.storage``: SQLite, the one storage boundary;
- ``bot.conversation``: the dialogue, contact form, tickets, routing, privacy;
- ``bot.curation``: ``kb check``, drafts, suggestions, review dates, staff reports;
- ``bot.operations``: settings, the wired services, the health endpoint;
- ``bot.telegram`` and ``bot.terminal``: the thin adapters (only ``bot.telegram``
  imports python-telegram-bot).

The command line (``bot.cli``, run by ``python -m bot``) sits on top and may import
every layer.
"""

__version__ = "0.1.0"
