"""The answering core: one enquirer message in, one transport-neutral ``Reply`` out.

Every message gets exactly one kind:

- ``greeting``: hello, thanks, help or bye and nothing else;
- ``contact``: the enquirer asks for a person;
- ``answer``: one entry matches with confidence at or above the threshold;
- ``ambiguous``: two or more entries are that close to each other (within the
  ambiguity ratio of the best one); they are offered as choices;
- ``fallback``: nothing matches well enough; the reply says so and offers staff.

The threshold and ratio are calibrated on tests/eval (see README "Retrieval quality").
Adapters (Telegram, terminal) render ``Reply`` objects; they add no wording of
their own beyond what the knowledge base's messages hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from bot.intents import IntentMatcher
from bot.knowledge import Entry, KnowledgeBase
from bot.retrieval import Hit, Index, RetrievalSettings
from bot.textnorm import Normaliser, words


class Kind(StrEnum):
    ANSWER = "answer"
    AMBIGUOUS = "ambiguous"
    FALLBACK = "fallback"
    CONTACT = "contact"
    GREETING = "greeting"
    FORM = "form"  # a step of the contact request form (never a classification)


class Action(StrEnum):
    ENTRY = "entry"  # show the entry with this id
    CONTACT = "contact"  # start a contact request
    FORM = "form"  # a choice inside the contact request form


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

    def as_dict(self) -> dict[str, object]:
        return {
            "question": self.question,
            "kind": self.kind.value,
            "entry_id": self.entry_id,
            "score": round(self.score, 4),
            "reply": self.text,
            "options": [o.as_dict() for o in self.options],
        }


@dataclass(frozen=True)
class Thresholds:
    # Calibrated on tests/eval/enquiries.yaml with benchmarks/calibrate.py (README).
    answer: float = 0.35
    ambiguity_ratio: float = 0.99
    max_choices: int = 3


@dataclass
class Answerer:
    """Answers questions from one knowledge base. Immutable once built; share freely."""

    kb: KnowledgeBase
    thresholds: Thresholds = field(default_factory=Thresholds)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)

    def __post_init__(self) -> None:
        self.normaliser = Normaliser(self.kb.synonyms)
        self.intents = IntentMatcher(self.kb.intents)
        self.index = Index(
            list(self.kb),
            self.normaliser,
            self.retrieval,
            extra_vocabulary=self.intents.vocabulary | self.normaliser.synonym_words,
        )

    # -- classification -------------------------------------------------------------

    def ask(self, question: str) -> Reply:
        ws = self.index.speller.correct(words(question))
        greeting = self.intents.greeting(ws)
        if greeting is not None:
            return self.message_reply(greeting.reply, question, greeting.name == "help")
        subject = self.intents.contact_request(ws)
        if subject is not None:
            return self.contact_reply(question, self._topic_of(subject))
        hits = self.index.search_tokens(self.normaliser.tokens_from_words(ws))
        best = hits[0] if hits and hits[0].score >= self.thresholds.answer else None
        if best is None:
            return self.fallback_reply(question, hits[0].score if hits else 0.0)
        close = self._close_hits(hits)
        if len(close) > 1:
            return Reply(
                question=question,
                kind=Kind.AMBIGUOUS,
                text=self.kb.message("ambiguous"),
                score=best.score,
                options=tuple(
                    Option(Action.ENTRY, self.kb.entries[h.entry_id].question, h.entry_id)
                    for h in close
                ),
            )
        return self.entry_reply(best.entry_id, question, best.score)

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
        return close[: self.thresholds.max_choices]

    # -- replies --------------------------------------------------------------------

    def entry_reply(self, entry_id: str, question: str = "", score: float = 1.0) -> Reply:
        """The answer to one entry: its text, source line, follow-ups and a contact option."""
        entry = self.kb.entries[entry_id]
        options = [Option(Action.ENTRY, self.kb.entries[f].question, f) for f in entry.follow_ups]
        options.append(self._contact_option())
        return Reply(
            question=question or entry.question,
            kind=Kind.ANSWER,
            text=f"{entry.answer}\n\n{source_line(entry)}",
            entry_id=entry.id,
            score=score,
            options=tuple(options),
            feedback=True,
            contact_topic=entry.contact_topic,
        )

    def contact_reply(self, question: str, topic: str | None = None) -> Reply:
        return Reply(
            question=question,
            kind=Kind.CONTACT,
            text=self.kb.message("contact"),
            options=(self._contact_option(),),
            contact_topic=topic,
        )

    def fallback_reply(self, question: str, score: float = 0.0) -> Reply:
        return Reply(
            question=question,
            kind=Kind.FALLBACK,
            text=self.kb.message("fallback"),
            score=score,
            options=(self._contact_option(),),
        )

    def welcome(self) -> Reply:
        return self.message_reply("welcome", "/start", with_topics=True)

    def message_reply(self, key: str, question: str = "", with_topics: bool = False) -> Reply:
        """A bot message from messages.yaml (greetings, /help, /about), optionally with
        the start topics as choices."""
        options = self._topic_options() if with_topics else ()
        return Reply(question, Kind.GREETING, self.kb.message(key), options=options)

    def _topic_options(self) -> tuple[Option, ...]:
        return tuple(
            Option(Action.ENTRY, self.kb.entries[e].question, e) for e in self.kb.start_topics
        )

    def _contact_option(self) -> Option:
        return Option(Action.CONTACT, self.kb.message("button_talk_to_person"))


def source_line(entry: Entry) -> str:
    """'Source: <title>, <publisher>, 4 July 2011' for the foot of an answer."""
    parts = [f"“{entry.source.title}”"]
    if entry.source.publisher:
        parts.append(entry.source.publisher)
    parts.append(_human_date(entry.source.date))
    return "Source: " + ", ".join(parts)


def _human_date(iso: str) -> str:
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d.strftime('%B')} {d.year}"
