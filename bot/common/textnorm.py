"""Text normalisation shared by indexing, intent detection and the knowledge checks.

Pipeline: Unicode NFKC, removal of invisible format characters (zero-width joiners,
bidi marks), case folding, splitting into words on anything that is not a letter or
digit, Snowball stemming, synonym canonicalisation and stop-word removal. Queries and
documents go through the same pipeline, so "MassBio", "massbio's" and
"Massachusetts Biotechnology Council" meet on one token.

Each language reads through its own ``Analyzer``: its Snowball stemmer, its stop words
and, for Danish and Swedish, the folding of the letters writers without a Danish or
Swedish keyboard leave out ("hvornaar", "hvornar" and "hvornår" are one word, as are
"nar" and "när"). ``ENGLISH`` is the module's own ``words``, ``stem`` and
``STOP_WORDS``, unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
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
    might must may shall whether rather kindly wonder wondering grateful curious confess
    view opinion
    intend intends intended meant supposed
    okay even exactly true truly basically honestly simply precisely pray possibly
    probably anyway anyways though yet sure certainly particular particularly
    currently generally specifically briefly exact precise roughly approximately approx around
    almost nearly lol haha hehe tbh btw again need needs needed yes
    go going goes went gone take takes took put come comes came got
    different distinct various several conduct operate operates propose proposes undertake
    tackle handle folks folk guys carry carries carried quick answer answers
    concerning regarding clarify confirm elaborate specify kinds sorts now
    s t ll re ve d m y o pls please hi hello hey hiya heya howdy yo
    tell know like want wanna would could
    im ive id youre dont doesnt isnt whats thats theres
    something anything someone somebody anyone anybody thing things stuff
    actually really also maybe perhaps just kind sort bit quite
    """.split()
)

# A word, or the signs "%" and "#", which chat writes for "percent" and "number" ("# of
# members", "% of vc"): shorthand.yaml says what they stand for.
_WORD = re.compile(r"[^\W_]+|[%#]", re.UNICODE)
# A run of letters as written, its case kept: to tell "MVA" and "andel" from "Boston".
CASED_WORD = re.compile(r"[^\W\d_]+")
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


# Letters folded onto what a writer without them types: Danish "ae oe aa" or "a o a",
# Swedish "a o" (not "å": "år" is not "är"); accents ("idé") everywhere but English,
# which folds nothing.
_ACCENTS = {"é": "e", "è": "e", "ê": "e", "á": "a", "à": "a", "ü": "u", "ó": "o"}
FOLDS: Mapping[str, tuple[tuple[str, str], ...]] = {
    # Digraphs first: "aa" is "å" in old spelling and on keyboards without it.
    "danish": (("aa", "a"), ("ae", "a"), ("oe", "o"), ("æ", "a"), ("ø", "o"), ("å", "a")),
    "swedish": (("ä", "a"), ("ö", "o"), ("æ", "a"), ("ø", "o")),
}
ANALYZER_CACHE = 65536  # words whose folded form or stem an analyzer keeps


class Analyzer:
    """How one language's text becomes words and stems: the Snowball stemmer of
    ``language`` (its Snowball name: "english", "danish", "swedish"), its stop words and
    the letters it folds. Both ``words`` and ``stem`` fold, so a word and its stem are
    compared folded wherever they come from. It pickles (the cached Answerer): the
    stemmer is made again on load."""

    def __init__(self, language: str = "english", stop_words: Iterable[str] = STOP_WORDS) -> None:
        self.language = language
        self._fold_pairs = FOLDS.get(language, ())
        self.stop_words = frozenset(map(self.fold, stop_words))
        self._setup()

    def _setup(self) -> None:
        # English reads with the module's own functions; the others with the methods
        # below (bound methods pickle, as the Answerer cache needs).
        self.words: Callable[[str], list[str]] = words
        self.stem: Callable[[str], str] = stem
        if self.language == "english":
            return
        self._stemmer = snowballstemmer.stemmer(self.language)
        self._folded: dict[str, str] = {}
        self._stems: dict[str, str] = {}
        self.words = self._folded_words
        self.stem = self._folded_stem

    def _fold_word(self, word: str) -> str:
        found = self._folded.get(word)
        if found is None:
            if len(self._folded) >= ANALYZER_CACHE:
                self._folded.clear()
            found = self._folded[word] = self.fold(word)
        return found

    def _folded_words(self, text: str) -> list[str]:
        return [self._fold_word(w) for w in _words(text)]

    def _folded_stem(self, word: str) -> str:
        found = self._stems.get(word)
        if found is None:
            if len(self._stems) >= ANALYZER_CACHE:
                self._stems.clear()
            result: str = self._stemmer.stemWord(self._fold_word(word))
            found = self._stems[word] = result
        return found

    def fold(self, word: str) -> str:
        """``word`` with the letters this language's writers may leave out folded."""
        if word.isascii() and not self._fold_pairs:
            return word
        for letter, plain in self._fold_pairs:
            if letter in word:
                word = word.replace(letter, plain)
        if not word.isascii() and self.language != "english":
            for letter, plain in _ACCENTS.items():
                word = word.replace(letter, plain)
        return word

    def __getstate__(self) -> dict[str, object]:
        return {"language": self.language, "stop_words": self.stop_words}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.language = str(state["language"])
        self._fold_pairs = FOLDS.get(self.language, ())
        stop_words = state["stop_words"]
        assert isinstance(stop_words, frozenset)
        self.stop_words = stop_words
        self._setup()


ENGLISH = Analyzer()


class Normaliser:
    """Turns text into index tokens, with synonym groups folded onto one token each.

    A synonym group is a list of equivalent terms; every term (single word or phrase)
    found in a text is replaced by the group's canonical token. Documents also keep a
    phrase's content words (``keep_parts``), so a query naming part of the phrase
    ("venture" for "venture capital") still matches; queries do not, so a query that
    spells out a phrase is not penalised against documents using its acronym.
    """

    def __init__(
        self, synonyms: Iterable[Sequence[str]] = (), analyzer: Analyzer = ENGLISH
    ) -> None:
        self.analyzer = analyzer
        stem, words, stop_words = analyzer.stem, analyzer.words, analyzer.stop_words
        self._stem = stem
        self._stop_words = stop_words
        self._phrases: dict[tuple[str, ...], str] = {}
        # Phrases by first stem: the lengths of the multi-word ones, longest first, and
        # the single-word one, so a word that starts no phrase costs two lookups.
        self._lengths: dict[str, tuple[int, ...]] = {}
        self._single: dict[str, str] = {}
        for group in synonyms:
            canonical = "syn:" + "_".join(stem(w) for w in words(group[0]))
            for term in group:
                key = tuple(stem(w) for w in words(term))
                if not key or (len(key) == 1 and key[0] in stop_words):
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
        return self.tokens_from_words(self.analyzer.words(text), keep_parts)

    def tokens_from_words(self, ws: Sequence[str], keep_parts: bool = False) -> list[str]:
        stems = list(map(self._stem, ws))
        stop_words = self._stop_words
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
                        out.extend(stems[j] for j in range(i, i + n) if ws[j] not in stop_words)
                    i += n
                    break
            else:
                if first in single:
                    out.append(single[first])
                elif ws[i] not in stop_words:
                    out.append(first)
                i += 1
        return out
