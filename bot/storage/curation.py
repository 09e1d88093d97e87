"""Storage of the curation loop: draft entries, the monthly review notice, and the reads of
the conversation log that ``kb suggest`` needs.

Part of the storage boundary (bot/storage/migrations.py holds the schema, migration
m006): the SQL of drafts lives here and nowhere else. Drafts are stored already scrubbed
of personal data (bot/curation/drafts.py); the enquirer's user id is kept only so that
/forget can remove their questions, and the retention purge removes it with them.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlite_utils import Database

from bot.storage.database import Storage
from bot.storage.tickets import ticket_ref


class DraftStatus(StrEnum):
    PENDING = "pending"  # waits for a curator; answers no one
    ACCEPTED = "accepted"  # written into the knowledge base
    REJECTED = "rejected"


@dataclass(frozen=True)
class Draft:
    id: int
    ticket_id: int
    questions: list[str]
    answer: str
    topic: str
    contact_topic: str
    subjects: list[str]
    staff: str
    created_at: float
    status: DraftStatus
    entry_id: str | None = None

    @property
    def ticket(self) -> str:
        return ticket_ref(self.ticket_id)

    @property
    def date(self) -> str:
        return datetime.fromtimestamp(self.created_at, UTC).date().isoformat()


@dataclass(frozen=True)
class StaffReply:
    """A staff reply as the ticket log holds it."""

    id: int
    ticket_id: int
    author: str
    text: str


@dataclass(frozen=True)
class LogRow:
    """One question of the conversation log, with its feedback (None: not rated)."""

    id: int
    ts: float
    chat_id: int
    text: str
    kind: str
    entry_id: str | None
    helpful: bool | None
    language: str = "en"  # the language it was answered in


class CurationStore:
    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    @property
    def db(self) -> Database:
        return self.storage.db

    # -- drafts ---------------------------------------------------------------------------

    def staff_reply(self, ticket_message_id: int) -> StaffReply | None:
        """The staff reply logged as ``ticket_message_id`` (None for anything else)."""
        row = self.db.execute(
            "SELECT id, ticket_id, author, text FROM ticket_messages"
            " WHERE id = ? AND direction = 'out'",
            [ticket_message_id],
        ).fetchone()
        return StaffReply(*row) if row else None

    def draft_of_reply(self, ticket_message_id: int) -> int | None:
        row = self.db.execute(
            "SELECT id FROM drafts WHERE ticket_message_id = ?", [ticket_message_id]
        ).fetchone()
        return int(row[0]) if row else None

    def add_draft(self, reply: StaffReply, user_id: int | None, fields: dict[str, Any]) -> int:
        """Store a draft (its texts already scrubbed); return its id."""
        cursor = self.db.execute(
            "INSERT INTO drafts (ticket_id, ticket_message_id, user_id, questions, answer,"
            " topic, contact_topic, subjects, staff, created_at, status)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                reply.ticket_id,
                reply.id,
                user_id,
                json.dumps(fields["questions"], ensure_ascii=False),
                fields["answer"],
                fields["topic"],
                fields["contact_topic"],
                json.dumps(fields.get("subjects", [])),
                fields["staff"],
                time.time(),
                DraftStatus.PENDING.value,
            ],
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def drafts(self, status: DraftStatus | None = DraftStatus.PENDING) -> list[Draft]:
        where, values = ("WHERE status = ?", [status.value]) if status else ("", [])
        rows = self.db.execute(f"SELECT {_DRAFT_COLUMNS} FROM drafts {where} ORDER BY id", values)
        return [_draft(row) for row in rows.fetchall()]

    def draft(self, draft_id: int) -> Draft | None:
        row = self.db.execute(
            f"SELECT {_DRAFT_COLUMNS} FROM drafts WHERE id = ?", [draft_id]
        ).fetchone()
        return _draft(row) if row else None

    def pending_count(self) -> int:
        row = self.db.execute(
            "SELECT count(*) FROM drafts WHERE status = ?", [DraftStatus.PENDING.value]
        ).fetchone()
        return int(row[0])

    def decide(self, draft_id: int, status: DraftStatus, entry_id: str | None = None) -> None:
        self.db.execute(
            "UPDATE drafts SET status = ?, entry_id = ?, decided_at = ? WHERE id = ?",
            [status.value, entry_id, time.time(), draft_id],
        )

    def questions_of(self, user_id: int) -> list[str]:
        """The enquirer's questions kept in drafts (for /mydata)."""
        rows = self.db.execute(
            "SELECT questions FROM drafts WHERE user_id = ? ORDER BY id", [user_id]
        ).fetchall()
        return [question for (text,) in rows for question in json.loads(text or "[]")]

    def forget_user(self, user_id: int) -> int:
        """/forget: the enquirer's questions leave every draft; returns how many drafts."""
        cursor = self.db.execute(
            "UPDATE drafts SET questions = '[]', user_id = NULL WHERE user_id = ?", [user_id]
        )
        return cursor.rowcount

    def purge(self, before: float) -> int:
        """The retention purge: drafts older than ``before`` lose their questions."""
        cursor = self.db.execute(
            "UPDATE drafts SET questions = '[]', user_id = NULL"
            " WHERE created_at < ? AND (user_id IS NOT NULL OR questions != '[]')",
            [before],
        )
        return cursor.rowcount

    # -- the monthly review notice --------------------------------------------------------

    def claim_review_notice(self, month: str) -> bool:
        """True the first time it is called for ``month`` ("2026-12"), False after."""
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO review_notices (month, sent_at) VALUES (?, ?)",
            [month, time.time()],
        )
        return cursor.rowcount == 1

    # -- the conversation log, for suggestions --------------------------------------------

    def log_since(self, since: float) -> list[LogRow]:
        """Questions asked since ``since`` whose text is still stored (not erased), in
        order per chat."""
        rows = self.db.execute(
            """
            SELECT q.id, q.ts, q.chat_id, q.text, q.kind, q.entry_id, f.helpful, q.language
            FROM questions q LEFT JOIN feedback f ON f.question_id = q.id
            WHERE q.ts >= ? AND q.text IS NOT NULL AND q.chat_id IS NOT NULL
            ORDER BY q.chat_id, q.ts, q.id
            """,
            [since],
        ).fetchall()
        return [
            LogRow(r[0], r[1], r[2], r[3], r[4], r[5], None if r[6] is None else bool(r[6]), r[7])
            for r in rows
        ]

    def people(self) -> list[tuple[str, str]]:
        """(name, organisation) of every contact request not erased, to scrub them from
        the questions ``kb suggest`` prints."""
        rows = self.db.execute(
            "SELECT name, organisation FROM tickets WHERE erased_at IS NULL"
        ).fetchall()
        return [(name or "", organisation or "") for name, organisation in rows]


_DRAFT_COLUMNS = (
    "id, ticket_id, questions, answer, topic, contact_topic, subjects, staff, created_at,"
    " status, entry_id"
)


def _draft(row: tuple[Any, ...]) -> Draft:
    values = list(row)
    values[2] = json.loads(values[2] or "[]")
    values[6] = json.loads(values[6] or "[]")
    values[9] = DraftStatus(values[9])
    return Draft(*values)
