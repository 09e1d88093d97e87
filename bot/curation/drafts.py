"""Staff answers become draft entries, and curators turn drafts into entries.

When staff answer a ticket, their reply is the best new knowledge there is. Pressing
**Save as answer** under the bot's acknowledgement stores a draft: the enquirer's
questions from that ticket that the bot could not answer, the staff reply, a suggested
topic, subject and contact topic, and its provenance (ticket, staff member, date). The
ticket's name, organisation and e-mail, and any e-mail address, phone number or
@username, are removed first (bot/common/scrubbing.py). A draft answers no one.

``kb accept`` writes a draft as an entry at the end of an entry file, with its staff
answer as a source in knowledge/sources/, alternates seeded from its questions and a
``todo`` that ``kb check`` reports until a curator has finished the entry.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from textwrap import wrap

from bot.answering.answerer import Answerer, Kind
from bot.common.errors import CurationError, KnowledgeError
from bot.common.scrubbing import scrub
from bot.common.textnorm import words
from bot.conversation.dialogue import QUESTION_WORDS, looks_like_question
from bot.knowledge.base import KnowledgeBase, load_knowledge
from bot.knowledge.model import Source, SourceKind
from bot.knowledge.schema import ID_PATTERN, SPECIAL_FILES
from bot.knowledge.sources import render_source, sources_dir
from bot.storage.contacts import ContactStore
from bot.storage.curation import CurationStore, Draft, DraftStatus

STAFF_SOURCE_TITLE = "Answer from the programme staff"
OWNER = "programme staff"
REVIEW_AFTER = timedelta(days=365)
TODO = (
    "written from a staff answer: check the answer, topic and subject, write at least 4 "
    "alternates, then remove this line"
)
ENTRY_ID_LENGTH = 50
FOLD = 78  # answer lines in the entry files
# Words an entry id made of a question leaves out: "does the programme offer travel
# grants" is programme-offer-travel-grants.
_SLUG_SKIPS = QUESTION_WORDS | frozenset(
    "the a an of for to in on at and or my our me i we".split()
)


class Saved(StrEnum):
    CREATED = "created"
    EXISTS = "exists"  # this reply is a draft already
    UNAVAILABLE = "unavailable"  # no such staff reply, or its text was erased


@dataclass(frozen=True)
class SaveOutcome:
    result: Saved
    draft_id: int | None = None


@dataclass(frozen=True)
class Accepted:
    entry_id: str
    entry_file: Path
    source_file: Path


class Drafts:
    """Saving staff replies as drafts (the staff chat) and deciding on them (the CLI)."""

    def __init__(self, answerer: Answerer, store: ContactStore, curation: CurationStore) -> None:
        self.answerer = answerer
        self.kb = answerer.kb
        self.store = store
        self.curation = curation

    # -- staff: Save as answer ------------------------------------------------------------

    def save(self, ticket_message_id: int) -> SaveOutcome:
        """Store the staff reply ``ticket_message_id`` as a draft, once."""
        with self.store.storage.transaction():
            existing = self.curation.draft_of_reply(ticket_message_id)
            if existing is not None:
                return SaveOutcome(Saved.EXISTS, existing)
            reply = self.curation.staff_reply(ticket_message_id)
            ticket = self.store.ticket(reply.ticket_id) if reply is not None else None
            if reply is None or ticket is None or not reply.text.strip():
                return SaveOutcome(Saved.UNAVAILABLE)
            names, organisations = [ticket.name], [ticket.organisation]
            candidates = list(ticket.recent_questions)
            if looks_like_question(ticket.message):
                candidates.append(ticket.message)
            scrubbed = [scrub(q, names, organisations) for q in candidates]
            # The questions the bot could not answer; else the last one before the
            # request (its answer did not do); else the request's message.
            questions = self._unanswered(scrubbed) or scrubbed[-1:]
            if not questions and ticket.message.strip():
                questions = [scrub(ticket.message, names, organisations)]
            answer = scrub(reply.text, names, organisations)
            topic, subjects = self._suggest(questions, answer)
            topic_ids = {t.id for t in self.kb.topics}
            contact_topic = ticket.topic if ticket.topic in topic_ids else self.kb.default_topic
            fields: dict[str, object] = {
                "questions": questions,
                "answer": answer,
                "topic": topic,
                "subjects": subjects,
                "contact_topic": contact_topic,
                "staff": reply.author,
            }
            draft_id = self.curation.add_draft(reply, ticket.user_id, fields)
        return SaveOutcome(Saved.CREATED, draft_id)

    def _unanswered(self, questions: list[str]) -> list[str]:
        """The questions the knowledge base does not answer yet, each once."""
        out: list[str] = []
        for question in questions:
            question = " ".join(question.split())
            if not question or question in out:
                continue
            if self.answerer.ask(question).kind is not Kind.ANSWER:
                out.append(question)
        return out

    def _suggest(self, questions: list[str], answer: str) -> tuple[str, list[str]]:
        """The subjects the questions name, and the topic of the nearest entry about the
        main one (of the nearest entry at all when they name none)."""
        subjects: list[str] = []
        for question in questions:
            for subject in self.answerer.reader.read(words(question)).named_subjects:
                if subject not in subjects:
                    subjects.append(subject)
        hits = self.answerer.index.search(" ".join([*questions, answer]), limit=10)
        nearest = [self.kb.entries[h.entry_id] for h in hits if h.entry_id in self.kb.entries]
        about = [e for e in nearest if subjects and e.subjects[:1] == tuple(subjects[:1])]
        about = about or nearest
        if not about:
            common = Counter(e.topic for e in self.kb).most_common(1)
            return (common[0][0] if common else "programme"), subjects
        return about[0].topic, subjects or list(about[0].subjects[:1])


def listing(drafts: list[Draft]) -> list[dict[str, object]]:
    """``kb drafts --json``: exactly id, question, answer, topic, ticket, staff, date."""
    return [
        {
            "id": d.id,
            "question": d.questions[0] if d.questions else "",
            "answer": d.answer,
            "topic": d.topic,
            "ticket": d.ticket,
            "staff": d.staff,
            "date": d.date,
        }
        for d in drafts
    ]


def listing_text(drafts: list[Draft]) -> str:
    if not drafts:
        return "No drafts waiting."
    blocks = []
    for d in drafts:
        questions = "\n".join(f"    asked: {q}" for q in d.questions) or "    asked: (erased)"
        blocks.append(
            f"draft {d.id} · {d.ticket} · {d.staff} · {d.date} · topic {d.topic}\n"
            f"{questions}\n    answer: {d.answer}"
        )
    return "\n\n".join(blocks)


def pending(curation: CurationStore, draft_id: int) -> Draft:
    draft = curation.draft(draft_id)
    if draft is None:
        raise CurationError(f"no draft {draft_id}")
    if draft.status is not DraftStatus.PENDING:
        raise CurationError(f"draft {draft_id} is already {draft.status.value}")
    return draft


def reject(curation: CurationStore, draft_id: int) -> Draft:
    draft = pending(curation, draft_id)
    curation.decide(draft.id, DraftStatus.REJECTED)
    return draft


def accept(
    curation: CurationStore,
    kb: KnowledgeBase,
    draft_id: int,
    entry_file: Path | None = None,
    entry_id: str | None = None,
    today: date | None = None,
) -> Accepted:
    """Write draft ``draft_id`` into the knowledge folder of ``kb``: its staff answer as a
    source, an entry at the end of ``entry_file``. Nothing is written when the folder
    would no longer load; the draft is then still pending."""
    draft = pending(curation, draft_id)
    if not draft.questions:
        raise CurationError(
            f"draft {draft_id} has no question left (the enquirer erased their data): "
            f"reject it, or write the entry yourself"
        )
    directory = kb.directory
    target = _entry_file(directory, entry_file or directory / f"{draft.topic}.yaml")
    new_id = entry_id or _free_id(kb, draft.questions[0])
    if not _valid_id(new_id):
        raise CurationError(f"entry id {new_id!r} must match {ID_PATTERN} (60 characters at most)")
    if new_id in kb.entries:
        raise CurationError(f"entry id {new_id!r} exists ({kb.entries[new_id].file})")
    source = _staff_source(draft, today or date.today())
    source_path = sources_dir(directory) / f"{source.id}.txt"
    if source_path.exists():
        raise CurationError(f"{source_path} exists")
    before = target.read_text(encoding="utf-8") if target.exists() else None
    source_path.parent.mkdir(parents=True, exist_ok=True)
    source_path.write_text(render_source(source), encoding="utf-8")
    text = before if before is not None else "entries:\n"
    target.write_text(
        text.rstrip("\n") + "\n\n" + entry_yaml(draft, new_id, source), encoding="utf-8"
    )
    try:
        load_knowledge(directory)
    except KnowledgeError:
        source_path.unlink()
        if before is None:
            target.unlink()
        else:
            target.write_text(before, encoding="utf-8")
        raise
    curation.decide(draft.id, DraftStatus.ACCEPTED, new_id)
    return Accepted(new_id, target, source_path)


def entry_yaml(draft: Draft, entry_id: str, source: Source) -> str:
    """The entry as the entry files write them (knowledge/README.md, Formatting)."""
    question, *others = draft.questions
    alternates = others or [" ".join(words(question))]
    lines = [
        f"  - id: {entry_id}",
        f"    question: {_quoted(question)}",
        "    alternates:",
        *(f"      - {_quoted(a)}" for a in alternates),
        "    answer: >-",
        *(f"      {line}" for line in wrap(" ".join(draft.answer.split()), FOLD)),
        f"    topic: {draft.topic}",
        "    tags: []",
        "    follow_ups: []",
        f"    source: {source.id}",
        f"    contact_topic: {draft.contact_topic}",
    ]
    if draft.subjects:
        lines.append(f"    subject: [{', '.join(draft.subjects)}]")
    lines.append(f"    todo: {_quoted(TODO)}")
    return "\n".join(lines) + "\n"


def _staff_source(draft: Draft, today: date) -> Source:
    return Source(
        title=STAFF_SOURCE_TITLE,
        date=draft.date,
        id=f"staff-{draft.ticket.lstrip('#').lower()}-{draft.id}",
        kind=SourceKind.STAFF,
        ticket=draft.ticket,
        staff=draft.staff,
        review_by=(max(today, date.fromisoformat(draft.date)) + REVIEW_AFTER).isoformat(),
        owner=OWNER,
        text=draft.answer,
    )


def _entry_file(directory: Path, path: Path) -> Path:
    """The entry file ``path`` names: a path inside the knowledge folder, or (relative)
    ``knowledge/NAME.yaml`` or ``NAME.yaml`` when the folder is elsewhere (KNOWLEDGE_DIR)."""
    parent = (path if path.is_absolute() else Path.cwd() / path).parent.resolve()
    inside = parent == directory.resolve()
    if not inside and not path.is_absolute():
        inside = str(path.parent) in (".", "knowledge")
    if not inside:
        raise CurationError(f"{path} is not a file of the knowledge folder {directory}")
    if path.suffix != ".yaml" or path.name in SPECIAL_FILES:
        raise CurationError(f"{path} is not an entry file (*.yaml, not {path.name})")
    return directory / path.name


def _free_id(kb: KnowledgeBase, question: str) -> str:
    slug = ""
    for word in words(re.sub(r"\[[a-z-]+\]", " ", question)):  # not the scrubbing marks
        word = "".join(c for c in word if c.isascii() and c.isalnum())
        if word in _SLUG_SKIPS:
            continue
        if word and len(slug) + len(word) + 1 <= ENTRY_ID_LENGTH:
            slug = f"{slug}-{word}" if slug else word
    slug = slug or "staff-answer"
    candidate, n = slug, 2
    while candidate in kb.entries:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _valid_id(entry_id: str) -> bool:
    return len(entry_id) <= 60 and re.fullmatch(ID_PATTERN, entry_id) is not None


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)
