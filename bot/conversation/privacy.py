"""Personal data: showing an enquirer everything stored, erasing it, and retention.

What counts as personal: the Telegram id (user and private chat id), question and
message texts, and a contact request's name, organisation, e-mail address, message and
recent questions, the enquirer's questions in draft entries (bot/curation/drafts.py),
and the language of their chat (tied to their id).
Erasure and the retention purge remove exactly those and keep the rest, so statistics
(questions by kind, feedback, tickets by status, reply times) still add up afterwards:
rows are anonymised rather than deleted where they count.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.conversation.tickets import TicketDesk
from bot.storage.contacts import ContactStore
from bot.storage.curation import CurationStore
from bot.storage.database import CONTEXT_TTL, Storage
from bot.storage.tickets import Direction, Ticket, ticket_ref

DAY = 86400.0


@dataclass(frozen=True)
class Purged:
    tickets: int
    questions: int
    outbox: int
    forms: int
    users: int


class Privacy:
    def __init__(self, storage: Storage, store: ContactStore, desk: TicketDesk) -> None:
        self.storage = storage
        self.store = store
        self.desk = desk
        self.curation = CurationStore(storage)

    # -- /mydata --------------------------------------------------------------------------

    def data_of(self, user_id: int) -> dict[str, Any]:
        """Everything stored about ``user_id``."""
        questions = [
            {"time": _iso(ts), "question": text, "answered_as": kind}
            for ts, text, kind in self.storage.questions_of(user_id)
        ]
        feedback = [
            {"time": _iso(ts), "entry": entry, "helpful": helpful}
            for ts, entry, helpful in self.storage.feedback_of(user_id)
        ]
        form = self.store.form(user_id)
        tickets = [self._ticket_data(t) for t in self.store.tickets_of(user_id)]
        blocked = self.storage.blocked_at(user_id)
        data: dict[str, Any] = {}
        if questions:
            data["questions"] = questions
        if feedback:
            data["feedback"] = feedback
        if form is not None:
            data["contact_request_in_progress"] = {
                k: v for k, v in form.data.items() if not k.startswith("_")
            }
        if tickets:
            data["contact_requests"] = tickets
        drafted = self.curation.questions_of(user_id)
        if drafted:
            data["questions_in_draft_knowledge_entries"] = drafted
        languages = [
            {"language": language, "chosen_with_language_command": chosen, "last_used": _iso(ts)}
            for ts, language, chosen in self.storage.languages_of(user_id)
        ]
        if languages:
            data["language_of_replies"] = languages
        if blocked is not None:
            data["blocked_the_bot_at"] = _iso(blocked)
        if data:
            data["telegram_user_id"] = user_id
        return data

    def _ticket_data(self, ticket: Ticket) -> dict[str, Any]:
        messages = [
            {
                "time": _iso(ts),
                "from": "you" if direction == Direction.IN else author,
                "text": text,
                **({"attachment": attachment} if attachment else {}),
            }
            for ts, direction, author, text, attachment in self.store.ticket_messages(ticket.id)
        ]
        return {
            "reference": ticket.ref,
            "status": ticket.status,
            "created": _iso(ticket.created_at),
            "name": ticket.name,
            "organisation": ticket.organisation,
            "reply_via": ticket.reply_via,
            "email": ticket.email,
            "topic": ticket.topic,
            "message": ticket.message,
            "recent_questions_shared_with_staff": ticket.recent_questions,
            "messages": messages,
        }

    # -- /forget --------------------------------------------------------------------------

    def forget(self, user_id: int) -> list[Ticket]:
        """Erase everything personal about ``user_id`` in one transaction; staff cards are
        edited to say so and staff are told (through the outbox). Returns the tickets."""
        with self.storage.transaction():
            tickets = self.store.tickets_of(user_id)
            for ticket in tickets:
                self._erase_ticket(ticket, tell_staff=True)
            self.store.erase_contact_data(user_id)
            self.curation.forget_user(user_id)
            self.storage.erase_user(user_id)
            self.storage.scrub_after_commit()
        return tickets

    def _erase_ticket(self, ticket: Ticket, tell_staff: bool) -> None:
        erased = self.store.erase_ticket(ticket)
        if ticket.card_message_id is None:
            # Staff never saw the card (it was still queued, or on its way: the sender
            # edits it at once if Telegram took it): nothing to edit, no one to tell.
            return
        self.desk.card_changed(ticket, erased)
        if tell_staff and erased.staff_chat_id is not None:
            self.desk.notify_staff(erased, "staff_data_erased", ref=erased.ref)

    # -- retention ------------------------------------------------------------------------

    def purge(self, retention_days: int, now: float | None = None) -> Purged:
        """Remove personal data older than the retention period (a daily job)."""
        now = time.time() if now is None else now
        cutoff = now - retention_days * DAY
        with self.storage.transaction():
            old_tickets = self.store.resolved_before(cutoff)
            for ticket in old_tickets:
                self._erase_ticket(ticket, tell_staff=False)
            outbox, forms = self.store.purge_contact_data(cutoff)
            self.curation.purge(cutoff)
            # A follow-up context is of no use after 30 minutes: none outlives a purge.
            questions, users = self.storage.purge_personal(cutoff, now - CONTEXT_TTL)
            self.storage.scrub_after_commit()
        return Purged(len(old_tickets), questions, outbox, forms, users)


def data_summary(data: dict[str, Any], message: Callable[..., str]) -> list[str]:
    """``data_of``'s result as a few readable lines (bullets), in messages.yaml's words:
    the /mydata summary, and what /forget would erase."""
    lines = []
    if questions := data.get("questions"):
        lines.append(message("mydata_questions", count=len(questions), last=questions[-1]["time"]))
    if feedback := data.get("feedback"):
        lines.append(message("mydata_feedback", count=len(feedback)))
    if requests := data.get("contact_requests"):
        refs = ", ".join(request["reference"] for request in requests)
        lines.append(message("mydata_requests", refs=refs))
    if "contact_request_in_progress" in data:
        lines.append(message("mydata_form"))
    if blocked := data.get("blocked_the_bot_at"):
        lines.append(message("mydata_blocked", time=blocked))
    if "language_of_replies" in data:
        lines.append(message("mydata_language"))
    return [f"• {line}" for line in lines]


def data_text(data: dict[str, Any]) -> str:
    """/mydata in full, as JSON: the file attached to the summary."""
    return json.dumps(data, ensure_ascii=False, indent=1)


def _iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


__all__ = ["Privacy", "Purged", "data_summary", "data_text", "ticket_ref"]
