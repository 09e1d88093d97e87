"""Tickets: contact requests routed to staff, and everything that happens to them.

Each operation changes the ticket and writes the messages it causes (the staff card,
its edits, relays to the enquirer) to the outbox in the same transaction, so a crash
never leaves a ticket without its card or a reply recorded but never sent. Messages
here are plain text; the Telegram sender escapes them. Button data names actions on
ticket ids only.

Staff read English: cards, notices and relays are worded in English around the
enquirer's own words, and the card says the enquirer's language ("Language: Danish").
What the enquirer reads (the confirmation, the header over a staff reply) is in the
ticket's language.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.common.languages import LANGUAGE_NAMES, Language
from bot.common.lengths import MAX_MESSAGE, shorten, utf16_len
from bot.conversation import callback_data
from bot.conversation.callback_data import SaveAnswerButton, TicketAction, TicketButton
from bot.conversation.office_hours import (
    COPENHAGEN,
    NEW_YORK,
    OfficeHours,
    days_ahead,
    local_time,
    weekday,
)
from bot.conversation.routing import Routes
from bot.knowledge.base import KnowledgeBase
from bot.storage.contacts import ContactStore
from bot.storage.outbox import OutboxAction, Outgoing
from bot.storage.tickets import Ticket, ticket_ref

BOT_AUTHOR = "the bot"  # author of the bot's own answers in a ticket's thread
STAFF_SHOWN_ANSWER_CHARS = 600  # the bot's answer as staff see it in the thread
# Recent questions on a card are cut to this length (UTF-16 units); the enquirer's
# message is cut where the card would not fit one Telegram message (and so could not be
# edited as one). /ticket shows the whole of both.
CARD_QUESTION_CHARS = 150
TICKET_ACTIONS = tuple(TicketAction)


@dataclass(frozen=True)
class Relay:
    """The outcome of a staff reply."""

    ticket: Ticket
    delivered: bool  # False when the enquirer has blocked the bot or was erased
    message_id: int | None = None  # the reply in the ticket's log, once relayed


class TicketDesk:
    def __init__(
        self,
        kb: KnowledgeBase,
        store: ContactStore,
        routes: Routes,
        office_hours: OfficeHours,
        staff_signature: str | None = None,
    ) -> None:
        self.kb = kb
        self.store = store
        self.routes = routes
        self.office_hours = office_hours
        self.staff_signature = staff_signature
        self.topics = {t.id: t.label for t in kb.topics}

    # -- enquirer side ------------------------------------------------------------------

    def submit(
        self,
        user_id: int,
        chat_id: int,
        answers: dict[str, str],
        recent: list[str],
        language: Language = Language.EN,
    ) -> Ticket:
        """Create the ticket and its staff card, committed together; ``language`` is the
        enquirer's."""
        topic = answers.get("topic") or self.kb.default_topic
        staff_chat = self.routes.chat_for(topic)
        with self.store.storage.transaction():
            ticket = self.store.create_ticket(
                {
                    "user_id": user_id,
                    "chat_id": chat_id,
                    "name": answers.get("name", ""),
                    "organisation": answers.get("organisation", ""),
                    "reply_via": answers.get("reply_via", "telegram"),
                    "email": answers.get("email"),
                    "topic": topic,
                    "message": answers.get("message", ""),
                    "recent_questions": recent,
                    "staff_chat_id": staff_chat,
                    "language": language.value,
                }
            )
            self.store.log_ticket_message(ticket.id, "in", ticket.name, ticket.message)
            if staff_chat is not None:
                text, buttons = self.card(ticket)
                self.store.enqueue(
                    Outgoing(
                        staff_chat, text, buttons, ticket.id, OutboxAction.CARD, maps_to_ticket=True
                    )
                )
        return ticket

    def received_text(self, ticket: Ticket, now: datetime | None = None) -> str:
        """What the enquirer is told once the ticket is committed, in their language."""
        kb = self.kb.translated(ticket.language)
        now = now or datetime.now(UTC)
        if self.office_hours.is_open(now):
            expectation = kb.message("ticket_expect_open")
        else:
            opening = self.office_hours.next_opening(now)
            expectation = kb.message(
                "ticket_expect_closed",
                copenhagen=_opens(kb, opening, COPENHAGEN, now),
                new_york=_opens(kb, opening, NEW_YORK, now),
            )
        return kb.message(
            "ticket_received", name=ticket.name, ref=ticket.ref, expectation=expectation
        )

    def enquirer_message(
        self, ticket: Ticket, text: str, answer: str | None = None, staff_reads: str | None = None
    ) -> None:
        """A message from the enquirer while the ticket is open goes to its staff chat.
        With ``answer``, the bot answered it: both join the ticket's thread, marked as
        answered by the bot, so staff see the whole conversation; staff read the answer
        as ``staff_reads`` (its English) when given."""
        with self.store.storage.transaction():
            self.store.log_ticket_message(ticket.id, "in", ticket.name, text)
            key, extra = "staff_enquirer_message", {}
            if answer is not None:
                self.store.log_ticket_message(ticket.id, "out", BOT_AUTHOR, answer)
                key = "staff_enquirer_answered"
                shown = staff_reads or answer
                extra = {"answer": shorten(shown, STAFF_SHOWN_ANSWER_CHARS)}
            # Mapped to the ticket: staff reply to it as to the card.
            self._to_staff(
                ticket,
                key,
                maps_to_ticket=True,
                ref=ticket.ref,
                name=ticket.name,
                text=text,
                **extra,
            )

    def enquirer_attachment(
        self, ticket: Ticket, chat_id: int, message_id: int, kind: str, caption: str
    ) -> None:
        """A photo, document or voice note from the enquirer while the ticket is open: it
        is copied to the staff chat, threaded on the card, with the ticket's reference."""
        header = self.kb.message(
            "staff_enquirer_attachment", ref=ticket.ref, name=ticket.name, kind=kind
        )
        with self.store.storage.transaction():
            self.store.log_ticket_message(ticket.id, "in", ticket.name, caption, kind)
            if ticket.staff_chat_id is not None:
                self._copy(
                    ticket,
                    ticket.staff_chat_id,
                    chat_id,
                    message_id,
                    header,
                    caption,
                    reply_to=ticket.card_message_id,
                    maps_to_ticket=True,
                )

    def close_by_enquirer(self, ticket: Ticket) -> Ticket:
        with self.store.storage.transaction():
            before = ticket
            ticket = self.store.update_ticket(
                ticket.id, status="resolved", resolved_at=time.time(), closed_by_enquirer=1
            )
            self.card_changed(before, ticket)
            self.notify_staff(ticket, "staff_enquirer_closed", ref=ticket.ref)
        return ticket

    def notify_staff(self, ticket: Ticket, key: str, **values: object) -> None:
        """A notice about ``ticket`` in its staff chat, threaded on its card."""
        self._to_staff(ticket, key, maps_to_ticket=False, **values)

    def _to_staff(self, ticket: Ticket, key: str, maps_to_ticket: bool, **values: object) -> None:
        if ticket.staff_chat_id is not None:
            self.store.enqueue(
                Outgoing(
                    ticket.staff_chat_id,
                    self.kb.message(key, **values),
                    ticket_id=ticket.id,
                    reply_to_message_id=ticket.card_message_id,
                    maps_to_ticket=maps_to_ticket,
                )
            )

    # -- staff side ---------------------------------------------------------------------

    def act(self, ticket_id: int, action: str, staff_name: str) -> Ticket | None:
        """Claim, resolve or reopen; the card is edited to show it."""
        before = self.store.ticket(ticket_id)
        if before is None or action not in TICKET_ACTIONS:
            return None
        changes: dict[str, object]
        if action == "claim":
            # A stale Claim button on a resolved card reopens the ticket for its claimer.
            changes = {"status": "claimed", "claimed_by": staff_name, "resolved_at": None}
        elif action == "resolve":
            changes = {"status": "resolved", "claimed_by": staff_name, "resolved_at": time.time()}
        else:
            changes = {"status": "open", "claimed_by": None, "resolved_at": None}
        changes["closed_by_enquirer"] = 0  # staff act on it now
        with self.store.storage.transaction():
            ticket = self.store.update_ticket(ticket_id, **changes)
            self.card_changed(before, ticket)
        return ticket

    def staff_reply(
        self,
        ticket: Ticket,
        staff_first_name: str,
        text: str,
        attachment: tuple[int, int, str] | None = None,
    ) -> Relay:
        """Relay a staff member's reply to the enquirer, signed: STAFF_SIGNATURE (a team
        name) if set, else the staff member's first name, else the programme staff.

        ``attachment`` is ``(chat id, message id, kind)`` of a photo or document the
        staff member sent: it is copied to the enquirer with ``text`` (its caption)."""
        signature = self.staff_signature or staff_first_name or ""
        if ticket.enquirer_blocked or ticket.chat_id is None:  # blocked, or data erased
            return Relay(ticket, delivered=False)
        header = self.reply_header(ticket, staff_first_name)
        author = signature or self.kb.message("staff_signature_default")
        with self.store.storage.transaction():
            kind = attachment[2] if attachment else None
            message_id = self.store.log_ticket_message(ticket.id, "out", author, text, kind)
            if attachment is None:
                self.store.enqueue(
                    Outgoing(ticket.chat_id, f"{header}\n\n{text}", ticket_id=ticket.id)
                )
            else:
                self._copy(ticket, ticket.chat_id, attachment[0], attachment[1], header, text)
            changes: dict[str, object] = {}
            if ticket.first_reply_at is None:
                changes["first_reply_at"] = time.time()
            if ticket.status == "open":
                changes.update(status="claimed", claimed_by=author)
            if changes:
                before = ticket
                ticket = self.store.update_ticket(ticket.id, **changes)
                self.card_changed(before, ticket)
        return Relay(ticket, delivered=True, message_id=message_id)

    def reply_header(self, ticket: Ticket, staff_first_name: str) -> str:
        """ "Anna from the programme staff replied to #A-0042:", "The MVA team replied
        ...", or, with no name at all, "The programme staff replied ...", in the
        enquirer's language."""
        kb = self.kb.translated(ticket.language)
        if self.staff_signature:
            return kb.message(
                "staff_reply_header_team", signature=self.staff_signature, ref=ticket.ref
            )
        if staff_first_name:
            return kb.message("staff_reply_header", signature=staff_first_name, ref=ticket.ref)
        return kb.message("staff_reply_header_anonymous", ref=ticket.ref)

    def _copy(
        self,
        ticket: Ticket,
        to_chat: int,
        from_chat: int,
        message_id: int,
        header: str,
        caption: str,
        *,
        reply_to: int | None = None,
        maps_to_ticket: bool = False,
    ) -> None:
        """Queue a copy of a message, captioned with ``header`` over its ``caption`` (a
        blank line between them; the sender deals with Telegram's caption limit)."""
        self.store.enqueue(
            Outgoing(
                to_chat,
                f"{header}\n\n{caption}" if caption else header,
                ticket_id=ticket.id,
                action=OutboxAction.COPY,
                reply_to_message_id=reply_to,
                maps_to_ticket=maps_to_ticket,
                from_chat_id=from_chat,
                from_message_id=message_id,
            )
        )

    def enquirer_blocked(self, ticket_id: int) -> None:
        """The enquirer blocked the bot: say so on the card."""
        with self.store.storage.transaction():
            before = self.store.ticket(ticket_id)
            ticket = self.store.update_ticket(ticket_id, enquirer_blocked=1)
            self.card_changed(before, ticket)

    def language_changed(self, ticket: Ticket, language: Language) -> None:
        """The enquirer picked another language (/language): the card says so, and what
        they are told about the ticket from now on is in it."""
        if ticket.language is not language:
            with self.store.storage.transaction():
                changed = self.store.update_ticket(ticket.id, language=language.value)
                self.card_changed(ticket, changed)

    def enquirer_unblocked(self, user_id: int) -> None:
        """The enquirer wrote again, so they unblocked the bot: their tickets take staff
        replies again, and the cards stop saying otherwise."""
        with self.store.storage.transaction():
            self.store.storage.mark_blocked(user_id, blocked=False)
            for before in self.store.blocked_tickets_of(user_id):
                ticket = self.store.update_ticket(before.id, enquirer_blocked=0)
                self.card_changed(before, ticket)

    def card(self, ticket: Ticket, whole: bool = False) -> tuple[str, list[list[dict[str, str]]]]:
        """The staff card: text and buttons. It always fits one message: the quoted texts
        are cut to fit, unless ``whole`` (for /ticket, which may take several)."""
        message = self.kb.message
        if ticket.status == "resolved" and ticket.closed_by_enquirer:
            status = message("staff_status_closed_by_enquirer")
        elif ticket.status == "resolved":
            status = message("staff_status_resolved", who=ticket.claimed_by or "staff")
        elif ticket.status == "claimed":
            status = message("staff_status_claimed", who=ticket.claimed_by or "staff")
        else:
            status = message("staff_status_open")
        if ticket.enquirer_blocked:
            status += "\n" + message("staff_status_blocked")
        if ticket.erased_at is not None:
            status += "\n" + message("staff_status_erased")
        if ticket.reply_via == "email":
            reply = message("reply_by_email", email=ticket.email or "")
        else:
            reply = message("reply_in_telegram")
        questions = "\n".join(
            f"• {q if whole else shorten(q, CARD_QUESTION_CHARS)}" for q in ticket.recent_questions
        ) or message("staff_card_no_questions")

        def text_with(quoted: str) -> str:
            return message(
                "staff_card",
                ref=ticket.ref,
                topic=self.topics.get(ticket.topic, ticket.topic),
                status=status,
                name=ticket.name,
                organisation=ticket.organisation,
                language=LANGUAGE_NAMES[ticket.language],
                reply=reply,
                message=quoted,
                questions=questions,
            )

        text = text_with(ticket.message)
        if not whole and (over := utf16_len(text) - MAX_MESSAGE) > 0:
            quoted = shorten(ticket.message, max(utf16_len(ticket.message) - over, 1))
            text = shorten(text_with(quoted), MAX_MESSAGE)
        if ticket.status == "resolved":
            actions = ["reopen"]
        elif ticket.status == "claimed":
            actions = ["resolve"]
        else:
            actions = ["claim", "resolve"]
        buttons = [
            {
                "text": message(f"button_{a}"),
                "callback_data": callback_data.encode(TicketButton(TicketAction(a), ticket.id)),
            }
            for a in actions
        ]
        return text, [buttons]

    def card_changed(self, before: Ticket | None, ticket: Ticket) -> None:
        """Queue an edit of the staff card, unless what it shows is unchanged (Telegram
        refuses an edit to identical content)."""
        if ticket.staff_chat_id is None:
            return
        text, buttons = self.card(ticket)
        if before is not None and self.card(before) == (text, buttons):
            return
        self.store.enqueue(
            Outgoing(ticket.staff_chat_id, text, buttons, ticket.id, action=OutboxAction.EDIT_CARD)
        )

    def find(self, ref: str) -> Ticket | None:
        """A ticket by number or reference ("42", "#A-0042", "A-42")."""
        digits = ref.strip().lstrip("#").upper().removeprefix("A-")
        if not (digits.isascii() and digits.isdecimal() and len(digits) <= 12):
            return None
        return self.store.ticket(int(digits))


def _opens(kb: KnowledgeBase, opening: datetime, zone: str, now: datetime) -> str:
    """'today at 09:00', 'tomorrow at 09:00' or 'on Monday at 09:00', in ``zone``, in
    the language of ``kb`` (its ``weekdays``: the names from Monday to Sunday)."""
    clock = local_time(opening, zone)
    days = days_ahead(opening, zone, now)
    if days == 0:
        return kb.message("opens_today", time=clock)
    if days == 1:
        return kb.message("opens_tomorrow", time=clock)
    day = kb.message("weekdays").split()[weekday(opening, zone)]
    return kb.message("opens_on", day=day, time=clock)


def save_answer_button(label: str, message_id: int) -> dict[str, str]:
    return {"text": label, "callback_data": callback_data.encode(SaveAnswerButton(message_id))}


__all__ = [
    "Relay",
    "TicketDesk",
    "save_answer_button",
    "ticket_ref",
]
