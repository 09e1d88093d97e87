"""The answering core: one enquirer message in, one transport-neutral ``Reply`` out.

A message is first read by ``bot.understanding``: split into parts, each a question,
a fragment of keywords or context. Each asking part is answered on its own, against
the previous answer of the conversation when it is a follow-up, and the best entry
that is about what the part asks (subject, attribute, place, time) answers it. Every
message then gets exactly one kind:

- ``greeting``: hello, thanks, help or bye and nothing else;
- ``contact``: the enquirer asks for a person;
- ``answer``: up to three entries answer the parts asked, in order, with a plain
  sentence for a part the knowledge base does not hold;
- ``ambiguous``: two or more entries are that close to each other (within the
  ambiguity ratio of the best one); they are offered as choices;
- ``fallback``: nothing matches well enough, or the best match is about something
  else (a near miss) or says the source does not hold it; the reply says so and
  offers staff.

The threshold and ratio are calibrated on the dev eval sets (README, "Quality").
Adapters (Telegram, terminal) render ``Reply`` objects; they add no wording of
their own beyond what the knowledge base's messages hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from itertools import pairwise
from typing import TypeVar

from bot.answering.retrieval import Hit, Index, RetrievalSettings
from bot.answering.weak_matches import WeakMatches
from bot.common.languages import Language
from bot.common.scrubbing import phones
from bot.common.textnorm import CASED_WORD, STOP_WORDS, Normaliser
from bot.knowledge.model import Entry, Greeting, KnowledgeBase
from bot.knowledge.reading import ENGLISH_READING, ReadingRules, loose, reading_rules
from bot.understanding.aboutness import (
    ELSEWHERE,
    AboutnessReader,
    Mismatch,
    Reading,
    Reason,
    place_label,
)
from bot.understanding.followups import Context, Resolved, asks_what_it_does, resolve
from bot.understanding.intents import IntentMatcher
from bot.understanding.segments import Part, Role, Segmenter
from bot.understanding.shared_terms import shared_synonyms
from bot.understanding.shorthand import Shorthand
from bot.understanding.spelling import english_count, no_count, unknown_word_weight

_T = TypeVar("_T")
_YEAR_IN_TEXT = re.compile(r"\b(?:19|20)\d\d\b")
MAX_ACRONYM = 4  # letters of an acronym ("MA", "VC", "MVA")
# English, as before languages (the Answerer of a language reads its ReadingRules).
_EN = ENGLISH_READING
NAME_OPENERS = _EN.name_openers
DOING_WORDS = _EN.doing_words
YES_NO_STARTS = _EN.yes_no_starts
ORDINALS = _EN.ordinals
REFERRING_WORDS = _EN.referring_words
REFERRING_BACK = _EN.referring_back
QUESTION_WORDS = _EN.question_words
META_TOKENS = _EN.meta_tokens


def _capitalised_run(rules: ReadingRules) -> re.Pattern[str]:
    """Two or more capitalised words in a row ("Biotechnology Industry Organization"),
    with the language's small words between them ("of", "and")."""
    inside = "|".join(re.escape(w) + r"\s+" for w in rules.name_connectors)
    return re.compile(rf"\b[A-Z][\w'&-]*(?:\s+(?:{inside})?[A-Z][\w'&-]*)+")


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    found = _PATTERNS.get(source)
    if found is None:
        found = _PATTERNS[source] = re.compile(source, flags)
    return found


def wants_figure(ws: list[str], rules: ReadingRules = ENGLISH_READING) -> bool:
    """Whether the question asks for a number ("how many", "what share")."""
    return bool(_pattern(rules.wants_figure_pattern).search(" ".join(ws)))


MAX_ANSWERS = 3  # entries answered in one reply
PLEASANTRY_MAX_WORDS = 8  # words of "hope you are having a lovely week"
MAX_PARTS = 6  # question parts of one message looked at
_SENTENCE_MARK = re.compile(r"[.!?]")
SHORTLIST = 6  # hits held against what a question is about
NOT_IN_SOURCE_MARGIN = 1.3
SAME_RELEVANCE = 0.995  # relevances this close tell two entries apart no better than chance
SHARED_MAX_CONTENT = 3  # content words of a part that takes the next one's place
# An English word this common, in capitals, is stressed ("the BIG key tasks"), no acronym.
STRESSED_MIN_COUNT = 50_000
MAX_REFERRING_CONTENT = 2  # content words of "would you be able to arrange that?"
MIN_REFERRED_CONTENT = 3  # content words of that sentence
STATED_TAIL_MIN_CONTENT = 2  # content words of a question ending a statement unmarked
STATED_TAIL_CUTS = 6  # words taken off its end, one at a time, while it finds nothing
STATED_FIGURE_OPENING = 3  # words opening a statement that may ask a figure ("number of")
# Content words of a question whose subject and attribute alone may pick its entry: in a
# longer one the attribute may be the writer's ("my company was founded last year").
ABOUTNESS_MAX_CONTENT = 4
KEYWORD_DETAIL_WORDS = 4  # words of "total ticket size?" after a question not known
MIN_QUALIFIER = 4  # letters of a word that makes a subject another of its kind
# Runs of common words written with a capital inside a sentence that show a writer
# capitalising nouns (old Danish orthography, German habit), not naming bodies.
CAPITALISED_NOUNS = 3
WORD_CACHE = 256  # texts whose corrected words are kept (the parts of recent messages)


class Kind(StrEnum):
    ANSWER = "answer"
    AMBIGUOUS = "ambiguous"
    FALLBACK = "fallback"
    CONTACT = "contact"
    GREETING = "greeting"
    FORM = "form"  # a step of the contact request form (never a classification)
    # A message of the conversation itself: ticket and privacy notices, /mydata, /forget
    # (never a classification either).
    NOTICE = "notice"


class Action(StrEnum):
    ENTRY = "entry"  # show the entry with this id
    CONTACT = "contact"  # start a contact request
    FORM = "form"  # a choice inside the contact request form
    LANGUAGE = "language"  # write in this language (/language), or "auto": detect it


@dataclass(frozen=True)
class Option:
    """A choice shown under a reply (a button in Telegram, a number in the terminal)."""

    action: Action
    label: str
    value: str = ""  # the entry id, routing topic or form choice the option stands for

    def as_dict(self) -> dict[str, str]:
        return {"action": self.action.value, "id": self.value, "label": self.label}


@dataclass(frozen=True)
class Reply:
    question: str
    kind: Kind
    text: str
    entry_id: str | None = None
    score: float = 0.0
    options: tuple[Option, ...] = ()
    feedback: bool = False  # offer helpful / not helpful
    contact_topic: str | None = None  # routing topic suggested for a contact request
    entry_ids: tuple[str, ...] = ()  # every entry answered, ``entry_id`` first
    # What a follow-up is read against: the entry answered last and the words that
    # asked for it (set for answers only).
    context: Context | None = None
    lang: Language = Language.EN  # the language of the reply (every text of it)

    def as_dict(self) -> dict[str, object]:
        return {
            "question": self.question,
            "kind": self.kind.value,
            "entry_id": self.entry_id,
            "entry_ids": list(self.entry_ids),
            "score": round(self.score, 4),
            "reply": self.text,
            "options": [o.as_dict() for o in self.options],
            "lang": self.lang.value,
        }


@dataclass(frozen=True)
class Thresholds:
    # Calibrated on tests/eval/dev*.yaml with benchmarks/calibrate.py (README).
    answer: float = 0.40
    ambiguity_ratio: float = 0.99
    max_choices: int = 3
    # Per language: how many times more confident than the most relevant entry the most
    # confident one must be to answer instead (tests/eval/da-dev.yaml, sv-dev.yaml).
    # Swept on all the dev sets: 1.1 +0, 1.12 +1, 1.15 +3 -0, 1.2 +3 -3, 1.25 +3 -4.
    confidence_margin: Mapping[Language, float] = field(
        default_factory=lambda: {Language.DA: 1.15, Language.SV: 1.15}
    )
    # Languages in which, of entries as confident as the best, one far more relevant
    # than it answers instead of a choice (in English: 6 more right and 2 more
    # confidently wrong over the English sets, so not yet).
    relevance_breaks_ties: frozenset[Language] = frozenset({Language.DA, Language.SV})
    # Of the confident entries, the most relevant one answers unless the most confident
    # one is nearly as relevant: at least this share of its relevance ("which types of
    # organisations does it represent?" is the members, not the overview). Measured on
    # the dev sets: 0.97 gives +2 -1, 0.93 +6 -1, 0.90 +7 -2, 0.85 +7 -5.
    relevance_tie: float = 0.93
    # A part with at least long_words content words answers from long_answer on. Swept
    # on the dev sets: 8 words and 0.37 give +8 -1 (two fewer confidently wrong), 10 and
    # 0.37 +5 -0, 8 and 0.35 +10 -2, 6 and 0.37 +15 -7.
    long_words: int = 8
    long_answer: float = 0.37
    # No entry confident, the one entry of the shortlist about the subject and giving the
    # attributes a question names (and the fewest others) answers when it scores at least
    # this. Measured on the dev sets: 0.15 gives +4 -0, 0.20 +5 -0, 0.25 +6 -3 (all three
    # confidently wrong).
    named: float = 0.20
    # A short question after one for an attribute the knowledge base does not hold,
    # about the same subject by a pronoun, is a question of its own only when an entry
    # answers it this confidently: "whats torstens email and where is he based?" (1.09),
    # not "... did he work for before, and what did he study?" (0.88), which details the
    # question before it.
    own_question: float = 1.0


@dataclass
class Answerer:
    """Answers questions from one knowledge base. Once built it changes only its word
    cache; one instance serves every chat."""

    kb: KnowledgeBase
    thresholds: Thresholds = field(default_factory=Thresholds)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    # Whether the index keeps numpy arrays (None: by its size; bot/answering/postings.py).
    arrays: bool | None = None

    def __post_init__(self) -> None:
        self.language: Language = self.kb.language
        rules = self.rules = reading_rules(self.kb)
        analyzer = rules.analyzer
        self._w = words = analyzer.words
        self._stem = analyzer.stem
        self._count_of = english_count if self.language is Language.EN else no_count
        self.segmenter = Segmenter(rules, self.kb.aboutness.now_words)
        self.synonyms = shared_synonyms(self.kb, rules)
        self.normaliser = Normaliser(self.synonyms, analyzer)
        self.shorthand = Shorthand(self.kb.shorthand, words)
        self.reader = AboutnessReader(self.kb.aboutness, self.kb, rules)
        self.weak = WeakMatches(self.kb, self.reader, words, rules.typed_question_words)
        self._capitalised_run = _capitalised_run(rules)
        figure = re.compile(rules.figure_pattern, re.I)
        self._and_split = re.compile(
            r"\s+(?:" + "|".join(map(re.escape, sorted(rules.and_words))) + r")\s+", re.I
        )
        self._word_cache: dict[str, list[str]] = {}
        self._regions = frozenset(s.id for s in self.kb.aboutness.subjects if s.region)
        self._of_people = frozenset(a.id for a in self.kb.aboutness.attributes if a.of_people)
        self._plain_cache: dict[str, tuple[str, ...]] = {}
        self._shorthand_words = self.shorthand.words
        self._has_figure = {e.id: bool(figure.search(e.answer)) for e in self.kb}
        ands = "|".join(re.escape(w) for w in sorted(rules.and_words) if w.isalpha())
        self._last_and = re.compile(rf"\s+(?:{ands})\s+") if ands else None
        introducers = sorted(rules.person_introducers, key=lambda p: (-len(p), p))
        self._people = (
            re.compile(
                # The introducer in any case, the name capitalised: "I am interested"
                # introduces nobody.
                r"(\b(?i:" + "|".join(loose(p).replace("'", "['’]") for p in introducers) + r"))"
                r"\s+[A-ZÆØÅÄÖ][\w'’-]*(?:\s+[A-ZÆØÅÄÖ][\w'’-]*)?"
            )
            if introducers
            else None
        )
        # Every run of words the knowledge base writes, for names of several known words
        # ("the Biotechnology Industry Organization"): " massachusetts biotechnology council "
        self._kb_text = " ".join(
            " ".join(words(text))
            for text in (
                *(t for e in self.kb for t in (e.answer, *e.questions)),
                *(t for s in self.kb.aboutness.subjects for t in (s.label, *s.terms)),
                *(" ".join(group) for group in self.synonyms),
            )
        ).join("  ")
        # Every word the knowledge base writes in capitals only, as it writes it ("MVA",
        # "US"): another acronym is a name even where its letters spell a known word
        # ("BIO", which Swedish reads as "bio", the cinema).
        # A synonym of one word is a term too ("USA", "VC", "FoU").
        # Words the knowledge base writes in lower case (not names): "andel", "udgifter";
        # both from one pass over its texts.
        upper: set[str] = set()
        lower: set[str] = set()
        for e in self.kb:
            for text in (e.answer, *e.questions):
                for w in CASED_WORD.findall(text):
                    if w.isupper():
                        upper.add(w)
                    elif w.islower():
                        lower.add(w)
            upper.update(w for w in CASED_WORD.findall(" ".join(e.tags)) if w.isupper())
        self._acronyms = frozenset(upper) | {
            term.upper() for group in self.synonyms for term in group if " " not in term
        }
        self._lowercase_words = frozenset(lower)
        # Verbs after a fragment's first word that make it a statement (_premise).
        self._statement_verbs = rules.yes_no_starts | rules.source_words
        self._attribute_words = frozenset(
            w
            for attribute in self.kb.aboutness.attributes
            for term in attribute.terms
            if " " not in term
            for w in words(term)
        )
        self._single_names = frozenset(
            term
            for terms in (
                *(s.terms for s in self.kb.aboutness.subjects),
                self.kb.aboutness.known_places,
                self.kb.aboutness.other_places,
            )
            for term in terms
            if " " not in term
            for term in words(term)[:1]  # as messages are read: folded
        )
        # "Scandinavian life science orgs": where something is from names no body.
        self._demonyms = frozenset(
            words(word)[0] for word, _ in self.kb.aboutness.from_other_places if words(word)
        )
        self.intents = IntentMatcher(self.kb.intents, analyzer)
        self.index = Index(
            list(self.kb),
            self.normaliser,
            self.retrieval,
            extra_vocabulary=self.intents.vocabulary
            | self.normaliser.synonym_words
            # The synonyms as written, not only their stems: "företräder" is no typo
            # of "före trader".
            | {w for group in self.synonyms for term in group for w in words(term)}
            | self.reader.vocabulary
            | {w for expansion in self.kb.shorthand.values() for w in words(expansion)},
            question_tokens=rules.question_tokens,
            count_of=self._count_of,
            arrays=self.arrays,
            decompound=self.language is not Language.EN,
        )

    # -- classification -------------------------------------------------------------

    def ask(self, question: str, context: Context | None = None) -> Reply:
        """Answer one message; ``context`` is the previous answer of the conversation."""
        question = self.segmenter.punctuated(question)
        # Intents need no spelling correction (greetings have their own typo tolerance);
        # correcting every word of a long message costs more than answering it.
        ws = self._plain_words(question)
        greeting = self.intents.greeting(ws)
        if greeting is not None:
            return self.message_reply(greeting.reply, question, greeting.name == "help")
        subject = self.intents.contact_request(ws)
        # Shorthand written out first: "hwem e manden, hwor sidder han" asks twice.
        split = self.segmenter.split(self.shorthand.respell(question))
        if subject is not None and (len(split) == 1 or self._asks_for_person(split)):
            return self.contact_reply(question, self._topic_of(subject))
        for part in split:
            part_words = self._plain_words(part.text)
            if self.intents.pair_in(part_words):
                return self.contact_reply(question, self._topic_of(part_words))
        pleasantry = self._pleasantry(split)
        if pleasantry is not None:
            # "G'day! How's your week going?", "Hej på er. Hur mår ni?": each part that
            # is not context is a pleasantry of its own, a question mark or not.
            return self.message_reply(pleasantry.reply, question)
        parts = self._question_parts(split)
        # Only pleasantries and keywords: "Good morning from Aarhus!" is a greeting
        # unless its keywords are answered.
        greeting = (
            self._greeting_of_parts(split)
            if "?" not in question and not any(p.role is Role.QUESTION for p in parts)
            else None
        )
        if greeting is not None:
            # "Many thanks. You have been of great help.": a remark on the answers.
            parts = [p for p in parts if not self._remarks(p)]
        if not parts:
            # "Hi team, ... I would like to include a number on how many biotech
            # companies the area has ...": a statement holding a question word may
            # still ask what the knowledge base holds; only an answer stops the greeting.
            stated = [
                answered
                for p in split
                if p.role is Role.CONTEXT and self._states_a_question(p)
                if (answered := self._stated_answer(p, context, question)).entry_id is not None
            ]
            if stated:
                return self._combine(question, stated[:MAX_PARTS])
            if greeting is not None:
                return self.message_reply(greeting.reply, question)
            parts = [Part(question, Role.QUESTION)]
        parts = self._shared_places(parts)
        results: list[_PartResult] = []
        given = context  # the conversation's, before any part of this message
        for part in parts[:MAX_PARTS]:
            own = self._own_question(part, results[-1], context, question) if results else None
            if own is not None:
                # "whats torstens email and where is he based": he is the ambassador,
                # whose e-mail the knowledge base does not hold but whose base it does.
                part, result = own.part, own
            elif results and self._turns_down_the_year(part):
                # "... nowadays? Like current numbers, not the old 2011 ones.": the
                # part before asked it, of today; this part asks nothing of its own.
                continue
            elif (
                results
                and results[-1].entry_id is not None
                and self._has_figure[results[-1].entry_id]
                and not part.lead
                and self._asks_a_bare_figure(self._plain_words(part.text))
            ):
                # "Biotech share of R&D spending in Massachusetts – how big a share?": the
                # figure the part before asked for, which it answered.
                continue
            elif results and self._refers_back(part, results[-1]):
                # "... in San Francisco? is there one?", "what did he do before? was he
                # at a vc fund?": it only details the question that was not answered.
                continue
            elif results and self._points_at_unanswered(part, results[-1]):
                # "När grundades MVA? Och hur många medlemmar har den?": "den" is MVA,
                # whose founding the knowledge base does not give; no answer's context
                # stands for it, so an entry about MVA does.
                previous = results[-1]
                about = self._entry_about(previous.subjects)
                pointed = Context(about, " ".join(previous.words)) if about else context
                result = self._answer_part(part, pointed, question)
            else:
                result = self._answer_part(part, context, question)
                asked = (
                    self.segmenter.question_after_request(part.text)
                    if result.entry_id is None and result.mismatch is None
                    else None
                )
                if asked is not None:
                    # "För att kunna bedöma relevansen ... önskar jag upplysning om hur
                    # många företag ... MassBio företräder": the question itself.
                    retried = self._answer_part(Part(asked, part.role), context, question)
                    result = retried if retried.entry_id is not None else result
                halves = self._split_attributes(part, result, context, question) or (
                    self._comma_items(part, result, context, question)
                )
                if halves:
                    # "MassBio: founding year and current CEO?": one answered, one not.
                    results.extend(halves)
                    context = next((r.context() for r in reversed(halves) if r.entry_id), context)
                    continue
            if part.lead:
                led = self._answer_part(
                    Part(f"{part.lead} {part.text}", part.role), context, question, part.text
                )
                if (
                    led.entry_id is not None
                    and led.entry_id != result.entry_id
                    # "... will work on three levels. For the first one, the policy level,
                    # ...?": the part names what it asks, the sentence before only more.
                    and not (result.entry_id is not None and result.asks_attribute)
                ):
                    result = replace(led, part=part)
                elif (
                    led.mismatch is not None
                    and led.mismatch.reason is Reason.PLACE
                    and self._ends_with_there(self._words(part.text))
                ):
                    # "... sits in Stockholm. What share is located there?": there.
                    result = replace(led, part=part)
                elif (
                    led.entry_id is None
                    and result.entry_id is not None
                    and len(self._content(result.words)) <= MAX_REFERRING_CONTENT
                ):
                    result = self._held_to_lead(result, led)
            if context is not given and any(r.entry_id == result.entry_id for r in results):
                result = self._read_alone(part, result, results, given, question)
            if results and self._names_another_for(result, results[-1]):
                # "Biotech share of venture-capital investment. Region Skåne.": the
                # share asked of Region Skåne, which the knowledge base does not hold.
                results[-1] = replace(result, part=results[-1].part, nearby=results[-1].entry_id)
                continue
            if results and self._qualifies(result, results[-1]):
                # "The drugs in development in Boston-Cambridge, how many there were in
                # 2005?": the year is of the figure the part before named.
                results[-1] = replace(result, part=results[-1].part)
                continue
            results.append(result)
            if result.entry_id is not None:
                context = Context(result.entry_id, " ".join(result.words))
        # Loose words beside a greeting may name a place or a day ("a very good
        # afternoon to you from Malmö!"); only what they found stops the greeting.
        # An attribute asked of a subject is no loose word: "Hej. ... behöver vi
        # ambassadörens direkta e-postadress och telefonnummer samt adressen till hans
        # kontor i Boston." asks what the knowledge base does not hold.
        if greeting is not None and not any(
            r.entry_id
            or r.unknown_entry
            or (
                r.mismatch
                and (r.part.role is Role.QUESTION or r.mismatch.reason is Reason.ATTRIBUTE)
            )
            for r in results
        ):
            return self.message_reply(greeting.reply, question)
        if len(results) > 1 and not any(
            r.entry_id or r.mismatch or r.unknown_entry for r in results
        ):
            # Perhaps one question split in two: try the asking parts as one; not when
            # a part is known not to be held ("Hur många svenska företag är i dag
            # medlemmar i MassBio? Har ni en siffra ...?": Swedish members).
            whole = Part(" ".join(p.text for p in parts), Role.QUESTION)
            joined = self._answer_part(whole, context, question)
            if joined.entry_id is not None:
                results = [joined]
        return self._combine(question, results)

    def _named_before(self, part: Part, before: Sequence[Part]) -> str:
        """What "that level" in ``part`` is, as the nearest part before it names it
        ("... one of them is called the platform level. What is the idea behind that
        level?": "platform level"), or ""."""
        ws = self._plain_words(part.text)
        demonstratives = self.rules.then_words & self.rules.referring_back
        stop_words = self.rules.analyzer.stop_words
        for i, w in enumerate(ws[:-1]):
            head = ws[i + 1]
            # "this ambassador", "that Boston-Cambridge area" name what they point at.
            if w not in demonstratives or not self._content([head]) or self._names_anything(head):
                continue
            for earlier in reversed(before):
                said = self._plain_words(earlier.text)
                for j in range(len(said) - 1, 1, -1):
                    kind = said[j - 1]
                    if (
                        said[j] == head
                        and said[j - 2] in stop_words  # "the platform level", not "did MVA partner"
                        and self._content([kind])
                        and not self._names_anything(kind)
                    ):
                        return f"{kind} {head}"
        return ""

    def _given_by_aboutness(self, resolved: Resolved, hits: Sequence[Hit]) -> Hit | None:
        """The entry a short question names by subject and attribute alone
        (``WeakMatches.given_alone``); in a longer one the attribute may be the writer's."""
        if len(self._content(resolved.words)) > ABOUTNESS_MAX_CONTENT:
            return None
        return self.weak.given_alone(resolved.reading, hits)

    def _entry_about(self, subjects: Sequence[str]) -> str | None:
        """The first entry about the first of ``subjects`` that has one."""
        for subject in subjects:
            for entry in self.kb:
                if entry.subjects[:1] == (subject,):
                    return entry.id
        return None

    def _points_at_unanswered(self, part: Part, previous: _PartResult) -> bool:
        """Whether ``part`` names no subject but points with a pronoun at that of the
        part before, which got no answer."""
        mismatch = previous.mismatch
        if previous.entry_id is not None or mismatch is None or not previous.subjects:
            return False
        if mismatch.reason not in (Reason.ATTRIBUTE, Reason.SUBJECT):
            return False  # another place, time or body: the part after may ask of ours
        reading = self.reader.read(self._words(part.text))
        return not reading.named_subjects and any(
            set(self.reader.subjects_of_pronoun(pronoun)) & set(previous.subjects)
            for pronoun in reading.pronouns
        )

    def _read_alone(
        self,
        part: Part,
        result: _PartResult,
        results: list[_PartResult],
        given: Context | None,
        question: str,
    ) -> _PartResult:
        """``part`` read without the parts before it, when read against them it got an
        earlier part's answer again ("jepsen - based where exactly & whats his title"):
        its own answer, if that is about the subject it was read as naming ("How long has
        MassBio been going? What year did it start?" is still MassBio's founding)."""
        alone = self._answer_part(part, given, question)
        if alone.entry_id is None or any(r.entry_id == alone.entry_id for r in results):
            return result
        if result.subjects and not set(result.subjects) & set(
            self.kb.entries[alone.entry_id].subjects
        ):
            return result
        return alone

    def _shared_places(self, parts: list[Part]) -> list[Part]:
        """Parts whose place the part after them names: "How many biotech companies and
        how many drugs in development did Medicon Valley have?" asks both of Medicon
        Valley, not the first of Boston-Cambridge. A short part that names no subject
        and no place, and does not end its sentence, takes the other places and regions
        of the first part after it that names any."""
        if len(parts) < 2:
            return parts  # most messages: nothing to share
        readings: dict[int, Reading] = {}

        def reading_of(n: int) -> Reading:
            found = readings.get(n)
            if found is None:
                found = readings[n] = self.reader.read(self._words(parts[n].text))
            return found

        out = list(parts)
        for n, part in enumerate(parts[:-1]):
            # A part that ends its sentence ("Can you explain?") shares nothing with the
            # next; that costs no reading.
            if part.text.rstrip().endswith(("?", ".", "!")) or not self._unplaced(
                part, reading_of(n)
            ):
                continue
            for after in (reading_of(m) for m in range(n + 1, len(parts))):
                regions = [
                    self.reader.subjects[s].terms[0] for s in after.subjects if s in self._regions
                ]
                places = [*after.other_places, *regions]
                if places:
                    out[n] = replace(part, text=f"{part.text} {' '.join(places)}")
                    break
                if after.named_subjects or after.known_places:
                    break
        for n in range(1, len(parts)):
            # "... in Copenhagen, and how many drugs in development there?"
            if not self._ends_with_there(self._words(parts[n].text)) or parts[n].lead:
                continue  # with a lead, the place is in the sentence it points back at
            if reading_of(n).other_places or reading_of(n).known_places:
                continue
            before = next(
                (
                    reading_of(m).other_places
                    for m in range(n - 1, -1, -1)
                    if reading_of(m).other_places
                ),
                [],
            )
            if before:
                out[n] = replace(out[n], text=f"{out[n].text} {' '.join(before)}")
        return out

    def _states_a_question(self, part: Part) -> bool:
        """Whether a statement holds a question word and a word of asking ("the part I
        still need is when MassBio was founded", not "I study how clusters grow"), or a
        question word in a question's order ("... vi mangler et tal så hvor mange
        lægemidler er der i udvikling ...")."""
        ws = self._plain_words(part.text)
        if wants_figure(ws[:STATED_FIGURE_OPENING], self.rules):
            # "Antal biotekselskaber i Boston-Cambridge og antal lægemidler i pipelinen –
            # begge tal, tak.": keywords opening with the figure asked for.
            return True
        if self.rules.question_words.isdisjoint(ws):
            return False
        return self.intents.cued(ws) or self.segmenter.asks_in_order(ws)

    def _stated_answer(self, part: Part, context: Context | None, message: str) -> _PartResult:
        """How a statement holding a question fares: whole, else the one clause of it
        between commas that states the question ("det jag behöver är hur många
        biotechföretag det finns i boston-cambridge, resten fixar vi sen")."""
        result = self._answer_part(part, context, message)
        if result.entry_id is not None:
            return result
        if "," in part.text:
            stating = [
                clause
                for piece in part.text.split(",")
                if self._states_a_question(clause := Part(piece.strip(), part.role))
            ]
            if len(stating) == 1:
                return self._answer_part(stating[0], context, message)
        # "... my teacher says we need numbers from an actual source so i just want to
        # double check one thing how big a share of the states research and development
        # spending comes from biotech": no mark at all; the question runs from its last
        # question word to the end.
        tokens = part.text.split()
        asking = self.rules.question_words
        starts = [i for i, t in enumerate(tokens) if not asking.isdisjoint(self._plain_words(t))]
        if not starts or starts[-1] == 0:
            return result
        # "... så hvor mange lægemidler er der i udvikling i boston cambridge området fr
        # det ville redde os": what follows the question may be the writer's again, so
        # it is tried shorter, a word at a time.
        tail = tokens[starts[-1] :]
        for end in range(len(tail), max(len(tail) - STATED_TAIL_CUTS, 1), -1):
            shorter = Part(" ".join(tail[:end]), part.role)
            if self._content_size(self._words(shorter.text)) < STATED_TAIL_MIN_CONTENT:
                break
            found = self._answer_part(shorter, context, message)
            if found.entry_id is not None:
                return found
            if found.mismatch is not None:
                # "... the year in which the trade body of Stockholm was first
                # established", "ngl how much does torsten jepsen get paid to be
                # ambassador": shorter, it would lose what it is not known of.
                return found
        return result

    def _ends_with_there(self, ws: Sequence[str]) -> bool:
        """Whether the words end with "there", which then names a place said before
        ("how many levels there are", "is there" ask of no place)."""
        return bool(ws) and ws[-1] in self.rules.there_words

    def _unplaced(self, part: Part, reading: Reading) -> bool:
        """Whether ``part`` (read as ``reading``) is short and names no subject or place."""
        return not (
            reading.named_subjects
            or reading.known_places
            or reading.other_places
            or len(self._content(self._words(part.text))) > SHARED_MAX_CONTENT
        )

    def _asks_for_person(self, parts: list[Part]) -> bool:
        """Whether a part that is not context asks for a person: "ahead of a meeting with
        the Minister" in a self-introduction asks for no one, unless the part after it
        asks for just that ("I'd welcome a meeting with the ambassador. Would you be
        able to arrange that?"). A message that asks nothing else asks for the person
        it names ("Jag vill bli uppringd av en handläggare hos er. Mitt nummer är ..."); a
        part giving a phone number asks nothing ("Put me in touch with MVA staff. Call
        +49 ...")."""
        in_context = False
        for n, part in enumerate(parts):
            if self.intents.contact_request(self._plain_words(part.text)) is None:
                continue
            if part.role is not Role.CONTEXT:
                return True
            in_context = True
            # "Jeg vil gerne blive kontaktet af en person. Mit nummer er 31 22 45 67, kan du
            # give det videre?": the number given is no question of its own.
            later = (p for p in parts[n + 1 :] if not phones(p.text))
            after = next(later, None)
            if after is not None and after.role is Role.QUESTION and self._asks_for_it(after):
                return True
        return in_context and not any(p.role is Role.QUESTION and not phones(p.text) for p in parts)

    def _asks_for_it(self, part: Part) -> bool:
        """Whether ``part`` says little but "that": "Can you arrange that?", or nothing
        at all: "How I can do?"."""
        ws = self._plain_words(part.text)
        if not self._content(ws):
            return True
        back = self.rules.referring_back
        if not any(w in back for w in ws):
            return False
        return len(self._content([w for w in ws if w not in back])) <= MAX_REFERRING_CONTENT

    def _short(self, part: Part) -> bool:
        """Whether a part is as short as a pleasantry ("How's your week going?")."""
        return len(self._plain_words(part.text)) <= PLEASANTRY_MAX_WORDS

    def _pleasantry(self, parts: list[Part]) -> Greeting | None:
        """The last greeting, when every part that is not context is one of its own and
        no context part states a question ("heeej! ... det jag behöver är hur många
        biotechföretag det finns i boston-cambridge")."""
        found = None
        for part in parts:
            if part.role is Role.CONTEXT:
                if self._states_a_question(part):
                    return None
                continue
            if not self._short(part):
                return None
            found = self.intents.greeting(self._plain_words(part.text))
            if found is None:
                return None
        return found

    def _remarks(self, part: Part) -> bool:
        """Whether a fragment opens as a remark on the bot or its answers ("It was very
        useful", "De har været til stor nytte"): beside thanks it asks nothing."""
        ws = self._plain_words(part.text)
        return part.role is Role.FRAGMENT and any(
            tuple(ws[: len(p)]) == p for p in self.rules.statement_openers
        )

    def _greeting_of_parts(self, parts: list[Part]) -> Greeting | None:
        """The last greeting that opens a part ("Good morning from Aarhus!")."""
        found = None
        for part in parts:
            greeting = self.intents.greeting_in(self._plain_words(part.text), at_start=True)
            found = greeting or found
        return found

    def _question_parts(self, parts: list[Part]) -> list[Part]:
        """The parts that ask something, with content words of their own. A fragment
        naming only a subject ("Torsten Jepsen. Clinician originally?") is a label of
        the question after it and joins it."""
        out: list[Part] = []
        label = ""
        previous: Part | None = None
        # "... told me it is a quarter. Is this correct, and what is the exact figure?":
        # the skipped check pointed back, so the question after it does too.
        pointed_back = False
        for n, part in enumerate(parts):
            before, previous = previous, part
            pointing, pointed_back = pointed_back, False
            after = parts[n + 1] if n + 1 < len(parts) else None
            if part.role is Role.CONTEXT:
                continue
            greeting = (
                self.intents.greeting(self._plain_words(part.text))
                if part.role is Role.FRAGMENT or self._short(part)
                else None
            )
            if greeting is not None and (
                part.role is Role.FRAGMENT
                or greeting.name == "hello"
                # "... and what kind of organisation it is. Can you help me please?": a
                # plea for help beside the questions it asks for help with.
                or (
                    greeting.name == "help"
                    and any(p.role is Role.QUESTION for p in parts if p is not part)
                )
            ):
                # "Y'all take care now." beside a question: a sign-off; "How are you?"
                # before one: a pleasantry ("Is that right" asks of the claim before).
                continue
            ws = self._words(part.text)
            if (
                after is not None
                and after.role is Role.QUESTION
                and not part.text.rstrip().endswith("?")
                and self.segmenter.ends_with_request(part.text)
            ):
                continue  # "..., I would be grateful for information on, which ...?"
            if not self._content(ws) and not asks_what_it_does(ws, self.rules):
                # "I'd like to know, how big a share ...?" announces the question after it.
                announces = (
                    after is not None
                    and after.role is Role.QUESTION
                    and not part.text.rstrip().endswith("?")
                )
                if (
                    part.role is Role.QUESTION
                    and before is not None
                    and before.role is Role.CONTEXT
                    and not announces
                ):
                    # "... bring a kind of American money into the region, what is that
                    # exactly?": the question is about the clause before it.
                    out.append(Part(f"{before.text} {part.text}", Role.QUESTION))
                elif before is not None and before.role is Role.CONTEXT:
                    # "... an agreement with an organisation over there. Right, and which
                    # organisation is it?": the context is still what comes before.
                    previous = before
                    pointed_back = not self.rules.referring_back.isdisjoint(ws)
                continue  # "may I ask?", "is that right?"
            # Where ``before`` stands (a skipped "Is this correct" leaves it further back).
            at = next((i for i in range(n - 1, -1, -1) if parts[i] is before), -1)
            if (
                before is not None
                and before.role is Role.FRAGMENT
                and at >= 1
                and parts[at - 1].role is Role.CONTEXT
                and not before.text.rstrip().endswith("?")
                and not self._names_anything(before.text)
            ):
                # "... the world's pipeline ... is now located in Massachusetts. That
                # astonished me. What is that percentage?": a remark stands between.
                at -= 1
            referent = parts[at] if at >= 0 else None
            if (
                part.role is Role.QUESTION
                and referent is not None
                and referent.role is Role.CONTEXT
                and self._points_back(ws, referent, pointing)
            ):
                # "I read that biotech gave a big piece of the new industrial jobs - how
                # big a share was it?": "it" may be in the sentence before.
                lead = referent.text
                earlier = parts[at - 1] if at >= 1 else None
                if (
                    earlier is not None
                    and earlier.role is Role.CONTEXT
                    # a figure is asked for ("that share"), which the sentence before
                    # does not name
                    and not self.rules.referring_heads.isdisjoint(ws)
                    and not self._names_anything(referent.text)
                ):
                    # "There was a bit about how much of the world's medicines ... sit in
                    # Massachusetts. I've lost the page. What was that share again?"
                    lead = f"{earlier.text} {lead}"
                part = replace(part, lead=lead)
            if before is not None and ws[:1] and ws[0] in self.rules.or_words:
                # "can he help us find partners, or is it policy work?", "... find out
                # whether it is about money, or is it more about science?": one question.
                continue
            if (
                part.role is Role.QUESTION
                and ws[1:2]
                and ws[0] in self.rules.question_words
                and ws[1] in self.rules.first_person
                and not part.text.rstrip().endswith("?")
                and any(
                    p.text.rstrip().endswith("?") and self._content(self._words(p.text))
                    for p in parts[n + 1 :]
                )
            ):
                # "what i do not get is the structure. is he alone or is there some
                # partner organisation?": what the writer lacks, the questions after ask
                # (not "what I'm missing is the share ... - do you have it?").
                continue
            if label:
                part, label = Part(f"{label} {part.text}", part.role), ""
            named = ws[1:] if ws[:1] and ws[0] in self.rules.and_words else ws
            if self.reader.only_subject(named) and part is not parts[-1]:
                label = part.text  # "And Medicon Valley Alliance, when was it founded?"
                continue
            announcing = after is not None and after.role is Role.QUESTION
            if part.label and (part.role is not Role.QUESTION or announcing):
                # "Two figures needed:", "My question is practical:" announce the
                # questions after them; "MVA-MassBio agrmt: purpose?" names what the
                # question after it, naming nothing, is about.
                if (
                    after is not None
                    and self.reader.read(ws).subjects
                    and not self.reader.read(self._words(after.text)).subjects
                ):
                    label = part.text
                continue
            pointed_at = self._named_before(part, parts[:n]) if part.role is Role.QUESTION else ""
            if pointed_at:
                # The thing pointed at, not the whole sentence that names it: the lead.
                part = replace(part, lead=pointed_at)
            out.append(part)
        if label:
            out.append(Part(label, Role.FRAGMENT))
        chatty = any(p.role is Role.CONTEXT for p in parts)
        if chatty and any(p.role is Role.QUESTION for p in out):
            # In a long message with a real question, a few loose words are context
            # too ("For the list I need a name"): answering them answers what was not
            # asked.
            out = [p for p in out if p.role is Role.QUESTION]
        elif any(p.role is Role.QUESTION for p in out):
            out = [p for p in out if p.role is Role.QUESTION or not self._premise(p, out)]
        return out

    def _premise(self, fragment: Part, parts: list[Part]) -> bool:
        """Whether a fragment beside questions states rather than asks: "MassBio was
        founded in 1985. In which year was MVA founded?" (a verb after its subject), or
        "..., in the current year? Not the 2011 figure, the present-day one." (turning
        down or pointing at what the question before asks, and naming nothing else)."""
        ws = self._words(fragment.text)
        verbs = self._statement_verbs
        stated = any(
            w in verbs and ws[i + 1 : i + 2] != ["s"]  # not "the state's market cap"
            for i, w in enumerate(ws[1:], start=1)
        )
        if stated and not fragment.text.rstrip().endswith("?"):
            return True
        if not ws or not (ws[0] in self.rules.negations or ws[-1] in self.rules.referring_words):
            return False
        reading = self.reader.read(ws)
        return (
            parts.index(fragment) > 0
            and parts[0].role is Role.QUESTION
            and not reading.subjects
            and not reading.attributes
        )

    def _names_anything(self, text: str) -> bool:
        """Whether ``text`` names a subject, a place or an attribute the knowledge base
        knows."""
        reading = self.reader.read(self._words(text))
        return bool(reading.subjects or reading.known_places or reading.attributes)

    def _held_to_lead(self, result: _PartResult, led: _PartResult) -> _PartResult:
        """``result`` of a part that points back, held against what the sentence before
        names, when the part says little more than "it": "biotech drove a big chunk of
        the state's new industrial jobs - roughly what portion was it?" asks employment's
        share, not the first share that "what portion" finds: of the part's confident
        entries that the whole reading fits, the one the whole ranks first."""
        reading = self.reader.read(led.words)
        confident = {h.entry_id for h in result.hits if h.score >= self.thresholds.answer} | {
            result.entry_id
        }
        fitting = [
            h
            for h in led.hits
            if h.entry_id in confident
            and self.reader.mismatch(reading, self.kb.entries[h.entry_id]) is None
        ]
        if not fitting or fitting[0].entry_id == result.entry_id:
            return result  # the sentence before may say more than is asked
        return replace(result, entry_id=fitting[0].entry_id, hits=[*fitting, *result.hits])

    def _points_back(self, ws: list[str], before: Part, pointing: bool = False) -> bool:
        """Whether a question with no subject of its own points at the context before it
        ("how big a share was it?", "what that percentage is"); ``pointing``: the check
        just before it did ("is this correct, and ...")."""
        referring = (
            pointing
            or not self.rules.referring_back.isdisjoint(ws)
            or self._names_a_figure_before(ws)
            # "Årlig jobvækst i biotek i MA de seneste fem år – hvor mange procent?": a
            # figure asked of nothing but what the sentence before names.
            or self._asks_a_bare_figure(ws)
        )
        # "... a remarkable share of the pipeline sits in Massachusetts. What share is
        # located there?": "there" at the end is the place the sentence before names.
        there = not referring and self._ends_with_there(ws)
        if not referring and not there:
            return False
        reading = self.reader.read(ws)
        # "... meet potential partners in massachusetts. how can the ambassador help us
        # with that?": the thing done, named before, though the question names who.
        done_before = (
            len(ws) > 1
            and ws[-1] in self.rules.referring_back
            and ws[-2] in self.rules.prepositions
        )
        if reading.named_subjects and not done_before:
            return False
        if there:
            if reading.known_places or reading.other_places:
                return False
            placed = self.reader.read(self._words(before.text))
            if not (placed.known_places or placed.other_places):
                return False
        return len(self._content(self._plain_words(before.text))) >= MIN_REFERRED_CONTENT

    def _asks_a_bare_figure(self, ws: list[str]) -> bool:
        """Whether ``ws`` asks for a figure and names nothing but it ("how many percent?",
        "hvor stor en andel?")."""
        rules, stem = self.rules, self._stem
        text = " ".join(ws)
        found = _pattern(rules.wants_figure_pattern).search(text)
        if found is None:
            return False
        rest = (text[: found.start()] + " " + text[found.end() :]).split()
        # "Og hvor meget af R&D?": the letters of "R&D" name what is asked.
        asked = {stem(w) for w in rest if w not in rules.analyzer.stop_words or len(w) == 1}
        return asked - rules.question_tokens <= {stem(w) for w in rules.referring_heads}

    def _says_anything(self, ws: list[str]) -> bool:
        """Whether ``ws`` holds a word that is not a stop word or a question word."""
        rules = self.rules
        return any(w not in rules.analyzer.stop_words and w not in rules.function_words for w in ws)

    def _names_a_figure_before(self, ws: list[str]) -> bool:
        """Whether ``ws`` names a figure as one already named ("the precise proportion",
        "andelen"): a head of ``referring_heads`` (English: after "the", a word or two
        before it) and no other content word but such adjectives."""
        heads = self.rules.referring_heads
        found = [i for i, w in enumerate(ws) if w in heads]
        if not found:
            return False
        if self.language is Language.EN and "the" not in ws[max(0, found[0] - 3) : found[0]]:
            return False
        return len(self._content(ws)) <= MAX_REFERRING_CONTENT + 1

    def _period_of(self, ws: list[str], context_entry: Entry | None) -> str | None:
        """The previous entry, when a follow-up asks only over which years it holds and
        its answer names them: "Over which years was that?", "Under vilka år var det?"
        after the cluster's growth "from 2000 to 2009"."""
        rules = self.rules
        if context_entry is None or rules.referring_back.isdisjoint(ws):
            return None
        asked = [
            w
            for w in ws
            if w not in rules.analyzer.stop_words
            and w not in rules.function_words
            and w not in rules.question_words
            and w not in rules.referring_back
        ]
        if not asked or not set(asked) <= rules.year_words:
            return None
        named = set(_YEAR_IN_TEXT.findall(context_entry.answer))
        return context_entry.id if named - self.reader.source_years else None

    def _ordinal_follow_up(self, ws: list[str], context_entry: Entry | None) -> str | None:
        """The follow-up of the previous entry that "the first of those" or "the second
        one" points at, when the previous answer listed them (the three levels)."""
        if context_entry is None or not context_entry.follow_ups:
            return None
        if not any(w in self.rules.referring_words for w in ws):
            return None
        for w in ws:
            n = self.rules.ordinals.get(w)
            if n is not None and n < len(context_entry.follow_ups):
                return context_entry.follow_ups[n]
        return None

    def _figure_elsewhere(self, resolved: Resolved) -> bool:
        reading = resolved.reading
        elsewhere = (
            reading.other_places
            or reading.from_places  # "how many Danish biotech companies are there?"
            or any(s in self._regions for s in reading.subjects)
        )
        return (
            bool(elsewhere)
            and not reading.known_places
            and wants_figure(resolved.words, self.rules)
        )

    def _fits_sector(self, entry_id: str, sector: str) -> bool:
        """Whether entry ``entry_id`` may answer a question about another ``sector``: it
        says the source does not hold it, gives no figure, or names that sector."""
        return (
            self.kb.entries[entry_id].not_in_source
            or not self._has_figure[entry_id]
            or self.reader.mentions_sector(entry_id, sector)
        )

    def _other_sector(self, resolved: Resolved) -> str:
        """The other sector a question for a figure names, and none the figures are
        about ("how many medtech companies are there?"), or ""."""
        reading = resolved.reading
        if reading.known_sector or not reading.other_sectors:
            return ""
        return reading.other_sectors[0] if wants_figure(resolved.words, self.rules) else ""

    def _without_people(self, text: str) -> str:
        """``text`` without the names of people it introduces ("Name's Bo Callahan", "min
        veninde Pipaluk siger"): the writer and their friends are no unknown body."""
        pattern = self._people
        return text if pattern is None else pattern.sub(r"\1", text)

    def _unknown_names(self, text: str) -> list[str]:
        """Capitalised words the knowledge base never uses, where a capital means a name:
        inside a sentence ("founded by Novo"), or in a word like "SwedenBIO"."""
        names = []
        previous_end = 0
        shouted: bool | None = None  # "WHO IS THE AMBASSADOR": counted at the first capitals
        for n, match in enumerate(CASED_WORD.finditer(text)):
            word = match.group()
            # What stands between this word and the one before: a sentence end makes
            # this the first word of a sentence.
            between = text[previous_end : match.start()].rstrip()
            previous_end = match.end()
            if not word[0].isupper() or len(word) < 2:
                continue
            if (
                text[match.end() : match.end() + 1].isdigit()
                or text[max(0, match.start() - 1) : match.start()].isdigit()
            ):
                continue  # a code, not a name: "the SS2 students", "Q3", "H1N1"
            first = n == 0 or between.endswith((":", ".", "!", "?"))
            if first and not any(c.isupper() for c in word[1:]):
                continue
            folded = word.casefold()
            if word.isupper() and shouted is None:
                shouted = sum(map(str.isupper, text)) * 2 > sum(map(str.isalpha, text))
            if folded in self._demonyms:
                continue
            if self._never_used(folded) or (
                word.isupper()
                and not shouted
                # "his main job when it comes to MONEY?": a long word the knowledge base
                # writes in small letters is stressed, not an acronym.
                and (len(word) <= MAX_ACRONYM or not self.index.speller.knows(folded))
                # "What's one of the BIG key tasks ...?": a common word in capitals is
                # stressed, not an acronym.
                and (
                    self._count_of(folded) < STRESSED_MIN_COUNT
                    or folded in self.rules.question_words
                )
                and word not in self._acronyms
                and folded not in self._single_names
                and self._acronym_of_a_name(folded)
            ):
                names.append(word)
        return names + self._unknown_compound_names(text)

    def _unknown_compound_names(self, text: str) -> list[str]:
        """Runs of capitalised words the knowledge base never writes together: "the
        Biotechnology Industry Organization" is another body, though each word is known.
        A message in title case ("What Is The Ambassador's Job") names nothing by it."""
        cased = CASED_WORD.findall(text)
        long_words = [w for w in cased if len(w) >= MIN_QUALIFIER]
        if all(w[0].isupper() for w in long_words):
            return []
        # "Hvilken Andel af Massachusetts' Udgifter til Forskning ...": a writer who
        # capitalises nouns the old way, one here and one there, names nothing by
        # capitals either ("the Biotechnology Industry Organization" is one run).
        runs, inside = 0, False
        for w in cased[1:]:
            common = w[0].isupper() and not w.isupper() and w.casefold() in self._lowercase_words
            runs += common and not inside
            inside = w[0].isupper()
        if runs >= CAPITALISED_NOUNS:
            return []
        names = []
        stop_words, openers = self.rules.analyzer.stop_words, self.rules.name_openers
        for run in self._capitalised_run.findall(text):
            # A run holds a new name only between the words it may not be part of:
            # stop words, openers ("When", "Dear"), acronyms ("MA VC", "FoU" as
            # shorthand lists it) and words that name a subject or place alone
            # ("Torsten", "Massachusetts").
            piece: list[str] = []
            typed: list[str] = []  # the same words as written, to name them back
            for word in [*CASED_WORD.findall(run), ""]:
                low = self.rules.analyzer.fold(word.casefold())
                if word and not (
                    low in stop_words
                    or low in openers
                    or (word.isupper() and len(word) <= MAX_ACRONYM)
                    or (len(word) <= MAX_ACRONYM and low in self._shorthand_words)
                    or low in self._single_names
                ):
                    piece.append(low)
                    typed.append(word)
                    continue
                if len(piece) >= 2 and not self._writes_together(" ".join(piece)):
                    names.append(" ".join(typed))
                piece, typed = [], []
        return names

    def _writes_together(self, run: str) -> bool:
        """Whether the knowledge base writes ``run`` (folded words), also as a genitive:
        Danish and Swedish write "Medicon Valley Alliances ambassadør"."""
        kb_text = self._kb_text
        if f" {run} " in kb_text or (run.endswith("s") and f" {run[:-1]} " in kb_text):
            return True
        # "Medicon Valleys Life Science Ambassador": a genitive inside the run ends one
        # name the knowledge base writes; what follows is written apart or is one word.
        words = run.split()
        for n, word in enumerate(words[:-1]):
            if word.endswith("s") and n and f" {' '.join([*words[:n], word[:-1]])} " in kb_text:
                rest = words[n + 1 :]
                return len(rest) < 2 or self._writes_together(" ".join(rest))
        return False

    def _acronym_of_a_name(self, folded: str) -> bool:
        """Whether a word written in capitals that the knowledge base never writes so
        ("BIO", "WHO") names something: not when it is a word of the message's own
        kind, such as a stop word, a reading or intent word or shorthand ("OK", "PLS",
        "HI")."""
        return not (
            folded in self.rules.analyzer.stop_words
            or folded in STOP_WORDS
            or folded in self._shorthand_words
            or folded in self.intents.vocabulary
            or folded in self._attribute_words  # "CEO": a term of what is asked
        )

    def _never_used(self, word: str) -> bool:
        """Whether ``word`` is one the knowledge base never uses, nor shorthand, nor a typo
        of a word it knows ("Jepson")."""
        speller = self.index.speller
        return (
            word not in self._shorthand_words
            and not speller.knows(word)
            and speller.correct_word(word) == word
        )

    def _other_kinds(self, ws: list[str], reading: Reading) -> list[str]:
        """Subjects qualified by a word the knowledge base never uses: a "mentoring
        scheme" or the "French ambassador" is another programme or ambassador."""
        out = []
        for _, start, end in reading.spans:
            word = ws[start - 1] if start > 0 else ""
            if (
                # A common noun ("scheme", "ambassador"), not a name: "characterise
                # MassBio" is a verb and its object.
                end - start == 1
                and len(word) >= MIN_QUALIFIER
                and word.isalpha()
                and self._never_used(word)
                # last: the first look at the English list loads it
                and self._count_of(ws[start]) > 0
            ):
                out.append("the " + " ".join(ws[start - 1 : end]))
        return out

    def _content(self, ws: list[str]) -> list[str]:
        meta = self.rules.meta_tokens
        return [t for t in self.normaliser.tokens_from_words(ws) if t not in meta]

    def _content_size(self, ws: list[str]) -> int:
        """How many content words ``ws`` holds: its content tokens, or, when more, its
        content words other than synonyms, each word of a phrase counted ("what exactly
        does he do for individual companies": two, not the one token of the phrase)."""
        meta = self.rules.meta_tokens
        parts = self.normaliser.tokens_from_words(ws, keep_parts=True)
        words = sum(1 for t in parts if not t.startswith("syn:") and t not in meta)
        return max(len(self._content(ws)), words)

    def _split_attributes(
        self, part: Part, result: _PartResult, context: Context | None, question: str
    ) -> list[_PartResult]:
        """The halves of ``part`` joined by "and", each answered on its own, when read whole
        it asks for several attributes no entry gives together ("MassBio: founding year
        and current CEO?") and a half is answered; the second is read against the first.
        Empty otherwise."""
        if (
            result.entry_id is not None
            or result.mismatch is None
            or result.mismatch.reason is not Reason.ATTRIBUTE
            or len(result.attributes) < 2
        ):
            return []
        texts = [t for t in self._and_split.split(part.text) if self._words(t)]
        if len(texts) != 2:
            return []
        before, after = self._words(texts[0])[-1:], self._words(texts[1])[:1]
        if self.reader.only_subject(before) and self.reader.only_subject(after):
            return []  # "the agreement between MVA and MassBio": names joined
        first = self._answer_part(Part(texts[0], part.role), context, question)
        second = self._answer_part(Part(texts[1], part.role), first.context() or context, question)
        if first.entry_id is None and second.entry_id is None:
            return []
        if not (first.attributes and second.attributes):
            return []  # each half asks for an attribute of its own
        return [first, second]

    def _comma_items(
        self, part: Part, result: _PartResult, context: Context | None, question: str
    ) -> list[_PartResult]:
        """The items of ``part`` a comma separates, each answered on its own, when each
        names a figure or fact of its own that an entry of its own gives ("antal
        biotech-selskaber i Boston-Cambridge, vækst 2000-2009"). Empty otherwise."""
        text = question if part.text in question else self.shorthand.respell(question)
        at = text.find(part.text)
        end = _SENTENCE_MARK.search(text, at + len(part.text)) if at >= 0 else None
        listed = at > 0 and text[:at].rstrip().endswith(":")
        if end is None or (end.group() != "?" and not (listed and part.role is Role.QUESTION)):
            return []  # "Structure: 1) ambassador role, 2) ... figures." lists no questions
        items = [t for t in part.text.split(",") if self._words(t)]
        if len(items) >= 2 and self._last_and is not None:
            # "VC-investeringar, R&D-spend och public companies?": the last two items
            # stand on either side of "och".
            last = self._last_and.split(items[-1], maxsplit=1)
            if len(last) == 2 and all(len(self._content(self._words(t))) >= 2 for t in last):
                items = [*items[:-1], *last]
        if not 2 <= len(items) <= MAX_PARTS:
            return []
        if any(len(self._content(self._words(t))) < 2 for t in items):
            return []
        answered = [self._answer_part(Part(t, part.role), context, question) for t in items]
        found = [r.entry_id for r in answered]
        if result.entry_id is None and result.mismatch is None and not listed:
            # "... whether any more detailed study of the cluster has been announced,
            # beyond the characteristics your article describes.": one item asks, the
            # others only qualify it (they name nothing and match nothing).
            asking = [r for r in answered if r.entry_id is not None]
            asks = self.rules.question_words | self.rules.wh_starts
            # Not "Jag har redan uppgifter om antalet företag, men saknar ...": the item
            # found holds a question word ("whether").
            if (
                len(asking) == 1
                and not asks.isdisjoint(asking[0].words)
                and all(
                    r.mismatch is None
                    and not r.unknown_entry
                    and not r.subjects
                    and not self.reader.read(r.words).attributes
                    for r in answered
                    if r is not asking[0]
                )
            ):
                return asking
        # After "Three figures, please:" the items are the questions, though the whole,
        # read as one, matched none.
        whole_fits = result.entry_id in found or (listed and result.entry_id is None)
        if None in found or len(set(found)) < 2 or not whole_fits:
            return []
        # "cluster growth 2000-2009, annual growth of biotech employment, and biotech's
        # share of new industrial jobs": two items that one entry gives answer once.
        return [r for n, r in enumerate(answered) if r.entry_id not in found[:n]]

    def _turns_down_the_year(self, part: Part) -> bool:
        """Whether ``part`` says little more than that the source's year is not the one
        asked about ("Not 2011, current.")."""
        ws = self._words(part.text)
        says_little = len(self._content(ws)) <= MAX_REFERRING_CONTENT + 1
        return says_little and self.reader.rejects_source_year(ws)

    def _refers_back(self, part: Part, previous: _PartResult) -> bool:
        """Whether ``part`` only details the question before it, which was not answered:
        it names nothing and says little ("is there one?"), or it is a yes-no question
        about "he" or "it" after a question the knowledge base does not hold ("what did
        he do before? was he at a vc fund?")."""
        if previous.entry_id is not None or previous.part.role is not Role.QUESTION:
            return False
        if part.role is Role.FRAGMENT and (previous.mismatch or previous.unknown_entry):
            # "What did he do before this job? I want a track record.": a remark on
            # the question the knowledge base does not hold, not one of its own.
            return True
        ws = self._words(part.text)
        reading = self.reader.read(ws)
        if reading.subjects:
            return False
        if (
            previous.mismatch is not None
            and len(ws) <= KEYWORD_DETAIL_WORDS
            and self.rules.question_words.isdisjoint(ws)
            and ws[0] not in self.rules.yes_no_starts
            and not self.segmenter.ends_with_request(part.text)
            and not (reading.attributes or reading.known_places or reading.other_places)
        ):
            # "How much US venture capital has Torsten Jepsen brought in so far - total
            # ticket size?": keywords with no question word, detailing it.
            return True
        if (
            (previous.mismatch is not None or previous.unknown_entry)
            and len(ws) > 1
            and ws[0] in self.rules.yes_no_starts
            and ws[1] in self.rules.there_words
            and len(self._content(ws)) <= MAX_REFERRING_CONTENT
            and not (reading.attributes or reading.known_places or reading.other_places)
        ):
            # "How does a small company become a member of MassBio? Is there a form
            # somewhere?": whether there is one, of what the question before asked.
            return True
        if (
            previous.mismatch is not None
            and reading.compares
            and len(self._content(ws)) <= MAX_REFERRING_CONTENT + 1
        ):
            # "hvor mange biotek firmaer er der i London? samme som Boston?": the
            # comparison of the question before, which the knowledge base cannot make.
            return True
        if len(self._content(ws)) <= 1 and not (
            # "... somewhere one could learn more about Mr Jepsen's background. Where
            # might I find that?": that, which the sentence it points back at says.
            part.lead and not self.rules.referring_back.isdisjoint(ws)
        ):
            return True
        if previous.mismatch is not None and any(
            a in self.rules.referring_back and b in self.rules.referring_heads
            for a, b in pairwise(ws)
        ):
            # "how many people work in the biotech industry in Massachusetts? ... I'd
            # also be curious whether that number has changed": the figure not known.
            return True
        if previous.mismatch is not None and previous.mismatch.reason is Reason.TIME:
            # "And since 2009? How much has it grown after that?": that time.
            rules = self.rules
            if any(
                w in rules.then_words and ws[i - 1] in rules.after_words | rules.before_words
                for i, w in enumerate(ws)
                if i
            ):
                return True
        yes_no = bool(ws) and ws[0] in self.rules.yes_no_starts and bool(reading.pronouns)
        if (
            previous.unknown_entry
            and previous.mismatch is None
            and reading.pronouns
            and not self._regions.isdisjoint(previous.subjects)
        ):
            # "hur många bioteknikbolag finns det i Medicon Valley, och hur många
            # läkemedel har de under utveckling?": theirs, which the source does not give.
            return True
        if previous.mismatch is None or not reading.pronouns:
            return False
        if part.lead and self._lead_names_referent(part.lead, reading.pronouns):
            # "... former Philips engineers ... I understood the ambassador has a policy
            # role. What would the platform part of his work look like?": his, the
            # ambassador's, whom the sentence it points back at names.
            return False
        if previous.mismatch.reason is Reason.TIME and not reading.years:
            # "how many went public through an IPO in 2010, and how much did they
            # raise?": they, then.
            return True
        # "When was BIO founded, and how many companies does it represent?": "it" is
        # the organisation the knowledge base does not describe; "How many biotech
        # companies are in Stockholm, and how much has it grown?": the place.
        if ELSEWHERE in previous.subjects:
            # ... but "he" is no place: "... because in Morocco it is difficult. What
            # does he do at the organisational level?" asks of the ambassador.
            return not (
                all(len(self.reader.subjects_of_pronoun(p)) == 1 for p in reading.pronouns)
                and self._named_as_place(previous.part.text, previous.mismatch.subject)
            )
        if previous.mismatch.reason is Reason.PLACE and any(
            s in self._regions or s in previous.subjects
            for p in reading.pronouns
            for s in self.reader.subjects_of_pronoun(p)
        ):
            # "Who is your ambassador in Singapore, and what services does he offer
            # there?": he is the one asked about there, whom the source does not name.
            return True
        # "What is MassBio's office address? do they accept school groups?": a yes-no
        # question about it details the question of something the knowledge base does
        # not hold (an attribute, whichever entry it was held against).
        return yes_no and bool(previous.mismatch.attribute)

    def _names_another_for(self, result: _PartResult, previous: _PartResult) -> bool:
        """Whether ``result``, a keyword fragment of a name or two the knowledge base does
        not describe, after an answered keyword fragment, says whom that one is about."""
        return (
            previous.entry_id is not None
            and previous.part.role is Role.FRAGMENT
            and result.part.role is Role.FRAGMENT
            and result.entry_id is None
            and result.mismatch is not None
            and result.mismatch.reason is Reason.SUBJECT
            and not result.attributes
            and len(self._content(self._words(result.part.text))) <= MAX_REFERRING_CONTENT
        )

    def _qualifies(self, result: _PartResult, previous: _PartResult) -> bool:
        """Whether ``result``, a short part naming no subject or attribute of its own that
        asks for a time or place the knowledge base does not cover, only places the answer
        of the part before it, a topic rather than a question ("The drugs in development
        in Boston-Cambridge, how many there were in 2005?"), in that time or place; not
        "how many companies are in Boston, and in Stockholm?" nor "Biotech firms in
        Boston-Cambridge? And in Aarhus?", a second question."""
        mismatch = result.mismatch
        topic = self._words(previous.part.text)[:1]
        own = self._words(result.part.text)
        return (
            previous.entry_id is not None
            and bool(topic)
            and topic[0] not in self.rules.question_starts
            and bool(own)
            and own[0] not in self.rules.and_words
            # "how many there were in 2005?": the year and a word or two
            and len(self._content(own)) <= MAX_REFERRING_CONTENT + 1
            and mismatch is not None
            and mismatch.reason in (Reason.TIME, Reason.PLACE)
            # "there": the subject of the part before
            and set(result.subjects) <= set(self.kb.entries[previous.entry_id].subjects)
            and not result.attributes
            and bool(result.hits)
            and result.hits[0].entry_id == previous.entry_id
        )

    def _own_question(
        self, part: Part, previous: _PartResult, context: Context | None, question: str
    ) -> _PartResult | None:
        """``part`` answered as a question of its own about the subject it names by a
        pronoun, when the question before it asked that subject for an attribute the
        knowledge base does not hold (not one of people, whom the pronoun may mean: "who
        runs MassBio, and where is he based?") and an entry answers it outright
        (``Thresholds.own_question``). None otherwise."""
        label = self._asked_of_its_subject(part, previous)
        if label is None:
            return None
        result = self._answer_part(Part(f"{label}, {part.text}", part.role), context, question)
        if result.entry_id is None or result.hits[0].score < self.thresholds.own_question:
            return None
        return result

    def _asked_of_its_subject(self, part: Part, previous: _PartResult) -> str | None:
        """The label of the subject ``part`` asks about by a pronoun when the question
        before it asked that subject for an attribute the knowledge base does not hold,
        not one of people; None otherwise."""
        mismatch = previous.mismatch
        if (
            previous.entry_id is not None
            or mismatch is None
            or not mismatch.attribute
            or previous.part.role is not Role.QUESTION
            or not previous.subjects
            or ELSEWHERE in previous.subjects
            or previous.attributes & self._of_people
        ):
            return None
        ws = self._words(part.text)
        if not ws or ws[0] in self.rules.yes_no_starts or not self._content(ws):
            return None  # "is it open to students?" details the question before it
        reading = self.reader.read(ws)
        subject = previous.subjects[-1]
        if reading.subjects or not any(
            subject in self.reader.subjects_of_pronoun(p) for p in reading.pronouns
        ):
            return None
        return self.reader.subjects[subject].label

    def _named_as_place(self, text: str, name: str) -> bool:
        """Whether ``name`` follows a place preposition in ``text`` ("in Morocco")."""
        if not name:
            return False
        ws, named = self._w(text), self._w(name)
        return any(
            ws[i : i + len(named)] == named and ws[i - 1] in self.rules.place_prepositions
            for i in range(1, len(ws))
        )

    def _lead_names_referent(self, lead: str, pronouns: Sequence[str]) -> bool:
        """Whether ``lead`` names a subject one of ``pronouns`` can refer to."""
        named = self.reader.read(self._words(lead)).subjects
        return any(s in named for p in pronouns for s in self.reader.subjects_of_pronoun(p))

    def greets(self, text: str) -> bool:
        """Whether ``text`` is nothing but one of this language's greetings."""
        return self.intents.greeting(self._plain_words(text)) is not None

    def lists_greeting(self, text: str) -> bool:
        """Whether ``text`` is word for word one of this language's greetings."""
        return self.intents.lists(self._plain_words(text))

    def _plain_words(self, text: str) -> list[str]:
        """Words with shorthand expanded, not spelling-corrected."""
        cached = self._plain_cache.get(text)
        if cached is None:
            cached = _keep(self._plain_cache, text, tuple(self.shorthand.expand(self._w(text))))
        return list(cached)

    def _words(self, text: str) -> list[str]:
        """Words after shorthand and spelling correction; a message's parts are looked at
        more than once (roles, follow-ups, the whole), so they are kept a while."""
        cached = self._word_cache.get(text)
        if cached is None:
            speller = self.index.speller
            plain = self._plain_words(text)
            plain = self.index.decompounder.query(plain, filter(speller.knows, plain))
            corrected = speller.correct(plain)
            cached = _keep(self._word_cache, text, corrected)
        return list(cached)

    def _unknown_factors(self, ws: Sequence[str]) -> dict[str, float]:
        """How much each word the knowledge base never uses weighs, by its token."""
        speller = self.index.speller
        stem, count_of = self._stem, self._count_of
        return {
            stem(w): unknown_word_weight(w, count_of)
            for w in ws
            if w.isalpha() and not speller.knows(w)
        }

    def _answer_part(
        self, part: Part, context: Context | None, message: str, asking: str | None = None
    ) -> _PartResult:
        """``asking``: the words of ``part`` the question is in, when it is read with the
        sentence it points back at (whose names are the writer's background)."""
        ws = self._words(self.segmenter.without_politeness(part.text))
        reading = self.reader.read(ws)
        named_in = self._without_people(part.text if asking is None else asking)
        names = self._unknown_names(named_in) + self._other_kinds(ws, reading)
        if names:
            # "When was SwedenBIO founded?": a name the knowledge base never uses.
            reading.subjects.append(ELSEWHERE)
            reading.names.extend(names)
        context_entry = self.kb.entries.get(context.entry_id) if context else None
        resolved = resolve(
            ws,
            reading,
            context_entry,
            self._w(context.question) if context else (),
            self.reader,
        )
        reading = resolved.reading
        message_words = self._words(message)
        rejected = self.reader.rejects_source_year(message_words)
        if rejected and self.reader.today:
            # "... nowadays? Like current numbers, not the old 2011 ones.", "Biotech
            # company count now. Not 2011, current.": the source's figure is what the
            # writer turned down, so the question is today's.
            reading = replace(
                reading,
                now=reading.now or [self.reader.today],
                now_terms=reading.now_terms or [self.reader.today],
                years=reading.years - self.reader.known_years,
            )
            # The year turned down, and its "not", say nothing of which entry it is.
            turned_down = self.reader.source_years | self.rules.negations
            resolved = replace(
                resolved,
                words=[w for w in resolved.words if w not in turned_down],
                reading=reading,
            )
        dated = (
            bool(reading.now)
            # "... right now, like today?", "i dag, altså nu i år": a writer who says
            # twice that it is today's figure does not want 2011's.
            and len(set(reading.now_terms)) < 2
            and not reading.years
            and not reading.before
            # "... rn in 2026? how many biotech cos there today": the year says which day;
            # "... and how much did it grow from 2000 to 2009?" asks another figure.
            and not self.reader.read(message_words).years - self.reader.known_years
            and not rejected
        )
        if dated:
            # "How many members does MassBio have today?", "Who currently serves as
            # ambassador?": what the knowledge base has, with its date and a word that it
            # may have changed, helps more than not knowing; "who runs it today?" stays
            # unknown (no entry gives the leadership).
            asked_now = {w for phrase in reading.now for w in phrase.split()}
            resolved = replace(
                resolved,
                words=[w for w in resolved.words if w not in asked_now],
                reading=replace(reading, now=[]),
            )
        searched = resolved.words
        if resolved.reading.text_topic:
            # "Vilket datum publicerades nyheten om den nya ambassadören?": the date of
            # the news, not the ambassador's.
            searched = [w for w in searched if w not in resolved.reading.text_topic]
        if asks_what_it_does(searched, self.rules):
            # "What does MassBio actually do?": "do" is a stop word, yet it asks for
            # what the subject does, not what it is.
            searched = [*searched, *self.rules.doing_words]
        hits = self.index.search_tokens(
            self.normaliser.tokens_from_words(searched),
            limit=SHORTLIST,
            unknown_factors=self._unknown_factors(searched),
        )
        result = _PartResult(
            part,
            resolved.words,
            hits,
            asks_attribute=bool(resolved.reading.attributes),
            attributes=frozenset(resolved.reading.attributes),
            subjects=tuple(resolved.reading.subjects),
            dated=dated,
        )
        if not self._says_anything(resolved.words):
            # "so like how many are there and where r they all??" with nothing before
            # it to say what: every entry with a figure matches it as well as any other.
            result.hits = []
            return result
        if resolved.swapped and context_entry is not None:
            swapped = self.reader.mismatch(resolved.reading, context_entry)
            if swapped is not None:
                result.mismatch, result.nearby = swapped, context_entry.id
                return result
        picked = self._ordinal_follow_up(ws, context_entry) or self._period_of(ws, context_entry)
        if picked is not None:
            # "What does the second one involve?" after the three levels.
            result.entry_id = picked
            result.hits = [Hit(picked, 1.0, 1.0)]
            return result
        thresholds = self.thresholds
        # A long question's words spread its confidence over more entries.
        floor = (
            thresholds.long_answer
            if len(self._content(resolved.words)) >= thresholds.long_words
            else thresholds.answer
        )
        confident = [h for h in hits if h.score >= floor]
        if confident and self._figure_elsewhere(resolved):
            # Every figure the knowledge base holds is about Boston-Cambridge and
            # Massachusetts: "how many biotech companies are in Medicon Valley?"
            confident = [h for h in confident if self.kb.entries[h.entry_id].not_in_source]
            if not confident:
                reading = resolved.reading
                regions = [
                    self.reader.subjects[s].label for s in reading.subjects if s in self._regions
                ]
                place = next(iter(reading.other_places), None) or next(
                    iter((*reading.from_places, *regions)), ""
                )
                result.mismatch = Mismatch(Reason.PLACE, place=place_label(place))
                result.nearby = hits[0].entry_id
                return result
        sector = self._other_sector(resolved)
        if confident and sector:
            # The figures are about biotechnology: "what share of the venture capital goes
            # to medical devices?" is not answered by biotech's 18 percent.
            confident = [h for h in confident if self._fits_sector(h.entry_id, sector)]
            if not confident:
                result.mismatch = Mismatch(Reason.SECTOR, sector=sector)
                result.nearby = hits[0].entry_id
                return result
        if not confident:
            named = self.weak.named(resolved.reading, hits, part.text, self.thresholds.named)
            if named is not None and sector and not self._fits_sector(named.entry_id, sector):
                # "how many of MassBio's member companies work in animal health?"
                result.mismatch = Mismatch(Reason.SECTOR, sector=sector)
                result.nearby = hits[0].entry_id
                return result
            if named is None:
                named = self._given_by_aboutness(resolved, hits)
            if named is None:
                mismatch = self.reader.unanswerable(resolved.reading)
                subjects = resolved.reading.named_subjects
                if not (
                    mismatch is not None
                    and mismatch.reason is Reason.ATTRIBUTE
                    and len(subjects) == 1
                    and ELSEWHERE not in resolved.reading.subjects
                    and self.weak.giving(subjects[0], resolved.reading.attributes)
                ):
                    # "Vedr. MassBio: 1) stiftelsesår?" too weak to answer: not known
                    # here, yet no claim that the founding is not in the knowledge base.
                    result.mismatch = mismatch
                return result
            confident = [named]
        # The best entry about what the question is about; BM25 alone would answer
        # "how many members does MVA have" with MassBio's members.
        fitting = [
            h
            for h in confident
            if self.reader.mismatch(resolved.reading, self.kb.entries[h.entry_id]) is None
        ]
        if (
            fitting
            and fitting[0] is not confident[0]
            and not resolved.reading.subjects
            # "how old is this article?": about as confident as the best, the entry on
            # the article's date answers it, not the one the best one is about.
            and fitting[0].score < self.thresholds.ambiguity_ratio * confident[0].score
            # "hvilken dato artiklen er offentliggjort": the article is named, so its
            # date is what is asked.
            and self.rules.text_words.isdisjoint(resolved.words)
        ):
            # "hvilken dato udkommer klyngerapporten": the report's date is not known;
            # the article's own date, of another subject, does not answer it instead.
            of_best = set(self.kb.entries[confident[0].entry_id].subjects)
            fitting = [h for h in fitting if of_best & set(self.kb.entries[h.entry_id].subjects)]
        if not fitting:
            # "På vilka nivåer ska ambassadören jobba?": the confident entry gives no
            # levels, a weaker one gives what is asked.
            named = self.weak.named(
                resolved.reading, hits, part.text, self.thresholds.named
            ) or self._given_by_aboutness(resolved, hits)
            if named is not None:
                fitting = [named]
        if not fitting:
            best_entry = self.kb.entries[confident[0].entry_id]
            mismatch = self.reader.mismatch(resolved.reading, best_entry)
            if (
                mismatch is not None
                and mismatch.reason is Reason.ATTRIBUTE
                and not resolved.reading.subjects
                and self.weak.giving(best_entry.subjects[0], resolved.reading.attributes)
            ):
                # "vilket år grundades den organisation ... som ni har slutit avtal med?":
                # the subject is the best entry's only by guess, and the knowledge base
                # does give its founding; saying it does not would be untrue.
                return result
            result.mismatch = mismatch
            result.nearby = confident[0].entry_id
            return result
        reading = resolved.reading
        # The subject the others qualify: one that qualifies none, else the last named.
        modifiers = (
            reading.modifiers
            if set(reading.subjects) - reading.modifiers
            else reading.modifiers - set(reading.subjects[-1:])
        )
        if modifiers:
            # "Where is the Medicon Valley ambassador located?" is about the ambassador.
            fitting = [
                h for h in fitting if self.kb.entries[h.entry_id].subjects[0] not in modifiers
            ] or fitting
        if wants_figure(resolved.words, self.rules):
            # "How many biotech companies are in the region?": an entry with a figure
            # answers it, not the one about regional concentrations.
            # An entry saying the source does not hold it stays a candidate only when it
            # is far more confident than every entry with a figure: "number of MassBio
            # members?" is the members' figure, not how to become one.
            best_figure = max(
                (h.score for h in fitting if self._has_figure[h.entry_id]), default=0.0
            )
            kept = [
                h
                for h in fitting
                if self._has_figure[h.entry_id]
                or (
                    self.kb.entries[h.entry_id].not_in_source
                    and h.score >= NOT_IN_SOURCE_MARGIN * best_figure
                )
            ]
            asked = resolved.reading.attributes
            if not kept and not (
                # "massbio been going how many yrs?": the founding year, which the entry
                # gives as asked, answers it.
                asked and asked <= set(self.kb.entries[fitting[0].entry_id].attributes)
            ):
                # "How many spinouts come out of the universities each year?": no entry
                # about it gives a figure, so the one that matched does not answer it.
                result.hits = fitting
                return result
            fitting = kept or fitting
        result.hits = fitting
        # "Who serves as Medicon Valley's ambassador?": of entries about as confident,
        # the one asking who, not the one about the "man on the ground".
        ratio = self.thresholds.ambiguity_ratio
        near = [h for h in fitting if h.score >= ratio * fitting[0].score]
        typed = self.weak.of_the_asked_type(result.words, near) if len(near) > 1 else None
        if typed is not None and not self.kb.entries[typed.entry_id].not_in_source:
            result.hits = [typed, *(h for h in fitting if h is not typed)]
            result.entry_id = typed.entry_id
            return result
        close = self._close_hits(fitting)
        if len(close) > 1 and resolved.reading.attributes:
            # "Could you explain the policy level of his work?": of entries about as
            # confident that give it, the one giving the fewest others.
            narrowest = self.weak.narrowest(close)
            if narrowest is not None:
                close = [narrowest]
                fitting = [narrowest, *(h for h in fitting if h is not narrowest)]
                result.hits = fitting
        if len(close) > 1:
            result.close = close
            return result
        # Confidence decides whether to answer; which entry answers, among those
        # confident enough and about the right thing, BM25 relevance decides (measured
        # on the dev sets: coverage lets an entry whose answer repeats a fact outrank
        # the entry asked about it).
        most_relevant = max(h.relevance for h in fitting)
        # Of the entries as relevant as the most relevant one but for a hair's breadth,
        # the most confident ("Vilken andel av riskkapitalinvesteringarna ...": the
        # venture-capital share, not the market capitalisation, whose one phrasing
        # shares more of the other words).
        by_relevance = next(h for h in fitting if h.relevance >= SAME_RELEVANCE * most_relevant)
        top = fitting[0]
        if top.relevance >= self.thresholds.relevance_tie * most_relevant:
            by_relevance = top  # about as relevant: the more confident one
        margin = self.thresholds.confidence_margin.get(self.language)
        if (
            margin is not None
            and top.score >= margin * by_relevance.score
            and not self.kb.entries[top.entry_id].not_in_source
        ):
            # Danish and Swedish write "beskæftigelsesvækst" where English writes
            # "employment growth": split compounds make a phrasing's BM25 relevance a
            # poorer guide than in English, and an entry far more confident wins.
            by_relevance = top
        # ... unless an entry saying the source does not hold it is far more confident
        # ("Where are the other ambassadors based?").
        outranked = (
            self.kb.entries[top.entry_id].not_in_source
            and top.score >= NOT_IN_SOURCE_MARGIN * by_relevance.score
        )
        if not self.kb.entries[by_relevance.entry_id].not_in_source and not outranked:
            result.hits = [by_relevance, *(h for h in fitting if h is not by_relevance)]
            result.entry_id = by_relevance.entry_id
            return result
        best = self.kb.entries[fitting[0].entry_id]
        if best.not_in_source:
            result.unknown_entry = best.id
            return result
        result.entry_id = best.id
        return result

    def _combine(self, question: str, results: list[_PartResult]) -> Reply:
        answered: list[_PartResult] = []
        for r in results:
            if r.entry_id is not None and all(r.entry_id != a.entry_id for a in answered):
                answered.append(r)
        # A part not known whose nearest entry another part answered: that part was a
        # vaguer way of asking the same ("tell me about his background, where did he
        # work before?"); answering it would pass off the neighbour as the answer.
        # A part that asks something specific of its own ("When was MassBio founded and
        # who runs it?") stays answered. Specific: an attribute asked, of a subject the
        # knowledge base holds or not ("When was MVA itself founded? I know MassBio was
        # 1985 but what about yourselves?").
        specific = [
            r
            for r in results
            if r.entry_id is None
            and r.mismatch
            and (r.mismatch.reason is Reason.ATTRIBUTE or r.mismatch.attribute)
        ]
        refined = {r.nearby for r in specific if r.nearby}
        not_known = bool(specific) or any(r.unknown_entry for r in results)
        refined_subjects = {s for r in specific for s in r.subjects}
        answered = [
            r
            for r in answered
            if not (
                r.entry_id in refined
                # "tell me about his background, where did he work before?": no
                # question word of its own, about the same subject.
                or (
                    refined_subjects & set(r.subjects)
                    and self.rules.question_words.isdisjoint(r.words)
                    # "Navnet på ambassadøren i Boston – og hans direkte
                    # telefonnummer?": the name asks as "who" does.
                    and self.rules.naming_words.isdisjoint(r.words)
                )
                # "we would like to learn from your experience. Kindly provide a list of
                # all the cities where ...": a wish naming nothing, beside the request.
                or (
                    not_known
                    and not r.subjects
                    and self.rules.question_words.isdisjoint(r.words)
                    and len(self._content(r.words)) <= MAX_REFERRING_CONTENT
                )
            )
            or r.asks_attribute
            or r.part.text.rstrip().endswith("?")
        ][:MAX_ANSWERS]
        if not answered:
            first = results[0]
            for r in results:  # the first part that says why it is not known
                if r.mismatch is not None or r.unknown_entry or r.close:
                    first = r
                    break
            return self._unanswered_reply(question, first)
        if len(answered) == 1 and len(results) == 1:
            only = answered[0]
            assert only.entry_id is not None
            return self.entry_reply(
                only.entry_id, question, only.hits[0].score, only.context(), only.dated
            )
        # A request in a statement ("If you could explain it in plain words I would be
        # grateful", "I will share whatever you tell me") beside answered questions asks
        # for those answers; only a part that asks outright is said to be unknown.
        unknown = [
            r
            for r in results
            if r.entry_id is None
            and r.part.role is Role.QUESTION
            and not r.close
            and (r.mismatch or r.unknown_entry or self.segmenter.asks_outright(r.part.text))
        ]
        return self._multi_reply(question, answered, unknown)

    def _unanswered_reply(self, question: str, result: _PartResult) -> Reply:
        score = result.hits[0].score if result.hits else 0.0
        if result.mismatch is not None:
            return self.near_miss_reply(question, result.mismatch, result.nearby, score)
        if result.unknown_entry is not None:
            return self.not_in_source_reply(result.unknown_entry, question, score)
        if result.close:
            best = result.close[0]
            return Reply(
                question=question,
                kind=Kind.AMBIGUOUS,
                text=self.kb.message("ambiguous"),
                score=best.score,
                options=tuple(
                    Option(Action.ENTRY, self.kb.entries[h.entry_id].question, h.entry_id)
                    for h in result.close
                ),
                lang=self.language,
            )
        return self.fallback_reply(question, score)

    def _topic_of(self, subject: list[str]) -> str | None:
        """The routing topic of what a contact request is about, if it is clear."""
        hits = self.index.search_tokens(self.normaliser.tokens_from_words(subject), limit=1)
        if hits and hits[0].score >= self.thresholds.answer:
            return self.kb.entries[hits[0].entry_id].contact_topic
        return None

    def _close_hits(self, hits: list[Hit]) -> list[Hit]:
        """Entries as close to the best one as makes the choice a coin toss: within the
        ratio both in confidence and in BM25 relevance."""
        best, ratio = hits[0], self.thresholds.ambiguity_ratio
        floor = max(self.thresholds.answer, best.score * ratio)
        close = [h for h in hits if h.score >= floor and h.relevance >= best.relevance * ratio]
        if self.language in self.thresholds.relevance_breaks_ties and any(
            h.relevance * ratio > best.relevance for h in close
        ):
            # One as confident and far more relevant than the best is no coin toss.
            return [max(close, key=lambda h: h.relevance)]
        return close[: self.thresholds.max_choices]

    # -- replies --------------------------------------------------------------------

    def entry_reply(
        self,
        entry_id: str,
        question: str = "",
        score: float = 1.0,
        context: Context | None = None,
        dated: bool = False,
    ) -> Reply:
        """The answer to one entry: its text, source line, follow-ups and a contact option.
        An entry that says what the source does not say is a fallback to the enquirer.
        ``dated``: the question asked for today's figure, so the answer says the one it
        gives is from its source's year."""
        entry = self.kb.entries[entry_id]
        if entry.not_in_source:
            return self.not_in_source_reply(entry_id, question, score)
        texts = [
            entry.answer,
            *self._dated_notes([entry] if dated else []),
            self.source_line(entry),
        ]
        return Reply(
            question=question or entry.question,
            kind=Kind.ANSWER,
            text="\n\n".join(texts),
            entry_id=entry.id,
            score=score,
            options=self._follow_up_options(entry),
            feedback=True,
            contact_topic=entry.contact_topic,
            entry_ids=(entry.id,),
            context=context or Context(entry.id, entry.question),
            lang=self.language,
        )

    def _dated_notes(self, entries: list[Entry]) -> list[str]:
        """One sentence per source year: the figures given are that year's."""
        years = sorted({e.source.date[:4] for e in entries})
        return [self.kb.message("dated_figure", year=year) for year in years]

    def _follow_up_options(
        self, entry: Entry, skip: frozenset[str] = frozenset()
    ) -> tuple[Option, ...]:
        options = [
            Option(Action.ENTRY, self.kb.entries[f].question, f)
            for f in entry.follow_ups
            if f not in skip
        ]
        options.append(self._contact_option())
        return tuple(options)

    def _multi_reply(
        self, question: str, answered: list[_PartResult], unknown: list[_PartResult]
    ) -> Reply:
        """Several questions in one message: each known part answered in order, a plain
        sentence for each part the knowledge base does not hold, one source line."""
        entries = [self.kb.entries[r.entry_id] for r in answered if r.entry_id is not None]
        texts = [e.answer for e in entries]
        texts += self._dated_notes([e for e, r in zip(entries, answered, strict=True) if r.dated])
        for r in unknown:
            texts.append(self._unknown_part_text(r))
        sources = list(dict.fromkeys(self.source_line(e) for e in entries))
        first = entries[0]
        ids = tuple(e.id for e in entries)
        return Reply(
            question=question,
            kind=Kind.ANSWER,
            text="\n\n".join([*texts, "\n".join(sources)]),
            entry_id=first.id,
            score=min(r.hits[0].score for r in answered),
            options=self._follow_up_options(first, frozenset(ids)),
            feedback=True,
            contact_topic=first.contact_topic,
            entry_ids=ids,
            context=answered[-1].context(),
            lang=self.language,
        )

    def _unknown_part_text(self, result: _PartResult) -> str:
        if result.mismatch is not None:
            return self._mismatch_text(result.mismatch)
        if result.unknown_entry is not None:
            return self.kb.entries[result.unknown_entry].answer
        return self.kb.message("part_unknown", question=result.part.text.strip())

    def near_miss_reply(
        self, question: str, mismatch: Mismatch, nearby: str | None, score: float = 0.0
    ) -> Reply:
        """A question about something the knowledge base does not hold: say what is not
        known, and offer the nearby entry (if there is one) and a person."""
        if nearby is None:
            text = f"{self._mismatch_text(mismatch)} {self.kb.message('near_miss_no_entry')}"
            return Reply(
                question,
                Kind.FALLBACK,
                text,
                score=score,
                options=(self._contact_option(),),
                lang=self.language,
            )
        entry = self.kb.entries[nearby]
        text = f"{self._mismatch_text(mismatch)} {self.kb.message('near_miss_offer')}"
        return Reply(
            question=question,
            kind=Kind.FALLBACK,
            text=text,
            score=score,
            options=(
                Option(
                    Action.ENTRY,
                    self.kb.message("button_we_know", question=entry.question),
                    entry.id,
                ),
                self._contact_option(),
            ),
            lang=self.language,
        )

    def _mismatch_text(self, mismatch: Mismatch) -> str:
        if mismatch.reason is Reason.PLACE:
            return self.kb.message("near_miss_place", place=mismatch.place)
        if mismatch.reason is Reason.TIME:
            return self.kb.message("near_miss_time", time=mismatch.time)
        if mismatch.reason is Reason.SECTOR:
            return self.kb.message("near_miss_sector", sector=mismatch.sector)
        if mismatch.attribute and mismatch.subject:
            return self.kb.message(
                "near_miss_attribute", attribute=mismatch.attribute, subject=mismatch.subject
            )
        if mismatch.attribute:
            return self.kb.message("near_miss_attribute_only", attribute=mismatch.attribute)
        subject = mismatch.subject or self.rules.unnamed_subject
        return self.kb.message("near_miss_subject", subject=subject)

    def not_in_source_reply(self, entry_id: str, question: str = "", score: float = 1.0) -> Reply:
        """An entry that exists to say what the source does not say: a fallback."""
        entry = self.kb.entries[entry_id]
        return Reply(
            question=question or entry.question,
            kind=Kind.FALLBACK,
            text=entry.answer,
            entry_id=entry.id,
            score=score,
            options=(self._contact_option(),),
            contact_topic=entry.contact_topic,
            lang=self.language,
        )

    def contact_reply(self, question: str, topic: str | None = None) -> Reply:
        return Reply(
            question=question,
            kind=Kind.CONTACT,
            text=self.kb.message("contact"),
            options=(self._contact_option(),),
            contact_topic=topic,
            lang=self.language,
        )

    def fallback_reply(self, question: str, score: float = 0.0) -> Reply:
        return Reply(
            question=question,
            kind=Kind.FALLBACK,
            text=self.kb.message("fallback"),
            score=score,
            options=(self._contact_option(),),
            lang=self.language,
        )

    def welcome(self) -> Reply:
        return self.message_reply("welcome", "/start", with_topics=True)

    def message_reply(self, key: str, question: str = "", with_topics: bool = False) -> Reply:
        """A bot message from messages.yaml (greetings, /help, /about), optionally with
        the start topics as choices."""
        options = self._topic_options() if with_topics else ()
        return Reply(
            question, Kind.GREETING, self.kb.message(key), options=options, lang=self.language
        )

    def _topic_options(self) -> tuple[Option, ...]:
        return tuple(
            Option(Action.ENTRY, self.kb.entries[e].question, e) for e in self.kb.start_topics
        )

    def _contact_option(self) -> Option:
        return Option(Action.CONTACT, self.kb.message("button_talk_to_person"))

    def source_line(self, entry: Entry) -> str:
        """The source line of ``entry`` in this Answerer's language."""
        return source_line(entry, self.rules)


def _keep(cache: dict[str, _T], text: str, value: _T) -> _T:
    """Store ``value`` for ``text`` in a bounded cache (emptied when full) and return it."""
    if len(cache) >= WORD_CACHE:
        cache.clear()
    cache[text] = value
    return value


def source_line(entry: Entry, rules: ReadingRules = ENGLISH_READING) -> str:
    """'Source: <title>, <publisher>, 4 July 2011' for the foot of an answer, from the
    source(s) it cites (knowledge/sources/), separated by semicolons; ``rules`` give the
    word "Source" and the month names in the reply's language."""
    cited = []
    for source in entry.sources:
        parts = [f"“{source.title}”"]
        if source.publisher:
            parts.append(source.publisher)
        parts.append(_human_date(source.date, rules))
        cited.append(", ".join(parts))
    return f"{rules.source_label}: " + "; ".join(cited)


def _human_date(iso: str, rules: ReadingRules) -> str:
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return rules.human_date(d.year, d.month, d.day)


@dataclass
class _PartResult:
    """How one question part of a message fared."""

    part: Part
    words: list[str]
    hits: list[Hit]
    entry_id: str | None = None  # answered confidently by this entry
    mismatch: Mismatch | None = None  # the best entry is a near miss ...
    nearby: str | None = None  # ... and this is it
    unknown_entry: str | None = None  # an entry saying the source does not hold it
    close: list[Hit] = field(default_factory=list)  # a tie between these entries
    asks_attribute: bool = False  # the part names an attribute ("when ... founded")
    attributes: frozenset[str] = frozenset()  # the attributes it asks for
    subjects: tuple[str, ...] = ()  # the subjects the part was read as naming
    dated: bool = False  # asks today's figure; the answer gives its date's

    def context(self) -> Context | None:
        return Context(self.entry_id, " ".join(self.words)) if self.entry_id else None
