"""One Answerer per language, and the language of each message.

``Answerers`` holds an ``Answerer`` for every language of the knowledge base (each reads
with its own stemmer, stop words, synonyms and reading vocabulary) and decides which
one answers a message: the language is detected from the message's own words
(``detect``), with the client's language (Telegram's ``language_code``) as the prior
for texts too short or too mixed to tell; for a follow-up, the language of the question
before it ("antal medl?" after "När grundades MassBio?" is Swedish). A message in a
language the bot does not speak (German, Finnish, ...) gets the English reply that says
which languages it speaks (message ``languages_spoken``).

The detector scores each language by the words of the message that are that language's:
its stop words and reading vocabulary (question words, auxiliaries...), weighing most;
then the words its knowledge base uses (the vocabulary its index corrects spelling
against), or two of them joined (Swedish "biotekbolag"); for English also the words of
English's frequency list; and the letters only one of them writes (æ ø for Danish, ä ö
for Swedish), as does Swedish's genitive of an abbreviation ("MVA:s"). Chat shorthand
that every language's list spells out ("pls", "bstn") and the names every language's
answers capitalise ("Boston", "MassBio") tell none ("antal biotekfirmaer bos-cam pls" is
Danish). A word several languages share counts for each in part. A few common words of
languages the bot does not speak stand for those. When the two best languages are too
close, a message that is word for word a greeting listed by only one language other than
English (whose list greets in other languages too: "God morgen.") is in that one; then
English's frequency list weighs in; if they are still too close, a message that is a
greeting in only one of them is in that one; else each one's retrieval score of the
message decides, and the client's language before that.
Each distinct word is weighed once and kept, so detection costs a few dictionary
look-ups per word and nothing grows with the knowledge base.

Pickled (the Answerer cache, bot/answering/cache.py), the Answerers keep every language
as bytes of its own, unpickled when a message first needs that language: detection needs
only what ``_Detector`` holds, so an English question does not pay for building the
Danish and Swedish ones again. Those bytes leave out the map of every language's
knowledge base (``KnowledgeBase.by_language``), which would repeat the other languages
in each; unpickled, that map unpacks a language's Answerer when its knowledge base is
first asked for.
"""

from __future__ import annotations

import io
import pickle
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from bot.answering.answerer import Action, Answerer, Kind, Option, Reply
from bot.common.languages import Language
from bot.common.textnorm import STOP_WORDS, words
from bot.knowledge.model import KnowledgeBase
from bot.knowledge.reading import ReadingRules
from bot.understanding.compounds import LINKS, MIN_COMPOUND, MIN_HEAD, MIN_TAIL
from bot.understanding.followups import Context
from bot.understanding.spelling import english_count

# Common words of languages the bot does not speak: a message made of them is in none
# of its languages. Not Norwegian: a Norwegian message reads as Danish and is best
# answered in Danish.
FOREIGN_WORDS: Mapping[str, str] = {
    "de": "ich ist wer der die das und nicht wie was wann wo warum sie wir ein eine einen "
    "mit für von zu auf sind gibt es können kann haben hat wurde wird ihr ihre dem den des "
    "im zum zur auch oder aber wenn welche welcher welches über bitte danke schön guten "
    "tag hallo viele botschafter",
    "fi": "on ja ei mikä mitä kuka missä milloin miten kuinka montako onko voiko voinko "
    # Not "moi", "hei", "kiitos": Finland-Swedes greet and thank so in Swedish too.
    "ovat se hän minä sinä me te he oli ole kun tai että mutta myös paljon kanssa",
    "fr": "le la les est qui que quoi où quand comment pourquoi et un une des du pas je "
    "vous nous il elle sont avec pour dans ce cette fait bonjour merci",
    "es": "el los las es quién qué dónde cuándo cómo por y una del yo usted nosotros son "
    "con para este esta se hola gracias",
    "nl": "het een wie wat waar wanneer hoe waarom niet ik jij wij zijn met voor van ook "
    "maar dat doet heeft wordt werd bij naar welke hoeveel hallo bedankt",
}
FUNCTION_WEIGHT = 1.0  # a stop word or reading word of one language only
QUESTION_WEIGHT = 1.0  # more for the question word a message opens with
VOCABULARY_WEIGHT = 0.6  # a word only one language's knowledge base uses
# A word of English's frequency list that no knowledge base, or every one, uses.
DICTIONARY_WEIGHT = 0.4
LETTER_WEIGHT = 1.5  # a word with a letter only one language writes
HINT_WEIGHT = 0.75  # the client's language, before any word
CLOSE = 0.3  # scores this close are settled by retrieval
# A message with more words of another language, or in none the bot speaks nor typos
# of one, than of any of its languages, and at least two, is in another language.
MIN_ALIEN = 2 * FUNCTION_WEIGHT
UNKNOWN = "?"  # the key of the unknown words' score
MAX_WORDS = 60  # words of a long message looked at
_CAPITALS = re.compile(r"\b[A-ZÆØÅÄÖ]{2,4}\b")
# "MVA:s partner i US": Swedish writes the genitive of an abbreviation after a colon.
_COLON_GENITIVE = re.compile(r"\b[A-ZÆØÅÄÖ]{2,}:s\b")
WORDS_KEPT = 20_000  # distinct words whose weights are kept
_LETTERS: Mapping[str, tuple[str, ...]] = {
    "æ": ("da",),
    "ø": ("da",),
    "ä": ("sv", "de", "fi"),
    "ö": ("sv", "de", "fi"),
    "å": ("da", "sv"),
    "ü": ("de",),
    "ß": ("de",),
    "é": ("fr",),
    "è": ("fr",),
    "ñ": ("es",),
}


@dataclass
class _Detector:
    """Weighs the words of a message for each language (see the module docstring)."""

    rules: Mapping[str, ReadingRules]
    function_words: Mapping[str, frozenset[str]]
    vocabulary: Mapping[str, frozenset[str]]
    # Whether some language's speller corrects a word into one it knows ("ambasador").
    correctable: Callable[[str], bool]
    # Greetings of other languages that English's intents list too, so that an English
    # reply greets them ("hejsa", "godmorgen"): no sign of English unless English's
    # word list has them ("hi", "hello").
    borrowed: frozenset[str] = frozenset()
    # Chat shorthand every language's list spells out ("pls", "thx", "bstn"), and the
    # names every language's answers write with a capital ("Boston", "MassBio"): Danish
    # and Swedish writers type them as often as English ones, so they tell no language,
    # English's frequency list notwithstanding.
    neutral: frozenset[str] = frozenset()
    _weights: dict[str, tuple[tuple[tuple[str, float], ...], bool, bool]] = field(
        default_factory=dict
    )
    _in_english: dict[str, bool] = field(default_factory=dict)

    def weights(self, word: str) -> tuple[tuple[tuple[str, float], ...], bool, bool]:
        """The weight of ``word`` for each language, whether English's frequency list
        may add to it (it is no language's function word, and not one only some of the
        knowledge bases use), and whether any language knows it."""
        found = self._weights.get(word)
        if found is None:
            if len(self._weights) >= WORDS_KEPT:
                self._weights.clear()
            found = self._weights[word] = self._weigh(word)
        return found

    def in_english(self, word: str) -> bool:
        found = self._in_english.get(word)
        if found is None:
            if len(self._in_english) >= WORDS_KEPT:
                self._in_english.clear()
            found = self._in_english[word] = english_count(word) > 0
        return found

    def _function_languages(self, word: str, folded: Mapping[str, str]) -> list[str]:
        """The languages ``word`` (``folded`` as each folds it) is a function word of."""
        return [
            code for code, known in self.function_words.items() if folded.get(code, word) in known
        ]

    def _folded(self, word: str) -> dict[str, str]:
        return {code: rules.analyzer.fold(word) for code, rules in self.rules.items()}

    def _weigh(self, word: str) -> tuple[tuple[tuple[str, float], ...], bool, bool]:
        out: dict[str, float] = {}
        if len(word) < 2:
            # "mva's" gives "s", "I'm" gives "m": in no language a word
            return (), False, True
        english = False
        known = True
        folded = self._folded(word)
        functional = self._function_languages(word, folded)
        for code in functional:
            out[code] = out.get(code, 0.0) + FUNCTION_WEIGHT / len(functional)
        if not functional:
            used = [code for code, known in self.vocabulary.items() if folded[code] in known]
            if not used:
                # "biotekbolag": a compound of words only Swedish's knowledge base uses.
                used = [
                    code
                    for code, known in self.vocabulary.items()
                    if code != "en" and _compound_of(folded[code], known)
                ]
            if len(used) > 1 and word in self.borrowed and not self.in_english(word):
                used.remove("en")
            # A word every language uses ("massbio", "boston") tells none of them.
            shared = len(used) == len(self.vocabulary)
            if not shared:
                for code in used:
                    out[code] = out.get(code, 0.0) + VOCABULARY_WEIGHT / len(used)
            known = bool(used)
            english = (
                (shared or not used)
                and word not in self.neutral
                and len(word) >= 3
                and word.isalpha()
            )
        letters = {code for ch in set(word) for code in _LETTERS.get(ch, ())}
        for code in letters:
            out[code] = out.get(code, 0.0) + LETTER_WEIGHT / len(letters)
        return tuple(out.items()), english, known

    def scores(self, text: str, dictionary: bool = False) -> dict[str, float]:
        """Each language's score of ``text``; with English's frequency list only when
        ``dictionary`` (loading it costs a fifth of a second: most messages are told
        apart without it)."""
        totals: dict[str, float] = {}
        ws = words(text)[:MAX_WORDS]
        if ws:
            # A message opening with a question word of some languages only: Swedish
            # "var" (where) is Danish "var" (was), which opens no question.
            asking = [
                code
                for code, rules in self.rules.items()
                if rules.analyzer.fold(ws[0]) in rules.question_words
            ]
            for code in asking:
                totals[code] = totals.get(code, 0.0) + QUESTION_WEIGHT / len(asking)
        # "Biotech share MA R&D spend?": a short word in capitals in a message that is
        # not shouted is an abbreviation (Massachusetts), not Danish "må".
        capitals = (
            {w.casefold() for w in _CAPITALS.findall(text)}
            if any(ch.islower() for ch in text)
            else set()
        )
        if "sv" in self.rules:
            genitives = len(_COLON_GENITIVE.findall(text))
            if genitives:
                totals["sv"] = totals.get("sv", 0.0) + LETTER_WEIGHT * genitives
        for word in ws:
            weights, english, known = self.weights(word)
            if word in capitals and self._function_languages(word, self._folded(word)):
                continue
            for code, weight in weights:
                totals[code] = totals.get(code, 0.0) + weight
            if not (dictionary and english):
                continue
            if self.in_english(word):
                totals["en"] = totals.get("en", 0.0) + DICTIONARY_WEIGHT
            elif not (weights or known or self.correctable(word)):
                # In no language's words, nor a typo of one: "perustettiin", "opgericht".
                totals[UNKNOWN] = totals.get(UNKNOWN, 0.0) + FUNCTION_WEIGHT
        return totals


# What stands, in each packed Answerer, for the map of every language's knowledge base
# (KnowledgeBase.by_language) that all of them share.
_KNOWLEDGE_BASES = "knowledge bases"


@dataclass
class _Packed:
    """An Answerer as the bytes of its pickle, until it is needed. The map of every
    language's knowledge base its own knowledge base holds is not in those bytes: each
    language would otherwise carry every other language's knowledge base again."""

    data: bytes

    @classmethod
    def pack(cls, answerer: Answerer, shared: object) -> _Packed:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = lambda obj: _KNOWLEDGE_BASES if obj is shared else None  # type: ignore[method-assign]
        pickler.dump(answerer)
        return cls(buffer.getvalue())

    def load(self, shared: Mapping[Language, KnowledgeBase]) -> Answerer:
        answerer = _Unpickler(self.data, shared).load()
        assert isinstance(answerer, Answerer)
        return answerer


class _Unpickler(pickle.Unpickler):
    def __init__(self, data: bytes, shared: Mapping[Language, KnowledgeBase]) -> None:
        super().__init__(io.BytesIO(data))
        self._shared = shared

    def persistent_load(self, pid: object) -> object:
        if pid == _KNOWLEDGE_BASES:
            return self._shared
        raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")


class _KnowledgeBases(Mapping[Language, KnowledgeBase]):
    """Every language's knowledge base, as unpickled Answerers share it (their
    ``kb.by_language``): a language's is its Answerer's, unpacked when first asked for."""

    def __init__(self, owner: Answerers) -> None:
        self._owner = owner

    def __getitem__(self, lang: Language) -> KnowledgeBase:
        if lang not in self._owner.languages:
            raise KeyError(lang)
        return self._owner.for_language(lang).kb

    def __iter__(self) -> Iterator[Language]:
        return iter(self._owner.languages)

    def __len__(self) -> int:
        return len(self._owner.languages)


@dataclass(frozen=True)
class _Verdict:
    """What a message's words say: its language (None: one the bot does not speak), or
    the languages too close to tell apart."""

    lang: Language | None
    close: tuple[Language, ...] = ()


class Answerers:
    """An ``Answerer`` per language; English is always there."""

    def __init__(self, answerers: Mapping[Language, Answerer]) -> None:
        if Language.EN not in answerers:
            raise ValueError("Answerers need an English Answerer")
        self._answerers: dict[Language, Answerer | _Packed] = dict(answerers)
        # Unpickled, the knowledge bases' shared map of every language's (see _Packed).
        self._shared: Mapping[Language, KnowledgeBase] = _KnowledgeBases(self)
        rules = {lang.value: a.rules for lang, a in answerers.items()}
        each = answerers.values()
        neutral = frozenset.intersection(*map(_shorthand, each)) | frozenset.intersection(
            *map(_names, each)
        )
        function_words: dict[str, frozenset[str]] = {
            lang.value: _function_words(a.rules) - neutral for lang, a in answerers.items()
        }
        function_words.update({code: frozenset(ws.split()) for code, ws in FOREIGN_WORDS.items()})
        written = {lang: _vocabulary(a) for lang, a in answerers.items()}
        vocabulary = {
            lang.value: words | answerers[lang].intents.vocabulary
            for lang, words in written.items()
        }
        intents = {lang: a.intents.vocabulary for lang, a in answerers.items()}
        others = set().union(*(ws for lang, ws in intents.items() if lang is not Language.EN))
        borrowed = frozenset((intents[Language.EN] & others) - written[Language.EN])
        self._detector = _Detector(
            rules, function_words, vocabulary, self._correctable, borrowed=borrowed, neutral=neutral
        )

    @classmethod
    def from_knowledge(cls, kb: KnowledgeBase, arrays: bool | None = None) -> Answerers:
        """An Answerer for each language ``kb`` is in; ``arrays``: whether their indexes
        keep numpy arrays (None: by size)."""
        return cls({lang: Answerer(kb.translated(lang), arrays=arrays) for lang in kb.languages})

    @property
    def languages(self) -> tuple[Language, ...]:
        return tuple(self._answerers)

    @property
    def english(self) -> Answerer:
        return self._answerer(Language.EN)

    def for_language(self, lang: Language) -> Answerer:
        """The Answerer of ``lang`` (English's for a language the bot has none for)."""
        return self._answerer(lang if lang in self._answerers else Language.EN)

    def _answerer(self, lang: Language) -> Answerer:
        found = self._answerers[lang]
        if isinstance(found, _Packed):
            found = self._answerers[lang] = found.load(self._shared)
        return found

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        del state["_shared"]
        english = self._answerers[Language.EN]
        shared = english.kb.by_language if isinstance(english, Answerer) else self._shared
        state["_answerers"] = {
            lang: answerer if isinstance(answerer, _Packed) else _Packed.pack(answerer, shared)
            for lang, answerer in self._answerers.items()
        }
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._shared = _KnowledgeBases(self)

    def detect(self, text: str, hint: Language | None = None) -> Language:
        """The language ``text`` is written in; ``hint`` (the client's language) decides
        a text too short or too mixed to tell. A language the bot does not speak gives
        the hint, else English."""
        found = self._detect(text, hint)
        if found is not None:
            return found
        return hint if hint in self._answerers else Language.EN

    def speaks(self, text: str, hint: Language | None = None) -> bool:
        """Whether ``text`` is in one of the bot's languages (not German, Finnish ...)."""
        return self._detect(text, hint) is not None

    def ask(
        self,
        text: str,
        context: Context | None = None,
        lang: Language | None = None,
        hint: Language | None = None,
    ) -> Reply:
        """Answer ``text`` in ``lang``, or in the language it is detected to be in."""
        if lang is None:
            if context is not None and context.question:
                # "antal medl?" after "När grundades MassBio?": a follow-up too short to
                # tell Danish from Swedish is in the language the conversation is in.
                hint = self._detect(context.question, hint) or hint
            found = self._detect(text, hint)
            if found is None and self.english.greets(text):
                # "Guten Tag.", "Merhaba!": a greeting the bot knows is greeted back,
                # whichever language it is in.
                found = hint if hint in self._answerers else Language.EN
            if found is None:
                return self.languages_spoken_reply(text)
            lang = found
        return self.for_language(lang).ask(text, context)

    def languages_spoken_reply(self, question: str) -> Reply:
        """The English reply to a message in a language the bot does not speak."""
        english = self.english
        return Reply(
            question=question,
            kind=Kind.FALLBACK,
            text=english.kb.message("languages_spoken"),
            options=(Option(Action.CONTACT, english.kb.message("button_talk_to_person")),),
            lang=Language.EN,
        )

    def _detect(self, text: str, hint: Language | None) -> Language | None:
        verdict = self._decide(self._detector.scores(text), hint)
        if verdict.close:
            # "God morgen.": English greets in other languages too, and its frequency
            # list knows "god"; a greeting word for word in only one other language's
            # list is in that one. When no word list knows a word of it, any other
            # language's list may have it ("tjaaa"), unless English's has it too ("yooo").
            unknown = len(verdict.close) == 1
            listing = [
                lang
                for lang in (self._answerers if unknown else verdict.close)
                if self._answerer(lang).lists_greeting(text)
                and (lang is not Language.EN or unknown)
            ]
            if len(listing) == 1 and listing[0] is not Language.EN:
                return listing[0]
            verdict = self._decide(self._detector.scores(text, dictionary=True), hint)
        if verdict.close:
            return self._by_retrieval(text, verdict.close, hint)
        return verdict.lang

    def _decide(self, scores: Mapping[str, float], hint: Language | None) -> _Verdict:
        spoken = {lang: scores.get(lang.value, 0.0) for lang in self._answerers}
        if hint in spoken:
            spoken[hint] += HINT_WEIGHT
        # Which other language it is does not matter: "se" is Finnish and Spanish.
        foreign = sum(score for code, score in scores.items() if code in FOREIGN_WORDS)
        ranked = sorted(spoken, key=lambda lang: -spoken[lang])  # stable: EN, DA, SV
        best = ranked[0]
        # Words of another language, and words in no language the bot speaks nor typos
        # of one ("Milloin MassBio perustettiin?").
        alien = foreign + scores.get(UNKNOWN, 0.0)
        if alien > spoken[best] and alien >= MIN_ALIEN:
            return _Verdict(None)
        if spoken[best] <= (HINT_WEIGHT if hint in spoken else 0.0):
            # Nothing but names and numbers ("massbio?", "2011"): the client's language,
            # unless English's word list says more.
            return _Verdict(best, (hint if hint in spoken else Language.EN,))
        close = tuple(lang for lang in ranked if spoken[best] - spoken[lang] < CLOSE)
        return _Verdict(best, close if len(close) > 1 else ())

    def _correctable(self, word: str) -> bool:
        for lang in self._answerers:
            answerer = self._answerer(lang)
            folded = answerer.rules.analyzer.fold(word)
            speller = answerer.index.speller
            if speller.knows(folded) or speller.correct_word(folded) != folded:
                return True
        return False

    def _by_retrieval(
        self, text: str, candidates: Iterable[Language], hint: Language | None
    ) -> Language:
        """Of languages the words cannot tell apart, the one whose knowledge base matches
        ``text`` best; the hint, then the first, when none matches better."""
        candidates = tuple(candidates)
        greeted = [lang for lang in candidates if self._answerer(lang).greets(text)]
        if len(greeted) == 1:
            # "go'da go'da": English "go" and Danish "da" weigh the same, yet only
            # Danish greets with the two of them.
            return greeted[0]
        best: Language | None = None
        best_score = 0.0
        for lang in candidates:
            hits = self._answerer(lang).index.search(text, limit=1)
            score = hits[0].score if hits else 0.0
            if lang == hint:
                score += 1e-6
            if best is None or score > best_score:
                best, best_score = lang, score
        assert best is not None
        return best


def _vocabulary(answerer: Answerer) -> frozenset[str]:
    """The words ``answerer``'s knowledge base writes in its own language, intents aside:
    its entries' questions and answers, synonyms, subjects and shorthand; not the tags,
    which every language shares with English."""
    kb, words_of = answerer.kb, answerer.rules.analyzer.words
    texts: list[str] = [t for e in kb for t in (*e.questions, e.answer)]
    if answerer.language is Language.EN:
        texts += [" ".join(e.tags) for e in kb]
    texts += [" ".join(group) for group in kb.synonyms]
    texts += [f"{key} {value}" for key, value in kb.shorthand.items()]
    texts += [t for s in kb.aboutness.subjects for t in (s.label, *s.terms)]
    texts += [t for a in kb.aboutness.attributes for t in a.terms]
    return frozenset(w for text in texts for w in words_of(text))


_NAME = re.compile(r"(?<![.!?:]\s)(?<!^)\b([A-ZÆØÅÄÖ][\w-]+)")


def _compound_of(word: str, known: frozenset[str]) -> bool:
    """Whether ``word`` is two of the ``known`` words joined, perhaps by a linking
    letter ("biotek|bolag", "forsknings|samarbejde"), as compounds.py splits them."""
    if len(word) < MIN_COMPOUND or not word.isalpha():
        return False
    for cut in range(MIN_HEAD, len(word) - MIN_TAIL + 1):
        head, tail = word[:cut], word[cut:]
        if tail in known and any(
            head.endswith(link) and head[: len(head) - len(link)] in known for link in LINKS
        ):
            return True
    return False


def _shorthand(answerer: Answerer) -> frozenset[str]:
    """The words of ``answerer``'s shorthand as typed ("pls", "bstn")."""
    return frozenset(w for key in answerer.kb.shorthand for w in key.split())


def _names(answerer: Answerer) -> frozenset[str]:
    """The words ``answerer``'s answers write with a capital inside a sentence."""
    return frozenset(
        w
        for e in answerer.kb
        for m in _NAME.finditer(e.answer)
        for w in answerer.rules.analyzer.words(m.group(1))
    )


def _function_words(rules: ReadingRules) -> frozenset[str]:
    """The words that mark ``rules``' language: its stop words and reading vocabulary."""
    words_of: set[str] = set(rules.analyzer.stop_words)
    if rules.language is Language.EN:
        words_of |= STOP_WORDS
    for group in (
        rules.question_starts,
        rules.question_words,
        rules.function_words,
        rules.leading_filler,
        rules.auxiliaries,
        rules.negations,
        rules.and_words,
        rules.or_words,
        rules.yes_no_starts,
    ):
        words_of |= group
    return frozenset(words_of)
