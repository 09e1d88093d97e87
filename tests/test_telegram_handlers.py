"""Handler tests: real PTB objects through ``Application.process_update``, no network.

The ``RecordingRequest`` validates each Bot API call like Telegram (HTML entities,
4096 characters, 64-byte callback data, empty text) and answers 400 otherwise, so a
handler that sends something Telegram would reject makes PTB raise here too.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import logging
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot, Update
from telegram.error import NetworkError

from bot.common.languages import Language, language_of_code
from bot.knowledge.base import DEFAULT_KNOWLEDGE_DIR, KnowledgeBase
from bot.operations.config import Settings
from bot.storage.database import Storage
from bot.storage.journal import UpdateJournal
from bot.storage.outbox import Outgoing
from bot.telegram.app import App, TelegramFront, build_application
from bot.telegram.journal import payload_of
from tests.support.kbfactory import DEFAULT_ENTRIES, entry, messages_file, write_kb
from tests.support.recording_request import RecordingRequest
from tests.support.telegram_rules import Call, UploadedFile, visible_text
from tests.support.updates import (
    BOT_USERNAME,
    DEFAULT_GROUP_ID,
    DEFAULT_USER_ID,
    TOKEN,
    make_callback_update,
    make_edited_message_update,
    make_location_update,
    make_photo_update,
    make_sticker_update,
    make_text_update,
    make_voice_update,
)

pytestmark = pytest.mark.handlers

STAFF_CHAT = -100999
USER = DEFAULT_USER_ID
WAIT_SECONDS = 10.0
_barriers = itertools.count(1)


@dataclass
class Harness:
    app: App
    request: RecordingRequest
    settings: Settings

    async def send(self, text: str, **kwargs: Any) -> None:
        await self.app.process_update(make_text_update(self.app.bot, text, **kwargs))

    async def press(self, data: str, **kwargs: Any) -> None:
        await self.app.process_update(make_callback_update(self.app.bot, data, **kwargs))

    def sent(self, chat_id: int = USER) -> list[Call]:
        return self.request.sent_messages(chat_id)

    def texts(self, chat_id: int = USER) -> list[str]:
        return self.request.texts(chat_id)

    def buttons(self, call: Call) -> list[tuple[str, str]]:
        markup = call.params.get("reply_markup") or {"inline_keyboard": []}
        return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]

    def rejected(self) -> list[Call]:
        return [c for c in self.request.calls if c.status not in (200,)]

    def storage(self) -> Storage:
        return Storage(self.settings.database_path)

    def kb(self) -> KnowledgeBase:
        return front_of(self.app).kb

    async def until(self, condition: Callable[[], object], what: str) -> None:
        """Wait for the outbox sender (a background task) to get something done."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_SECONDS
        while not condition():
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(0.01)

    async def barrier(self, chat_id: int = STAFF_CHAT) -> None:
        """Wait until the outbox has delivered everything queued so far to ``chat_id``:
        a marker queued last arrives last (delivery is in order per chat). Negative
        checks come after this, never after a fixed sleep."""
        marker = f"barrier {next(_barriers)}"
        front_of(self.app).services.store.enqueue(Outgoing(chat_id, marker))
        front_of(self.app).outbox.wake()
        await self.until(lambda: marker in self.request.texts(chat_id), "the barrier")
        self.request.calls[:] = [
            c for c in self.request.calls if marker not in str(c.params.get("text", ""))
        ]


def front_of(app: App) -> TelegramFront:
    front = app.bot_data["front"]
    assert isinstance(front, TelegramFront)
    return front


async def start_app(settings: Settings) -> tuple[App, RecordingRequest]:
    settings = replace(settings, health_port=None)  # no listening socket in handler tests
    request = RecordingRequest()
    app = build_application(
        settings, request=request, updates_request=RecordingRequest(), rate_limiter=False
    )
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    return app, request


async def stop_app(app: App) -> None:
    await app.shutdown()
    assert app.post_shutdown is not None
    await app.post_shutdown(app)


@pytest.fixture()
async def bot(tmp_path: Path) -> AsyncIterator[Harness]:
    settings = Settings(
        token=TOKEN,
        staff_chat_id=STAFF_CHAT,
        data_dir=tmp_path,
        knowledge_dir=DEFAULT_KNOWLEDGE_DIR,
    )
    app, request = await start_app(settings)
    yield Harness(app, request, settings)
    await stop_app(app)


async def test_start_up_sets_commands_in_every_language(bot: Harness) -> None:
    calls = {c.params.get("language_code"): c for c in bot.request.calls_to("setMyCommands")}
    assert set(calls) == {None, "da", "sv"}  # English for every other client
    for code, call in calls.items():
        names = [c["command"] for c in call.params["commands"]]
        assert names == [
            "start",
            "help",
            "language",
            "about",
            "contact",
            "cancel",
            "close",
            "privacy",
            "mydata",
            "forget",
        ]
        kb = bot.kb().translated(language_of_code(code) or Language.EN)
        descriptions = [c["description"] for c in call.params["commands"]]
        assert descriptions == [kb.message(f"command_{name}") for name in names]
    assert calls["da"].params["commands"][0]["description"].startswith("Start forfra")
    assert calls["sv"].params["commands"][0]["description"].startswith("Börja om")


async def test_reload_sets_the_command_menu_again(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, knowledge)
    settings = Settings(
        token=TOKEN, staff_chat_id=STAFF_CHAT, data_dir=tmp_path, knowledge_dir=knowledge
    )
    app, request = await start_app(settings)
    await app.start()  # running, as under polling: the menu is set in the background
    try:
        messages = knowledge / "da" / "messages.yaml"
        text = messages.read_text(encoding="utf-8")
        old = "command_start: Start forfra, og se de emner, jeg kan svare på"
        assert old in text
        messages.write_text(text.replace(old, "command_start: Begynd forfra"), encoding="utf-8")
        staff = make_text_update(
            app.bot, "/reload", user_id=4242, chat_id=STAFF_CHAT, chat_type="supergroup"
        )
        await app.process_update(staff)
        harness = Harness(app, request, settings)

        def danish_menus() -> list[str]:
            return [
                c.params["commands"][0]["description"]
                for c in request.calls_to("setMyCommands")
                if c.params.get("language_code") == "da"
            ]

        await harness.until(lambda: "Begynd forfra" in danish_menus(), "the new Danish menu")
        assert danish_menus()[0].startswith("Start forfra")  # the one set at start-up
    finally:
        await app.stop()
        await stop_app(app)


async def test_start_welcomes_with_topic_buttons(bot: Harness) -> None:
    await bot.send("/start")
    [call] = bot.sent()
    assert "Welcome" in visible_text(call.params["text"], "HTML")
    buttons = bot.buttons(call)
    assert len(buttons) >= 4
    assert all(data.startswith("e:") for _, data in buttons)


async def test_question_gets_answer_with_buttons_and_is_logged(bot: Harness) -> None:
    await bot.send("When was MassBio founded?")
    [call] = bot.sent()
    assert call.params["parse_mode"] == "HTML"
    text = visible_text(call.params["text"], "HTML")
    assert "1985" in text
    assert "Source:" in text
    labels = [label for label, _ in bot.buttons(call)]
    data = [d for _, d in bot.buttons(call)]
    assert "Talk to a person" in labels
    assert any(d.startswith("e:") for d in data)  # follow-ups
    assert sum(d.startswith("f:") for d in data) == 2  # helpful / not helpful
    with bot.storage() as storage:
        [logged] = storage.recent_questions(USER)
    assert logged.text == "When was MassBio founded?"
    assert logged.kind == "answer" and logged.entry_id == "massbio-founded"
    assert logged.score > 0


async def test_fallback_is_honest_and_offers_a_person(bot: Harness) -> None:
    await bot.send("what will the weather be like tomorrow")
    [call] = bot.sent()
    assert "don't have an answer" in visible_text(call.params["text"], "HTML")
    assert [d for _, d in bot.buttons(call)] == ["c:"]


async def test_asking_for_a_person_starts_with_the_privacy_notice(bot: Harness) -> None:
    await bot.send("can someone call me back please")
    said, notice = bot.sent()
    assert "staff" in visible_text(said.params["text"], "HTML")
    assert "/forget" in visible_text(notice.params["text"], "HTML")
    assert [d for _, d in bot.buttons(notice)] == ["k:agree", "k:decline"]


async def test_talk_to_a_person_button_starts_the_form_with_its_topic(bot: Harness) -> None:
    await bot.press("c:investment")
    assert bot.request.last("answerCallbackQuery").status == 200
    [notice] = bot.sent()
    assert [d for _, d in bot.buttons(notice)] == ["k:agree", "k:decline"]


async def test_greeting(bot: Harness) -> None:
    await bot.send("hello there!")
    assert bot.texts() and "Hello" in bot.texts()[0]


@pytest.mark.parametrize(
    "hostile",
    [
        "<3 who is <b>torsten</b> & what's </i>",
        "a" * 5000,
        "massbio 🧬🧪👩‍🔬 founded?",
        "\u202eمتى تأسست MassBio",
        "mass\u200bbio\u200d founded",
        "'; DROP TABLE questions; --",
    ],
)
async def test_hostile_text_never_breaks_a_message(bot: Harness, hostile: str) -> None:
    await bot.send(hostile)
    assert bot.rejected() == []
    assert len(bot.sent()) == 1
    with bot.storage() as storage:
        [logged] = storage.recent_questions(USER)
    assert logged.text == hostile  # stored exactly


async def test_user_named_like_html_is_fine(bot: Harness) -> None:
    await bot.send("hi", first_name="<3 & </b>")
    assert bot.rejected() == [] and len(bot.sent()) == 1


async def test_follow_up_button_answers_that_entry(bot: Harness) -> None:
    await bot.press("e:massbio-founded")
    assert bot.request.last("answerCallbackQuery").status == 200
    assert "1985" in bot.texts()[-1]


async def test_ambiguous_choices_are_buttons_that_work(tmp_path: Path) -> None:
    entries = [
        entry("twin-a", "What is the alpha report?", ["alpha report", "a b", "c d", "e f"], "A."),
        entry("twin-b", "What is the alpha summary?", ["alpha summary", "g h", "i j", "k l"], "B."),
        *DEFAULT_ENTRIES,
    ]
    settings = Settings(
        token=TOKEN, data_dir=tmp_path, knowledge_dir=write_kb(tmp_path / "kb", entries)
    )
    app, request = await start_app(settings)
    try:
        await app.process_update(make_text_update(app.bot, "alpha"))
        [call] = request.sent_messages(USER)
        data = [
            b["callback_data"]
            for row in call.params["reply_markup"]["inline_keyboard"]
            for b in row
        ]
        assert data == ["e:twin-a", "e:twin-b"]
        await app.process_update(make_callback_update(app.bot, "e:twin-b"))
        assert request.texts(USER)[-1].startswith("B.")
    finally:
        await stop_app(app)


async def test_feedback_is_stored_acknowledged_and_silent(bot: Harness) -> None:
    await bot.send("When was MassBio founded?")
    feedback = next(d for _, d in bot.buttons(bot.sent()[0]) if d.startswith("f:+"))
    await bot.press(feedback)
    await bot.press(feedback)  # a second press replaces, never duplicates
    acks = bot.request.calls_to("answerCallbackQuery")
    assert len(acks) == 2 and all(a.params.get("text") for a in acks)
    assert len(bot.sent()) == 1  # no chat messages for feedback
    with bot.storage() as storage:
        assert storage.counts()["feedback"] == 1
        assert storage.counts()["helpful"] == 1


async def test_forged_feedback_and_unknown_buttons_are_harmless(bot: Harness) -> None:
    await bot.send("When was MassBio founded?")
    await bot.press("f:+99999")  # not this user's question
    await bot.press("garbage")
    await bot.press("e:no-such-entry")
    assert bot.rejected() == []
    with bot.storage() as storage:
        assert storage.counts()["feedback"] == 0
    assert "don't have an answer" in bot.texts()[-1]


@pytest.mark.parametrize(
    "data",
    [
        "f:+" + "9" * 25,  # overflowed SQLite's integers
        "f:-" + "1" * 40,
        "t:claim:" + "9" * 25,
        "t:save:" + "9" * 25,
        "t:explode:1",
        "f:",
        "e:",
        "x" * 64,
        "k",
        None,  # a press without data
    ],
)
async def test_any_callback_data_is_answered_politely_without_an_error(
    bot: Harness, data: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    update = make_callback_update(bot.app.bot, data or "")
    if data is None:
        payload = update.to_dict()
        del payload["callback_query"]["data"]
        update = Update.de_json(payload, bot.app.bot)
    with caplog.at_level(logging.ERROR):
        await bot.app.process_update(update)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    [ack] = bot.request.calls_to("answerCallbackQuery")
    assert ack.status == 200
    assert ack.params["text"] == bot.kb().message("button_unknown")
    assert bot.sent(STAFF_CHAT) == [] and bot.sent() == []


@pytest.mark.parametrize(
    "maker", [make_sticker_update, make_photo_update, make_voice_update, make_location_update]
)
async def test_non_text_gets_a_polite_text_only_reply(bot: Harness, maker: Any) -> None:
    await bot.app.process_update(maker(bot.app.bot))
    [text] = bot.texts()
    assert "only understand text" in text


async def test_edited_messages_are_ignored_on_purpose(bot: Harness) -> None:
    await bot.app.process_update(
        make_edited_message_update(bot.app.bot, "When was MassBio founded?", message_id=5)
    )
    assert bot.sent() == []


async def test_groups_only_when_addressed(bot: Harness) -> None:
    group = {"chat_type": "supergroup"}
    await bot.send("When was MassBio founded?", **group)
    assert bot.sent(DEFAULT_GROUP_ID) == []
    await bot.send(f"@{BOT_USERNAME} when was massbio founded?", **group)
    assert "1985" in bot.texts(DEFAULT_GROUP_ID)[-1]
    await bot.send("who is the ambassador?", reply_to_message_id=1, **group)
    assert len(bot.sent(DEFAULT_GROUP_ID)) == 2  # a reply to the bot counts as addressed
    await bot.send(f"/about@{BOT_USERNAME}", **group)
    assert "2011" in bot.texts(DEFAULT_GROUP_ID)[-1]
    await bot.send("/about@some_other_bot", **group)
    assert len(bot.sent(DEFAULT_GROUP_ID)) == 3


async def test_unknown_command_gets_help(bot: Harness) -> None:
    await bot.send("/frobnicate")
    assert "/contact" in bot.texts()[0]


async def test_long_answers_are_split_with_keyboard_last(tmp_path: Path) -> None:
    long_answer = ("The programme connects people. " * 120 + "\n\n") * 2  # ~7,400 chars
    entries = [
        entry("long-one", "Tell me everything?", ["everything", "all", "b c", "d e"], long_answer)
    ]
    settings = Settings(
        token=TOKEN,
        data_dir=tmp_path,
        knowledge_dir=write_kb(
            tmp_path / "kb", entries, {"messages.yaml": messages_file(["long-one"])}
        ),
    )
    app, request = await start_app(settings)
    try:
        await app.process_update(make_callback_update(app.bot, "e:long-one"))
        calls = request.sent_messages(USER)
        assert len(calls) == 2
        assert "reply_markup" not in calls[0].params and "reply_markup" in calls[1].params
        assert [c.status for c in request.calls if c.status != 200] == []
    finally:
        await stop_app(app)


async def test_blocked_user_is_recorded_staff_told_once_never_retried(bot: Harness) -> None:
    bot.request.fail("sendMessage", 403, chat_id=USER, times=10)
    await bot.send("can someone call me back please")  # two replies
    attempts = [c for c in bot.request.calls_to("sendMessage") if c.params["chat_id"] == USER]
    assert len(attempts) == 1  # 403 is never retried, and the second reply not tried
    with bot.storage() as storage:
        assert storage.is_blocked(USER)
    await bot.until(lambda: bot.texts(STAFF_CHAT), "the staff notice")
    await bot.barrier()
    assert bot.texts(STAFF_CHAT) == [f"User {USER} has blocked the bot."]


async def test_flood_control_waits_and_retries(bot: Harness) -> None:
    bot.request.fail("sendMessage", 429, retry_after=1, chat_id=USER)
    await bot.send("When was MassBio founded?")
    assert [c.status for c in bot.request.calls_to("sendMessage")] == [429, 200]
    assert "1985" in bot.texts()[0]


async def test_timeouts_and_server_errors_are_retried(bot: Harness) -> None:
    bot.request.timeout("sendMessage", chat_id=USER)
    bot.request.fail("sendMessage", 502, chat_id=USER)
    await bot.send("When was MassBio founded?")
    assert [c.status for c in bot.request.calls_to("sendMessage")] == [0, 502, 200]
    assert len(bot.sent()) == 1


async def test_errors_are_logged_and_staff_told_briefly(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    bot.request.fail("sendMessage", 400, "Bad Request: chat not found", chat_id=USER)
    await bot.send("When was MassBio founded?")
    assert "error while handling an update" in caplog.text
    await bot.until(lambda: bot.texts(STAFF_CHAT), "the staff notice")
    [notice] = bot.texts(STAFF_CHAT)
    assert f"user {USER}" in notice and "BadRequest" in notice
    assert "MassBio" not in notice and TOKEN not in notice  # no message text, no token
    # The enquirer is told something went wrong.
    assert bot.texts()[-1].startswith("Sorry, something went wrong")


# -- understanding real enquiries (issue 10) --------------------------------------------


async def test_a_follow_up_is_read_against_the_previous_answer(bot: Harness) -> None:
    await bot.send("What is MassBio?")
    await bot.send("and when was it founded?")
    *_, follow_up = bot.sent()
    assert "1985" in visible_text(follow_up.params["text"], "HTML")


async def test_several_questions_get_one_reply_with_each_answer(bot: Harness) -> None:
    await bot.send("Who is the ambassador and where can I read his interview?")
    [call] = bot.sent()
    text = visible_text(call.params["text"], "HTML")
    assert "Torsten Jepsen" in text and "interview" in text
    assert text.count("Source:") == 1


async def test_a_near_miss_says_what_is_not_known_and_offers_the_nearby_entry(
    bot: Harness,
) -> None:
    await bot.send("how many members does medicon valley alliance have")
    [call] = bot.sent()
    text = visible_text(call.params["text"], "HTML")
    assert "does not cover the members of Medicon Valley Alliance" in text
    buttons = bot.buttons(call)
    assert ("What we do know: Whom does MassBio represent?", "e:massbio-members") in buttons
    assert any(data == "c:" for _, data in buttons)
    await bot.press("e:massbio-members")
    assert "600" in visible_text(bot.sent()[-1].params["text"], "HTML")


async def test_network_errors_while_running_are_one_line_each(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    bot.request.clear()
    for _ in range(3):  # what PTB's polling loop reports, then retries with backoff
        await bot.app.process_error(None, NetworkError("httpx.ConnectError: connection refused"))
    records = [r for r in caplog.records if r.name.startswith("bot.")]
    assert [r.levelno for r in records] == [logging.WARNING] * 3
    assert all(r.exc_info is None and "connection refused" in r.getMessage() for r in records)
    assert not bot.request.calls  # nobody is told through the network that is down


async def test_scheduled_work_is_on_the_job_queue(bot: Harness) -> None:
    assert bot.app.job_queue is not None
    names = {job.name for job in bot.app.job_queue.jobs()}
    assert {"retention-purge", "review-notice"} <= names
    [purge] = bot.app.job_queue.get_jobs_by_name("retention-purge")
    with bot.storage() as storage:
        storage.log_question(
            user_id=USER, chat_id=USER, text="old", kind="fallback", entry_id=None, score=0.0
        )
        storage.db.execute("UPDATE questions SET ts = 0")
    await purge.callback(None)
    with bot.storage() as storage:
        [text] = storage.db.execute("SELECT text FROM questions").fetchone()
    assert text is None


REPLAYED = "MassBio <1985> & Boston"  # what the enquirer must read, whatever stored it
MORE = [[{"text": "More", "callback_data": "e:massbio-founded"}]]
STORED_REPLIES: dict[str, list[dict[str, Any]]] = {
    "this version": [
        Outgoing(USER, REPLAYED, MORE).as_json(),
        Outgoing(USER, "Your data", file_name="mydata.json", file_text="{}").as_json(),
    ],
    # Before one type for a message to send: rendered parts (HTML) and a file's caption.
    "the version before": [
        {"chat_id": USER, "text": html.escape(REPLAYED, quote=False), "keyboard": MORE},
        {"chat_id": USER, "file_name": "mydata.json", "text": "{}", "caption": "Your data"},
    ],
}


@pytest.mark.parametrize("stored_by", sorted(STORED_REPLIES))
async def test_replies_decided_before_a_restart_are_sent_after_it_not_decided_again(
    tmp_path: Path, stored_by: str
) -> None:
    settings = Settings(
        token=TOKEN,
        staff_chat_id=STAFF_CHAT,
        data_dir=tmp_path,
        knowledge_dir=DEFAULT_KNOWLEDGE_DIR,
    )
    update = make_text_update(Bot(TOKEN), "When was MassBio founded?", update_id=7000)
    with Storage(settings.database_path) as storage:  # the run that died before sending
        journal = UpdateJournal(storage)
        journal.record(update.update_id, payload_of(update), USER)
        journal.answered(update.update_id, STORED_REPLIES[stored_by])
    app, request = await start_app(settings)
    try:
        await app.process_update(app.update_queue.get_nowait())
        [call] = request.sent_messages(USER)
        assert visible_text(call.params["text"], "HTML") == REPLAYED
        assert call.params["reply_markup"]["inline_keyboard"] == MORE
        [document] = request.calls_to("sendDocument")
        assert document.params["caption"] == "Your data"
        assert isinstance(document.params["document"], UploadedFile)
        assert document.params["document"].content == b"{}"
        with Storage(settings.database_path) as storage:
            logged = storage.db.execute("SELECT count(*) FROM questions").fetchone()[0]
        assert logged == 0  # sent again, not handled again
    finally:
        await stop_app(app)
