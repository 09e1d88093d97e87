"""Reliability through the Telegram handlers (issue 8's defects): nothing an update's
handler sends waits on another chat, staff get everything through the outbox (split to
fit, retried under faults, part by part), lengths count UTF-16 units, a user who blocked
the bot and writes again has unblocked it, and /forget with a card still queued.

Real PTB objects through ``Application.process_update`` against the validating
``RecordingRequest``, with the helpers of test_privacy_handlers.py.
"""

# ruff: noqa: F811 (test arguments named ``bot`` are the imported fixture)
from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from telegram import Update

from bot.common.lengths import MAX_MESSAGE, utf16_len
from bot.knowledge.base import KnowledgeBase
from bot.storage.contacts import ContactStore
from bot.storage.database import Storage
from bot.storage.outbox import OutboxAction, Outgoing
from bot.telegram.render import split_text
from tests.support.telegram_rules import Call, TelegramRejection, visible_text
from tests.support.updates import make_photo_update, make_text_update
from tests.test_privacy_handlers import (
    ENQUIRER,
    STAFF_USER,
    bot,  # noqa: F401 (the fixture: the bot with a staff chat)
    handle,
    press,
    say,
    submit_request,
    ticket_of,
    until,
)
from tests.test_telegram_handlers import STAFF_CHAT, Harness, front_of

pytestmark = pytest.mark.handlers

EMOJI = "🧬"  # two UTF-16 units


def staff_update(
    bot: Harness, text: str, reply_to: int | None = None, reply_to_text: str | None = None
) -> Update:
    options: dict[str, Any] = {"reply_to_message_id": reply_to} if reply_to else {}
    if reply_to_text is not None:
        options["reply_to_text"] = reply_to_text
    return make_text_update(
        bot.app.bot,
        text,
        user_id=STAFF_USER,
        first_name="Sven",
        chat_id=STAFF_CHAT,
        chat_type="supergroup",
        **options,
    )


async def staff_says(
    bot: Harness, text: str, reply_to: int | None = None, reply_to_text: str | None = None
) -> None:
    await handle(bot, staff_update(bot, text, reply_to, reply_to_text))


def staff_calls(bot: Harness) -> list[Call]:
    return [c for c in bot.request.calls if c.params.get("chat_id") == STAFF_CHAT]


@asynccontextmanager
async def sender_paused(bot: Harness) -> AsyncIterator[None]:
    """Hold the outbox sender, so whatever reaches the staff chat meanwhile was sent
    from inside an update's handler."""
    front = front_of(bot.app)
    await front.outbox.stop()
    try:
        yield
    finally:
        front.outbox.start()


async def card_message_id(bot: Harness) -> int:
    with bot.storage() as storage:
        await until(lambda: ticket_of(storage).card_message_id, "the card to be recorded")
        card = ticket_of(storage).card_message_id
    assert card is not None
    return card


# -- defect 1: no enquirer waits on the staff chat --------------------------------------------


async def test_no_handler_sends_to_the_staff_chat_itself(
    bot: Harness, shipped_kb: KnowledgeBase
) -> None:
    await submit_request(bot)
    card = await card_message_id(bot)
    async with sender_paused(bot):
        before = len(staff_calls(bot))
        await staff_says(bot, "/stats")
        await staff_says(bot, "/open")
        await staff_says(bot, "Thank you, we will write soon.", reply_to=card)  # the ack
        await staff_says(bot, "a reply to nothing of ours", reply_to=99999)
        bot.request.fail("sendMessage", 400, "Bad Request: chat not found", chat_id=ENQUIRER)
        await say(bot, "When was MassBio founded?")  # an error: staff are told
        assert staff_calls(bot)[before:] == []
        assert bot.texts(ENQUIRER)[-1] == shipped_kb.message("error")
    await until(lambda: len(bot.sent(STAFF_CHAT)) >= 6, "the staff chat's messages")
    texts = bot.texts(STAFF_CHAT)
    assert any(t.startswith("Questions:") for t in texts)  # /stats
    assert any("#A-0001 [claimed" in t or "#A-0001 [open" in t for t in texts)  # /open
    assert shipped_kb.message("staff_reply_delivered", ref="#A-0001") in texts
    assert shipped_kb.message("staff_reply_unknown") in texts
    assert any("BadRequest" in t for t in texts)
    assert bot.rejected()[-1].params["chat_id"] == ENQUIRER  # only the injected 400


# -- defect 9: staff replies survive a failing staff chat; 429s are waited out --------------


async def test_stats_and_open_replies_survive_a_failing_staff_chat(bot: Harness) -> None:
    bot.request.fail("sendMessage", 502, chat_id=STAFF_CHAT, times=3)
    await staff_says(bot, "/stats")
    await staff_says(bot, "/open")
    await until(lambda: len(bot.sent(STAFF_CHAT)) == 2, "both replies")
    stats, listing = bot.texts(STAFF_CHAT)
    assert stats.startswith("Questions:")
    assert listing == "No open tickets."


async def test_five_429s_in_a_row_are_waited_out_not_dropped(bot: Harness) -> None:
    bot.request.fail("sendMessage", 429, retry_after=1, chat_id=ENQUIRER, times=5)
    await say(bot, "When was MassBio founded?")
    statuses = [c.status for c in bot.request.calls_to("sendMessage")]
    assert statuses == [429] * 5 + [200]
    assert "1985" in bot.texts(ENQUIRER)[-1]


# -- defects 2 and 3: UTF-16 lengths; long staff replies are split ----------------------------


async def test_form_limits_count_utf16_units(bot: Harness, shipped_kb: KnowledgeBase) -> None:
    await say(bot, "/contact")
    await press(bot, "k:agree")
    await say(bot, "Anna " + EMOJI * 48)  # 53 characters, 101 units: over the name's 100
    refused, asked_again = bot.texts(ENQUIRER)[-2:]
    assert refused == shipped_kb.message("form_too_long", limit=100)
    assert asked_again == shipped_kb.message("form_name")


def long_ticket(storage: Storage, message: str, **fields: Any) -> int:
    ticket = ContactStore(storage).create_ticket(
        {
            "user_id": ENQUIRER,
            "chat_id": ENQUIRER,
            "name": fields.get("name", EMOJI * 50),
            "organisation": fields.get("organisation", EMOJI * 75),
            "reply_via": "telegram",
            "topic": "investment",
            "message": message,
            "recent_questions": [EMOJI * 150] * 5,
            "staff_chat_id": STAFF_CHAT,
        }
    )
    return ticket.id


async def test_a_card_always_fits_one_message_and_ticket_shows_it_whole(bot: Harness) -> None:
    message = "Start " + EMOJI * 2490 + " end"  # as much as an older form let through
    with bot.storage() as storage:
        ticket_id = long_ticket(storage, message)
    desk = front_of(bot.app).services.desk
    ticket = front_of(bot.app).services.store.ticket(ticket_id)
    assert ticket is not None
    card, _ = desk.card(ticket)
    assert utf16_len(card) <= MAX_MESSAGE
    assert "Start " in card and " end" not in card  # the quoted text is cut
    await staff_says(bot, f"/ticket {ticket_id}")
    await until(lambda: len(bot.sent(STAFF_CHAT)) >= 2, "the whole ticket")
    await bot.barrier()
    parts = bot.texts(STAFF_CHAT)
    assert len(parts) >= 2 and all(utf16_len(p) <= MAX_MESSAGE for p in parts)
    whole = "".join(parts)
    assert whole.count(EMOJI) >= 2490 + 5 * 150 and " end" in whole
    assert bot.rejected() == []


async def test_open_and_gaps_are_split_to_fit(bot: Harness) -> None:
    with bot.storage() as storage:
        for _ in range(15):
            long_ticket(storage, "hi", name="N" * 100, organisation="O" * 150 + EMOJI * 60)
        for i in range(2):
            storage.log_question(
                user_id=ENQUIRER,
                chat_id=ENQUIRER,
                text=f"unanswerable {i} " + "zorblax " * 400,
                kind="fallback",
                entry_id=None,
                score=0.0,
            )
    await staff_says(bot, "/open")
    await bot.barrier()
    listing = bot.texts(STAFF_CHAT)
    assert len(listing) >= 2 and sum(t.count("[open]") for t in listing) == 15
    await staff_says(bot, "/gaps")
    await bot.barrier()
    gaps = bot.texts(STAFF_CHAT)[len(listing) :]
    assert len(gaps) >= 2 and "unanswerable 0" in "".join(gaps)
    assert bot.rejected() == []


# -- defect 6: a long message's parts go out once each --------------------------------------


async def test_a_failed_part_does_not_repeat_the_parts_before_it(bot: Harness) -> None:
    with bot.storage() as storage:
        ticket_id = long_ticket(storage, "x")
    text = "\n\n".join(f"paragraph {i} " + "word " * 300 for i in range(10))
    parts = len(split_text(text))
    assert parts >= 3
    front = front_of(bot.app)
    async with sender_paused(bot):
        front.services.store.enqueue(
            Outgoing(STAFF_CHAT, text, ticket_id=ticket_id, maps_to_ticket=True)
        )
        [item] = [i for i in front.services.store.due() if i.message.chat_id == STAFF_CHAT]
        fail_second_part(bot)
        assert not await front.outbox.deliver(item)
        [again] = front.services.store.due(now=time.time() + 3600)
        assert again.parts_sent == 1
        assert await front.outbox.deliver(again)
    sent = bot.texts(STAFF_CHAT)
    assert len(sent) == parts and len(set(sent)) == parts  # each part once
    assert sent[0].startswith("paragraph 0 ") and "paragraph 9 " in sent[-1]
    assert [c.status for c in staff_calls(bot)] == [200, 502] + [200] * (parts - 1)
    with bot.storage() as storage:
        # Staff can reply to any part: each is mapped to the ticket.
        mapped = storage.db.execute(
            "SELECT count(*) FROM staff_messages WHERE ticket_id = ?", [ticket_id]
        ).fetchone()[0]
        assert mapped == parts


def fail_second_part(bot: Harness) -> None:
    """The next sendMessage to the staff chat succeeds; the one after answers 502."""
    request = bot.request
    original = request._answer
    calls = {"n": 0}

    def answer(method: str, params: dict[str, Any]) -> Any:
        if method.lower() == "sendmessage" and params.get("chat_id") == STAFF_CHAT:
            calls["n"] += 1
            if calls["n"] == 2:
                request._answer = original  # type: ignore[method-assign]
                raise TelegramRejection(502, "Bad Gateway")
        return original(method, params)

    request._answer = answer  # type: ignore[method-assign]


# -- defect 5: writing again clears the blocked flag ----------------------------------------


async def test_a_blocked_enquirer_who_writes_again_gets_staff_replies(
    bot: Harness, shipped_kb: KnowledgeBase
) -> None:
    await submit_request(bot)
    card = await card_message_id(bot)
    bot.request.fail("sendMessage", 403, chat_id=ENQUIRER, times=1)
    await staff_says(bot, "First reply", reply_to=card)
    with bot.storage() as storage:
        await until(lambda: ticket_of(storage).enquirer_blocked, "the block to be seen")
    await staff_says(bot, "Second reply", reply_to=card)
    blocked = shipped_kb.message("staff_reply_blocked", ref="#A-0001")
    await until(lambda: blocked in bot.texts(STAFF_CHAT), "the refusal")

    await say(bot, "Sorry, I had blocked you by mistake")  # they unblocked the bot
    with bot.storage() as storage:
        assert not storage.is_blocked(ENQUIRER)
        assert not ticket_of(storage).enquirer_blocked
    await staff_says(bot, "Third reply", reply_to=card)
    await until(lambda: any("Third reply" in t for t in bot.texts(ENQUIRER)), "the relay")


# -- defect 8: /forget while the card is still queued -----------------------------------------


async def test_forget_with_the_card_still_queued_tells_staff_nothing(
    bot: Harness, shipped_kb: KnowledgeBase
) -> None:
    async with sender_paused(bot):
        await submit_request(bot)
        await say(bot, "/forget")
        await press(bot, "k:forget:erase")
        assert bot.texts(ENQUIRER)[-1] == shipped_kb.message("forget_done")
    await bot.barrier()
    assert bot.sent(STAFF_CHAT) == []  # no empty card, no notice about an unseen ticket
    assert bot.rejected() == []


async def test_forget_while_the_card_is_on_its_way_edits_it_at_once(
    bot: Harness, shipped_kb: KnowledgeBase
) -> None:
    front = front_of(bot.app)
    async with sender_paused(bot):
        await submit_request(bot)
        [card] = [i for i in front.services.store.due() if i.message.action == OutboxAction.CARD]
        await say(bot, "/forget")
        await press(bot, "k:forget:erase")
        # The sender had read the card before the erasure and now delivers it.
        assert await front.outbox.deliver(card)
    await bot.barrier()
    edits = [
        visible_text(c.params["text"], "HTML")
        for c in bot.request.calls_to("editMessageText")
        if c.status == 200
    ]
    assert edits and shipped_kb.message("staff_status_erased") in edits[-1]
    assert "Zelda" not in edits[-1]


async def test_a_reply_to_a_card_whose_id_is_not_recorded_yet_is_relayed(
    bot: Harness, shipped_kb: KnowledgeBase
) -> None:
    """Telegram took the card and a staff member answered it before the sender recorded
    its message id (a quick reply, or a sender held up by a busy machine)."""
    async with sender_paused(bot):
        await submit_request(bot)
        with bot.storage() as storage:
            assert ticket_of(storage).card_message_id is None
        card_text = "🎫 #A-0001 · Investment\nStatus: open"
        await staff_says(bot, "We will write soon.", reply_to=4242, reply_to_text=card_text)
    await until(lambda: any("We will write soon." in t for t in bot.texts(ENQUIRER)), "the relay")
    card = await card_message_id(bot)
    assert card != 4242
    # Once the card's id is known, a bot message quoting its first line is no card.
    await staff_says(bot, "And again.", reply_to=4343, reply_to_text=card_text)
    await until(
        lambda: shipped_kb.message("staff_reply_unknown") in bot.texts(STAFF_CHAT), "the refusal"
    )
    assert not any("And again." in t for t in bot.texts(ENQUIRER))


async def test_a_reply_to_a_relay_whose_id_is_not_recorded_yet_is_relayed(
    bot: Harness, shipped_kb: KnowledgeBase
) -> None:
    """The same race for a follow-up relayed to staff: the reply reaches the enquirer
    while the relay is still in the outbox, and only then."""
    await submit_request(bot)
    await card_message_id(bot)
    relay_text = "💬 #A-0001 · Alice wrote:\nWe are raising 5 million."
    async with sender_paused(bot):
        await say(bot, "We are raising 5 million.")
        await staff_says(bot, "Noted, thanks.", reply_to=5151, reply_to_text=relay_text)
    await until(lambda: any("Noted, thanks." in t for t in bot.texts(ENQUIRER)), "the relay")
    with bot.storage() as storage:
        await until(lambda: not ContactStore(storage).maps_pending(STAFF_CHAT, 1), "the send")
    # Once the relay's id is known, a bot message quoting its first line is no relay.
    await staff_says(bot, "Again.", reply_to=5252, reply_to_text=relay_text)
    await until(
        lambda: bot.texts(STAFF_CHAT).count(shipped_kb.message("staff_reply_unknown")) >= 1,
        "the refusal",
    )
    assert not any("Again." in t for t in bot.texts(ENQUIRER))


async def test_a_reply_to_a_photo_whose_id_is_not_recorded_yet_is_relayed(
    bot: Harness, shipped_kb: KnowledgeBase
) -> None:
    """The same race for an enquirer's photo copied to staff: its header is the copy's
    caption, not a text, and names the ticket all the same."""
    await submit_request(bot)
    await card_message_id(bot)
    async with sender_paused(bot):
        await handle(bot, make_photo_update(bot.app.bot, user_id=ENQUIRER, first_name="Alice"))
        reply = make_photo_update(
            bot.app.bot,
            user_id=STAFF_USER,
            first_name="Sven",
            chat_id=STAFF_CHAT,
            chat_type="supergroup",
            reply_to_message_id=6161,
            reply_to_caption="📎 #A-0001 · Alice sent a photo:",
        )
        await handle(bot, reply)
    assert shipped_kb.message("staff_reply_unknown") not in bot.texts(STAFF_CHAT)
    await until(
        lambda: any(
            c.params.get("chat_id") == ENQUIRER for c in bot.request.calls_to("copyMessage")
        ),
        "the staff photo reaching the enquirer",
    )
