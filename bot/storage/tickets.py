"""The rows of a contact request: a ticket, its form in progress, and their states.

Queried through ``ContactStore`` (bot/storage/contacts.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.common.languages import Language


class TicketStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    RESOLVED = "resolved"


class Direction(StrEnum):
    """A ticket message: from the enquirer (in) or to them (out)."""

    IN = "in"
    OUT = "out"


def ticket_ref(ticket_id: int) -> str:
    """The reference enquirers and staff quote: #A-0042."""
    return f"#A-{ticket_id:04d}"


@dataclass(frozen=True)
class FormRow:
    user_id: int
    chat_id: int
    step: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Ticket:
    id: int
    user_id: int | None  # None once erased
    chat_id: int | None
    name: str
    organisation: str
    reply_via: str
    email: str | None
    topic: str
    message: str
    recent_questions: list[str]
    status: str
    claimed_by: str | None
    created_at: float
    first_reply_at: float | None
    resolved_at: float | None
    staff_chat_id: int | None
    card_message_id: int | None
    enquirer_blocked: bool
    erased_at: float | None = None
    closed_by_enquirer: bool = False
    language: Language = Language.EN  # the enquirer's: on the card, in what they are told

    @property
    def ref(self) -> str:
        return ticket_ref(self.id)

    @property
    def is_open(self) -> bool:
        return self.status != "resolved"
