"""One type for a message to send (``Outgoing``), and the outbox's rows and states.

A message to send is the same whichever way it goes: a reply to the chat that wrote,
sent at once by the Telegram adapter (bot/telegram/replies.py) and kept meanwhile in the
update journal, or a message for any chat through the outbox, written in the same
transaction as its cause (``ContactStore.enqueue``, bot/storage/contacts.py) and
delivered by the adapter's sender in order per chat. It lives here, in the lowest layer
that needs it: storage writes it, the conversation and curation layers make it.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from enum import StrEnum
from typing import Any

# An inline keyboard: rows of Bot API buttons, {"text": ..., "callback_data": ...}.
Rows = list[list[dict[str, str]]]


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
class Outgoing:
    """A message to send.

    ``text`` is plain text, as people read it: it is escaped for Telegram's HTML, and
    split to Telegram's 4096 UTF-16 units with the keyboard under the last part, only
    when it is sent. ``action`` says what sending it means: a message (``send``), a
    ticket's staff card (``card``) or an edit of it (``edit_card``), or a copy of message
    ``from_message_id`` of chat ``from_chat_id`` (a photo, document or voice note) with
    ``text`` as its caption (``copy``). A message with a ``file_name`` is a document:
    ``file_text`` sent as a file of that name, ``text`` its caption (a reply only: the
    outbox keeps no files). ``maps_to_ticket``: staff may answer the sent message to
    reply to ticket ``ticket_id``.
    """

    chat_id: int
    text: str
    keyboard: Rows | None = None
    ticket_id: int | None = None
    action: OutboxAction = OutboxAction.SEND
    reply_to_message_id: int | None = None
    maps_to_ticket: bool = False
    from_chat_id: int | None = None
    from_message_id: int | None = None
    file_name: str | None = None
    file_text: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The message as JSON values (the update journal keeps replies so): ``action``
        and the fields that differ from their defaults."""
        out: dict[str, Any] = {}
        for field in _FIELDS:
            value = getattr(self, field.name)
            if field.default is MISSING or value != field.default or field.name == "action":
                out[field.name] = value
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outgoing:
        """The message ``as_json`` gave."""
        return cls(**{**data, "action": OutboxAction(data["action"])})


_FIELDS = fields(Outgoing)


@dataclass(frozen=True)
class OutboxItem:
    """A row of the outbox: a message to send and how far its delivery got.

    Not itself a message to send, and not another kind of one: ``message`` is that, as it
    was queued. The rest is the outbox's own bookkeeping: the row's id, the attempts
    made, and of a long text the parts Telegram already took and the id of the first.
    """

    id: int
    message: Outgoing
    attempts: int = 0
    parts_sent: int = 0
    first_message_id: int | None = None  # Telegram's id of its first part, once sent
