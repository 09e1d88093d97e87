"""Tickets and the outbox (bot/conversation/tickets.py, bot/storage/contacts.py
ContactStore): submitting a contact request with its staff card in one transaction,
routing to staff chats, what the enquirer is told in and out of office hours, claim /
resolve / reopen, staff replies and enquirer messages relayed through the outbox,
blocked enquirers, finding tickets by reference, the card text, saved forms, and outbox
delivery order, retries and final failures."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.conversation.callback_data import TICKET as CB_TICKET
from bot.conversation.office_hours import OfficeHours
from bot.conversation.routing import Routes
from bot.conversation.tickets import TicketDesk
from bot.knowledge.base import KnowledgeBase
from bot.storage.contacts import ContactStore
from bot.storage.outbox import OutboxAction, OutboxItem, OutboxStatus, Outgoing
from bot.storage.tickets import Ticket, ticket_ref

pytestmark = pytest.mark.unit

DEFAULT_CHAT = -100500
INVESTMENT_CHAT = -100600
ENQUIRER_CHAT = 4242
ENQUIRER = 4242
ROUTES = Routes(default_chat=DEFAULT_CHAT, by_topic={"investment": INVESTMENT_CHAT})
ANSWERS = {
    "name": "Anna Jensen",
    "organisation": "Novo Nordisk",
    "reply_via": "telegram",
    "topic": "investment",
    "message": "Which funds invest in Danish start-ups?",
}
RECENT = ["What does the ambassador do?", "Who funds MassBio?"]
OPEN_MONDAY = datetime(2024, 1, 15, 10, 0, tzinfo=UTC)
SATURDAY_NOON = datetime(2024, 1, 13, 12, 0, tzinfo=UTC)


@pytest.fixture
def desk(shipped_kb: KnowledgeBase, store: ContactStore) -> TicketDesk:
    return TicketDesk(shipped_kb, store, ROUTES, OfficeHours())


def outbox(store: ContactStore) -> list[dict[str, Any]]:
    return list(store.db.table("outbox").rows_where(order_by="id"))


def ticket_messages(store: ContactStore) -> list[dict[str, Any]]:
    return list(store.db.table("ticket_messages").rows_where(order_by="id"))


def count(store: ContactStore, table: str) -> int:
    return int(store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def fresh(store: ContactStore, ticket: Ticket) -> Ticket:
    reloaded = store.ticket(ticket.id)
    assert reloaded is not None
    return reloaded


def submit(desk: TicketDesk, **changes: str) -> Ticket:
    return desk.submit(ENQUIRER, ENQUIRER_CHAT, {**ANSWERS, **changes}, list(RECENT))


def send_card(store: ContactStore, message_id: int) -> OutboxItem:
    (item,) = [i for i in store.due() if i.message.action == "card"]
    store.mark_sent(item, message_id)
    return item


def button_data(keyboard: Any) -> list[str]:
    if isinstance(keyboard, str):
        keyboard = json.loads(keyboard)
    return [button["callback_data"] for row in keyboard for button in row]


# -- submit ------------------------------------------------------------------------------


def test_submit_creates_an_open_ticket_with_its_card(desk: TicketDesk, store: ContactStore) -> None:
    before = time.time()
    ticket = submit(desk)
    assert ticket.id == 1 and ticket.ref == "#A-0001"
    assert ticket.status == "open" and ticket.is_open
    assert ticket.claimed_by is None and ticket.first_reply_at is None
    assert ticket.resolved_at is None and ticket.card_message_id is None
    assert not ticket.enquirer_blocked
    assert (ticket.user_id, ticket.chat_id) == (ENQUIRER, ENQUIRER_CHAT)
    assert (ticket.name, ticket.organisation) == ("Anna Jensen", "Novo Nordisk")
    assert (ticket.reply_via, ticket.email) == ("telegram", None)
    assert ticket.topic == "investment"
    assert ticket.message == ANSWERS["message"]
    assert ticket.recent_questions == RECENT
    assert ticket.staff_chat_id == INVESTMENT_CHAT
    assert before <= ticket.created_at <= time.time()
    assert fresh(store, ticket) == ticket

    (row,) = outbox(store)
    text, keyboard = desk.card(ticket)
    assert row["chat_id"] == INVESTMENT_CHAT
    assert row["action"] == "card"
    assert row["ticket_id"] == ticket.id
    assert row["maps_to_ticket"] == 1
    assert row["status"] == "pending" and row["attempts"] == 0
    assert row["text"] == text
    assert json.loads(row["keyboard"]) == keyboard
    assert row["reply_to_message_id"] is None

    (logged,) = ticket_messages(store)
    assert logged["ticket_id"] == ticket.id
    assert logged["direction"] == "in"
    assert logged["author"] == "Anna Jensen"
    assert logged["text"] == ANSWERS["message"]


def test_submit_numbers_tickets_in_order(desk: TicketDesk) -> None:
    refs = [submit(desk).ref for _ in range(3)]
    assert refs == ["#A-0001", "#A-0002", "#A-0003"]


def test_submit_keeps_the_email(desk: TicketDesk) -> None:
    ticket = submit(desk, reply_via="email", email="anna@example.org")
    assert (ticket.reply_via, ticket.email) == ("email", "anna@example.org")


@pytest.mark.parametrize("topic", ["massbio", "press", "other"])
def test_a_topic_without_its_own_chat_goes_to_the_default_chat(
    desk: TicketDesk, store: ContactStore, topic: str
) -> None:
    ticket = submit(desk, topic=topic)
    assert ticket.topic == topic
    assert ticket.staff_chat_id == DEFAULT_CHAT
    assert [r["chat_id"] for r in outbox(store)] == [DEFAULT_CHAT]


def test_no_topic_means_the_default_topic(
    shipped_kb: KnowledgeBase, desk: TicketDesk, store: ContactStore
) -> None:
    answers = {k: v for k, v in ANSWERS.items() if k != "topic"}
    ticket = desk.submit(ENQUIRER, ENQUIRER_CHAT, answers, [])
    assert ticket.topic == shipped_kb.default_topic == "other"
    assert ticket.staff_chat_id == DEFAULT_CHAT
    assert ticket.recent_questions == []


def test_with_no_staff_chat_no_outbox_row_is_written(
    shipped_kb: KnowledgeBase, store: ContactStore
) -> None:
    desk = TicketDesk(shipped_kb, store, Routes(None, {}), OfficeHours())
    ticket = submit(desk)
    assert ticket.staff_chat_id is None
    assert outbox(store) == []
    assert len(ticket_messages(store)) == 1  # still logged
    desk.act(ticket.id, "claim", "Birgit")
    desk.enquirer_message(fresh(store, ticket), "Anything new?")
    desk.close_by_enquirer(fresh(store, ticket))
    assert outbox(store) == []
    assert fresh(store, ticket).status == "resolved"
    assert len(ticket_messages(store)) == 2


def test_a_failing_enqueue_rolls_the_ticket_back(
    desk: TicketDesk, store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: ContactStore, *messages: Outgoing) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ContactStore, "enqueue", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        submit(desk)
    assert count(store, "tickets") == 0
    assert count(store, "ticket_messages") == 0
    assert count(store, "outbox") == 0
    assert not store.db.conn.in_transaction


def test_submit_inside_a_rolled_back_outer_transaction_leaves_nothing(
    desk: TicketDesk, store: ContactStore
) -> None:
    with pytest.raises(RuntimeError), store.storage.transaction():
        submit(desk)
        assert count(store, "tickets") == 1
        raise RuntimeError("the form could not be cleared")
    assert count(store, "tickets") == 0
    assert count(store, "outbox") == 0


# -- what the enquirer is told -----------------------------------------------------------


def test_received_text_during_office_hours(shipped_kb: KnowledgeBase, desk: TicketDesk) -> None:
    ticket = submit(desk)
    text = desk.received_text(ticket, now=OPEN_MONDAY)
    assert text == shipped_kb.message(
        "ticket_received",
        name="Anna Jensen",
        ref="#A-0001",
        expectation=shipped_kb.message("ticket_expect_open"),
    )
    assert "#A-0001" in text and "Anna Jensen" in text


def test_received_text_outside_office_hours(shipped_kb: KnowledgeBase, desk: TicketDesk) -> None:
    ticket = submit(desk)
    text = desk.received_text(ticket, now=SATURDAY_NOON)
    expectation = shipped_kb.message(
        "ticket_expect_closed", copenhagen="on Monday at 09:00", new_york="on Monday at 03:00"
    )
    assert text == shipped_kb.message(
        "ticket_received", name="Anna Jensen", ref="#A-0001", expectation=expectation
    )
    assert shipped_kb.message("ticket_expect_open") not in text


def test_received_text_when_only_new_york_is_open(
    shipped_kb: KnowledgeBase, desk: TicketDesk
) -> None:
    ticket = submit(desk)
    evening = datetime(2024, 1, 15, 19, 0, tzinfo=UTC)  # 20:00 Copenhagen, 14:00 New York
    assert shipped_kb.message("ticket_expect_open") in desk.received_text(ticket, now=evening)


def test_received_text_between_the_us_and_eu_clock_changes(desk: TicketDesk) -> None:
    ticket = submit(desk)
    # US on summer time since 10 March 2024, Copenhagen not until 31 March.
    text = desk.received_text(ticket, now=datetime(2024, 3, 16, 12, 0, tzinfo=UTC))
    assert "on Monday at 09:00" in text and "on Monday at 04:00" in text


@pytest.mark.parametrize(
    ("now", "copenhagen", "new_york"),
    [
        # Tuesday 07:00 in Copenhagen (01:00 in New York): both offices open later today.
        (datetime(2024, 1, 16, 6, 0, tzinfo=UTC), "today at 09:00", "today at 03:00"),
        # Monday 23:30 UTC: already Tuesday in Copenhagen, still Monday in New York.
        (datetime(2024, 1, 15, 23, 30, tzinfo=UTC), "today at 09:00", "tomorrow at 03:00"),
        # Thursday 22:00 UTC: Copenhagen and New York both open on Friday.
        (datetime(2024, 1, 18, 22, 0, tzinfo=UTC), "tomorrow at 09:00", "tomorrow at 03:00"),
        # Friday evening: Monday, named.
        (datetime(2024, 1, 19, 23, 0, tzinfo=UTC), "on Monday at 09:00", "on Monday at 03:00"),
    ],
)
def test_received_text_says_today_and_tomorrow(
    shipped_kb: KnowledgeBase, desk: TicketDesk, now: datetime, copenhagen: str, new_york: str
) -> None:
    text = desk.received_text(submit(desk), now=now)
    assert f"They open again {copenhagen} Copenhagen time, which is {new_york} New York" in text


def test_received_text_follows_the_configured_hours(
    shipped_kb: KnowledgeBase, store: ContactStore
) -> None:
    desk = TicketDesk(shipped_kb, store, ROUTES, OfficeHours.parse("10:00-12:00"))
    ticket = submit(desk)
    text = desk.received_text(ticket, now=datetime(2024, 1, 15, 8, 0, tzinfo=UTC))
    assert "today at 10:00" in text and "today at 04:00" in text


# -- the outbox --------------------------------------------------------------------------


def test_due_returns_the_oldest_pending_message_of_each_chat(store: ContactStore) -> None:
    store.enqueue(
        Outgoing(1, "a1"),
        Outgoing(
            2, "b1", [[{"text": "B", "callback_data": "t:claim:9"}]], 9, OutboxAction.CARD, 77, True
        ),
        Outgoing(1, "a2"),
        Outgoing(3, "c1"),
        Outgoing(2, "b2"),
    )
    due = store.due()
    assert [i.message.text for i in due] == ["a1", "b1", "c1"]
    b1 = due[1]
    assert b1.message.keyboard == [[{"text": "B", "callback_data": "t:claim:9"}]]
    assert (b1.message.ticket_id, b1.message.action, b1.message.reply_to_message_id) == (
        9,
        "card",
        77,
    )
    assert b1.message.maps_to_ticket is True and b1.attempts == 0
    assert due[0].message.keyboard is None and due[0].message.maps_to_ticket is False
    assert due[0].message.action == "send"

    store.mark_sent(due[0], 101)
    assert [i.message.text for i in store.due()] == ["b1", "a2", "c1"]  # by id
    assert store.outbox_counts() == {"pending": 4, "sent": 1}


def test_a_retry_waits_and_holds_up_only_its_own_chat(store: ContactStore) -> None:
    store.enqueue(Outgoing(1, "a1"), Outgoing(1, "a2"), Outgoing(2, "b1"))
    a1 = store.due()[0]
    assert a1.message.text == "a1"
    store.mark_retry(a1, "TimedOut: " + "x" * 1000, 60.0)
    now = time.time()
    assert [i.message.text for i in store.due(now)] == ["b1"]  # a2 waits behind a1
    later = store.due(now + 120)
    assert [i.message.text for i in later] == ["a1", "b1"]
    assert later[0].attempts == 1
    (row,) = [r for r in outbox(store) if r["text"] == "a1"]
    assert row["status"] == "pending"
    assert len(row["last_error"]) == 500
    assert now + 55 <= row["next_attempt_at"] <= now + 65
    next_due = store.next_due_at()
    assert next_due is not None and next_due <= now  # b1 is due now

    store.mark_retry(later[0], "again", 1.0)
    again = store.due(time.time() + 5)
    assert again[0].message.text == "a1" and again[0].attempts == 2


def test_mark_final_takes_a_message_out_of_due(store: ContactStore) -> None:
    store.enqueue(Outgoing(1, "a1"), Outgoing(1, "a2"), Outgoing(2, "b1"))
    a1, b1 = store.due()
    store.mark_final(a1, OutboxStatus.FAILED, "Bad Request: message is too long")
    store.mark_final(b1, OutboxStatus.BLOCKED, "Forbidden: bot was blocked by the user")
    assert [i.message.text for i in store.due(time.time() + 3600)] == ["a2"]
    rows = {r["text"]: r for r in outbox(store)}
    assert rows["a1"]["status"] == "failed" and rows["a1"]["attempts"] == 1
    assert rows["b1"]["status"] == "blocked"
    assert rows["a1"]["last_error"] == "Bad Request: message is too long"
    assert store.outbox_counts() == {"pending": 1, "failed": 1, "blocked": 1}


def test_empty_outbox(store: ContactStore) -> None:
    assert store.due() == []
    assert store.next_due_at() is None
    assert store.outbox_counts() == {}


def test_sending_the_card_maps_it_to_the_ticket(desk: TicketDesk, store: ContactStore) -> None:
    ticket = submit(desk)
    item = send_card(store, 777)
    assert item.message.maps_to_ticket and item.message.ticket_id == ticket.id
    assert fresh(store, ticket).card_message_id == 777
    assert store.ticket_of_staff_message(INVESTMENT_CHAT, 777) == fresh(store, ticket)
    assert store.ticket_of_staff_message(INVESTMENT_CHAT, 778) is None
    assert store.ticket_of_staff_message(DEFAULT_CHAT, 777) is None
    (row,) = outbox(store)
    assert row["status"] == "sent" and row["sent_message_id"] == 777
    assert row["sent_at"] is not None
    assert store.due() == []


def test_sending_without_a_message_id_maps_nothing(desk: TicketDesk, store: ContactStore) -> None:
    ticket = submit(desk)
    (item,) = store.due()
    store.mark_sent(item, None)
    assert fresh(store, ticket).card_message_id is None
    assert count(store, "staff_messages") == 0


def test_a_relay_to_the_enquirer_is_not_mapped(desk: TicketDesk, store: ContactStore) -> None:
    ticket = submit(desk)
    send_card(store, 777)
    desk.staff_reply(fresh(store, ticket), "Birgit", "Hello Anna")
    (relay,) = [i for i in store.due() if i.message.chat_id == ENQUIRER_CHAT]
    assert not relay.message.maps_to_ticket
    store.mark_sent(relay, 5)
    assert store.ticket_of_staff_message(ENQUIRER_CHAT, 5) is None
    assert fresh(store, ticket).card_message_id == 777


# -- staff actions -----------------------------------------------------------------------


def last_edit(store: ContactStore) -> dict[str, Any]:
    edits = [r for r in outbox(store) if r["action"] == "edit_card"]
    assert edits
    return edits[-1]


def test_claim_resolve_reopen(
    shipped_kb: KnowledgeBase, desk: TicketDesk, store: ContactStore
) -> None:
    ticket = submit(desk)
    card_text, card_keyboard = desk.card(ticket)
    assert button_data(card_keyboard) == ["t:claim:1", "t:resolve:1"]
    assert [b["text"] for b in card_keyboard[0]] == [
        shipped_kb.message("button_claim"),
        shipped_kb.message("button_resolve"),
    ]
    assert shipped_kb.message("staff_status_open") in card_text

    claimed = desk.act(ticket.id, "claim", "Birgit")
    assert claimed is not None
    assert (claimed.status, claimed.claimed_by) == ("claimed", "Birgit")
    assert claimed.is_open and claimed.resolved_at is None
    edit = last_edit(store)
    assert edit["chat_id"] == INVESTMENT_CHAT and edit["ticket_id"] == ticket.id
    assert button_data(edit["keyboard"]) == ["t:resolve:1"]
    assert shipped_kb.message("staff_status_claimed", who="Birgit") in edit["text"]
    assert edit["maps_to_ticket"] == 0

    before = time.time()
    resolved = desk.act(ticket.id, "resolve", "Carl")
    assert resolved is not None
    assert (resolved.status, resolved.claimed_by) == ("resolved", "Carl")
    assert not resolved.is_open
    assert resolved.resolved_at is not None and before <= resolved.resolved_at <= time.time()
    edit = last_edit(store)
    assert button_data(edit["keyboard"]) == ["t:reopen:1"]
    assert shipped_kb.message("staff_status_resolved", who="Carl") in edit["text"]

    reopened = desk.act(ticket.id, "reopen", "Dora")
    assert reopened is not None
    assert (reopened.status, reopened.claimed_by, reopened.resolved_at) == ("open", None, None)
    edit = last_edit(store)
    assert button_data(edit["keyboard"]) == ["t:claim:1", "t:resolve:1"]
    assert shipped_kb.message("staff_status_open") in edit["text"]

    assert [r["action"] for r in outbox(store)] == ["card", "edit_card", "edit_card", "edit_card"]
    # Edits wait behind the card in the same chat.
    assert [i.message.action for i in store.due()] == ["card"]


def test_resolve_an_open_ticket_directly(desk: TicketDesk, store: ContactStore) -> None:
    ticket = submit(desk)
    resolved = desk.act(ticket.id, "resolve", "Birgit")
    assert resolved is not None and resolved.status == "resolved"
    assert store.open_ticket_of(ENQUIRER) is None


@pytest.mark.parametrize(("ticket_id", "action"), [(1, "delete"), (1, ""), (99, "claim")])
def test_unknown_actions_and_tickets_change_nothing(
    desk: TicketDesk, store: ContactStore, ticket_id: int, action: str
) -> None:
    ticket = submit(desk)
    assert desk.act(ticket_id, action, "Birgit") is None
    assert fresh(store, ticket) == ticket
    assert len(outbox(store)) == 1


def test_ticket_button_data_fits_telegram(desk: TicketDesk, store: ContactStore) -> None:
    ticket = store.create_ticket({**ANSWERS, "user_id": 1, "chat_id": 1, "id": 10**12})
    for action in ("claim", "resolve", "reopen"):
        changed = desk.act(ticket.id, action, "Birgit")
        assert changed is not None
        for data in button_data(desk.card(changed)[1]):
            assert data.startswith(CB_TICKET)
            assert len(data.encode()) <= 64


# -- staff replies -----------------------------------------------------------------------


def test_staff_reply_is_relayed_signed_and_claims_the_ticket(
    shipped_kb: KnowledgeBase, desk: TicketDesk, store: ContactStore
) -> None:
    ticket = submit(desk)
    send_card(store, 777)
    before = time.time()
    relay = desk.staff_reply(fresh(store, ticket), "Birgit", "We will call you tomorrow.")
    assert relay.delivered
    assert relay.ticket.status == "claimed" and relay.ticket.claimed_by == "Birgit"
    assert relay.ticket.first_reply_at is not None
    assert before <= relay.ticket.first_reply_at <= time.time()
    assert fresh(store, ticket) == relay.ticket

    sends = [r for r in outbox(store) if r["chat_id"] == ENQUIRER_CHAT]
    (send,) = sends
    header = shipped_kb.message("staff_reply_header", signature="Birgit", ref="#A-0001")
    assert header.startswith("Birgit")
    assert send["text"] == f"{header}\n\nWe will call you tomorrow."
    assert send["action"] == "send" and send["ticket_id"] == ticket.id
    assert send["keyboard"] is None
    edit = last_edit(store)
    assert edit["chat_id"] == INVESTMENT_CHAT
    assert button_data(edit["keyboard"]) == ["t:resolve:1"]
    out = [m for m in ticket_messages(store) if m["direction"] == "out"]
    assert [(m["author"], m["text"]) for m in out] == [("Birgit", "We will call you tomorrow.")]


def test_a_second_reply_keeps_the_first_reply_time_and_the_claim(
    desk: TicketDesk, store: ContactStore
) -> None:
    ticket = submit(desk)
    first = desk.staff_reply(ticket, "Birgit", "One").ticket
    rows = len(outbox(store))
    second = desk.staff_reply(first, "Carl", "Two")
    assert second.delivered
    assert second.ticket.first_reply_at == first.first_reply_at
    assert second.ticket.claimed_by == "Birgit" and second.ticket.status == "claimed"
    new = outbox(store)[rows:]
    assert [(r["chat_id"], r["action"]) for r in new] == [(ENQUIRER_CHAT, "send")]
    assert new[0]["text"].startswith("Carl")
    assert new[0]["text"].endswith("\n\nTwo")


def test_staff_reply_uses_the_configured_signature(
    shipped_kb: KnowledgeBase, store: ContactStore
) -> None:
    desk = TicketDesk(shipped_kb, store, ROUTES, OfficeHours(), staff_signature="The MVA team")
    ticket = submit(desk)
    relay = desk.staff_reply(ticket, "Birgit", "Hello")
    (send,) = [r for r in outbox(store) if r["chat_id"] == ENQUIRER_CHAT]
    # A team name signs as it is, not "The MVA team from the programme staff".
    assert send["text"] == "The MVA team replied to #A-0001:\n\nHello"
    assert "Birgit" not in send["text"]
    assert relay.ticket.claimed_by == "The MVA team"


def test_a_staff_reply_without_any_name_reads_naturally(
    desk: TicketDesk, store: ContactStore
) -> None:
    relay = desk.staff_reply(submit(desk), "", "Hello")
    (send,) = [r for r in outbox(store) if r["chat_id"] == ENQUIRER_CHAT]
    assert send["text"] == "The programme staff replied to #A-0001:\n\nHello"
    assert "Staff from the programme staff" not in send["text"]
    assert relay.ticket.claimed_by == "Programme staff"


def test_staff_reply_to_a_resolved_ticket_keeps_it_resolved(
    desk: TicketDesk, store: ContactStore
) -> None:
    ticket = submit(desk)
    resolved = desk.act(ticket.id, "resolve", "Birgit")
    assert resolved is not None
    relay = desk.staff_reply(resolved, "Carl", "One more thing")
    assert relay.delivered
    assert relay.ticket.status == "resolved" and relay.ticket.claimed_by == "Birgit"
    assert relay.ticket.first_reply_at is not None


def test_staff_reply_keeps_hostile_text_exactly(desk: TicketDesk, store: ContactStore) -> None:
    ticket = submit(desk)
    hostile = "<b>x</b> & <3 '; DROP TABLE tickets; -- \u200f👩‍🔬"
    desk.staff_reply(ticket, "Birgit", hostile)
    (send,) = [r for r in outbox(store) if r["chat_id"] == ENQUIRER_CHAT]
    assert send["text"].endswith("\n\n" + hostile)
    assert count(store, "tickets") == 1


def test_a_blocked_enquirer_gets_no_relay_and_the_card_says_so(
    shipped_kb: KnowledgeBase, desk: TicketDesk, store: ContactStore
) -> None:
    ticket = submit(desk)
    send_card(store, 777)
    desk.enquirer_blocked(ticket.id)
    blocked = fresh(store, ticket)
    assert blocked.enquirer_blocked
    edit = last_edit(store)
    assert shipped_kb.message("staff_status_blocked") in edit["text"]
    assert shipped_kb.message("staff_status_blocked") in desk.card(blocked)[0]

    rows = len(outbox(store))
    relay = desk.staff_reply(blocked, "Birgit", "Hello?")
    assert not relay.delivered
    assert relay.ticket == blocked
    assert len(outbox(store)) == rows
    assert [r for r in outbox(store) if r["chat_id"] == ENQUIRER_CHAT] == []
    assert fresh(store, ticket).first_reply_at is None
    assert fresh(store, ticket).status == "open"
    assert [m["direction"] for m in ticket_messages(store)] == ["in"]


# -- the enquirer side after submitting --------------------------------------------------


def test_enquirer_message_goes_to_the_staff_chat_as_a_reply_to_the_card(
    shipped_kb: KnowledgeBase, desk: TicketDesk, store: ContactStore
) -> None:
    ticket = submit(desk)
    send_card(store, 777)
    current = fresh(store, ticket)
    desk.enquirer_message(current, "I forgot: we are 12 people.")
    (item,) = store.due()
    assert item.message.chat_id == INVESTMENT_CHAT
    assert item.message.action == "send"
    assert item.message.reply_to_message_id == 777
    assert item.message.maps_to_ticket and item.message.ticket_id == ticket.id
    assert item.message.text == shipped_kb.message(
        "staff_enquirer_message",
        ref="#A-0001",
        name="Anna Jensen",
        text="I forgot: we are 12 people.",
    )
    store.mark_sent(item, 778)
    assert store.ticket_of_staff_message(INVESTMENT_CHAT, 778) == current
    assert fresh(store, ticket).card_message_id == 777  # not moved to the new message
    logged = ticket_messages(store)[-1]
    assert (logged["direction"], logged["author"]) == ("in", "Anna Jensen")
    assert logged["text"] == "I forgot: we are 12 people."


def test_enquirer_message_before_the_card_is_sent_waits_behind_it(
    desk: TicketDesk, store: ContactStore
) -> None:
    ticket = submit(desk)
    desk.enquirer_message(ticket, "Hello again")
    rows = outbox(store)
    assert [r["action"] for r in rows] == ["card", "send"]
    assert rows[1]["reply_to_message_id"] is None
    assert [i.message.action for i in store.due()] == ["card"]


def test_close_by_enquirer_resolves_and_tells_staff(
    shipped_kb: KnowledgeBase, desk: TicketDesk, store: ContactStore
) -> None:
    ticket = submit(desk)
    send_card(store, 777)
    closed = desk.close_by_enquirer(fresh(store, ticket))
    assert closed.status == "resolved" and not closed.is_open
    assert closed.resolved_at is not None
    # The enquirer is not named as the resolver: the card says who closed it.
    assert closed.claimed_by is None and closed.closed_by_enquirer
    assert "Status: closed by the enquirer" in desk.card(closed)[0]
    assert "Anna Jensen" not in desk.card(closed)[0].split("\n")[1]
    assert store.open_ticket_of(ENQUIRER) is None
    new = outbox(store)[1:]
    assert [(r["chat_id"], r["action"]) for r in new] == [
        (INVESTMENT_CHAT, "edit_card"),
        (INVESTMENT_CHAT, "send"),
    ]
    assert button_data(new[0]["keyboard"]) == ["t:reopen:1"]
    assert new[1]["text"] == shipped_kb.message("staff_enquirer_closed", ref="#A-0001")
    assert [r for r in outbox(store) if r["chat_id"] == ENQUIRER_CHAT] == []
    # Reopened and resolved by staff, it is staff's again.
    desk.act(closed.id, "reopen", "Birgit")
    resolved = desk.act(closed.id, "resolve", "Birgit")
    assert resolved is not None and not resolved.closed_by_enquirer
    assert "Status: resolved by Birgit" in desk.card(resolved)[0]


def test_open_ticket_of_finds_the_latest_unresolved_ticket(
    desk: TicketDesk, store: ContactStore
) -> None:
    assert store.open_ticket_of(ENQUIRER) is None
    first = submit(desk)
    desk.act(first.id, "resolve", "Birgit")
    second = submit(desk)
    desk.act(second.id, "claim", "Birgit")
    found = store.open_ticket_of(ENQUIRER)
    assert found is not None and found.id == second.id
    assert store.open_ticket_of(ENQUIRER + 1) is None


# -- find and the card -------------------------------------------------------------------


@pytest.mark.parametrize("ref", ["1", "#A-0001", "A-1", "a-0001", " #A-1 ", "0001", "#a-1"])
def test_find_accepts_references(desk: TicketDesk, ref: str) -> None:
    ticket = submit(desk)
    assert desk.find(ref) == ticket


@pytest.mark.parametrize(
    "ref", ["2", "garbage", "", " ", "#", "A-", "-1", "1.5", "A-x", "#B-0001", "1 2", "0x1"]
)
def test_find_rejects_unknown_and_garbage(desk: TicketDesk, ref: str) -> None:
    submit(desk)
    assert desk.find(ref) is None


@pytest.mark.parametrize("ref", ["²", "#A-①", "9" * 30])
def test_find_rejects_digit_like_garbage(desk: TicketDesk, ref: str) -> None:
    submit(desk)
    assert desk.find(ref) is None


def test_ticket_ref() -> None:
    assert ticket_ref(1) == "#A-0001"
    assert ticket_ref(42) == "#A-0042"
    assert ticket_ref(12345) == "#A-12345"


def test_card_shows_everything_staff_need(
    shipped_kb: KnowledgeBase, desk: TicketDesk, store: ContactStore
) -> None:
    ticket = submit(desk)
    text, _ = desk.card(ticket)
    for part in (
        "#A-0001",
        "Investment and venture capital",
        "Anna Jensen",
        "Novo Nordisk",
        ANSWERS["message"],
        shipped_kb.message("reply_in_telegram"),
        shipped_kb.message("staff_status_open"),
        *(f"• {q}" for q in RECENT),
    ):
        assert part in text
    assert shipped_kb.message("staff_status_blocked") not in text
    assert text.index(RECENT[0]) < text.index(RECENT[1])  # oldest first, as given


def test_card_by_email_without_questions(
    shipped_kb: KnowledgeBase, desk: TicketDesk, store: ContactStore
) -> None:
    answers = {**ANSWERS, "reply_via": "email", "email": "anna@example.org", "topic": "press"}
    ticket = desk.submit(ENQUIRER, ENQUIRER_CHAT, answers, [])
    text, _ = desk.card(ticket)
    assert shipped_kb.message("reply_by_email", email="anna@example.org") in text
    assert shipped_kb.message("staff_card_no_questions") in text
    assert "Press and media" in text


def test_card_of_a_retired_topic_shows_its_id(desk: TicketDesk, store: ContactStore) -> None:
    ticket = store.create_ticket({**ANSWERS, "user_id": 1, "chat_id": 1, "topic": "retired"})
    assert "retired" in desk.card(ticket)[0]


def test_card_keeps_hostile_text_as_plain_text(desk: TicketDesk) -> None:
    hostile = "<b>x</b> & <3 '; DROP TABLE tickets; --"
    ticket = desk.submit(
        ENQUIRER,
        ENQUIRER_CHAT,
        {**ANSWERS, "name": hostile, "organisation": "\u200fשלום\u200f", "message": hostile},
        [hostile],
    )
    assert ticket.name == hostile and ticket.message == hostile
    assert ticket.recent_questions == [hostile]
    text, _ = desk.card(ticket)
    assert f"From: {hostile} · \u200fשלום\u200f" in text
    assert "&amp;" not in text and "&lt;" not in text  # escaping is the sender's job


def test_card_fits_one_telegram_message_even_with_long_recent_questions(
    desk: TicketDesk,
) -> None:
    answers = {
        **ANSWERS,
        "name": "N" * 100,
        "organisation": "O" * 150,
        "reply_via": "email",
        "email": "e" * 242 + "@example.org",
        "message": "M" * 2500,
    }
    ticket = desk.submit(ENQUIRER, ENQUIRER_CHAT, answers, ["Q" * 500] * 5)
    desk.enquirer_blocked(ticket.id)
    text, _ = desk.card(ticket)
    assert len(text) <= 4096


def test_card_with_every_field_at_its_limit_fits_one_telegram_message(
    desk: TicketDesk, store: ContactStore
) -> None:
    answers = {
        **ANSWERS,
        "name": "N" * 100,
        "organisation": "O" * 150,
        "reply_via": "email",
        "email": "e" * 242 + "@example.org",
        "message": "M" * 2500,
    }
    ticket = desk.submit(ENQUIRER, ENQUIRER_CHAT, answers, ["What does MVA do?"] * 5)
    desk.enquirer_blocked(ticket.id)
    text, _ = desk.card(fresh(store, ticket))
    assert len(text) <= 4096


# -- saved forms -------------------------------------------------------------------------


def test_forms_are_saved_exactly_replaced_and_cleared(store: ContactStore) -> None:
    data = {"name": "<b>x</b> & <3", "organisation": "\u200fשלום\u200b", "_editing": "1"}
    assert store.form(7) is None
    store.save_form(7, 70, "organisation", data)
    saved = store.form(7)
    assert saved is not None
    assert (saved.user_id, saved.chat_id, saved.step, saved.data) == (7, 70, "organisation", data)
    store.save_form(7, 70, "summary", {"name": "Anna"})
    saved = store.form(7)
    assert saved is not None and saved.step == "summary" and saved.data == {"name": "Anna"}
    store.save_form(8, 80, "name", {})
    store.clear_form(7)
    assert store.form(7) is None
    assert store.form(8) is not None
