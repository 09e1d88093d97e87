"""The curation loop through the Telegram handlers: Save as answer, /drafts, forged and
unauthorised presses, and the monthly review notice (the JobQueue job and the outbox).

Real PTB objects through ``Application.process_update`` against the validating
``RecordingRequest``, as in test_privacy_handlers.py, whose helpers walk the contact
form and wait for the outbox sender.
"""

# ruff: noqa: F811 (test arguments named ``bot`` are the imported fixture)
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.curation import reviews
from bot.knowledge.base import KnowledgeBase, load_knowledge
from bot.storage.contacts import ContactStore
from bot.storage.curation import CurationStore
from bot.storage.database import Storage
from bot.telegram.app import REVIEW_NOTICE_AT
from tests.support.telegram_rules import Call
from tests.support.updates import make_callback_update, make_text_update
from tests.test_privacy_handlers import (
    ENQUIRER,
    STAFF_USER,
    bot,  # noqa: F401 (the fixture: the bot with a staff chat)
    handle,
    say,
    submit_request,
    ticket_of,
    until,
)
from tests.test_telegram_handlers import STAFF_CHAT, Harness

pytestmark = pytest.mark.handlers

REPLY = "The programme has no travel grants of its own; founders pay their own way."
OUTSIDER = 777001


async def staff_says(bot: Harness, text: str, reply_to: int | None = None) -> None:
    options: dict[str, Any] = {"reply_to_message_id": reply_to} if reply_to else {}
    update = make_text_update(
        bot.app.bot,
        text,
        user_id=STAFF_USER,
        first_name="Sven",
        chat_id=STAFF_CHAT,
        chat_type="supergroup",
        **options,
    )
    await handle(bot, update)


async def staff_press(
    bot: Harness, data: str, *, user: int = STAFF_USER, chat: int = STAFF_CHAT
) -> str | None:
    chat_type = "supergroup" if chat < 0 else "private"
    update = make_callback_update(
        bot.app.bot, data, user_id=user, first_name="Sven", chat_id=chat, chat_type=chat_type
    )
    await handle(bot, update)
    answer = bot.request.last("answerCallbackQuery")
    assert answer.status == 200
    text = answer.params.get("text")
    return str(text) if text is not None else None


async def replied_ticket(bot: Harness) -> list[tuple[str, str]]:
    """An enquirer's request with a staff reply; the buttons under the acknowledgement."""
    await say(bot, "Does the programme offer travel grants for founders?")
    await submit_request(bot)
    await until(lambda: bot.sent(STAFF_CHAT), "the staff card")
    with bot.storage() as storage:
        await until(lambda: ticket_of(storage).card_message_id, "the card to be recorded")
        card_id = ticket_of(storage).card_message_id
    await staff_says(bot, REPLY, reply_to=card_id)

    def ack() -> list[Call]:
        return [c for c in bot.sent(STAFF_CHAT) if "queued for delivery" in c.params["text"]]

    await until(ack, "the acknowledgement")
    return bot.buttons(ack()[0])


async def test_the_acknowledgement_carries_save_as_answer_and_it_makes_a_draft(
    bot: Harness, shipped_kb: KnowledgeBase
) -> None:
    [(label, data)] = await replied_ticket(bot)
    assert label == "Save as answer" and data.startswith("t:save:")
    assert await staff_press(bot, data) == shipped_kb.message("staff_draft_saved", draft=1)
    assert await staff_press(bot, data) == shipped_kb.message("staff_draft_exists", draft=1)
    with bot.storage() as storage:
        [draft] = CurationStore(storage).drafts()
        assert draft.answer == REPLY and draft.staff == "Sven"
        assert draft.questions == ["Does the programme offer travel grants for founders?"]
    await staff_says(bot, "/drafts")
    drafts = shipped_kb.message("staff_drafts", count=1)
    await until(lambda: bot.texts(STAFF_CHAT)[-1] == drafts, "the /drafts answer")
    assert bot.rejected() == []


@pytest.mark.parametrize(
    "forged",
    ["t:save:99999", "t:save:", "t:save:1:2", "t:save:-1", "t:save:１", "t:save:" + "9" * 40],
)
async def test_forged_save_data_stores_nothing(bot: Harness, forged: str) -> None:
    await replied_ticket(bot)
    await staff_press(bot, forged)
    with bot.storage() as storage:
        assert CurationStore(storage).drafts() == []
    assert bot.rejected() == []


async def test_only_staff_can_save_an_answer(bot: Harness, shipped_kb: KnowledgeBase) -> None:
    [(_, data)] = await replied_ticket(bot)
    toast = await staff_press(bot, data, user=OUTSIDER, chat=OUTSIDER)
    assert toast == shipped_kb.message("staff_only")
    with bot.storage() as storage:
        assert CurationStore(storage).drafts() == []
    # /drafts is a staff command: an enquirer is refused.
    await handle(bot, make_text_update(bot.app.bot, "/drafts", user_id=ENQUIRER))
    assert bot.texts(ENQUIRER)[-1] == shipped_kb.message("staff_only")


async def test_the_review_notice_is_a_daily_job(bot: Harness) -> None:
    assert bot.app.job_queue is not None
    [job] = bot.app.job_queue.get_jobs_by_name("review-notice")
    trigger = job.job.trigger
    assert "hour='9'" in str(trigger) and "minute='0'" in str(trigger)
    assert str(REVIEW_NOTICE_AT.tzinfo) == "Europe/Copenhagen"


def test_the_review_notice_goes_through_the_outbox_once_a_month(
    storage: Storage, shipped_kb: KnowledgeBase
) -> None:
    store = ContactStore(storage)
    first, second = dt.date(2026, 12, 1), dt.date(2026, 12, 2)
    assert not reviews.queue_notice(shipped_kb, store, STAFF_CHAT, second)
    assert not reviews.queue_notice(shipped_kb, store, None, first)
    assert store.due() == []
    assert reviews.queue_notice(shipped_kb, store, STAFF_CHAT, first)
    assert not reviews.queue_notice(shipped_kb, store, STAFF_CHAT, first)  # a restart
    [item] = store.due()
    assert item.message.chat_id == STAFF_CHAT
    assert item.message.text.startswith(
        f"Knowledge base entries due for review in the next 30 days ({len(shipped_kb.entries)})"
    )
    assert (
        "• ambassador-who (knowledge/ambassador.yaml): due 2012-07-04 (overdue)"
        in item.message.text
    )
    # January's first working day is the 4th in 2027 (the 1st is New Year's Day).
    assert not reviews.queue_notice(shipped_kb, store, STAFF_CHAT, dt.date(2027, 1, 1))
    assert reviews.queue_notice(shipped_kb, store, STAFF_CHAT, dt.date(2027, 1, 4))


async def test_the_notice_reaches_the_staff_chat(bot: Harness) -> None:
    # The job's work, on a first working day: delivered by the outbox sender.
    with bot.storage() as storage:
        queued = reviews.queue_notice(
            load_knowledge(), ContactStore(storage), STAFF_CHAT, dt.date(2026, 12, 1)
        )
    assert queued
    await until(lambda: any("due for review" in t for t in bot.texts(STAFF_CHAT)), "the notice")
    assert bot.rejected() == []


async def test_the_job_posts_today_only_if_today_is_a_first_working_day(bot: Harness) -> None:
    assert bot.app.job_queue is not None
    [job] = bot.app.job_queue.get_jobs_by_name("review-notice")
    await job.callback(None)
    today = dt.datetime.now(REVIEW_NOTICE_AT.tzinfo).date()
    with bot.storage() as storage:
        notices = [i for i in ContactStore(storage).due() if "due for review" in i.message.text]
        sent = any("due for review" in t for t in bot.texts(STAFF_CHAT))
        assert (bool(notices) or sent) is reviews.is_first_working_day(today)
