"""What a loaded knowledge base is: its entries, intents, topics, subjects and messages,
in one language, and the same knowledge base in the other languages it is translated into.

``load_knowledge`` (``base``) builds these from the YAML files; everything else reads
them. A translated knowledge base has the same shape as the English one: its entries,
messages, intents, synonyms, shorthand, topic labels and subjects' labels and terms are
its language's, and everything that is not text (ids, topics, follow-ups, sources,
subjects and attributes of entries, ``not_in_source``) is the English entry's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from bot.common.languages import LANGUAGE_NAMES, Language

# The shipped knowledge base: knowledge/ beside the bot package.
DEFAULT_KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"


class SourceKind(StrEnum):
    ARTICLE = "article"  # a published text (the 2011 article)
    STAFF = "staff"  # a staff member's reply to a ticket, saved as an answer


@dataclass(frozen=True)
class Source:
    title: str
    date: str  # ISO date of publication (or of the staff reply)
    publisher: str = ""
    id: str = ""
    kind: SourceKind = SourceKind.ARTICLE
    url: str | None = None
    ticket: str | None = None  # a staff answer's ticket reference (#A-0042)
    staff: str | None = None  # a staff answer's author, first name only
    review_by: str | None = None  # inherited by the entries citing it
    owner: str | None = None
    text: str = ""
    file: str = ""
    line: int = 1

    @property
    def year(self) -> str:
        return self.date[:4]


@dataclass(frozen=True)
class Entry:
    id: str
    question: str
    alternates: tuple[str, ...]
    answer: str
    topic: str
    tags: tuple[str, ...]
    follow_ups: tuple[str, ...]
    sources: tuple[Source, ...]  # the cited sources, the first the main one
    contact_topic: str
    file: str
    line: int
    question_lines: tuple[int, ...] = ()  # line of each of ``questions``
    answer_line: int = 0
    subjects: tuple[str, ...] = ()  # ids in subjects.yaml, the main one first
    attributes: tuple[str, ...] = ()
    not_in_source: bool = False  # says what the source does not say: a fallback
    review_by: str | None = None  # its own, else the earliest of its sources'
    owner: str | None = None
    review_line: int = 0  # where review_by is set: the entry, or its source's file
    todo: str | None = None  # what a curator still has to do (kb accept writes one)

    @property
    def source(self) -> Source:
        return self.sources[0]

    @property
    def questions(self) -> tuple[str, ...]:
        """The canonical question followed by its alternates."""
        return (self.question, *self.alternates)


@dataclass(frozen=True)
class Greeting:
    name: str
    phrases: tuple[str, ...]
    reply: str  # a message key


@dataclass(frozen=True)
class Intents:
    greetings: tuple[Greeting, ...]
    filler: frozenset[str]
    contact_phrases: tuple[str, ...]
    # (verbs, targets): a verb followed closely by a person asks for one
    contact_pairs: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    contact_cues: frozenset[str] = frozenset()  # one must come before a pair's verb
    contact_conditionals: frozenset[str] = frozenset()  # no pair asks after one (phrases)
    contact_breaks: frozenset[str] = frozenset()  # a pair's person is not beyond one


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    staff_chat_env: str | None = None


@dataclass(frozen=True)
class Subject:
    """Something entries are about (MassBio, the ambassador), and how messages name it."""

    id: str
    label: str
    terms: tuple[str, ...]
    pronouns: tuple[str, ...] = ()
    place_bound: bool = False  # its facts hold for Boston-Cambridge only
    # A region of its own (Medicon Valley): no figure of the knowledge base describes it.
    region: bool = False


@dataclass(frozen=True)
class Attribute:
    """Something a question can ask of a subject (its founding, its cost)."""

    id: str
    label: str
    terms: tuple[str, ...]
    replaces: tuple[str, ...] = ()  # narrower readings win: "who founded" over "founded"
    # What it gives is a person or people: "he" or "they" after a question for it ("who
    # runs MassBio, and where is he based?") may mean them, not the subject.
    of_people: bool = False


@dataclass(frozen=True)
class Aboutness:
    """subjects.yaml: subjects, attributes, places and times (see that file)."""

    subjects: tuple[Subject, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    known_places: tuple[str, ...] = ()
    other_places: tuple[str, ...] = ()
    # Words saying where something is from ("Danish") and the place they mean
    # ("Denmark"): another place only in a question for a figure.
    from_other_places: tuple[tuple[str, str], ...] = ()
    now_words: tuple[str, ...] = ()
    future_words: tuple[str, ...] = ()  # "next year", "forecast": after the source
    # The sectors the figures are about (biotechnology), and others by label with
    # their terms ("medical devices": medtech, medical device ...).
    known_sectors: tuple[str, ...] = ()
    other_sectors: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Translation:
    """One text of the English knowledge base as a translation has it, for ``kb check``:
    an entry's answer, a message, a topic's or a subject's or an attribute's label."""

    kind: str  # "entry", "message", "topic", "subject" or "attribute"
    key: str  # the entry id, message key, topic, subject or attribute id
    english: str  # the English text the stamp is of (of an entry: its answer)
    text: str | None  # the translation; None when there is none
    stamp: str | None  # the stamp the translation records (kb check --stamp writes it)
    file: str  # where the translation is, or (missing) the file it belongs in
    line: int
    english_file: str
    english_line: int
    path: tuple[str | int, ...] = ()  # the translation's path in ``file``, for --stamp

    @property
    def what(self) -> str:
        """How kb check names it: "entry 'mva-what'", "message 'welcome'"."""
        return f"{self.kind} {self.key!r}"


@dataclass(frozen=True)
class KnowledgeBase:
    entries: Mapping[str, Entry]
    synonyms: tuple[tuple[str, ...], ...]
    intents: Intents
    messages: Mapping[str, str]
    start_topics: tuple[str, ...]
    topics: tuple[Topic, ...]
    default_topic: str
    directory: Path
    shorthand: Mapping[str, str] = field(default_factory=dict)
    aboutness: Aboutness = field(default_factory=Aboutness)
    sources: Mapping[str, Source] = field(default_factory=dict)
    # Capitalised words answers may use that no source has (allowed_names.yaml).
    allowed_names: frozenset[str] = frozenset()
    # The language of every text above (its folder: knowledge/ for English,
    # knowledge/<code>/ for a translation).
    language: Language = Language.EN
    # reading.yaml: named lists of the language's reading vocabulary (question words,
    # request markers...), for message understanding; empty without the file.
    reading: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # A translation's texts beside the English ones they translate (empty in English).
    translations: tuple[Translation, ...] = ()
    # A translation's own spellings of the source's names, casefolded, to those names
    # (names.yaml: "usa" is "US", "atlanten" the "Atlantic").
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The line of each message, topic, subject and attribute in its file, by (kind, key):
    # ("message", "welcome"), ("topic", "other"): where kb check points.
    lines: Mapping[tuple[str, str], int] = field(default_factory=dict)
    # The knowledge base in every language, English first: one dict shared by all of
    # them, filled by load_knowledge.
    by_language: Mapping[Language, KnowledgeBase] = field(
        default_factory=dict, compare=False, repr=False
    )

    def message(self, key: str, **values: object) -> str:
        """A bot message; placeholders are filled with ``values`` (checked on load)."""
        text = self.messages[key]
        return text.format(**values) if values else text

    @property
    def languages(self) -> tuple[Language, ...]:
        """The languages this knowledge base is in, English first."""
        return tuple(self.by_language) or (self.language,)

    @property
    def language_name(self) -> str:
        """The language's English name ("Danish"), as staff read it."""
        return LANGUAGE_NAMES[self.language]

    def translated(self, lang: Language) -> KnowledgeBase:
        """The same knowledge base in ``lang``; ``translated(Language.EN)`` is the English
        one. A language it has no translation into gives the English one (whose
        ``language`` says so), so that no enquirer's message fails on a missing folder."""
        if lang == self.language:
            return self
        found = self.by_language.get(lang) or self.by_language.get(Language.EN)
        return found if found is not None else self

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)
