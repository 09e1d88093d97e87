"""End to end: the real ``python -m bot run`` process against a local Bot API server.

Simulated users talk to the bot over HTTP on 127.0.0.1 (long polling); the server
validates every call like Telegram and injects errors on request. The tests assert
what the users actually receive.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.botapi_server import FakeBotApi, SimUser
from tests.support.updates import BOT_USERNAME, TOKEN

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
STAFF_CHAT = -1009000


class BotProcess:
    def __init__(self, api: FakeBotApi, data_dir: Path, **env: str) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir = data_dir
        self.log = data_dir / "bot.log"
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            **api.bot_env(),
            "STAFF_CHAT_ID": str(STAFF_CHAT),
            "BOT_DATA_DIR": str(data_dir),
            "LOG_LEVEL": "INFO",
            "HEALTH_PORT": "0",  # several bots run at once in the tests
            **env,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=environment,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, api: FakeBotApi, timeout: float = 30) -> None:
        api.wait_for(lambda: api.calls_to("getUpdates") or None, timeout)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout)

    def output(self) -> str:
        return self.log.read_text()


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi(token=TOKEN) as server:
        server.group("Staff", chat_id=STAFF_CHAT)
        yield server


@pytest.fixture(scope="module")
def bot(api: FakeBotApi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    process = BotProcess(api, tmp_path_factory.mktemp("data"))
    try:
        process.wait_ready(api)
        yield process
    finally:
        process.stop()


@pytest.fixture()
def user(api: FakeBotApi, bot: BotProcess) -> SimUser:
    return api.user("Alice")


def test_start_commands_and_menu(api: FakeBotApi, user: SimUser) -> None:
    names = [c["command"] for c in api.commands()]
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
    user.send_text("/start")
    welcome = user.wait_for_message("Welcome")
    assert len(welcome.buttons) >= 4
    user.send_text("/about")
    assert "4 July 2011" in user.wait_for_message("2011", after=welcome).visible_text
    user.send_text("/help")
    user.wait_for_message("/contact", after=welcome)


def test_every_kind_of_message(user: SimUser) -> None:
    user.send_text("hello!")
    hello = user.wait_for_message("Hello")
    user.send_text("When was MassBio founded?")
    answer = user.wait_for_message("1985", after=hello)
    labels = [label for label, _ in answer.buttons]
    assert "Talk to a person" in labels and "Helpful" in labels and "Not helpful" in labels
    user.send_text("who will win the football world cup")
    fallback = user.wait_for_message("don't have an answer", after=answer)
    assert [label for label, _ in fallback.buttons] == ["Talk to a person"]
    user.send_text("can someone call me back?")
    user.wait_for_message("pass your request on", after=fallback)
    notice = user.wait_for_message("/forget", after=fallback)
    user.press(notice, button_text="No, thanks")
    user.wait_for_message("nothing has been stored", after=notice)


def test_buttons_follow_ups_and_feedback(api: FakeBotApi, user: SimUser) -> None:
    user.send_text("When was MassBio founded?")
    answer = user.wait_for_message("1985")
    follow_up_data = next(data for label, data in answer.buttons if data and data.startswith("e:"))
    user.press(answer, follow_up_data)
    follow = user.wait_for_message("Source:", after=answer)
    assert follow.message_id > answer.message_id
    before = len(user.messages())
    query_id = user.press(answer, button_text="Helpful")
    api.wait_for(lambda: [a for a in api.callback_answers if a["callback_query_id"] == query_id])
    # A barrier: updates are handled in order, so once this is answered, the press was.
    user.send_text("hello")
    barrier = user.wait_for_message("Hello", after=follow)
    assert user.messages()[before:] == [barrier]  # feedback never posts into the chat
    [ack] = [a for a in api.callback_answers if a["callback_query_id"] == query_id]
    assert ack.get("text") == "Thank you for your feedback!"


@pytest.mark.parametrize("send", ["sticker", "photo", "voice", "document", "location"])
def test_non_text_messages(user: SimUser, send: str) -> None:
    getattr(user, f"send_{send}")()
    user.wait_for_message("only understand text")


@pytest.mark.parametrize(
    "hostile",
    [
        "<b>bold</b> <3 & </i> <script>alert(1)</script> massbio",
        "x" * 5000,
        "👩‍🔬🧬 massbio founded? 🇩🇰🇸🇪",
        "\u202eمن هو السفير في بوسطن؟ \u05de\u05d9",
        "tor\u200bsten\u200d jep\u2060sen",
    ],
)
def test_hostile_text_reaches_users_intact(
    api: FakeBotApi, bot: BotProcess, user: SimUser, hostile: str
) -> None:
    user.send_text(hostile)
    reply = user.wait_for_message()
    assert reply.visible_text
    # Escaped once: what the user reads has no entity left over from double escaping.
    assert "&lt;" not in reply.visible_text and "&amp;" not in reply.visible_text
    rejected = [c for c in api.calls_to("sendMessage") if c.status != 200]
    assert rejected == []
    # The text reached the bot exactly as typed: the question log holds it unchanged.
    database = sqlite3.connect(f"file:{bot.data_dir / 'bot.sqlite3'}?mode=ro", uri=True)
    try:
        [logged] = database.execute(
            "SELECT text FROM questions WHERE user_id = ? ORDER BY id DESC LIMIT 1",
            [user.user_id],
        ).fetchone()
    finally:
        database.close()
    assert logged == hostile


def test_hostile_first_name_does_not_break_messages(api: FakeBotApi, bot: BotProcess) -> None:
    mallory = api.user("<3 </b> & <i>")
    mallory.send_text("hi")
    mallory.wait_for_message("Hello")


def test_groups_only_when_addressed(api: FakeBotApi, user: SimUser) -> None:
    group = api.group("Founders", members=[user])
    user.send_text("when was massbio founded?", chat=group)
    user.send_text(f"@{BOT_USERNAME} when was massbio founded?", chat=group)
    reply = api.wait_for_message(group.chat_id, "1985")
    # A barrier: updates are handled in order, so once this is answered, all were.
    user.send_text(f"@{BOT_USERNAME} hello", chat=group)
    barrier = api.wait_for_message(group.chat_id, "Hello", after=reply)
    assert api.messages(group.chat_id) == [reply, barrier]


def test_edited_messages_are_ignored(user: SimUser) -> None:
    sent = user.send_text("hello")
    first = user.wait_for_message("Hello")
    user.edit_text(sent.message_id, "When was MassBio founded?")
    user.send_text("thanks")
    user.wait_for_message("welcome", after=first)
    assert not [m for m in user.messages() if "1985" in m.visible_text]


def test_flood_control_is_waited_out(api: FakeBotApi, user: SimUser) -> None:
    api.fail("sendMessage", 429, retry_after=1, chat_id=user.chat_id)
    started = time.monotonic()
    user.send_text("When was MassBio founded?")
    user.wait_for_message("1985")
    assert time.monotonic() - started >= 1.0
    assert len(user.messages()) == 1


def test_server_errors_are_retried(api: FakeBotApi, user: SimUser) -> None:
    api.fail("sendMessage", 502, chat_id=user.chat_id, times=2)
    user.send_text("When was MassBio founded?")
    user.wait_for_message("1985")
    assert len(user.messages()) == 1


def test_timeouts_are_retried(api: FakeBotApi, bot: BotProcess, user: SimUser) -> None:
    # The bot's read timeout is 5 s. The late answer still lands, as with Telegram, so
    # the enquirer may see the answer twice; losing it would be worse.
    api.delay("sendMessage", 6, chat_id=user.chat_id)
    user.send_text("When was MassBio founded?")
    user.wait_for_message("1985", timeout=20)
    api.wait_for(lambda: "TimedOut: retrying" in bot.output() or None, timeout=20)


def test_blocked_user_recorded_and_staff_told(api: FakeBotApi, user: SimUser) -> None:
    user.send_text("hello")
    user.wait_for_message("Hello")
    api.block(user.chat_id)
    user.send_text("When was MassBio founded?")
    notice = api.wait_for_message(STAFF_CHAT, f"User {user.user_id} has blocked the bot")
    attempts = [
        c
        for c in api.calls_to("sendMessage")
        if c.params.get("chat_id") == user.chat_id and c.status == 403
    ]
    assert len(attempts) == 1  # a 403 is never retried
    assert "Alice" not in notice.visible_text


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signals_stop_cleanly(tmp_path: Path, sig: int) -> None:
    with FakeBotApi(token=TOKEN) as own:
        own.group("Staff", chat_id=STAFF_CHAT)
        process = BotProcess(own, tmp_path)
        process.wait_ready(own)
        assert process.stop(sig) == 0, process.output()
    assert "Traceback" not in process.output()


def test_bad_setting_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with FakeBotApi(token=TOKEN) as own:
        process = BotProcess(own, tmp_path, STAFF_CHAT_ID="staff-room")
        assert process.process.wait(30) == 2
    output = process.output().strip()
    assert output.count("\n") == 0 and "STAFF_CHAT_ID" in output
