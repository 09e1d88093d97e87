"""SQLite storage through sqlite-utils, with its schema evolved by ``Migrations``.

Everything that must survive a restart lives in this database: the conversation log
(every question with its kind, entry and score), feedback presses, the users who
blocked the bot, the context of follow-ups and each chat's language (``Storage``,
here); contact forms, tickets, the map from staff-chat messages to tickets and the
outbox of messages still to be delivered (``ContactStore``, bot/storage/contacts.py);
draft entries made of staff answers (bot/storage/curation.py); the update journal
(bot/storage/journal.py). The schema is bot/storage/migrations.py. The database runs in
WAL mode with ``synchronous=NORMAL``: a commit survives the process being killed, and
the bot never waits for a disk flush per message.

Nothing here knows about Telegram; ids are plain integers.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from bot.common.languages import Language
from bot.storage.migrations import migrations

CONTEXT_TTL = 30 * 60  # seconds a previous answer stays the context of a follow-up
_LANGUAGES = {language.value: language for language in Language}


@dataclass(frozen=True)
class ConversationContext:
    entry_id: str
    question: str
    ts: float


@dataclass(frozen=True)
class ChatLanguage:
    """The language a chat is in: ``chosen`` with /language (it wins over detection), or
    else the language of its last message."""

    language: Language
    chosen: bool
    # When a message of the chat last set or confirmed it (bookkeeping, not compared).
    ts: float = field(default=0.0, compare=False)


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
    language: str = "en"  # the language it was answered in


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
        language: str = "en",
        ts: float | None = None,
    ) -> int:
        """Record one incoming question, how it was classified and the language it was
        answered in; return its id."""
        # Plain SQL on this path: it runs for every message, and sqlite-utils' table
        # helpers look the schema up on each call.
        now = time.time() if ts is None else ts
        cursor = self.db.execute(
            "INSERT INTO questions (ts, user_id, chat_id, text, kind, entry_id, score, language)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [now, user_id, chat_id, text, kind, entry_id, score, language],
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

    # -- the chat's language -----------------------------------------------------------

    def chat_language(self, chat_id: int) -> ChatLanguage | None:
        """The chat's language, or None before its first message (or for a language the
        bot no longer speaks)."""
        row = self.db.execute(
            "SELECT language, chosen, ts FROM chat_languages WHERE chat_id = ?", [chat_id]
        ).fetchone()
        language = _LANGUAGES.get(row[0]) if row is not None else None
        if language is None:
            return None
        return ChatLanguage(language, bool(row[1]), row[2])

    def note_language(self, chat_id: int, user_id: int, language: Language) -> None:
        """A message of the chat was in ``language``: it becomes the chat's language,
        unless the enquirer chose one (the row's time still says the chat is in use)."""
        self.db.execute(
            "INSERT INTO chat_languages (chat_id, user_id, language, chosen, ts)"
            " VALUES (?, ?, ?, 0, ?) ON CONFLICT (chat_id) DO UPDATE SET"
            " user_id = excluded.user_id, ts = excluded.ts,"
            " language = CASE WHEN chosen THEN language ELSE excluded.language END",
            [chat_id, user_id, language.value, time.time()],
        )

    def choose_language(self, chat_id: int, user_id: int, language: Language | None) -> None:
        """The enquirer picked ``language`` (/language); None: detect it again per
        message (the chat keeps its current language as the prior)."""
        if language is None:
            self.db.execute(
                "UPDATE chat_languages SET chosen = 0, user_id = ?, ts = ? WHERE chat_id = ?",
                [user_id, time.time(), chat_id],
            )
            return
        self.db.execute(
            "INSERT OR REPLACE INTO chat_languages (chat_id, user_id, language, chosen, ts)"
            " VALUES (?, ?, ?, 1, ?)",
            [chat_id, user_id, language.value, time.time()],
        )

    def languages_of(self, user_id: int) -> list[tuple[float, str, bool]]:
        """(time, language, chosen) of every chat language kept for ``user_id``."""
        return [
            (ts, language, bool(chosen))
            for ts, language, chosen in self.db.execute(
                "SELECT ts, language, chosen FROM chat_languages WHERE user_id = ?"
                " ORDER BY chat_id",
                [user_id],
            ).fetchall()
        ]

    # -- users ------------------------------------------------------------------------

    def mark_blocked(self, user_id: int, blocked: bool = True) -> None:
        """Remember that the user blocked the bot (Telegram answered 403)."""
        with self.db.atomic():
            self._seen(user_id, None)
            self.db.table("users").update(user_id, {"blocked_at": time.time() if blocked else None})

    def is_blocked(self, user_id: int) -> bool:
        # One statement: it runs before every update (sqlite-utils' rows_where would
        # first ask sqlite_master whether the table exists).
        return self.blocked_at(user_id) is not None

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
        drop their follow-up context, chat language, users row and journaled updates."""
        db = self.db
        db.execute(
            "UPDATE questions SET text = NULL, user_id = NULL, chat_id = NULL WHERE user_id = ?",
            [user_id],
        )
        db.execute("UPDATE feedback SET user_id = NULL WHERE user_id = ?", [user_id])
        self.forget_context(user_id)
        db.execute("DELETE FROM chat_languages WHERE user_id = ?", [user_id])
        db.execute("DELETE FROM users WHERE user_id = ?", [user_id])
        db.execute("DELETE FROM updates WHERE user_id = ?", [user_id])

    def purge_personal(self, cutoff: float, contexts_before: float) -> tuple[int, int]:
        """Anonymise questions and feedback older than ``cutoff``, drop older contexts,
        chat languages not used since, finished journal rows and users nothing refers
        to; (questions, users) changed."""
        db = self.db
        questions = db.execute(
            "UPDATE questions SET text = NULL, user_id = NULL, chat_id = NULL"
            " WHERE ts < ? AND (text IS NOT NULL OR user_id IS NOT NULL)",
            [cutoff],
        ).rowcount
        db.execute("UPDATE feedback SET user_id = NULL WHERE ts < ?", [cutoff])
        self.purge_contexts(contexts_before)
        db.execute("DELETE FROM chat_languages WHERE ts < ?", [cutoff])
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
