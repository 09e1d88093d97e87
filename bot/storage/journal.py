"""The update journal's table: every update saved before Telegram learns it was received.

An update is ``pending`` once saved, ``answered`` once its handler's changes and the
replies it decided on are committed (with the replies), and ``done`` once they are out,
when only its id and time are kept. Ids are kept a week to tell a redelivery from a new
update (Telegram may reuse them after that). Why and how the Telegram adapter journals
each update, and shares commits between them, is in bot/telegram/journal.py.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from bot.storage.database import Storage

KEEP_IDS_SECONDS = 8 * 86400


class UpdateJournal:
    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self._done_later: list[int] = []  # replies out, "done" not yet written

    def record_batch(self, updates: Sequence[tuple[int, dict[str, Any], int | None]]) -> set[int]:
        """Save several updates (id, payload, user id) in one commit; the ids of those
        that still need handling (new, or saved before and not done)."""
        if not updates:
            return set()
        now = time.time()
        ids = [update_id for update_id, _, _ in updates]
        with self.storage.transaction() as db:
            marks = ",".join("?" * len(ids))
            seen = dict(
                db.execute(
                    f"SELECT update_id, status FROM updates WHERE update_id IN ({marks})", ids
                ).fetchall()
            )
            db.conn.executemany(
                "INSERT INTO updates (update_id, received_at, user_id, status, payload)"
                " VALUES (?, ?, ?, 'pending', ?)",
                [
                    (update_id, now, user_id, json.dumps(payload, ensure_ascii=False))
                    for update_id, payload, user_id in dict(
                        (u[0], u) for u in updates if u[0] not in seen
                    ).values()
                ],
            )
        return {i for i in ids if seen.get(i, "pending") != "done"}

    def record(self, update_id: int, payload: dict[str, Any], user_id: int | None) -> bool:
        """Save an update; True if it still needs handling, False if already handled."""
        db = self.storage.db
        inserted = db.execute(
            "INSERT OR IGNORE INTO updates (update_id, received_at, user_id, status, payload)"
            " VALUES (?, ?, ?, 'pending', ?)",
            [update_id, time.time(), user_id, json.dumps(payload, ensure_ascii=False)],
        ).rowcount
        if inserted:
            return True
        found = db.execute("SELECT status FROM updates WHERE update_id = ?", [update_id])
        return bool(found.fetchone()[0] != "done")

    def answered(self, update_id: int, replies: list[dict[str, Any]]) -> None:
        """Record the replies decided for an update; call inside the handler's transaction
        (which also marks done the updates ``done_later`` left)."""
        self.storage.db.execute(
            "UPDATE updates SET status = 'answered', replies = ? WHERE update_id = ?",
            [json.dumps(replies, ensure_ascii=False), update_id],
        )
        self._write_done()

    def replies_of(self, update_id: int) -> list[dict[str, Any]] | None:
        """The replies of an update handled before a restart, if it was."""
        row = self.storage.db.execute(
            "SELECT replies FROM updates WHERE update_id = ? AND status = 'answered'", [update_id]
        ).fetchone()
        return json.loads(row[0]) if row and row[0] is not None else None

    def done(self, update_id: int) -> None:
        """Mark an update done now (with any ``done_later`` left), in one commit."""
        self._done_later.append(update_id)
        self.flush()

    def waiting_done(self) -> int:
        return len(self._done_later)

    def done_later(self, update_id: int) -> None:
        """Mark an update done in the next commit of replies, or at the next ``flush``."""
        self._done_later.append(update_id)

    def flush(self) -> None:
        """Write the done marks still waiting."""
        if self._done_later:
            with self.storage.transaction():
                self._write_done()

    def _write_done(self) -> None:
        ids, self._done_later = self._done_later, []
        if ids:
            self.storage.db.execute(
                "UPDATE updates SET status = 'done', payload = NULL, replies = NULL"
                f" WHERE update_id IN ({','.join('?' * len(ids))})",
                ids,
            )

    def pending(self) -> list[tuple[dict[str, Any], bool]]:
        """Updates saved but not finished (the process stopped in between), oldest first,
        each with whether its replies were already decided."""
        rows = self.storage.db.execute(
            "SELECT payload, status FROM updates WHERE status != 'done'"
            " ORDER BY received_at, update_id"
        ).fetchall()
        return [(json.loads(payload), status == "answered") for payload, status in rows]

    def prune(self, now: float | None = None) -> int:
        """Forget handled ids older than a week (Telegram may reuse them after that)."""
        cutoff = (time.time() if now is None else now) - KEEP_IDS_SECONDS
        cursor = self.storage.db.execute(
            "DELETE FROM updates WHERE status = 'done' AND received_at < ?", [cutoff]
        )
        return cursor.rowcount
