"""Message understanding: what a message asks, before anything is retrieved.

Splits a message into the parts that ask something and the parts that are context
(``segments``), expands chat shorthand (``shorthand``), reads which subject, attribute,
place and time a question is about and whether an entry covers them (``aboutness``),
and resolves follow-ups against the previous answer (``followups``).

May import: ``bot.textnorm`` and ``bot.knowledge`` (data classes only). Never the
answering core, retrieval, storage or any adapter: those import this package.
"""
