"""Tickets: contact requests routed to staff, and everything that happens to them.

Each operation changes the ticket and writes the messages it causes (the staff card,
its edits, relays to the enquirer) to the outbox in the same transaction, so a crash
never leaves a ticket without its card or a reply recorded but never sent. Messages
here are plain text; the Telegram sender escapes them. Button data names actions on
ticket ids only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.knowledge import KnowledgeBase
from bot.office_hours import COPENHAGEN, NEW_YORK, OfficeHours, local_time
from bot.routing import Routes
from bot.storage import ContactStore, Outgoing, Ticket, ticket_ref

CB_TICKET = "t:"  # t:<action>:<ticket id>, or t:save:<ticket message id> (a staff reply)
# Recent questions on a card are cut to this length, so a card with every field at its
# limit still fits one Telegram message (and so can be edited as one).
CARD_QUESTION_CHARS = 150
TICKET_ACTIONS = ("claim", "resolve", "reopen")
SAVE_ANSWER = "save"  # Save as answer: the staff reply becomes a draft entry


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
        self, user_id: int, chat_id: int, answers: dict[str, str], recent: list[str]
    ) -> Ticket:
        """Create the ticket and its staff card, committed together."""
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
                }
            )
            self.store.log_ticket_message(ticket.id, "in", ticket.name, ticket.message)
            if staff_chat is not None:
                text, buttons = self.card(ticket)
                self.store.enqueue(
                    Outgoing(staff_chat, text, buttons, ticket.id, "card", maps_to_ticket=True)
                )
        return ticket

    def received_text(self, ticket: Ticket, now: datetime | None = None) -> str:
        """What the enquirer is told once the ticket is committed."""
        now = now or datetime.now(UTC)
        if self.office_hours.is_open(now):
            expectation = self.kb.message("ticket_expect_open")
        else:
            opening = self.office_hours.next_opening(now)
            expectation = self.kb.message(
                "ticket_expect_closed",
                copenhagen=local_time(opening, COPENHAGEN),
                new_york=local_time(opening, NEW_YORK),
            )
        return self.kb.message(
            "ticket_received", name=ticket.name, ref=ticket.ref, expectation=expectation
        )

    def enquirer_message(self, ticket: Ticket, text: str) -> None:
        """A message from the enquirer while the ticket is open goes to its staff chat."""
        with self.store.storage.transaction():
            self.store.log_ticket_message(ticket.id, "in", ticket.name, text)
            # Mapped to the ticket: staff reply to it as to the card.
            self._to_staff(
                ticket,
                "staff_enquirer_message",
                maps_to_ticket=True,
                ref=ticket.ref,
                name=ticket.name,
                text=text,
            )

    def close_by_enquirer(self, ticket: Ticket) -> Ticket:
        with self.store.storage.transaction():
            before = ticket
            ticket = self.store.update_ticket(
                ticket.id, status="resolved", resolved_at=time.time(), claimed_by=ticket.name
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
        with self.store.storage.transaction():
            ticket = self.store.update_ticket(ticket_id, **changes)
            self.card_changed(before, ticket)
        return ticket

    def staff_reply(self, ticket: Ticket, staff_first_name: str, text: str) -> Relay:
        """Relay a staff member's reply to the enquirer, signed."""
        signature = self.staff_signature or staff_first_name
        if ticket.enquirer_blocked or ticket.chat_id is None:  # blocked, or data erased
            return Relay(ticket, delivered=False)
        header = self.kb.message("staff_reply_header", signature=signature, ref=ticket.ref)
        with self.store.storage.transaction():
            message_id = self.store.log_ticket_message(ticket.id, "out", signature, text)
            self.store.enqueue(Outgoing(ticket.chat_id, f"{header}\n\n{text}", ticket_id=ticket.id))
            changes: dict[str, object] = {}
            if ticket.first_reply_at is None:
                changes["first_reply_at"] = time.time()
            if ticket.status == "open":
                changes.update(status="claimed", claimed_by=signature)
            if changes:
                before = ticket
                ticket = self.store.update_ticket(ticket.id, **changes)
                self.card_changed(before, ticket)
        return Relay(ticket, delivered=True, message_id=message_id)

    def enquirer_blocked(self, ticket_id: int) -> None:
        """The enquirer blocked the bot: say so on the card."""
        with self.store.storage.transaction():
            before = self.store.ticket(ticket_id)
            ticket = self.store.update_ticket(ticket_id, enquirer_blocked=1)
            self.card_changed(before, ticket)

    def card(self, ticket: Ticket) -> tuple[str, list[list[dict[str, str]]]]:
        """The staff card: text and buttons."""
        message = self.kb.message
        if ticket.status == "resolved":
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
            f"• {_shorten(q, CARD_QUESTION_CHARS)}" for q in ticket.recent_questions
        ) or message("staff_card_no_questions")
        text = message(
            "staff_card",
            ref=ticket.ref,
            topic=self.topics.get(ticket.topic, ticket.topic),
            status=status,
            name=ticket.name,
            organisation=ticket.organisation,
            reply=reply,
            message=ticket.message,
            questions=questions,
        )
        if ticket.status == "resolved":
            actions = ["reopen"]
        elif ticket.status == "claimed":
            actions = ["resolve"]
        else:
            actions = ["claim", "resolve"]
        buttons = [
            {"text": message(f"button_{a}"), "callback_data": f"{CB_TICKET}{a}:{ticket.id}"}
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
            Outgoing(ticket.staff_chat_id, text, buttons, ticket.id, action="edit_card")
        )

    def find(self, ref: str) -> Ticket | None:
        """A ticket by number or reference ("42", "#A-0042", "A-42")."""
        digits = ref.strip().lstrip("#").upper().removeprefix("A-")
        if not (digits.isascii() and digits.isdecimal() and len(digits) <= 12):
            return None
        return self.store.ticket(int(digits))


def parse_ticket_button(data: str) -> tuple[str, int] | None:
    """(action, id) of a ticket button's callback data, or None when it is not one of
    ours: the data comes from the client and can be anything."""
    action, _, number = data.removeprefix(CB_TICKET).partition(":")
    if action not in (*TICKET_ACTIONS, SAVE_ANSWER) or not data.startswith(CB_TICKET):
        return None
    if not (number.isascii() and number.isdecimal() and len(number) <= 12):
        return None
    return action, int(number)


def save_answer_button(label: str, message_id: int) -> dict[str, str]:
    return {"text": label, "callback_data": f"{CB_TICKET}{SAVE_ANSWER}:{message_id}"}


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = [
    "CB_TICKET",
    "SAVE_ANSWER",
    "Relay",
    "TicketDesk",
    "parse_ticket_button",
    "save_answer_button",
    "ticket_ref",
]
