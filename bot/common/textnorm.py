"""Text normalisation shared by indexing, intent detection and the knowledge checks.

Pipeline: Unicode NFKC, removal of invisible format characters (zero-width joiners,
bidi marks), case folding, splitting into words on anything that is not a letter or
digit, Snowball stemming, synonym canonicalisation and stop-word removal. Queries and
documents go through the same pipeline, so "MassBio", "massbio's" and
"Massachusetts Biotechnology Council" meet on one token.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

import snowballstemmer

# Common English function words and chat filler. Question words (who, what, when,
# where, why, how) are kept on purpose: "when was he appointed" and "where is he
# based" differ only by them.
STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are aren as at be because been
    before being below between both but by can cannot could did didn do does doesn doing
    don down during each few for from further had hadn has hasn have haven having he her
    here hers herself him himself his i if in into is isn it its itself just let me more
    most my myself no nor not of off on once only or other ought our ours ourselves out
    over own same shall she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up us very was wasn we were
    weren which while whom will with won would you your yours yourself yourselves
    might must may shall whether rather kindly wonder wondering grateful
    intend intends intended meant supposed
    okay even exactly true truly basically honestly simply precisely pray possibly
    probably anyway anyways though yet sure certainly particular particularly
    currently generally specifically briefly exact roughly approximately approx around
    almost nearly lol haha hehe tbh btw again need needs needed yes
    go going goes went gone take takes took put come comes came
    different distinct various several conduct operate operates propose proposes undertake
    tackle handle folks folk guys carry carries carried quick answer answers
    concerning regarding clarify confirm elaborate specify kinds sorts now
    s t ll re ve d m y o pls please hi hello hey tell know like want wanna would could
    im ive id youre dont doesnt isnt whats thats theres
    something anything someone somebody anyone anybody thing things stuff
    actually really also maybe perhaps just kind sort bit quite
    """.split()
)

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Category Cf holds zero-width spaces/joiners and bidi controls; they hide inside words.
_FORMAT = "Cf"


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


def clean(text: str) -> str:
    """NFKC, invisible characters removed, case folded."""
    if text.isascii():  # NFKC leaves ASCII alone and no ASCII character is of class Cf
        return text.casefold()
    text = unicodedata.normalize("NFKC", text)
    # Each distinct character is looked at once: "Malmö" in a long message costs one
    # lookup per letter of the alphabet it uses, not one per character.
    hidden = {ch for ch in set(text) if unicodedata.category(ch) == _FORMAT}
    if hidden:
        text = "".join(ch for ch in text if ch not in hidden)
    return text.casefold()


def words(text: str) -> list[str]:
    """The words of ``text`` after cleaning, punctuation removed.

    Apostrophes separate too: "massbio's" gives "massbio" and the stop word "s", so the
    name still matches.
    """
    return list(_words(text))


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    # A message's parts are read several times (roles, intents, aboutness, search).
    return tuple(_WORD.findall(clean(text)))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    result: str = _stemmer().stemWord(word)
    return result


class Normaliser:
    """Turns text into index tokens, with synonym groups folded onto one token each.

    A synonym group is a list of equivalent terms; every term (single word or phrase)
    found in a text is replaced by the group's canonical token. Documents also keep a
    phrase's content words (``keep_parts``), so a query naming part of the phrase
    ("venture" for "venture capital") still matches; queries do not, so a query that
    spells out a phrase is not penalised against documents using its acronym.
    """

    def __init__(self, synonyms: Iterable[Sequence[str]] = ()) -> None:
        self._phrases: dict[tuple[str, ...], str] = {}
        # Phrases by first stem: the lengths of the multi-word ones, longest first, and
        # the single-word one, so a word that starts no phrase costs two lookups.
        self._lengths: dict[str, tuple[int, ...]] = {}
        self._single: dict[str, str] = {}
        for group in synonyms:
            canonical = "syn:" + "_".join(stem(w) for w in words(group[0]))
            for term in group:
                key = tuple(stem(w) for w in words(term))
                if not key or (len(key) == 1 and key[0] in STOP_WORDS):
                    # "us" the pronoun must not become "United States".
                    continue
                self._phrases[key] = canonical
        lengths: dict[str, set[int]] = {}
        for key, canonical in self._phrases.items():
            if len(key) == 1:
                self._single[key[0]] = canonical
            else:
                lengths.setdefault(key[0], set()).add(len(key))
        self._lengths = {first: tuple(sorted(ns, reverse=True)) for first, ns in lengths.items()}

    @property
    def synonym_words(self) -> set[str]:
        """Stems that occur in synonym terms (so spelling correction knows them)."""
        return {s for key in self._phrases for s in key}

    def tokens(self, text: str, keep_parts: bool = False) -> list[str]:
        return self.tokens_from_words(words(text), keep_parts)

    def tokens_from_words(self, ws: Sequence[str], keep_parts: bool = False) -> list[str]:
        stems = list(map(stem, ws))
        out: list[str] = []
        lengths, single, phrases = self._lengths, self._single, self._phrases
        i, end = 0, len(ws)
        while i < end:
            first = stems[i]
            # The longest phrase starting here wins, as does the first from the left.
            for n in lengths.get(first, ()):
                if n > end - i:
                    continue
                canonical = phrases.get(tuple(stems[i : i + n]))
                if canonical is not None:
                    out.append(canonical)
                    if keep_parts:
                        out.extend(stems[j] for j in range(i, i + n) if ws[j] not in STOP_WORDS)
                    i += n
                    break
            else:
                if first in single:
                    out.append(single[first])
                elif ws[i] not in STOP_WORDS:
                    out.append(first)
                i += 1
        return out
