"""Staff-facing handlers: ticket buttons, replies relayed to enquirers (each with a Save as
answer button that makes it a draft entry), staff commands.

Authorisation: staff commands, replies and ticket buttons count only inside a
configured staff chat (Telegram shows its messages and buttons to members only), or
from a user listed in STAFF_USER_IDS. Anyone else is refused and the attempt logged.
Replies are matched to tickets through the bot's own map of the messages it posted in
staff chats, never through ``forward_from``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from telegram import Update
from telegram.ext import ContextTypes

from bot.conversation.callback_data import SaveAnswerButton, TicketButton
from bot.conversation.dialogue import ATTACHMENTS
from bot.conversation.routing import Routes
from bot.conversation.tickets import TicketDesk, save_answer_button
from bot.curation import staff_reports
from bot.curation.drafts import Saved
from bot.knowledge.base import KnowledgeBase
from bot.operations.services import Services
from bot.storage.contacts import ContactStore
from bot.storage.outbox import Outgoing, Rows
from bot.storage.tickets import Ticket
from bot.telegram.render import attachment_kind
from bot.telegram.replies import Replies

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE

STAFF_COMMANDS = ("open", "ticket", "stats", "gaps", "reload", "drafts")


# Staff-chat messages that name their ticket before anything else, the card first.
_TICKET_MESSAGES = (
    "staff_card",
    "staff_enquirer_message",
    "staff_enquirer_answered",
    "staff_enquirer_attachment",
)


class Front(Protocol):
    """What staff handlers need of the Telegram front (bot/telegram/app.py), which hands
    itself in: this module imports nothing of it, so there is no import circle."""

    @property
    def services(self) -> Services: ...

    @property
    def replies(self) -> Replies: ...

    def reload(self) -> tuple[bool, str]: ...


class StaffFront:
    """Reaches the core through ``front.services``, which a reload replaces."""

    def __init__(self, front: Front) -> None:
        self.front = front

    @property
    def services(self) -> Services:
        return self.front.services

    @property
    def desk(self) -> TicketDesk:
        return self.services.desk

    @property
    def store(self) -> ContactStore:
        return self.services.store

    @property
    def routes(self) -> Routes:
        return self.services.routes

    @property
    def kb(self) -> KnowledgeBase:
        return self.services.kb

    @property
    def topics(self) -> dict[str, str]:
        return {t.id: t.label for t in self.kb.topics}

    def authorised(self, chat_id: int, user_id: int) -> bool:
        return self.routes.is_staff_chat(chat_id) or user_id in self.routes.staff_user_ids

    async def refuse(self, update: Update, what: str) -> None:
        user, chat = update.effective_user, update.effective_chat
        log.warning(
            "refused %s from user %s in chat %s",
            what,
            user.id if user else None,
            chat.id if chat else None,
        )
        if chat is not None and chat.type == "private":
            await self.front.replies.send(Outgoing(chat.id, self.kb.message("staff_only")))

    # -- commands ---------------------------------------------------------------------

    async def on_command(self, update: Update, context: Context) -> None:
        """A staff command inside a staff chat."""
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None or not message.text:
            return
        parts = message.text.split()
        name = parts[0][1:].split("@")[0].casefold()
        await self.answer(update, chat.id, lambda: self.command_text(name, parts[1:]))

    async def answer(
        self,
        update: Update,
        chat_id: int,
        text: Callable[[], str],
        keyboard: Callable[[], Rows | None] = lambda: None,
    ) -> None:
        """Answer in a staff chat (or a staff member's private chat) through the outbox,
        committed with the update: it is split to fit, retried under faults, and no
        enquirer's reply waits behind the staff chat's rate limit."""

        def queue() -> list[Outgoing]:
            self.store.enqueue(Outgoing(chat_id, text(), keyboard()))
            return []

        await self.front.replies.once(update, queue)

    async def on_private_command(self, update: Update, context: Context) -> None:
        """A staff command in a private chat: only for STAFF_USER_IDS."""
        user = update.effective_user
        if user is not None and user.id in self.routes.staff_user_ids:
            await self.on_command(update, context)
        else:
            await self.refuse(update, "a staff command")

    def command_text(self, name: str, args: list[str]) -> str:
        """The answer to a staff command, as plain text (the outbox escapes and splits)."""
        if name == "open":
            lines = staff_reports.open_tickets(self.store, self.topics)
            return "\n".join(lines) or self.kb.message("staff_no_open")
        if name == "ticket":
            ticket = self.desk.find(args[0]) if args else None
            if ticket is None:
                ref = args[0] if args else "?"
                return self.kb.message("staff_ticket_not_found", ref=ref)
            return self.desk.card(ticket, whole=True)[0]
        if name == "reload":
            return self.front.reload()[1]
        if name == "stats":
            numbers = staff_reports.stats(self.services.storage, self.store)
            return staff_reports.stats_text(numbers)
        if name == "drafts":
            count = self.services.drafts.curation.pending_count()
            return self.kb.message("staff_drafts", count=count)
        found = staff_reports.gaps(
            self.services.storage, self.services.dialogue.answerer.normaliser
        )
        return staff_reports.gaps_text(found)

    # -- replies and buttons ----------------------------------------------------------

    async def on_reply(self, update: Update, context: Context) -> None:
        """A staff member replied to a ticket message: relay the text to the enquirer, or
        copy the photo, document, voice note, video or audio file (caption or none)."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.reply_to_message is None:
            return
        replied = message.reply_to_message
        if replied.from_user is None or replied.from_user.id != context.bot.id:
            return  # a reply to a colleague, not to the bot
        chat_id = message.chat_id
        ticket = self.store.ticket_of_staff_message(
            chat_id, replied.message_id
        ) or self._ticket_of_unrecorded_message(
            # An attachment's copy names its ticket in its caption ("📎 {ref} · ...").
            chat_id,
            replied.text or replied.caption or "",
        )
        if ticket is None:
            await self.answer(update, chat_id, lambda: self.kb.message("staff_reply_unknown"))
            return
        name = user.first_name or ""
        kind = attachment_kind(message)
        attachment = None
        if not message.text and kind in ATTACHMENTS:
            attachment = (chat_id, message.message_id, kind)
        elif not message.text:  # a sticker, a location, ...: say so, never drop it silently
            notice = self.kb.message("staff_reply_unsupported", ref=ticket.ref)
            await self.answer(update, chat_id, lambda: notice)
            return
        text = message.text or message.caption or ""
        keyboard: Rows | None = None

        def relay() -> str:
            nonlocal keyboard
            done = self.desk.staff_reply(ticket, name, text, attachment)
            if done.delivered:
                key = "staff_reply_delivered"
                if done.message_id is not None:
                    label = self.kb.message("button_save_answer")
                    keyboard = [[save_answer_button(label, done.message_id)]]
            elif done.ticket.erased_at is not None:
                key = "staff_reply_erased"
            else:
                key = "staff_reply_blocked"
            return self.kb.message(key, ref=ticket.ref)

        await self.answer(update, chat_id, relay, lambda: keyboard)

    def _ticket_of_unrecorded_message(self, chat_id: int, text: str) -> Ticket | None:
        """The ticket of a card or relay Telegram has taken but whose message id the
        outbox has not recorded yet: a reply that quick (or a sender held up by a busy
        machine) still reaches the enquirer. Only a ticket of this staff chat qualifies,
        named where its message names it (messages.yaml: staff_card "🎫 {ref} · ...",
        staff_enquirer_message "💬 {ref} · ...", ...), and only while such a message of
        it is unrecorded: a card with no card id yet, a relay still in the outbox."""
        text = text.lstrip()
        for key in _TICKET_MESSAGES:
            before_ref = self.kb.messages[key].partition("{ref}")[0]
            if not before_ref or not text.startswith(before_ref):
                continue
            ref = text[len(before_ref) :].split(maxsplit=1)
            ticket = self.desk.find(ref[0]) if ref else None
            if ticket is None or ticket.staff_chat_id != chat_id:
                return None
            if key == "staff_card":
                return None if ticket.card_message_id else ticket
            return ticket if self.store.maps_pending(chat_id, ticket.id) else None
        return None

    async def on_ticket_button(
        self, update: Update, button: TicketButton | SaveAnswerButton
    ) -> None:
        query = update.callback_query
        assert query is not None  # the caller decoded its data
        chat_id = query.message.chat.id if query.message is not None else 0
        if not self.authorised(chat_id, query.from_user.id):
            log.warning("refused ticket button %r from user %s", query.data, query.from_user.id)
            await self.front.replies.acknowledge(query, self.kb.message("staff_only"))
            return
        if isinstance(button, SaveAnswerButton):
            await self.front.replies.acknowledge(query, self.save_answer(button.ticket_message_id))
            return
        name = query.from_user.first_name or "Staff"
        ticket = self.desk.act(button.ticket_id, button.action, name)
        await self.front.replies.acknowledge(query)
        if ticket is None:
            log.warning("ticket button %r matched no ticket", query.data)

    def save_answer(self, ticket_message_id: int) -> str:
        """Save as answer: the staff reply becomes a draft; the toast says which."""
        outcome = self.services.drafts.save(ticket_message_id)
        if outcome.result is Saved.CREATED:
            log.info("staff reply %s saved as draft %s", ticket_message_id, outcome.draft_id)
            return self.kb.message("staff_draft_saved", draft=outcome.draft_id)
        if outcome.result is Saved.EXISTS:
            return self.kb.message("staff_draft_exists", draft=outcome.draft_id)
        log.warning("Save as answer matched no staff reply: %s", ticket_message_id)
        return self.kb.message("staff_draft_unavailable")

    async def ignore(self, update: Update, context: Context) -> None:
        """Messages among staff that are not replies to the bot."""
