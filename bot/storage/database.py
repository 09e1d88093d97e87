"""SQLite storage through sqlite-utils, with its schema evolved by ``Migrations``.

Everything that must survive a restart lives here: the conversation log (every
question with its kind, entry and score), feedback presses, the users who blocked
the bot, contact forms in progress, tickets, the map from staff-chat messages to
tickets, the outbox of messages still to be delivered, and draft entries made of staff
answers (their queries in bot/storage/curation.py). The database runs in WAL mode with
``synchronous=NORMAL``: a commit survives the process being killed, and the bot never
waits for a disk flush per message.

Nothing here knows about Telegram; ids are plain integers.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("enquiry-bot")


@migrations()
def m001_conversation_log(db: Database) -> None:
    db.table("questions").create(
        {
            "id": int,
            "ts": float,
            "user_id": int,
            "chat_id": int,
            "text": str,
            "kind": str,
            "entry_id": str,
            "score": float,
        },
        pk="id",
    )
    db.table("questions").create_index(["user_id", "ts"])
    db.table("questions").create_index(["kind", "ts"])
    db.table("feedback").create(
        {
            "question_id": int,
            "ts": float,
            "user_id": int,
            "entry_id": str,
            "helpful": int,
        },
        pk="question_id",
        foreign_keys=[("question_id", "questions", "id")],
    )
    db.table("users").create(
        {"user_id": int, "first_seen": float, "blocked_at": float},
        pk="user_id",
    )


@migrations()
def m002_contact_requests(db: Database) -> None:
    db.table("forms").create(
        {"user_id": int, "chat_id": int, "step": str, "data": str, "updated_at": float},
        pk="user_id",
    )
    db.table("tickets").create(
        {
            "id": int,
            "user_id": int,
            "chat_id": int,
            "name": str,
            "organisation": str,
            "reply_via": str,
            "email": str,
            "topic": str,
            "message": str,
            "recent_questions": str,  # JSON list, a snapshot for the staff card
            "status": str,
            "claimed_by": str,
            "created_at": float,
            "first_reply_at": float,
            "resolved_at": float,
            "staff_chat_id": int,
            "card_message_id": int,
            "enquirer_blocked": int,
        },
        pk="id",
        defaults={"status": "open", "enquirer_blocked": 0},
    )
    db.table("tickets").create_index(["user_id", "status"])
    db.table("tickets").create_index(["status"])
    db.table("ticket_messages").create(
        {
            "id": int,
            "ticket_id": int,
            "direction": str,  # "in": enquirer to staff, "out": staff to enquirer
            "author": str,
            "text": str,
            "ts": float,
        },
        pk="id",
        foreign_keys=[("ticket_id", "tickets", "id")],
    )
    db.table("ticket_messages").create_index(["ticket_id"])
    db.table("staff_messages").create(
        {"chat_id": int, "message_id": int, "ticket_id": int},
        pk=("chat_id", "message_id"),
        foreign_keys=[("ticket_id", "tickets", "id")],
    )
    db.table("outbox").create(
        {
            "id": int,
            "chat_id": int,
            "action": str,  # "card" (a ticket's first card), "send" or "edit_card"
            "text": str,  # plain text; escaped when sent
            "keyboard": str,  # JSON, or null
            "ticket_id": int,
            "reply_to_message_id": int,
            "maps_to_ticket": int,  # record the sent message as belonging to ticket_id
            "status": str,  # pending, sent, failed, blocked
            "attempts": int,
            "next_attempt_at": float,
            "last_error": str,
            "created_at": float,
            "sent_at": float,
            "sent_message_id": int,
        },
        pk="id",
        defaults={"status": "pending", "attempts": 0, "maps_to_ticket": 0},
    )
    db.table("outbox").create_index(["status", "chat_id", "id"])


@migrations()
def m003_update_journal(db: Database) -> None:
    db.table("updates").create(
        {
            "update_id": int,
            "received_at": float,
            "user_id": int,  # so /forget can find an enquirer's unprocessed updates
            "status": str,  # "pending", then "answered" (replies decided), then "done"
            "payload": str,  # the update's JSON until done; erased then
            "replies": str,  # JSON of the replies while "answered"
        },
        pk="update_id",
    )
    # No index on status: it would cost every update a write, to speed up one scan of a
    # week's ids at start-up.


@migrations()
def m004_erasure(db: Database) -> None:
    # When a ticket's personal fields were erased (/forget or the retention purge).
    db.table("tickets").add_column("erased_at", float)


@migrations()
def m005_conversation_context(db: Database) -> None:
    # The last answered entry of each chat, for follow-ups ("and when was it founded?").
    db.table("conversation_context").create(
        {"chat_id": int, "user_id": int, "entry_id": str, "question": str, "ts": float},
        pk="chat_id",
    )
    db.table("conversation_context").create_index(["user_id"])


@migrations()
def m006_drafts(db: Database) -> None:
    # Staff replies saved as draft entries (bot/curation/drafts.py), scrubbed of personal data;
    # user_id is the enquirer's, so that /forget can remove their questions.
    db.table("drafts").create(
        {
            "id": int,
            "ticket_id": int,
            "ticket_message_id": int,  # the staff reply (ticket_messages.id)
            "user_id": int,
            "questions": str,  # JSON list
            "answer": str,
            "topic": str,  # suggested entry topic
            "contact_topic": str,
            "subjects": str,  # JSON list of suggested subject ids
            "staff": str,  # first name
            "created_at": float,
            "status": str,  # DraftStatus
            "entry_id": str,  # once accepted
            "decided_at": float,
        },
        pk="id",
        defaults={"status": "pending"},
    )
    db.table("drafts").create_index(["ticket_message_id"], unique=True)
    db.table("drafts").create_index(["user_id"])
    # One monthly review notice per month, however often the bot restarts that day.
    db.table("review_notices").create({"month": str, "sent_at": float}, pk="month")


@migrations()
def m007_attachments(db: Database) -> None:
    # copyMessage relays (photos, documents, voice notes): the message copied. Personal
    # when it is the enquirer's chat; erased with the ticket.
    db.table("outbox").add_column("from_chat_id", int)
    db.table("outbox").add_column("from_message_id", int)
    # What kind of attachment a ticket message was ("photo", "document", ...), or null.
    db.table("ticket_messages").add_column("attachment", str)
    # A ticket the enquirer closed (/close), rather than staff resolving it.
    db.table("tickets").add_column("closed_by_enquirer", int, not_null_default=0)


@migrations()
def m008_outbox_parts(db: Database) -> None:
    # A message over Telegram's length goes out in parts, each recorded once Telegram
    # took it, so a retry sends only the rest.
    db.table("outbox").add_column("parts_sent", int, not_null_default=0)


class TicketStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    RESOLVED = "resolved"


class Direction(StrEnum):
    """A ticket message: from the enquirer (in) or to them (out)."""

    IN = "in"
    OUT = "out"


class OutboxAction(StrEnum):
    SEND = "send"
    CARD = "card"  # a ticket's staff card: its id is the ticket's card_message_id
    EDIT_CARD = "edit_card"
    COPY = "copy"  # copyMessage of a photo, document, voice note, video or audio


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # Telegram refused it (400), or there was nothing left to send
    BLOCKED = "blocked"  # the chat refused the bot (403)
    CANCELLED = "cancelled"  # erased (/forget) before it was delivered


CONTEXT_TTL = 30 * 60  # seconds a previous answer stays the context of a follow-up


@dataclass(frozen=True)
class ConversationContext:
    entry_id: str
    question: str
    ts: float


@dataclass(frozen=True)
class LoggedQuestion:
    id: int
    user_id: int
    chat_id: int
    text: str
    kind: str
    entry_id: str | None
    score: float
    ts: float


class Storage:
    """The bot's database. Open once at start-up, close at shutdown."""

    def __init__(self, path: Path | str) -> None:
        self.path = path
        self._db: Database | None = None
        self._scrub_after_commit = False

    @property
    def db(self) -> Database:
        if self._db is None:
            raise RuntimeError("storage is not open")
        return self._db

    def open(self) -> None:
        if self._db is not None:
            return
        if isinstance(self.path, Path):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        db = Database(conn)
        if str(self.path) != ":memory:":
            db.enable_wal()
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA busy_timeout=5000")
        # Deleted and overwritten content is zeroed, not left in free pages: erasure
        # (/forget, the retention purge) must remove the bytes, not only the rows.
        db.execute("PRAGMA secure_delete=ON")
        migrations.apply(db)
        self._db = db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def backup(self, target: Path) -> None:
        """A consistent copy of the live database (SQLite's online backup API), safe while
        the bot is running and writing."""
        destination = sqlite3.connect(str(target))
        try:
            self.db.conn.backup(destination)
        finally:
            destination.close()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One transaction; nested calls become savepoints."""
        outermost = not self.db.conn.in_transaction
        with self.db.atomic() as db:
            yield db
        if outermost and self._scrub_after_commit:
            self.scrub()

    def scrub_after_commit(self) -> None:
        """Personal data was erased: once the transaction commits, copy the write-ahead
        log into the database and empty it, so the erased bytes leave the disk too."""
        if self.db.conn.in_transaction:
            self._scrub_after_commit = True
        else:
            self.scrub()

    def scrub(self) -> None:
        self._scrub_after_commit = False
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def __enter__(self) -> Storage:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- conversation log -------------------------------------------------------------

    def log_question(
        self,
        *,
        user_id: int,
        chat_id: int,
        text: str,
        kind: str,
        entry_id: str | None,
        score: float,
        ts: float | None = None,
    ) -> int:
        """Record one incoming question and how it was classified; return its id."""
        # Plain SQL on this path: it runs for every message, and sqlite-utils' table
        # helpers look the schema up on each call.
        now = time.time() if ts is None else ts
        cursor = self.db.execute(
            "INSERT INTO questions (ts, user_id, chat_id, text, kind, entry_id, score)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [now, user_id, chat_id, text, kind, entry_id, score],
        )
        question_id = cursor.lastrowid
        assert question_id is not None
        return question_id

    def question(self, question_id: int) -> LoggedQuestion | None:
        rows = list(self.db.table("questions").rows_where("id = ?", [question_id]))
        return LoggedQuestion(**rows[0]) if rows else None

    def recent_questions(self, user_id: int, limit: int = 5) -> list[LoggedQuestion]:
        rows = self.db.table("questions").rows_where(
            "user_id = ?", [user_id], order_by="ts desc, id desc", limit=limit
        )
        return [LoggedQuestion(**row) for row in rows]

    def record_feedback(self, question_id: int, user_id: int, helpful: bool) -> bool:
        """Store a helpful / not helpful press. A later press on the same answer replaces
        the earlier one. Returns False when the question is unknown or not the user's."""
        asked = self.question(question_id)
        if asked is None or asked.user_id != user_id:
            return False
        with self.db.atomic():
            self.db.table("feedback").upsert(
                {
                    "question_id": question_id,
                    "ts": time.time(),
                    "user_id": user_id,
                    "entry_id": asked.entry_id,
                    "helpful": int(helpful),
                },
                pk="question_id",
            )
        return True

    # -- conversation context ---------------------------------------------------------

    def remember_context(
        self, chat_id: int, user_id: int, entry_id: str, question: str, ts: float | None = None
    ) -> None:
        """The entry just answered in ``chat_id``, for a follow-up to be read against."""
        self.db.execute(
            "INSERT OR REPLACE INTO conversation_context (chat_id, user_id, entry_id, question, ts)"
            " VALUES (?, ?, ?, ?, ?)",
            [chat_id, user_id, entry_id, question, time.time() if ts is None else ts],
        )

    def context_of(self, chat_id: int, now: float | None = None) -> ConversationContext | None:
        """The chat's previous answer, unless it is older than ``CONTEXT_TTL``."""
        row = self.db.execute(
            "SELECT entry_id, question, ts FROM conversation_context WHERE chat_id = ?",
            [chat_id],
        ).fetchone()
        if row is None:
            return None
        found = ConversationContext(*row)
        if (time.time() if now is None else now) - found.ts > CONTEXT_TTL:
            return None
        return found

    def forget_context(self, user_id: int) -> None:
        self.db.execute("DELETE FROM conversation_context WHERE user_id = ?", [user_id])

    def purge_contexts(self, before: float) -> int:
        """Drop contexts last used before ``before``; returns how many."""
        cursor = self.db.execute("DELETE FROM conversation_context WHERE ts < ?", [before])
        return cursor.rowcount

    # -- users ------------------------------------------------------------------------

    def mark_blocked(self, user_id: int, blocked: bool = True) -> None:
        """Remember that the user blocked the bot (Telegram answered 403)."""
        with self.db.atomic():
            self._seen(user_id, None)
            self.db.table("users").update(user_id, {"blocked_at": time.time() if blocked else None})

    def is_blocked(self, user_id: int) -> bool:
        rows = list(self.db.table("users").rows_where("user_id = ?", [user_id]))
        return bool(rows and rows[0]["blocked_at"])

    def _seen(self, user_id: int, ts: float | None) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO users (user_id, first_seen) VALUES (?, ?)",
            [user_id, time.time() if ts is None else ts],
        )

    def blocked_at(self, user_id: int) -> float | None:
        row = self.db.execute(
            "SELECT blocked_at FROM users WHERE user_id = ?", [user_id]
        ).fetchone()
        return float(row[0]) if row and row[0] else None

    # -- personal data (bot/conversation/privacy.py) ------------------------------------

    def questions_of(self, user_id: int) -> list[tuple[float, str | None, str]]:
        """(time, text, kind) of every question ``user_id`` asked, oldest first."""
        return [
            (ts, text, kind)
            for ts, text, kind in self.db.execute(
                "SELECT ts, text, kind FROM questions WHERE user_id = ? ORDER BY id", [user_id]
            ).fetchall()
        ]

    def feedback_of(self, user_id: int) -> list[tuple[float, str | None, bool]]:
        """(time, entry id, helpful) of every feedback press of ``user_id``."""
        return [
            (ts, entry, bool(helpful))
            for ts, entry, helpful in self.db.execute(
                "SELECT ts, entry_id, helpful FROM feedback WHERE user_id = ? ORDER BY ts",
                [user_id],
            ).fetchall()
        ]

    def erase_user(self, user_id: int) -> None:
        """Anonymise ``user_id``'s questions and feedback (they still count in /stats) and
        drop their follow-up context, users row and journaled updates."""
        db = self.db
        db.execute(
            "UPDATE questions SET text = NULL, user_id = NULL, chat_id = NULL WHERE user_id = ?",
            [user_id],
        )
        db.execute("UPDATE feedback SET user_id = NULL WHERE user_id = ?", [user_id])
        self.forget_context(user_id)
        db.execute("DELETE FROM users WHERE user_id = ?", [user_id])
        db.execute("DELETE FROM updates WHERE user_id = ?", [user_id])

    def purge_personal(self, cutoff: float, contexts_before: float) -> tuple[int, int]:
        """Anonymise questions and feedback older than ``cutoff``, drop older contexts,
        finished journal rows and users nothing refers to; (questions, users) changed."""
        db = self.db
        questions = db.execute(
            "UPDATE questions SET text = NULL, user_id = NULL, chat_id = NULL"
            " WHERE ts < ? AND (text IS NOT NULL OR user_id IS NOT NULL)",
            [cutoff],
        ).rowcount
        db.execute("UPDATE feedback SET user_id = NULL WHERE ts < ?", [cutoff])
        self.purge_contexts(contexts_before)
        db.execute("DELETE FROM updates WHERE status = 'done' AND received_at < ?", [cutoff])
        users = db.execute(
            """
            DELETE FROM users WHERE
                user_id NOT IN (SELECT user_id FROM questions WHERE user_id IS NOT NULL)
                AND user_id NOT IN (SELECT user_id FROM tickets WHERE user_id IS NOT NULL)
                AND user_id NOT IN (SELECT user_id FROM forms)
                AND first_seen < ?
            """,
            [cutoff],
        ).rowcount
        return questions, users

    # -- reports ----------------------------------------------------------------------

    def check(self) -> None:
        """Raise if the database cannot be read (the health report)."""
        self.db.execute("SELECT count(*) FROM questions").fetchone()

    def unanswered_questions(self, since: float, limit: int = 500) -> list[str]:
        """Texts of questions since ``since`` that fell back or were rated unhelpful,
        newest first; erased ones (text NULL) left out."""
        rows = self.db.execute(
            """
            SELECT q.text FROM questions q
            LEFT JOIN feedback f ON f.question_id = q.id
            WHERE q.ts >= ? AND q.text IS NOT NULL AND (q.kind = 'fallback' OR f.helpful = 0)
            ORDER BY q.id DESC LIMIT ?
            """,
            [since, limit],
        ).fetchall()
        return [text for (text,) in rows]

    def counts(self) -> dict[str, Any]:
        db = self.db
        by_kind = {
            row[0]: row[1]
            for row in db.execute("SELECT kind, count(*) FROM questions GROUP BY kind").fetchall()
        }
        helpful = db.execute("SELECT coalesce(sum(helpful), 0), count(*) FROM feedback").fetchone()
        return {
            "questions": sum(by_kind.values()),
            "by_kind": by_kind,
            "helpful": int(helpful[0]),
            "feedback": int(helpful[1]),
            "blocked_users": db.execute(
                "SELECT count(*) FROM users WHERE blocked_at IS NOT NULL"
            ).fetchone()[0],
        }


def ticket_ref(ticket_id: int) -> str:
    """The reference enquirers and staff quote: #A-0042."""
    return f"#A-{ticket_id:04d}"


@dataclass(frozen=True)
class FormRow:
    user_id: int
    chat_id: int
    step: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Ticket:
    id: int
    user_id: int | None  # None once erased
    chat_id: int | None
    name: str
    organisation: str
    reply_via: str
    email: str | None
    topic: str
    message: str
    recent_questions: list[str]
    status: str
    claimed_by: str | None
    created_at: float
    first_reply_at: float | None
    resolved_at: float | None
    staff_chat_id: int | None
    card_message_id: int | None
    enquirer_blocked: bool
    erased_at: float | None = None
    closed_by_enquirer: bool = False

    @property
    def ref(self) -> str:
        return ticket_ref(self.id)

    @property
    def is_open(self) -> bool:
        return self.status != "resolved"


@dataclass(frozen=True)
class OutboxItem:
    id: int
    chat_id: int
    action: str
    text: str
    keyboard: list[list[dict[str, str]]] | None
    ticket_id: int | None
    reply_to_message_id: int | None
    maps_to_ticket: bool
    attempts: int
    from_chat_id: int | None = None  # action "copy": the message to copy
    from_message_id: int | None = None
    parts_sent: int = 0  # of a long text, the parts Telegram already took
    first_message_id: int | None = None  # Telegram's id of its first part, once sent


@dataclass
class Outgoing:
    """A message for the outbox, written in the same transaction as its cause.

    ``action`` "copy" copies message ``from_message_id`` of chat ``from_chat_id`` (a photo,
    document or voice note) with ``text`` as its caption."""

    chat_id: int
    text: str
    keyboard: list[list[dict[str, str]]] | None = None
    ticket_id: int | None = None
    action: str = "send"
    reply_to_message_id: int | None = None
    maps_to_ticket: bool = False
    from_chat_id: int | None = None
    from_message_id: int | None = None


def _ticket(row: dict[str, Any]) -> Ticket:
    row = dict(row)
    row["recent_questions"] = json.loads(row["recent_questions"] or "[]")
    row["enquirer_blocked"] = bool(row["enquirer_blocked"])
    row["closed_by_enquirer"] = bool(row.get("closed_by_enquirer"))
    return Ticket(**row)


class ContactStore:
    """Forms, tickets and the outbox. Methods that change several rows take the caller's
    transaction (``Storage.transaction``) so a ticket and its messages commit together."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    @property
    def db(self) -> Database:
        return self.storage.db

    # -- forms ------------------------------------------------------------------------

    def form(self, user_id: int) -> FormRow | None:
        row = self.db.execute(
            "SELECT user_id, chat_id, step, data FROM forms WHERE user_id = ?", [user_id]
        ).fetchone()
        if row is None:
            return None
        return FormRow(row[0], row[1], row[2], json.loads(row[3]))

    def save_form(self, user_id: int, chat_id: int, step: str, data: dict[str, Any]) -> None:
        # One statement: sqlite-utils' upsert first reads the schema (about 6 queries).
        self.db.execute(
            "INSERT INTO forms (user_id, chat_id, step, data, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id,"
            " step = excluded.step, data = excluded.data, updated_at = excluded.updated_at",
            [user_id, chat_id, step, json.dumps(data, ensure_ascii=False), time.time()],
        )

    def clear_form(self, user_id: int) -> None:
        self.db.execute("DELETE FROM forms WHERE user_id = ?", [user_id])

    # -- tickets ----------------------------------------------------------------------

    def create_ticket(self, fields: dict[str, Any]) -> Ticket:
        table = self.db.table("tickets")
        table.insert(
            {
                **fields,
                "recent_questions": json.dumps(fields.get("recent_questions", [])),
                "status": "open",
                "created_at": time.time(),
            }
        )
        ticket_id = table.last_pk
        assert ticket_id is not None
        ticket = self.ticket(int(ticket_id))
        assert ticket is not None
        return ticket

    def ticket(self, ticket_id: int) -> Ticket | None:
        rows = list(self.db.table("tickets").rows_where("id = ?", [ticket_id]))
        return _ticket(rows[0]) if rows else None

    def update_ticket(self, ticket_id: int, **changes: Any) -> Ticket:
        self.db.table("tickets").update(ticket_id, changes)
        ticket = self.ticket(ticket_id)
        assert ticket is not None
        return ticket

    def open_ticket_of(self, user_id: int) -> Ticket | None:
        row = self.db.execute(
            "SELECT id FROM tickets WHERE user_id = ? AND status != 'resolved'"
            " ORDER BY id DESC LIMIT 1",
            [user_id],
        ).fetchone()
        return self.ticket(row[0]) if row else None

    def tickets_of(self, user_id: int) -> list[Ticket]:
        rows = self.db.table("tickets").rows_where("user_id = ?", [user_id], order_by="id")
        return [_ticket(row) for row in rows]

    def resolved_before(self, cutoff: float) -> list[Ticket]:
        """Tickets resolved before ``cutoff`` and not erased yet (the retention purge)."""
        rows = self.db.table("tickets").rows_where(
            "status = ? AND resolved_at < ? AND erased_at IS NULL",
            [TicketStatus.RESOLVED, cutoff],
            order_by="id",
        )
        return [_ticket(row) for row in rows]

    def ticket_counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, count(*) FROM tickets GROUP BY status").fetchall()
        return {status: n for status, n in rows}

    def first_reply_waits(self) -> list[float]:
        """Seconds from each ticket's creation to its first staff reply."""
        rows = self.db.execute(
            "SELECT first_reply_at - created_at FROM tickets WHERE first_reply_at IS NOT NULL"
        ).fetchall()
        return [row[0] for row in rows]

    def ticket_messages(self, ticket_id: int) -> list[tuple[float, str, str, str, str | None]]:
        """(time, direction, author, text, attachment) of a ticket's messages, in order."""
        return [
            tuple(row)
            for row in self.db.execute(
                "SELECT ts, direction, author, text, attachment FROM ticket_messages"
                " WHERE ticket_id = ? ORDER BY id",
                [ticket_id],
            ).fetchall()
        ]

    def erase_contact_data(self, user_id: int) -> None:
        """Messages still waiting for ``user_id``'s chat, pointers to their messages in
        relays, and their form in progress (their tickets are erased one by one)."""
        db = self.db
        db.execute("DELETE FROM outbox WHERE chat_id = ?", [user_id])
        db.execute(
            "UPDATE outbox SET from_chat_id = NULL, from_message_id = NULL WHERE from_chat_id = ?",
            [user_id],
        )
        self.clear_form(user_id)

    def purge_contact_data(self, cutoff: float) -> tuple[int, int]:
        """Finished outbox rows and forms untouched since before ``cutoff``; how many."""
        outbox = self.db.execute(
            "DELETE FROM outbox WHERE status != ? AND created_at < ?",
            [OutboxStatus.PENDING, cutoff],
        ).rowcount
        forms = self.db.execute("DELETE FROM forms WHERE updated_at < ?", [cutoff]).rowcount
        return outbox, forms

    def blocked_tickets_of(self, user_id: int) -> list[Ticket]:
        rows = self.db.table("tickets").rows_where(
            "user_id = ? AND enquirer_blocked = 1", [user_id], order_by="id"
        )
        return [_ticket(row) for row in rows]

    def tickets(self, statuses: tuple[str, ...] | None = None, limit: int = 50) -> list[Ticket]:
        table = self.db.table("tickets")
        if statuses:
            marks = ", ".join("?" for _ in statuses)
            rows = table.rows_where(f"status IN ({marks})", list(statuses), order_by="id")
        else:
            rows = table.rows_where(order_by="id desc", limit=limit)
        return [_ticket(row) for row in rows]

    def log_ticket_message(
        self,
        ticket_id: int,
        direction: str,
        author: str,
        text: str,
        attachment: str | None = None,
    ) -> int:
        """Record a message of a ticket's conversation; return its id."""
        cursor = self.db.execute(
            "INSERT INTO ticket_messages (ticket_id, direction, author, text, ts, attachment)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [ticket_id, direction, author, text, time.time(), attachment],
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def erase_ticket(self, ticket: Ticket) -> Ticket:
        """Empty a ticket's personal fields, its messages' texts and its outbox rows (a
        queued row is dropped; a delivered one keeps no text). Returns the erased ticket."""
        erased = self.update_ticket(
            ticket.id,
            user_id=None,
            chat_id=None,
            name="",
            organisation="",
            email=None,
            message="",
            recent_questions="[]",
            erased_at=time.time(),
            # A request the enquirer closed names them as its resolver.
            claimed_by=None if ticket.claimed_by == ticket.name else ticket.claimed_by,
        )
        db = self.db
        db.execute(
            "UPDATE ticket_messages SET text = '', author = '' WHERE ticket_id = ?", [ticket.id]
        )
        if ticket.card_message_id is None:  # the card itself is not out yet: drop it too
            db.execute(
                "DELETE FROM outbox WHERE ticket_id = ? AND status = ?",
                [ticket.id, OutboxStatus.PENDING],
            )
        else:
            db.execute(
                "DELETE FROM outbox WHERE ticket_id = ? AND action != ? AND status = ?",
                [ticket.id, OutboxAction.CARD, OutboxStatus.PENDING],
            )
        db.execute(
            "UPDATE outbox SET text = '', from_chat_id = NULL, from_message_id = NULL"
            " WHERE ticket_id = ?",
            [ticket.id],
        )
        return erased

    def map_staff_message(self, chat_id: int, message_id: int, ticket_id: int) -> None:
        self.db.table("staff_messages").upsert(
            {"chat_id": chat_id, "message_id": message_id, "ticket_id": ticket_id},
            pk=("chat_id", "message_id"),
        )

    def ticket_of_staff_message(self, chat_id: int, message_id: int) -> Ticket | None:
        row = self.db.execute(
            "SELECT ticket_id FROM staff_messages WHERE chat_id = ? AND message_id = ?",
            [chat_id, message_id],
        ).fetchone()
        return self.ticket(row[0]) if row else None

    # -- outbox -----------------------------------------------------------------------

    def enqueue(self, *messages: Outgoing) -> None:
        now = time.time()
        self.db.table("outbox").insert_all(
            {
                "chat_id": m.chat_id,
                "action": m.action,
                "text": m.text,
                "keyboard": json.dumps(m.keyboard) if m.keyboard is not None else None,
                "ticket_id": m.ticket_id,
                "reply_to_message_id": m.reply_to_message_id,
                "maps_to_ticket": int(m.maps_to_ticket),
                "from_chat_id": m.from_chat_id,
                "from_message_id": m.from_message_id,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for m in messages
        )

    def due(self, now: float | None = None) -> list[OutboxItem]:
        """The oldest pending message of each chat, if it is due: delivery is in order
        per chat, and one chat waiting out a failure does not hold up the others."""
        now = time.time() if now is None else now
        rows = self.db.execute(
            """
            SELECT o.* FROM outbox o
            JOIN (SELECT chat_id, min(id) AS id FROM outbox WHERE status = 'pending'
                  GROUP BY chat_id) first ON first.id = o.id
            WHERE o.next_attempt_at <= ?
            ORDER BY o.id
            """,
            [now],
        ).fetchall()
        columns = [c.name for c in self.db.table("outbox").columns]
        items = []
        for values in rows:
            row = dict(zip(columns, values, strict=True))
            items.append(
                OutboxItem(
                    id=row["id"],
                    chat_id=row["chat_id"],
                    action=row["action"],
                    text=row["text"],
                    keyboard=json.loads(row["keyboard"]) if row["keyboard"] else None,
                    ticket_id=row["ticket_id"],
                    reply_to_message_id=row["reply_to_message_id"],
                    maps_to_ticket=bool(row["maps_to_ticket"]),
                    attempts=row["attempts"],
                    from_chat_id=row["from_chat_id"],
                    from_message_id=row["from_message_id"],
                    parts_sent=row["parts_sent"],
                    first_message_id=row["sent_message_id"],
                )
            )
        return items

    def next_due_at(self) -> float | None:
        row = self.db.execute(
            "SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending'"
        ).fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def mark_part_sent(self, item: OutboxItem, parts_sent: int, message_id: int) -> None:
        """Part ``parts_sent`` of a long message was delivered as ``message_id``: record
        it (and map it to its ticket, so staff can reply to any part) before the next."""
        with self.storage.transaction():
            self.db.execute(
                "UPDATE outbox SET parts_sent = ?, sent_message_id = coalesce(sent_message_id, ?)"
                " WHERE id = ? AND status = ?",
                [parts_sent, message_id, item.id, OutboxStatus.PENDING],
            )
            if item.maps_to_ticket and item.ticket_id is not None:
                self.map_staff_message(item.chat_id, message_id, item.ticket_id)

    def mark_sent(self, item: OutboxItem, message_id: int | None) -> bool:
        """Record the delivery; False when the row was erased or cancelled meanwhile
        (/forget while Telegram was answering), in which case nothing is mapped."""
        with self.storage.transaction():
            changed = self.db.execute(
                "UPDATE outbox SET status = ?, sent_at = ?,"
                " sent_message_id = coalesce(sent_message_id, ?)"
                " WHERE id = ? AND status = ?",
                [OutboxStatus.SENT, time.time(), message_id, item.id, OutboxStatus.PENDING],
            ).rowcount
            if changed and item.maps_to_ticket and item.ticket_id is not None and message_id:
                self.map_staff_message(item.chat_id, message_id, item.ticket_id)
            if item.action == OutboxAction.CARD and item.ticket_id is not None and message_id:
                # Recorded even when erased meanwhile: the card is in the chat, to be edited.
                self.update_ticket(item.ticket_id, card_message_id=message_id)
        return bool(changed)

    def mark_retry(self, item: OutboxItem, error: str, delay: float) -> None:
        self.db.execute(
            "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
            [item.attempts + 1, time.time() + delay, error[:500], item.id],
        )

    def mark_final(self, item: OutboxItem, status: OutboxStatus, error: str) -> None:
        """Give up on a message: ``failed`` (Telegram refused it) or ``blocked``."""
        self.db.execute(
            "UPDATE outbox SET status = ?, attempts = ?, last_error = ?"
            " WHERE id = ? AND status = ?",
            [status, item.attempts + 1, error[:500], item.id, OutboxStatus.PENDING],
        )

    def outbox_counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall()
        return {status: count for status, count in rows}
