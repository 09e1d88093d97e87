"""MVA Life Science Ambassador Programme enquiry bot.

The package is split into a transport-neutral core (knowledge, textnorm, retrieval,
answering, storage) and thin adapters (the Telegram front and the terminal chat).
"""

__version__ = "0.1.0"
