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

Commits are what an update costs here, so they are shared. With long polling, the
whole batch a getUpdates call returns is recorded in one commit before the next call
acknowledges it (``JournalingRequest``, the connection PTB polls through). An update
whose replies are out is marked done in the commit of the next update's replies when
more updates are waiting, and at once when none is: under load an update costs one
commit, its handler's. The price is a wider window for a repeat: a crash after an
update's replies are sent and before the next update's commit sends them again after
the restart (never a lost reply, and never a second handling: its replies are stored).

The table and its queries are ``UpdateJournal`` (bot/storage/journal.py); here are the
application's update queue (``JournalQueue``), the connection PTB polls through
(``JournalingRequest``) and what is kept of an update (``payload_of``).
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Chat, Message, Update, User
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.storage.journal import UpdateJournal

# At most this many done marks wait for a commit to ride on.
DONE_LATER_MAX = 100


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
        self._recorded: dict[int, bool] = {}  # polled ids journaled, and whether to handle

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            if item.update_id in self._queued:
                return  # delivered again while the first delivery waits in the queue
            needed = self._recorded.pop(item.update_id, None)
            if needed is None:  # not polled: a webhook's update, or a replayed one
                user = item.effective_user
                payload = payload_of(item)
                needed = self.journal.record(item.update_id, payload, user.id if user else None)
            if not needed:
                return  # handled before: a redelivery
            self._queued.add(item.update_id)
        await super().put(item)

    def record_batch(self, raw_updates: list[dict[str, Any]]) -> None:
        """Journal a getUpdates batch (Bot API JSON) in one commit; ``put`` then only
        looks up what was decided for each."""
        rows = [(u["update_id"], u, _user_id(u)) for u in raw_updates if "update_id" in u]
        needed = self.journal.record_batch(rows)
        self._recorded.update((row[0], row[0] in needed) for row in rows)

    def handled(self, update_id: int) -> None:
        """An update's replies are out. With more updates waiting, its done mark rides on
        the next commit (module docstring); with none, it is written now."""
        if self.qsize() and self.journal.waiting_done() < DONE_LATER_MAX:
            self.journal.done_later(update_id)
        else:
            self.journal.done(update_id)
        self._queued.discard(update_id)
        self.answered_before.discard(update_id)


def _user_id(raw: dict[str, Any]) -> int | None:
    """The sender of a Bot API update (its one object's ``from`` or ``user``), if any."""
    for key, value in raw.items():
        if key != "update_id" and isinstance(value, dict):
            sender = value.get("from") or value.get("user")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return int(sender["id"])
    return None


class JournalingRequest(BaseRequest):
    """The connection PTB polls getUpdates through: each batch is journaled, in one
    commit, as it arrives, before PTB reads it (and so before the next call
    acknowledges it). Every call goes through ``inner``."""

    def __init__(self, queue: JournalQueue, inner: BaseRequest | None = None) -> None:
        # PTB's own default for the getUpdates connection: one connection, HTTP/1.1.
        self.inner = inner if inner is not None else HTTPXRequest(connection_pool_size=1)
        self.queue = queue
        self._polling = False  # whether the answer being parsed is getUpdates'

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *a: Any, **k: Any
    ) -> tuple[int, bytes]:
        self._polling = url.endswith("/getUpdates")
        return await self.inner.do_request(url, method, request_data, *a, **k)

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        # BaseRequest.post (final) parses every answer here; a getUpdates batch is
        # journaled before post returns it to PTB.
        data: dict[str, Any] = BaseRequest.parse_json_payload(payload)
        result = data.get("result")
        if self._polling and data.get("ok") and isinstance(result, list):
            self.queue.record_batch(result)
        return data
