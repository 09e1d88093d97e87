"""Message understanding: what a message asks, before anything is retrieved.

Splits a message into the parts that ask something and the parts that are context
(``segments``), expands chat shorthand (``shorthand``), corrects typos (``spelling``),
recognises greetings and requests for a person (``intents``), reads which subject,
attribute, place and time a question is about and whether an entry covers them
(``aboutness``), and resolves follow-ups against the previous answer (``followups``).
Never the answering core, retrieval, storage or any adapter: those import this package.

May import: bot.common, bot.knowledge.
"""
