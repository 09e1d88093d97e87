"""Personal data through the Telegram handlers (bot/telegram/app.py): /privacy, /mydata as
a readable summary with everything attached as a JSON document (sendDocument), /forget
asked first with Erase / Keep buttons, then the staff card edited to show the erasure
and staff told, and the command menu.

Real PTB objects go through ``Application.process_update`` against the validating
``RecordingRequest``; the outbox sender runs as in production, so the tests wait for
it to deliver the staff card and its edits. Updates are journaled first
(``JournalQueue.put``), as the running bot does, so /forget is tested against the
update journal too.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.knowledge.base import DEFAULT_KNOWLEDGE_DIR, KnowledgeBase
from bot.operations.config import Settings
from bot.storage.contacts import ContactStore
from bot.storage.database import Storage
from bot.storage.tickets import Ticket
from bot.telegram.app import COMMANDS
from tests.support.telegram_rules import Call, UploadedFile, visible_text
from tests.support.updates import (
    BOT_USERNAME,
    DEFAULT_GROUP_ID,
    TOKEN,
    make_callback_update,
    make_text_update,
)
from tests.test_privacy_data import traces
from tests.test_telegram_handlers import STAFF_CHAT, Harness, start_app, stop_app

pytestmark = pytest.mark.handlers

RETENTION_DAYS = 180
ENQUIRER = 424242
FIRST_NAME = "Zelda"
NAME = "Zelda Quux"
ORG = "Quuxcorp"
EMAIL = "zelda@quux.example"
MESSAGE = "secret plan xyz"
FOLLOW_UP = "More on the secret plan xyz: we start in May."
QUESTION = "When was MassBio founded? <b>asks</b> Zelda & co"
STAFF_USER = 5005
STAFF_REPLY = "Dear Zelda, thank you. Let us talk next week."
PRIVATE_TEXTS = (NAME, "Zelda", "Quux", ORG, EMAIL, MESSAGE, FOLLOW_UP, QUESTION, STAFF_REPLY)
WAIT_SECONDS = 10.0


@pytest.fixture()
async def bot(tmp_path: Path) -> AsyncIterator[Harness]:
    settings = Settings(
        token=TOKEN,
        staff_chat_id=STAFF_CHAT,
        data_dir=tmp_path,
        knowledge_dir=DEFAULT_KNOWLEDGE_DIR,
        retention_days=RETENTION_DAYS,
        health_port=None,  # no listening socket in tests
    )
    app, request = await start_app(settings)
    yield Harness(app, request, settings)
    await stop_app(app)


@pytest.fixture()
def kb(shipped_kb: KnowledgeBase) -> KnowledgeBase:
    return shipped_kb  # the knowledge base the bot loads (DEFAULT_KNOWLEDGE_DIR)


async def handle(bot: Harness, update: Update) -> None:
    """As the running bot does: journal the update, then handle it."""
    await bot.app.update_queue.put(update)
    await bot.app.process_update(update)


async def say(bot: Harness, text: str, **kwargs: Any) -> None:
    options = {"user_id": ENQUIRER, "first_name": FIRST_NAME, **kwargs}
    await handle(bot, make_text_update(bot.app.bot, text, **options))


async def press(bot: Harness, data: str) -> None:
    await handle(
        bot, make_callback_update(bot.app.bot, data, user_id=ENQUIRER, first_name=FIRST_NAME)
    )


async def until(condition: Callable[[], object], what: str) -> None:
    """Wait for the outbox sender (a background task) to get something done."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


def texts(bot: Harness) -> list[str]:
    return bot.texts(ENQUIRER)


def documents(bot: Harness, chat_id: int = ENQUIRER) -> list[Call]:
    return [
        c
        for c in bot.request.calls_to("sendDocument")
        if c.status == 200 and int(c.params["chat_id"]) == chat_id
    ]


def card_edits(bot: Harness, message_id: int) -> list[str]:
    return [
        visible_text(c.params["text"], c.params.get("parse_mode"))
        for c in bot.request.calls_to("editMessageText")
        if c.status == 200
        and int(c.params["chat_id"]) == STAFF_CHAT
        and int(c.params["message_id"]) == message_id
    ]


def ticket_of(storage: Storage) -> Ticket:
    [ticket] = ContactStore(storage).tickets()
    return ticket


def pending(storage: Storage) -> int:
    return int(
        storage.db.execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()[0]
    )


async def submit_request(bot: Harness) -> None:
    await say(bot, "/contact")
    await press(bot, "k:agree")
    await say(bot, NAME)
    await say(bot, ORG)
    await press(bot, "k:via:email")
    await say(bot, EMAIL)
    await press(bot, "k:topic:investment")
    await say(bot, MESSAGE)
    await press(bot, "k:send")
    assert "#A-0001" in texts(bot)[-1]


# -- the menu and /privacy ---------------------------------------------------------------------


async def test_command_menu_offers_the_privacy_commands(bot: Harness, kb: KnowledgeBase) -> None:
    [menu] = [c for c in bot.request.calls_to("setMyCommands") if not c.params.get("language_code")]
    commands = {c["command"]: c["description"] for c in menu.params["commands"]}
    assert {"privacy", "mydata", "forget"} <= set(commands)
    assert set(commands) == set(COMMANDS)
    for name in ("privacy", "mydata", "forget"):
        assert commands[name] == kb.message(f"command_{name}")


async def test_privacy_explains_what_is_stored(bot: Harness, kb: KnowledgeBase) -> None:
    await say(bot, "/privacy")
    [text] = texts(bot)
    assert text == kb.message("privacy", retention_days=RETENTION_DAYS)
    assert f"{RETENTION_DAYS} days" in text
    assert "/mydata" in text and "/forget" in text
    assert bot.rejected() == []


# -- /mydata -------------------------------------------------------------------------------------


async def test_mydata_with_nothing_stored(bot: Harness, kb: KnowledgeBase) -> None:
    await say(bot, "/mydata")
    assert texts(bot) == [kb.message("mydata_none")]
    assert documents(bot) == []


async def test_mydata_is_a_readable_summary_with_the_json_attached(
    bot: Harness, kb: KnowledgeBase
) -> None:
    await say(bot, QUESTION)
    await say(bot, "/mydata")
    assert bot.rejected() == []
    assert len(bot.sent(ENQUIRER)) == 2
    summary = texts(bot)[-1]
    lines = summary.split("\n")
    assert lines[0] == kb.message("mydata_intro")
    assert lines[1].startswith("• Questions you asked me: 1 (the last on ")
    assert lines[-1] == kb.message("mydata_file")
    assert "{" not in summary and '"telegram_user_id"' not in summary  # no raw JSON
    [call] = documents(bot)
    document = call.params["document"]
    assert isinstance(document, UploadedFile) and document.filename == "mydata.json"
    data = json.loads(document.content)
    assert [q["question"] for q in data["questions"]] == [QUESTION]
    assert data["telegram_user_id"] == ENQUIRER
    assert call.params["caption"] == kb.message("mydata_file_caption")


def long_questions() -> list[str]:
    return [
        f"Question {i}: how does the ambassador programme work for a start-up " * 12
        for i in range(8)
    ]


async def mydata_file(bot: Harness) -> UploadedFile:
    for question in long_questions():
        await say(bot, question)
    sent_before = len(bot.sent(ENQUIRER))
    await say(bot, "/mydata")
    assert bot.rejected() == []
    assert len(bot.sent(ENQUIRER)) == sent_before + 1  # the summary, and the file
    [call] = documents(bot)
    document = call.params["document"]
    assert isinstance(document, UploadedFile)
    return document


async def test_long_mydata_is_sent_as_a_json_file(bot: Harness, kb: KnowledgeBase) -> None:
    document = await mydata_file(bot)
    assert document.filename == "mydata.json"
    assert document.mime_type == "application/json"
    text = document.content.decode("utf-8")
    assert len(text) > 4096
    data = json.loads(text)  # the file is plain JSON
    assert [q["question"] for q in data["questions"]] == long_questions()
    [call] = bot.request.calls_to("sendDocument")
    assert call.params["caption"] == kb.message("mydata_file_caption")


async def test_long_mydata_file_is_valid_json(bot: Harness) -> None:
    document = await mydata_file(bot)
    data = json.loads(document.content)
    assert [q["question"] for q in data["questions"]] == long_questions()


async def test_mydata_in_a_group_does_not_show_personal_data_there(bot: Harness) -> None:
    await say(bot, QUESTION)
    await say(bot, f"/mydata@{BOT_USERNAME}", chat_type="supergroup")
    in_group = bot.texts(DEFAULT_GROUP_ID) + [
        c.params["document"].content.decode() for c in documents(bot, DEFAULT_GROUP_ID)
    ]
    assert not any("MassBio founded" in text for text in in_group)


# -- /forget -------------------------------------------------------------------------------------


async def test_forget_erases_edits_the_staff_card_and_tells_staff(
    bot: Harness, kb: KnowledgeBase
) -> None:
    await say(bot, QUESTION)
    await submit_request(bot)
    await until(lambda: bot.sent(STAFF_CHAT), "the staff card")
    with bot.storage() as storage:
        await until(lambda: ticket_of(storage).card_message_id, "the card to be recorded")
        ticket = ticket_of(storage)
        card_id = ticket.card_message_id
        assert card_id is not None
        [card] = bot.texts(STAFF_CHAT)
        assert NAME in card and MESSAGE in card and "MassBio founded" in card

        # A follow-up goes to staff; a staff reply to the card reaches the enquirer.
        await say(bot, FOLLOW_UP)
        await until(lambda: any(FOLLOW_UP in t for t in bot.texts(STAFF_CHAT)), "the follow-up")
        staff_reply = make_text_update(
            bot.app.bot,
            STAFF_REPLY,
            user_id=STAFF_USER,
            first_name="Sven",
            chat_id=STAFF_CHAT,
            chat_type="supergroup",
            reply_to_message_id=card_id,
        )
        await handle(bot, staff_reply)
        await until(lambda: any(STAFF_REPLY in t for t in texts(bot)), "the staff reply")
        await until(lambda: pending(storage) == 0, "the outbox to empty")
        assert traces(storage, PRIVATE_TEXTS, [ENQUIRER])  # stored, before /forget
        staff_messages = len(bot.sent(STAFF_CHAT))
        to_enquirer = len(bot.sent(ENQUIRER))

        # /forget asks first, saying what it will erase; nothing is erased yet.
        await say(bot, "/forget")
        asked = bot.sent(ENQUIRER)[-1]
        assert ticket.ref in texts(bot)[-1]
        assert [label for label, _ in bot.buttons(asked)] == ["Erase", "Keep"]
        assert traces(storage, PRIVATE_TEXTS, [ENQUIRER])
        await press(bot, dict((label, data) for label, data in bot.buttons(asked))["Erase"])

        assert texts(bot)[-1] == kb.message("forget_done")
        await until(
            lambda: any(kb.message("staff_status_erased") in t for t in card_edits(bot, card_id)),
            "the card edit",
        )
        await until(lambda: len(bot.sent(STAFF_CHAT)) > staff_messages, "the staff notice")
        await until(lambda: pending(storage) == 0, "the outbox to empty")

        # The card no longer shows who wrote or what; the notice is threaded on it.
        edited = card_edits(bot, card_id)[-1]
        assert ticket.ref in edited
        assert not [t for t in PRIVATE_TEXTS if t.casefold() in edited.casefold()]
        [notice] = bot.sent(STAFF_CHAT)[staff_messages:]
        assert visible_text(notice.params["text"], "HTML") == kb.message(
            "staff_data_erased", ref=ticket.ref
        )
        assert notice.params["reply_parameters"]["message_id"] == card_id
        # Only the question and the confirmation went to the enquirer.
        assert len(bot.sent(ENQUIRER)) == to_enquirer + 2
        # Nothing of theirs is left in any table, the update journal included.
        assert traces(storage, PRIVATE_TEXTS, [ENQUIRER]) == []

        # A later staff reply to the card is not relayed to anyone.
        later = make_text_update(
            bot.app.bot,
            "Are you still there?",
            user_id=STAFF_USER,
            first_name="Sven",
            chat_id=STAFF_CHAT,
            chat_type="supergroup",
            reply_to_message_id=card_id,
        )
        await handle(bot, later)
        await until(lambda: pending(storage) == 0, "the outbox to empty")
        assert len(bot.sent(ENQUIRER)) == to_enquirer + 2

    await say(bot, "/mydata")
    assert texts(bot)[-1] == kb.message("mydata_none")
    assert bot.rejected() == []


async def test_forget_without_a_request_tells_no_one(bot: Harness, kb: KnowledgeBase) -> None:
    await say(bot, QUESTION)
    await say(bot, "/forget")
    await press(bot, "k:forget:erase")
    assert texts(bot)[-1] == kb.message("forget_done")
    with bot.storage() as storage:
        assert traces(storage, [QUESTION], [ENQUIRER]) == []
        assert storage.db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0
    assert bot.sent(STAFF_CHAT) == []
