"""Compound words of Danish and Swedish, read as the words they are made of.

Danes and Swedes write "biotekklyngen", "jobvækst" and "forskningssamarbeten" as one
word where English writes "the biotech cluster", "job growth" and "research
collaborations". A word the knowledge base never uses that is two of its words joined
("biotek" + "klyngen", with a linking "s" or "e" between them: "forsknings|samarbeten")
is read as those two; a compound the knowledge base writes is indexed with its parts
too, so that "job i biotek" finds "biotekjob". English compounds are separate words
already: an English ``Decompounder`` splits nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

MIN_COMPOUND = 7  # letters of a word worth splitting
MIN_HEAD = 3  # letters of its first part ("job" in "jobvækst")
MIN_TAIL = 4  # letters of its last part: "ambassadør|en" is no compound
LINKS = ("", "s", "e")  # letters between the parts: "forsknings|samarbeten"
SPLITS_KEPT = 20_000


class Decompounder:
    """Splits compounds into two words of ``vocabulary`` (the language's known words); a
    last part may also be another form of a known word (``stem`` tells)."""

    def __init__(
        self,
        vocabulary: Iterable[str],
        stem: Callable[[str], str],
        enabled: bool = True,
        stop_words: frozenset[str] = frozenset(),
    ) -> None:
        self.enabled = enabled
        self._stem = stem
        self._words = (
            frozenset(w for w in vocabulary if len(w) >= MIN_HEAD and w.isalpha())
            if enabled
            else frozenset()
        )
        # No first part is a stop word: "indbyggere" is not "ind" + "byggere", nor
        # "tillväxt" "till" + "växt".
        self._heads = self._words - stop_words
        self._stems = frozenset(stem(w) for w in self._words)
        self._cache: dict[str, tuple[str, ...] | None] = {}

    def split(self, word: str) -> tuple[str, ...] | None:
        """The two words ``word`` is made of, or None: the longest known last part whose
        first part (less a linking letter) is known too."""
        if not self.enabled or len(word) < MIN_COMPOUND or not word.isalpha():
            return None
        if word in self._cache:
            return self._cache[word]
        found: tuple[str, ...] | None = None
        known = self._words
        for cut in range(MIN_HEAD, len(word) - MIN_TAIL + 1):
            head, tail = word[:cut], word[cut:]
            if tail not in known and self._stem(tail) not in self._stems:
                continue
            for link in LINKS:
                if link and not head.endswith(link):
                    continue
                first = head[: len(head) - len(link)]
                if len(first) >= MIN_HEAD and first in self._heads:
                    found = (first, tail)
                    break
            if found:
                break
        if len(self._cache) >= SPLITS_KEPT:
            self._cache.clear()
        self._cache[word] = found
        return found

    def query(self, ws: Sequence[str], known: Iterable[str] = ()) -> list[str]:
        """``ws`` with each compound not in ``known`` (the words needing no correction)
        replaced by its parts."""
        if not self.enabled:
            return list(ws)
        keep = set(known)
        out: list[str] = []
        for w in ws:
            parts = None if w in keep else self.split(w)
            out.extend(parts or (w,))
        return out

    def document(self, ws: Sequence[str]) -> list[str]:
        """``ws`` followed by the parts of its compounds (a document keeps both)."""
        if not self.enabled:
            return list(ws)
        extra = [p for w in ws if (parts := self.split(w)) for p in parts]
        return [*ws, *extra] if extra else list(ws)
