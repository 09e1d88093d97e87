"""The outbox's rows: messages for other chats, delivered by the Telegram adapter's sender
in order per chat, and their actions and states.

Written and read through ``ContactStore`` (bot/storage/contacts.py), in the same
transaction as what caused them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OutboxAction(StrEnum):
    SEND = "send"
    CARD = "card"  # a ticket's staff card: its id is the ticket's card_message_id
    EDIT_CARD = "edit_card"
    COPY = "copy"  # copyMessage of a photo, document, voice note, video or audio


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # Telegram refused it (400), or there was nothing left to send
    BLOCKED = "blocked"  # the chat refused the bot (403)
    CANCELLED = "cancelled"  # erased (/forget) before it was delivered


@dataclass(frozen=True)
class OutboxItem:
    id: int
    chat_id: int
    action: str
    text: str
    keyboard: list[list[dict[str, str]]] | None
    ticket_id: int | None
    reply_to_message_id: int | None
    maps_to_ticket: bool
    attempts: int
    from_chat_id: int | None = None  # action "copy": the message to copy
    from_message_id: int | None = None
    parts_sent: int = 0  # of a long text, the parts Telegram already took
    first_message_id: int | None = None  # Telegram's id of its first part, once sent


@dataclass
class Outgoing:
    """A message for the outbox, written in the same transaction as its cause.

    ``action`` "copy" copies message ``from_message_id`` of chat ``from_chat_id`` (a photo,
    document or voice note) with ``text`` as its caption."""

    chat_id: int
    text: str
    keyboard: list[list[dict[str, str]]] | None = None
    ticket_id: int | None = None
    action: str = "send"
    reply_to_message_id: int | None = None
    maps_to_ticket: bool = False
    from_chat_id: int | None = None
    from_message_id: int | None = None
