"""One type for "a message to send" (``Outgoing``): replies to the chat that wrote and
messages through the outbox alike, stored as it is in the outbox and in the update
journal, and a stored outbox row (``OutboxItem``) that holds one."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError

import pytest

from bot.storage.contacts import ContactStore
from bot.storage.outbox import OutboxAction, OutboxStatus, Outgoing

pytestmark = pytest.mark.unit

KEYBOARD = [[{"text": "Claim", "callback_data": "t:claim:9"}]]
MESSAGES = [
    Outgoing(1, "plain <text> & more"),
    Outgoing(2, "card", KEYBOARD, 9, OutboxAction.CARD, 77, True),
    Outgoing(2, "edit", KEYBOARD, 9, OutboxAction.EDIT_CARD),
    Outgoing(3, "📎 caption", ticket_id=9, action=OutboxAction.COPY, maps_to_ticket=True,
             from_chat_id=4242, from_message_id=17),
]  # fmt: skip


def test_a_message_to_send_cannot_change_once_made() -> None:
    with pytest.raises(FrozenInstanceError):
        MESSAGES[0].text = "something else"  # type: ignore[misc]


def test_a_queued_message_comes_back_from_the_outbox_as_it_was_queued(
    store: ContactStore,
) -> None:
    store.enqueue(*MESSAGES)
    due = store.due()
    assert [item.message for item in due] == MESSAGES[:2] + MESSAGES[3:]  # one per chat
    assert all(item.attempts == 0 and item.parts_sent == 0 for item in due)
    assert all(isinstance(item.message.action, OutboxAction) for item in due)
    store.mark_final(due[1], OutboxStatus.FAILED, "refused")  # the card: chat 2's next is due
    assert [item.message for item in store.due()] == [MESSAGES[0], MESSAGES[2], MESSAGES[3]]


def test_the_outbox_refuses_a_file_rather_than_lose_it(store: ContactStore) -> None:
    document = Outgoing(1, "Your data", file_name="my-data.json", file_text="{}")
    with pytest.raises(ValueError, match="file"):
        store.enqueue(Outgoing(1, "first"), document)
    assert store.due() == []  # nothing of the call was queued


@pytest.mark.parametrize(
    "message",
    [*MESSAGES, Outgoing(5, "Your data", file_name="my-data.json", file_text='{"a": 1}')],
)
def test_a_message_survives_the_journal_as_json(message: Outgoing) -> None:
    stored = json.loads(json.dumps(message.as_json()))
    assert Outgoing.from_json(stored) == message


def test_the_journal_form_holds_only_what_differs_from_the_defaults() -> None:
    assert Outgoing(1, "hi").as_json() == {"chat_id": 1, "text": "hi", "action": "send"}
    assert Outgoing(1, "hi", KEYBOARD).as_json() == {
        "chat_id": 1,
        "text": "hi",
        "keyboard": KEYBOARD,
        "action": "send",
    }


async def test_a_chat_waiting_for_its_rate_holds_up_no_other_chat(store: ContactStore) -> None:
    """A group takes 20 messages a minute, and the rate limiter makes a send to it wait:
    the relay to an enquirer in the same round goes out meanwhile, not after it."""
    import asyncio
    from typing import Any

    from bot.telegram.outbox import OutboxSender

    staff, enquirer = -100700, 4242
    store.enqueue(Outgoing(staff, "a card for staff"), Outgoing(enquirer, "staff replied"))
    sent: list[int] = []
    enquirer_reached = asyncio.Event()

    class Bot:
        async def do_api_request(self, method: str, api_kwargs: dict[str, Any], **_: Any) -> Any:
            chat = int(api_kwargs["chat_id"])
            if chat == staff:
                await enquirer_reached.wait()  # as a rate limiter holds a send to a group
            sent.append(chat)
            if chat == enquirer:
                enquirer_reached.set()
            return {"message_id": len(sent), "date": 0, "chat": {"id": chat, "type": "private"}}

    sender = OutboxSender(store, lambda: None, lambda: Bot(), lambda user: None)  # type: ignore[arg-type, return-value]
    delivered = await asyncio.wait_for(sender.deliver_due(), timeout=5)
    assert delivered == 2
    assert sent == [enquirer, staff]
