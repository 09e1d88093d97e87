"""Replies to an update: handled exactly once, then sent, on one policy.

A reply to the person who wrote goes out at once, under bot/telegram/delivery.py's short
retry; anything for another chat (staff notices: a user blocked the bot, an error) is
queued in the outbox and sent by its sender, so no update's handler waits on the staff
chat's rate limit. ``services`` is looked up on every call: a reload replaces it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
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
from bot.telegram.render import Rows, escape, render, reply_markup

log = logging.getLogger(__name__)
# One reply to send: {"chat_id", "text" (HTML), "keyboard"} or {"chat_id", "file_name",
# "text"}; plain JSON so the update journal can store it.
Delivery = dict[str, Any]


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

    async def once(self, update: Update, decide: Callable[[], list[Delivery]]) -> None:
        """Handle an update exactly once, then send its replies.

        ``decide`` changes state and returns the replies; it runs in one transaction
        with the journal recording those replies, so after a crash the update is not
        handled again: its recorded replies are sent (again) instead."""
        journal = self.journal.journal
        replies = None
        if update.update_id in self.journal.answered_before:
            replies = journal.replies_of(update.update_id)
        if replies is None:
            with self.services.storage.transaction():
                replies = decide()
                journal.answered(update.update_id, replies)
        await self.send_all(replies)

    def deliveries(self, chat_id: int, turns: Sequence[Turn]) -> list[Delivery]:
        """Render turns into the messages (or files) to send, as JSON-ready dicts."""
        out: list[Delivery] = []
        for turn in turns:
            kb = self.kb.translated(turn.reply.lang)  # the buttons speak the reply's language
            for outgoing in render(
                turn.reply,
                question_id=turn.question_id,
                helpful=kb.message("button_helpful"),
                not_helpful=kb.message("button_not_helpful"),
            ):
                out.append(
                    {"chat_id": chat_id, "text": outgoing.text, "keyboard": outgoing.keyboard}
                )
            if turn.file_name:  # the whole of it, attached under the summary
                out.append(
                    {
                        "chat_id": chat_id,
                        "file_name": turn.file_name,
                        "text": turn.file_text,
                        "caption": escape(kb.message("mydata_file_caption")),
                    }
                )
        return out

    async def send_all(self, deliveries: Sequence[Delivery]) -> None:
        blocked: set[int] = set()
        for item in deliveries:
            chat_id = int(item["chat_id"])
            if chat_id in blocked:
                continue
            if item.get("file_name"):
                sent = await self.send_file(
                    chat_id, item["file_name"], item["text"], item.get("caption")
                )
            else:
                sent = await self.send_html(chat_id, item["text"], item.get("keyboard"))
            if sent is None:
                blocked.add(chat_id)

    async def send_html(
        self, chat_id: int, text: str, keyboard: Rows | None = None
    ) -> dict[str, Any] | None:
        """Send one HTML message; a blocked chat is recorded and staff are told.

        Returns the sent message as the Bot API's JSON: the raw call skips building a
        PTB Message nobody reads (the rate limiter and error mapping still apply)."""
        bot = self.bot
        params: dict[str, Any] = {
            "chat_id": chat_id,
            "text": text,
            "parse_mode": ParseMode.HTML,
            "link_preview_options": {"is_disabled": True},
        }
        if keyboard:
            params["reply_markup"] = reply_markup(keyboard)
        try:
            sent: dict[str, Any] = await send_now(
                lambda: bot.do_api_request("sendMessage", api_kwargs=params), chat_id=chat_id
            )
        except Blocked:
            await self.on_blocked(chat_id)
            return None
        return sent

    async def send_file(
        self, chat_id: int, name: str, text: str, caption: str | None = None
    ) -> object | None:
        """Send ``text`` as a document (for /mydata when it is long)."""
        document = InputFile(text.encode(), filename=name)
        try:
            sent: object = await send_now(
                lambda: self.bot.send_document(
                    chat_id, document, caption=caption, parse_mode=ParseMode.HTML
                ),
                chat_id=chat_id,
            )
            return sent
        except Blocked:
            await self.on_blocked(chat_id)
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
