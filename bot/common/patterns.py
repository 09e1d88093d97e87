"""Regular expressions compiled when a message first needs them.

A language's reading rules build a few long alternations (where a clause starts, the
politeness formulas), and compiling one costs milliseconds. A compiled pattern pickles
as its source, so an Answerer read from the cache compiled every one of them again on
every start, needed or not. A ``LazyPattern`` pickles as its source too, but compiles
on first use: a question needs only one of the two clause patterns (one for sentences
that ask, one for sentences that do not), and most never reach the politeness pattern,
which a substring scan for its hints rules out first.
"""

from __future__ import annotations

import re


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled when first used."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern, self.flags)
        return compiled

    def search(self, string: str) -> re.Match[str] | None:
        return self.compiled.search(string)

    def split(self, string: str) -> list[str]:
        return self.compiled.split(string)

    def sub(self, replacement: str, string: str, count: int = 0) -> str:
        return self.compiled.sub(replacement, string, count)

    def __reduce__(self) -> tuple[type[LazyPattern], tuple[str, int]]:
        return LazyPattern, (self.pattern, self.flags)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"
