"""SQLite storage through sqlite-utils, with its schema evolved by ``Migrations``.

Everything that must survive a restart lives here: the conversation log (every
question with its kind, entry and score), feedback presses and the users who blocked
the bot. The database runs in WAL mode with ``synchronous=NORMAL``: a commit survives
the process being killed, and the bot never waits for a disk flush per message.

Nothing here knows about Telegram; ids are plain integers.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
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
        migrations.apply(db)
        self._db = db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

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
        with self.db.atomic():
            self._seen(user_id, ts)
            table = self.db.table("questions")
            table.insert(
                {
                    "ts": time.time() if ts is None else ts,
                    "user_id": user_id,
                    "chat_id": chat_id,
                    "text": text,
                    "kind": kind,
                    "entry_id": entry_id,
                    "score": score,
                }
            )
            question_id = table.last_pk
            assert question_id is not None
            return int(question_id)

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

    # -- reports ----------------------------------------------------------------------

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
