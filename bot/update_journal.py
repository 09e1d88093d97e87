"""The update journal: every update is saved before Telegram learns it was received.

python-telegram-bot acknowledges an update before handling it: with long polling by
asking for the next ones, with a webhook by answering 200. Both go through the
application's update queue first, so the queue here writes each update to SQLite
(committed) before it is queued: a crash between acknowledgement and handling leaves
the update ``pending``, and it is handled after the restart.

Handling is made safe to repeat: the handler's database changes and the replies it
decided on are committed in one transaction together with the update's move from
``pending`` to ``answered`` (the replies are stored with it). A replayed ``answered``
update only sends its stored replies again; it is not handled a second time. Once the
replies are out, the update is ``done``.

Telegram delivers again what was not acknowledged, and retries webhooks, so updates
are deduplicated by id against the set of ids seen (not a maximum: ids start again
from a random value after a quiet week, which is also why ids older than a week are
forgotten). A finished update keeps only its id and time; its content is erased.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from telegram import Chat, Message, Update, User

from bot.storage import Storage

KEEP_IDS_SECONDS = 8 * 86400


class UpdateJournal:
    def __init__(self, storage: Storage) -> None:
        self.storage = storage

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
        """Record the replies decided for an update; call inside the handler's transaction."""
        self.storage.db.execute(
            "UPDATE updates SET status = 'answered', replies = ? WHERE update_id = ?",
            [json.dumps(replies, ensure_ascii=False), update_id],
        )

    def replies_of(self, update_id: int) -> list[dict[str, Any]] | None:
        """The replies of an update handled before a restart, if it was."""
        row = self.storage.db.execute(
            "SELECT replies FROM updates WHERE update_id = ? AND status = 'answered'", [update_id]
        ).fetchone()
        return json.loads(row[0]) if row and row[0] is not None else None

    def done(self, update_id: int) -> None:
        self.storage.db.execute(
            "UPDATE updates SET status = 'done', payload = NULL, replies = NULL"
            " WHERE update_id = ?",
            [update_id],
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


def _chat(chat: Chat) -> dict[str, Any]:
    out: dict[str, Any] = {"id": chat.id, "type": chat.type}
    if chat.title:
        out["title"] = chat.title
    return out


def _user(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    out: dict[str, Any] = {"id": user.id, "is_bot": user.is_bot, "first_name": user.first_name}
    if user.username:
        out["username"] = user.username
    return out


def _message(message: Message, with_reply: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "message_id": message.message_id,
        "date": int(message.date.timestamp()),
        "chat": _chat(message.chat),
    }
    if message.from_user is not None:
        out["from"] = _user(message.from_user)
    if message.text is not None:
        out["text"] = message.text
    if message.entities:
        out["entities"] = [e.to_dict() for e in message.entities]
    if with_reply and message.reply_to_message is not None:
        out["reply_to_message"] = _message(message.reply_to_message, with_reply=False)
    return out


def payload_of(update: Update) -> dict[str, Any]:
    """What the journal keeps of an update: enough to handle it again.

    Text messages and button presses (nearly all traffic) are written field by field,
    which costs a few microseconds; PTB's generic ``to_dict`` costs hundreds. Anything
    else (a sticker, a photo) is kept whole.
    """
    message = update.message
    if message is not None and message.text is not None:  # a text message has no media
        return {"update_id": update.update_id, "message": _message(message)}
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        press: dict[str, Any] = {
            "id": query.id,
            "from": _user(query.from_user),
            "chat_instance": query.chat_instance,
            "message": _message(query.message, with_reply=False),
        }
        if query.data is not None:
            press["data"] = query.data
        return {"update_id": update.update_id, "callback_query": press}
    return update.to_dict()


class JournalQueue(asyncio.Queue[object]):
    """The application's update queue, journaling each update before queuing it."""

    def __init__(self, journal: UpdateJournal) -> None:
        super().__init__()
        self.journal = journal
        self._queued: set[int] = set()  # ids queued by this process and not yet handled
        self.answered_before: set[int] = set()  # replayed ids whose replies are stored

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            if item.update_id in self._queued:
                return  # delivered again while the first delivery waits in the queue
            user = item.effective_user
            if not self.journal.record(item.update_id, payload_of(item), user.id if user else None):
                return  # handled before: a redelivery
            self._queued.add(item.update_id)
        await super().put(item)

    def handled(self, update_id: int) -> None:
        self.journal.done(update_id)
        self._queued.discard(update_id)
        self.answered_before.discard(update_id)
