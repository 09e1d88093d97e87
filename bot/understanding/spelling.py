"""Typo tolerance: map unknown query words onto the nearest known word.

Enquirers type "torsen jepson" and "massboi". A word that is neither known nor a stem
of a known word is replaced by the closest vocabulary word within a small
optimal-string-alignment distance (a transposition counts as one edit), computed by
rapidfuzz in C++. Short words are left alone: at four letters one edit turns most
words into other real words. So are ordinary English words the knowledge base does
not use ("headline" is not a typo of "deadline"), told by pyspellchecker's English
word-frequency list, unless the correction is a far more common word ("venture
capitol").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from bot.common import user_cache
from bot.common.textnorm import ENGLISH, Analyzer

# How often a word must occur in pyspellchecker's English word-frequency list to count
# as an English word (the list also holds rare junk from its web sources).
ENGLISH_MIN_COUNT = 50


@lru_cache(maxsize=1)
def _english() -> dict[str, int]:
    """The English list without its rare junk. Loaded on first use: building it from
    pyspellchecker parses its whole dictionary (about half a second, which the first
    question with an unknown word would wait), so the table is kept in the user's cache
    (a few milliseconds to load), keyed by pyspellchecker's version."""
    import spellchecker

    key = ("english-words", ENGLISH_MIN_COUNT, getattr(spellchecker, "__version__", ""))
    folder = user_cache.cache_dir()
    target = folder / "english-words.pickle" if folder is not None else None
    cached = user_cache.read(target, key) if target is not None else None
    if isinstance(cached, dict):
        return cached
    counts = spellchecker.SpellChecker(language="en", distance=1).word_frequency.dictionary
    table = {word: count for word, count in counts.items() if count >= ENGLISH_MIN_COUNT}
    if target is not None:
        user_cache.write(target, key, table)
    return table


# A real word is corrected only into one this many times more common in English:
# "venture capitol" is a slip for "capital" (23 times as common), "headline" is not one
# for "deadline" (1.5 times), nor "right" for "night".
REAL_WORD_RATIO = 10


def english_count(word: str) -> int:
    """How often ``word`` occurs in the English list; 0 for rare junk and non-words."""
    return _english().get(word, 0)


# A word the knowledge base never uses weighs less the more common it is in English:
# "think", "little" or "physically" in a long question say less about what is asked
# than "salary" or "stockholm". Full weight up to COMMON_FROM occurrences in the
# English list, falling log-linearly to COMMON_FLOOR at COMMON_TO and beyond.
COMMON_FROM = 10_000
COMMON_TO = 1_000_000
COMMON_FLOOR = 0.3


def no_count(word: str) -> int:
    """The count of a language without a word-frequency list: every word is rare."""
    return 0


def unknown_word_weight(word: str, count_of: Callable[[str], int] = english_count) -> float:
    """The weight, from COMMON_FLOOR to 1, of ``word`` as a word the knowledge base never
    uses; ``count_of`` is the language's word-frequency list (English's by default)."""
    count = count_of(word)
    if count <= COMMON_FROM:
        return 1.0
    if count >= COMMON_TO:
        return COMMON_FLOOR
    span = math.log(COMMON_TO / COMMON_FROM)
    return 1.0 - (1.0 - COMMON_FLOOR) * math.log(count / COMMON_FROM) / span


def max_edits(word: str) -> int:
    """How many edits a word of this length may be away from its correction."""
    if len(word) <= 4:
        return 0
    if len(word) <= 7:
        return 1
    return 2


class Speller:
    """Corrects the words of one language: ``analyzer`` stems them, ``count_of`` tells
    ordinary words of the language from typos (English's list by default)."""

    def __init__(
        self,
        vocabulary: Iterable[str],
        analyzer: Analyzer = ENGLISH,
        count_of: Callable[[str], int] = english_count,
    ) -> None:
        self._stem = stem = analyzer.stem
        self._stop_words = analyzer.stop_words
        self._count_of = count_of
        self._words = frozenset(vocabulary)
        self._stems = frozenset(stem(w) for w in self._words)
        self._choices = sorted(self._words)
        self._cache: dict[str, str] = {}
        # The choices a word of each length may be corrected to, in the same order.
        self._near: dict[tuple[int, int], list[str]] = {}

    @property
    def vocabulary(self) -> frozenset[str]:
        """The words it knows."""
        return self._words

    def __contains__(self, word: str) -> bool:
        return word in self._words

    def knows(self, word: str) -> bool:
        """Whether ``word`` or its stem is in the vocabulary (no correction needed)."""
        return word in self._words or word in self._stop_words or self._stem(word) in self._stems

    def correct_word(self, word: str) -> str:
        if word in self._words or word in self._stop_words or not word.isalpha():
            return word
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        result = word
        limit = max_edits(word)
        if limit and self._stem(word) not in self._stems:
            choices = self._choices_near(len(word), limit)
            # Imported here: most messages have no unknown word, and rapidfuzz costs
            # a start from the Answerer cache more than its answer.
            from rapidfuzz import process
            from rapidfuzz.distance import OSA

            best = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit)
            count_of = self._count_of
            typed = count_of(word)
            if best is not None and (not typed or count_of(best[0]) >= REAL_WORD_RATIO * typed):
                result = best[0]
        if len(self._cache) < 100_000:
            self._cache[word] = result
        return result

    def _choices_near(self, length: int, limit: int) -> list[str]:
        """The vocabulary's words no more than ``limit`` letters longer or shorter than
        ``length``, in the order of all of them: no other word is within ``limit``
        edits, so the best correction (the first of the closest) is the same, found in
        half the time."""
        found = self._near.get((length, limit))
        if found is None:
            found = self._near[length, limit] = [
                w for w in self._choices if abs(len(w) - length) <= limit
            ]
        return found

    def correct(self, ws: Sequence[str]) -> list[str]:
        return [self.correct_word(w) for w in ws]
