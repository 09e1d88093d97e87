"""Replies to an update: handled exactly once, then sent, on one policy.

A reply to the person who wrote goes out at once, under bot/telegram/delivery.py's short
retry; anything for another chat (staff notices: a user blocked the bot, an error) is
queued in the outbox and sent by its sender, so no update's handler waits on the staff
chat's rate limit. Both are the one type for a message to send (``Outgoing``); the
update journal keeps an update's replies as its JSON until they are out. ``services``
is looked up on every call: a reload replaces it.
"""

from __future__ import annotations

import contextlib
import html
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import CallbackQuery, InputFile, Update
from telegram.constants import ParseMode

from bot.conversation.dialogue import Turn
from bot.knowledge.base import KnowledgeBase
from bot.operations.services import Services
from bot.storage.outbox import Outgoing
from bot.telegram.delivery import Blocked, send_now
from bot.telegram.journal import JournalQueue
from bot.telegram.outbox import OutboxSender
from bot.telegram.render import escape, render, send_message_params

log = logging.getLogger(__name__)


class Replies:
    def __init__(
        self,
        services: Callable[[], Services],
        journal: JournalQueue,
        bot: Callable[[], Any],
        outbox: OutboxSender,
    ) -> None:
        self._services = services
        self.journal = journal
        self._bot = bot
        self.outbox = outbox

    @property
    def services(self) -> Services:
        return self._services()

    @property
    def kb(self) -> KnowledgeBase:
        return self._services().kb

    @property
    def bot(self) -> Any:
        return self._bot()

    async def acknowledge(self, query: CallbackQuery, text: str | None = None) -> None:
        with contextlib.suppress(Blocked):
            await send_now(lambda: query.answer(text=text))

    async def once(self, update: Update, decide: Callable[[], list[Outgoing]]) -> None:
        """Handle an update exactly once, then send its replies.

        ``decide`` changes state and returns the replies; it runs in one transaction
        with the journal recording those replies, so after a crash the update is not
        handled again: its recorded replies are sent (again) instead."""
        journal = self.journal.journal
        stored = None
        if update.update_id in self.journal.answered_before:
            stored = journal.replies_of(update.update_id)
        if stored is not None:
            replies = [stored_reply(reply) for reply in stored]
        else:
            with self.services.storage.transaction():
                replies = decide()
                journal.answered(update.update_id, [reply.as_json() for reply in replies])
        await self.send_all(replies)

    def replies_to(self, chat_id: int, turns: Sequence[Turn]) -> list[Outgoing]:
        """The messages (and files) that show ``turns`` in chat ``chat_id``."""
        out: list[Outgoing] = []
        for turn in turns:
            kb = self.kb.translated(turn.reply.lang)  # the buttons speak the reply's language
            out.append(
                render(
                    turn.reply,
                    chat_id,
                    question_id=turn.question_id,
                    helpful=kb.message("button_helpful"),
                    not_helpful=kb.message("button_not_helpful"),
                )
            )
            if turn.file_name:  # the whole of it, attached under the summary
                caption = kb.message("mydata_file_caption")
                out.append(
                    Outgoing(chat_id, caption, file_name=turn.file_name, file_text=turn.file_text)
                )
        return out

    async def send_all(self, replies: Sequence[Outgoing]) -> None:
        blocked: set[int] = set()
        for reply in replies:
            if reply.chat_id in blocked:
                continue
            sent = await (self.send_file(reply) if reply.file_name else self.send(reply))
            if sent is None:
                blocked.add(reply.chat_id)

    async def send(self, message: Outgoing) -> dict[str, Any] | None:
        """Send a message's text, in as many parts as it takes; a blocked chat is
        recorded and staff are told.

        Returns the last part sent as the Bot API's JSON, None when the chat is blocked:
        the raw call skips building a PTB Message nobody reads (the rate limiter and
        error mapping still apply)."""
        sent: dict[str, Any] | None = None
        for params in send_message_params(
            message.chat_id, message.text, message.keyboard, message.reply_to_message_id
        ):
            try:
                sent = await send_now(self._send_message(params), chat_id=message.chat_id)
            except Blocked:
                await self.on_blocked(message.chat_id)
                return None
        return sent

    def _send_message(self, params: dict[str, Any]) -> Callable[[], Awaitable[Any]]:
        bot = self.bot
        return lambda: bot.do_api_request("sendMessage", api_kwargs=params)

    async def send_file(self, message: Outgoing) -> object | None:
        """Send ``message.file_text`` as a document, captioned with its text (for /mydata
        when it is long)."""
        document = InputFile((message.file_text or "").encode(), filename=message.file_name)
        caption = escape(message.text) if message.text else None
        try:
            sent: object = await send_now(
                lambda: self.bot.send_document(
                    message.chat_id, document, caption=caption, parse_mode=ParseMode.HTML
                ),
                chat_id=message.chat_id,
            )
            return sent
        except Blocked:
            await self.on_blocked(message.chat_id)
            return None

    async def on_blocked(self, chat_id: int) -> None:
        """A private chat refused a reply: the user blocked the bot; staff are told once."""
        if chat_id > 0:  # a private chat's id is the user's id
            already = self.services.storage.is_blocked(chat_id)
            self.services.storage.mark_blocked(chat_id)
            if not already:
                self.tell_staff(self.kb.message("staff_user_blocked", user_id=chat_id))

    def tell_staff(self, text: str) -> None:
        """A notice (plain text) for the staff chat, through the outbox: no update's
        handler waits on the staff chat's rate limit."""
        staff = self.services.settings.staff_chat_id
        if staff is None:
            return
        try:
            self.services.store.enqueue(Outgoing(staff, text))
        except Exception:  # the staff chat failing must not hide the original problem
            log.exception("could not queue a notice for the staff chat")
        self.outbox.wake()


def stored_reply(data: dict[str, Any]) -> Outgoing:
    """A reply the update journal kept (``Outgoing.as_json``). One kept by a version
    before the one type for a message to send has no ``action``: its text was HTML
    already (a part of a rendered reply), a file's caption a key of its own."""
    if "action" in data:
        return Outgoing.from_json(data)
    if data.get("file_name"):
        caption = html.unescape(data.get("caption") or "")
        return Outgoing(
            data["chat_id"], caption, file_name=data["file_name"], file_text=data["text"]
        )
    return Outgoing(data["chat_id"], html.unescape(data["text"]), data.get("keyboard"))
