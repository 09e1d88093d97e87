"""Delivering the outbox: staff cards, card edits, relays and notices, in order per chat.

Attachments (photos, documents, voice notes) are relayed with copyMessage, captioned
with the ticket's header; a caption over Telegram's 1024 UTF-16 units goes first as a
text message and the copy keeps only the header.

The sender runs as one asyncio task. Each round it takes the oldest pending message of
every chat that is due and sends them side by side (a chat waiting for its rate, as a
group at 20 messages a minute does, holds up no other chat), recording each result as
Telegram answers it:

- sent: marked sent with Telegram's message id (and mapped to its ticket, so staff can
  reply to it); a text over 4096 UTF-16 units goes in parts, each recorded as Telegram
  takes it, so a retry sends only the parts still missing;
- 429 / 5xx / timeouts / network errors: retried later, as bot/telegram/delivery.py's
  policy says; the rest of that chat waits, other chats go on; nothing is dropped
  however long Telegram is away;
- 403 (the enquirer blocked the bot): not retried; the ticket's card says so;
- other 400s: Telegram will never accept it; marked failed and logged.

A card erased (/forget) while Telegram was taking it is edited at once to show the
erasure.

Sends use a long read timeout so a slow answer from Telegram is waited for instead of
being taken for a failure and sent twice. A message is marked sent right after Telegram
confirms it; only a crash in between could repeat one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.common.lengths import MAX_CAPTION, utf16_len
from bot.conversation.tickets import TicketDesk
from bot.storage.contacts import ContactStore
from bot.storage.outbox import OutboxAction, OutboxItem, OutboxStatus
from bot.storage.tickets import Ticket
from bot.telegram.delivery import Verdict, judge
from bot.telegram.render import escape, reply_markup, reply_parameters, send_message_params

log = logging.getLogger(__name__)

IDLE_POLL = 0.5  # seconds between looks at the outbox when nothing woke the sender
SEND_TIMEOUT = 30.0


class _Settled(Exception):
    """The item was dealt with without sending anything (already marked)."""


async def _call(bot: Any, method: str, params: dict[str, Any]) -> Any:
    """One Bot API call, waiting long for the answer (see the module docstring)."""
    return await bot.do_api_request(
        method, api_kwargs=params, read_timeout=SEND_TIMEOUT, write_timeout=SEND_TIMEOUT
    )


class OutboxSender:
    def __init__(
        self,
        store: ContactStore,
        desk: Callable[[], TicketDesk],
        bot: Callable[[], Any],
        on_blocked_user: Callable[[int], None],
    ) -> None:
        self.store = store
        self._desk = desk  # the current one: the knowledge base can be reloaded
        self._bot = bot
        self._on_blocked_user = on_blocked_user
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self.run(), name="outbox-sender")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                delivered = await self.deliver_due()
            except asyncio.CancelledError:
                raise
            except Exception:  # never let one bad row stop all delivery
                log.exception("outbox round failed")
                delivered = 0
            if delivered:
                continue
            self._wake.clear()
            wait = IDLE_POLL
            next_due = self.store.next_due_at()
            if next_due is not None:
                wait = max(0.0, min(wait, next_due - time.time()))
            # asyncio.wait, not wait_for: on Python 3.11 wait_for can hold up the task's
            # cancellation at shutdown when the wake-up and the cancel coincide.
            waiter = asyncio.ensure_future(self._wake.wait())
            try:
                await asyncio.wait({waiter}, timeout=wait)
            finally:
                waiter.cancel()

    async def deliver_due(self) -> int:
        """Deliver one due message per chat, the chats side by side; return how many
        were sent. Side by side, because a send may wait for its chat's rate (a group
        takes 20 messages a minute): a relay to an enquirer must not wait behind the
        staff chat's cards."""
        items = self.store.due()
        done = await asyncio.gather(*map(self.deliver, items), return_exceptions=True)
        for item, result in zip(items, done, strict=True):
            if isinstance(result, BaseException) and not isinstance(result, Exception):
                raise result  # CancelledError, KeyboardInterrupt: not a bad row
            if isinstance(result, Exception):  # never let one bad row stop the others
                log.error("outbox message %s failed", item.id, exc_info=result)
        return sum(result is True for result in done)

    async def deliver(self, item: OutboxItem) -> bool:
        bot = self._bot()
        action = item.message.action
        try:
            if action == OutboxAction.EDIT_CARD:
                message_id: int | None = await self._edit_card(bot, item)
            elif action == OutboxAction.COPY:
                message_id = await self._copy(bot, item)
            else:
                message_id = await self._send(bot, item)
        except TelegramError as exc:
            judgement = judge(exc, item.attempts)
            if judgement.verdict is Verdict.RETRY:
                log.warning(
                    "outbox message %s: %s; retrying in %.1fs",
                    item.id,
                    judgement.reason,
                    judgement.delay,
                )
                self.store.mark_retry(item, judgement.reason, judgement.delay)
                return False
            if judgement.verdict is Verdict.BLOCKED:
                self._blocked(item, judgement.reason)
                return False
            if judgement.verdict is Verdict.REFUSED:
                log.error("outbox message %s refused by Telegram: %s", item.id, judgement.reason)
                self.store.mark_final(item, OutboxStatus.FAILED, judgement.reason)
                return False
            message_id = None  # UNCHANGED: the edit is already there
        except _Settled:
            return False
        if not self.store.mark_sent(item, message_id) and action == OutboxAction.CARD:
            self._card_erased_in_flight(item)
        return True

    def _card_erased_in_flight(self, item: OutboxItem) -> None:
        """/forget ran while Telegram was taking the card: edit it to show the erasure."""
        ticket = self._ticket(item)
        if ticket is not None:
            with self.store.storage.transaction():
                self._desk().card_changed(None, ticket)

    def _ticket(self, item: OutboxItem) -> Ticket | None:
        ticket_id = item.message.ticket_id
        return self.store.ticket(ticket_id) if ticket_id is not None else None

    def _reply_to(self, item: OutboxItem) -> int | None:
        """The message ``item`` answers: as queued, or, for a ticket's message to its staff
        chat queued before the card's id was known, the card (sent first in that chat)."""
        message = item.message
        if (
            message.reply_to_message_id
            or message.ticket_id is None
            or message.action == OutboxAction.CARD
        ):
            return message.reply_to_message_id
        ticket = self._ticket(item)
        if ticket is None or ticket.staff_chat_id != message.chat_id:
            return None
        return ticket.card_message_id

    async def _send(self, bot: Any, item: OutboxItem, text: str | None = None) -> int:
        """Send the item's text, part by part from the first one not yet sent; return
        the first part's message id."""
        message = item.message
        parts = send_message_params(
            message.chat_id,
            message.text if text is None else text,
            message.keyboard,
            self._reply_to(item),
        )
        first_id = item.first_message_id or 0
        for i in range(item.parts_sent, len(parts)):
            sent = await _call(bot, "sendMessage", parts[i])
            message_id = int(sent["message_id"])
            first_id = first_id or message_id
            if len(parts) > 1 or text is not None:  # more to send after this part
                self.store.mark_part_sent(item, i + 1, message_id)
        return first_id

    async def _copy(self, bot: Any, item: OutboxItem) -> int:
        """copyMessage of the item's source message, captioned with its text."""
        message = item.message
        if message.from_chat_id is None or message.from_message_id is None:  # erased since
            self.store.mark_final(item, OutboxStatus.FAILED, "nothing to copy")
            raise _Settled
        caption = message.text
        if utf16_len(caption) > MAX_CAPTION:
            # Header and caption as a message of their own, then the copy under the header.
            await self._send(bot, item, caption)
            caption = caption.split("\n\n", 1)[0]
        params: dict[str, Any] = {
            "chat_id": message.chat_id,
            "from_chat_id": message.from_chat_id,
            "message_id": message.from_message_id,
            "caption": escape(caption),
            "parse_mode": ParseMode.HTML,
        }
        reply_to = self._reply_to(item)
        if reply_to:
            params["reply_parameters"] = reply_parameters(reply_to)
        copied = await _call(bot, "copyMessage", params)
        return int(copied["message_id"])

    async def _edit_card(self, bot: Any, item: OutboxItem) -> int:
        message = item.message
        ticket = self._ticket(item)
        if ticket is None or ticket.card_message_id is None:
            # Cards go first in their chat, so a missing one was refused for good.
            self.store.mark_final(item, OutboxStatus.FAILED, "no card to edit")
            raise _Settled
        params: dict[str, Any] = {
            "chat_id": message.chat_id,
            "message_id": ticket.card_message_id,
            "text": escape(message.text),
            "parse_mode": ParseMode.HTML,
            "link_preview_options": {"is_disabled": True},
        }
        if message.keyboard:
            params["reply_markup"] = reply_markup(message.keyboard)
        await _call(bot, "editMessageText", params)
        return ticket.card_message_id

    def _blocked(self, item: OutboxItem, description: str) -> None:
        self.store.mark_final(item, OutboxStatus.BLOCKED, description)
        ticket = self._ticket(item)
        if ticket is not None and item.message.chat_id == ticket.chat_id:
            # The enquirer blocked the bot: staff see it on the card.
            self._desk().enquirer_blocked(ticket.id)
            if ticket.user_id is not None:
                self._on_blocked_user(ticket.user_id)
        else:
            log.error("chat %s refused an outbox message: %s", item.message.chat_id, description)
