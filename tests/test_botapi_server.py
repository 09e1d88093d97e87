"""The Telegram test doubles themselves: validator, in-memory request and local Bot API server.

Everything runs on 127.0.0.1; PTB is the client throughout, so the fakes are checked against
the library the bot uses rather than against assumptions about it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple

import httpx
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, CommandHandler
from telegram.ext import ContextTypes as CT

from tests.support.botapi_server import FakeBotApi, WebhookAttempt, parse_request
from tests.support.recording_request import RecordingRequest, make_bot
from tests.support.telegram_rules import (
    BLOCKED_BY_USER,
    TelegramRejection,
    UploadedFile,
    utf16_length,
    validate,
    visible_text,
)
from tests.support.updates import (
    BOT_USERNAME,
    TOKEN,
    make_callback_update,
    make_edited_message_update,
    make_location_update,
    make_photo_update,
    make_sticker_update,
    make_text_update,
)

pytestmark = pytest.mark.e2e


def rejection(method: str, params: dict[str, Any]) -> str:
    with pytest.raises(TelegramRejection) as caught:
        validate(method, params)
    return caught.value.description


def keyboard(*buttons: tuple[str, str]) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": text, "callback_data": data} for text, data in buttons]]}


# --- telegram_rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<b>bold</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>n</ins>",
        "<s>s</s> <strike>k</strike> <del>d</del> <tg-spoiler>x</tg-spoiler>",
        '<span class="tg-spoiler">hidden</span> <a href="https://mva.org/?a=1&amp;b=2">link</a>',
        '<pre><code class="language-python">print("hi")</code></pre> <code>x</code>',
        "<blockquote>quote</blockquote> <blockquote expandable>long</blockquote>",
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> R&D &lt;3 &#65;&#x42; &quot;',
    ],
)
def test_valid_html_is_accepted(html: str) -> None:
    validate("sendMessage", {"chat_id": 1, "text": html, "parse_mode": "HTML"})


def test_visible_text_is_what_the_user_reads() -> None:
    assert visible_text("<b>Hi</b> &lt;3 &amp; R&D &#x1F600;\n", "HTML") == "Hi <3 & R&D 😀"
    assert visible_text("<b>raw</b>", None) == "<b>raw</b>"
    assert visible_text("*not parsed*", "MarkdownV2") == "*not parsed*"


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("I <3 you", 'Unsupported start tag "3" at byte offset 2'),
        ("<p>para</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("é <b", "Unclosed start tag at byte offset 3"),
        ("a &nbsp; b", 'Unsupported HTML entity "&nbsp;" at byte offset 2'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a>x</a>", 'Tag "a" must have a non-empty href attribute at byte offset 0'),
    ],
)
def test_invalid_html_is_rejected_like_telegram(html: str, reason: str) -> None:
    description = rejection("sendMessage", {"chat_id": 1, "text": html, "parse_mode": "HTML"})
    assert description == f"Bad Request: can't parse entities: {reason}"


def test_length_counts_visible_utf16_units() -> None:
    validate("sendMessage", {"chat_id": 1, "text": "a" * 4096})
    marked_up = "<b>" + "a" * 4090 + "</b>&lt;&gt;&amp;&quot;&#65;Z"
    assert len(marked_up) > 4096
    validate("sendMessage", {"chat_id": 1, "text": marked_up, "parse_mode": "HTML"})
    assert rejection("sendMessage", {"chat_id": 1, "text": "a" * 4097}) == (
        "Bad Request: message is too long"
    )
    assert utf16_length("😀") == 2
    validate("sendMessage", {"chat_id": 1, "text": "😀" * 2048})
    assert rejection("sendMessage", {"chat_id": 1, "text": "😀" * 2048 + "a"}) == (
        "Bad Request: message is too long"
    )


@pytest.mark.parametrize("text", [None, "", "   \n", "<b> </b>"])
def test_empty_text_is_rejected(text: str | None) -> None:
    params = {"chat_id": 1, "parse_mode": "HTML"} | ({} if text is None else {"text": text})
    assert rejection("sendMessage", params) == "Bad Request: message text is empty"


def test_callback_data_is_limited_to_64_utf8_bytes() -> None:
    at_limit = "é" * 32  # 64 bytes, 32 characters
    validate("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": keyboard(("A", at_limit))})
    for too_long in ("a" * 65, at_limit + "a"):
        markup = keyboard(("A", too_long))
        description = rejection("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": markup})
        assert description == "Bad Request: BUTTON_DATA_INVALID"


def test_keyboard_rules() -> None:
    plain = {"inline_keyboard": [[{"text": "no action"}]]}
    assert "Text buttons are unallowed" in rejection(
        "sendMessage", {"chat_id": 1, "text": "x", "reply_markup": plain}
    )
    many = {"inline_keyboard": [[{"text": "b", "callback_data": str(i)}] for i in range(101)]}
    assert rejection("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": many}) == (
        "Bad Request: reply markup is too long"
    )


def test_callback_answers_and_commands() -> None:
    assert rejection("answerCallbackQuery", {"callback_query_id": "1", "text": "x" * 201}) == (
        "Bad Request: MESSAGE_TOO_LONG"
    )
    validate("answerCallbackQuery", {"callback_query_id": "1", "text": "x" * 200})
    good = [{"command": "start", "description": "Start"}]
    validate("setMyCommands", {"commands": good})
    bad = [{"command": "Start-Now", "description": "Start"}]
    assert rejection("setMyCommands", {"commands": bad}) == "Bad Request: BOT_COMMAND_INVALID"


# --- RecordingRequest and update builders ------------------------------------------------------


async def test_recording_request_records_and_answers() -> None:
    request = RecordingRequest()
    async with make_bot(request) as bot:
        assert bot.username == BOT_USERNAME
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])
        sent = await bot.send_message(1001, "<b>Hi</b> &amp; bye", "HTML", reply_markup=markup)
        assert sent.text == "Hi & bye"
        assert sent.message_id == 1
        assert sent.reply_markup == markup
        call = request.last("sendMessage")
        assert call.params["chat_id"] == 1001
        assert call.params["reply_markup"] == keyboard(("Yes", "yes"))
        assert request.texts(1001) == ["Hi & bye"]

        await bot.send_document(1001, InputFile(b"a,b\n", filename="export.csv"))
        document = request.last("sendDocument").params["document"]
        assert document == UploadedFile("export.csv", b"a,b\n", "text/csv")

        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text(
                "<b>Hi</b> &amp; bye", 1001, 1, parse_mode="HTML", reply_markup=markup
            )
        edited = await bot.edit_message_text("Bye", 1001, 1)
        assert isinstance(edited, Message) and edited.text == "Bye"


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_recording_request_errors_become_ptb_exceptions() -> None:
    request = RecordingRequest()
    async with make_bot(request) as bot:
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(1001, "I <3 MVA", parse_mode="HTML")

        request.fail("sendMessage", status=403, description=BLOCKED_BY_USER, chat_id=1002)
        await bot.send_message(1001, "other chats still work")
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(1002, "hello")

        request.fail("sendMessage", status=429, retry_after=7)
        with pytest.raises(RetryAfter, match=r"Retry in (7 seconds|0:00:07)"):
            await bot.send_message(1001, "flood")

        request.timeout("sendMessage")
        with pytest.raises(TimedOut):
            await bot.send_message(1001, "slow")
        await bot.send_message(1001, "recovered")

    assert [call.status for call in request.calls_to("sendMessage")] == [400, 200, 403, 429, 0, 200]
    assert request.texts() == ["other chats still work", "recovered"]


async def test_updates_drive_ptb_handlers() -> None:
    request = RecordingRequest()
    app: Application[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder().token(TOKEN).request(request).get_updates_request(request).build()
    )
    seen: list[str] = []

    async def start(update: Update, context: CT.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        seen.append(f"start {context.args}")
        await update.effective_message.reply_text("Welcome")

    async def pressed(update: Update, context: CT.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        seen.append(f"pressed {update.callback_query.data}")
        await update.callback_query.answer("Noted")

    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.process_update(make_text_update(app.bot, "/start hello"))
        group_command = f"/start@{BOT_USERNAME}"
        await app.process_update(make_text_update(app.bot, group_command, chat_type="supergroup"))
        await app.process_update(make_callback_update(app.bot, "e:42", message_id=7))

    assert seen == ["start ['hello']", "start []", "pressed e:42"]
    assert request.texts() == ["Welcome", "Welcome"]
    assert request.last("answerCallbackQuery").params["text"] == "Noted"


def test_update_builders_produce_real_ptb_objects() -> None:
    bot = make_bot()
    mention = make_text_update(bot, f"hi @{BOT_USERNAME} 😀 /help", chat_type="supergroup")
    message = mention.message
    assert message is not None and message.chat.type == "supergroup" and message.chat.id < 0
    assert message.parse_entities() == {
        message.entities[0]: f"@{BOT_USERNAME}",
        message.entities[1]: "/help",
    }
    assert make_sticker_update(bot).message.sticker is not None  # type: ignore[union-attr]
    assert make_photo_update(bot, caption="me").message.photo  # type: ignore[union-attr]
    assert make_location_update(bot).message.location is not None  # type: ignore[union-attr]
    edited = make_edited_message_update(bot, "fixed", message_id=5).edited_message
    assert edited is not None and edited.message_id == 5 and edited.edit_date is not None


# --- FakeBotApi over HTTP with a real PTB Bot --------------------------------------------------


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as client:
        yield client


async def test_get_me_and_wrong_token(api: FakeBotApi, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (999, BOT_USERNAME, True)
    with pytest.raises(InvalidToken):
        await Bot("42:wrong-token-for-this-server", base_url=api.base_url).get_me()
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{api.base_url}{TOKEN}/noSuchMethod")
    assert response.status_code == 404
    assert response.json()["description"] == "Not Found: method not found"


async def test_long_polling_returns_queued_updates_and_honours_offset(
    api: FakeBotApi, bot: Bot
) -> None:
    alice = api.user("Alice")
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    assert not poll.done()
    alice.send_text("/start")
    updates = await poll
    assert time.monotonic() - started < 2
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None and message.text == "/start"
    assert message.entities[0].type == "bot_command"

    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [updates[0].update_id]  # not confirmed yet
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
    assert api.pending_update_count == 0

    alice.send_sticker()
    alice.send_text("hello")
    only_texts = await bot.get_updates(timeout=0, allowed_updates=["callback_query"])
    assert only_texts == ()


async def test_a_second_poller_ends_the_first_with_a_conflict(api: FakeBotApi, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=3))
    await asyncio.sleep(0.2)
    async with Bot(TOKEN, base_url=api.base_url) as second_instance:
        second = asyncio.create_task(second_instance.get_updates(timeout=1))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await first
        assert await second == ()


async def test_sent_messages_are_stored_as_users_see_them(api: FakeBotApi, bot: Bot) -> None:
    alice = api.user("Alice")
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await bot.send_message(alice.chat_id, "unsolicited")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(424242, "nobody")
    hello = alice.send_text("hi")
    await bot.send_message(
        alice.chat_id,
        "<b>Welcome</b> &amp; thanks",
        parse_mode="HTML",
        reply_to_message_id=hello.message_id,
    )
    reply = alice.wait_for_message(contains="Welcome", after=hello)
    assert reply.visible_text == "Welcome & thanks"
    assert reply.text == "<b>Welcome</b> &amp; thanks"
    assert reply.reply_to_message_id == hello.message_id
    assert [m.message_id for m in api.messages(alice.chat_id, include_user_messages=True)] == [1, 2]

    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(alice.chat_id, "<3", parse_mode="HTML")
    assert api.calls[-1].status == 400


async def test_edits_follow_telegram_rules(api: FakeBotApi, bot: Bot) -> None:
    alice = api.user("Alice", started=True)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])
    sent = await bot.send_message(alice.chat_id, "Question?", reply_markup=markup)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "Question?", alice.chat_id, sent.message_id, reply_markup=markup
        )
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("Answer", alice.chat_id, 999)

    await bot.edit_message_text("Answered", alice.chat_id, sent.message_id)
    (current,) = api.messages(alice.chat_id)
    assert current.visible_text == "Answered"
    assert current.history == ["Question?"]
    assert current.buttons == []  # editMessageText without reply_markup removes the keyboard


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_injected_faults_raise_ptb_exceptions(api: FakeBotApi, bot: Bot) -> None:
    alice = api.user("Alice", started=True)
    api.fail("sendMessage", 502, "Bad Gateway")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(alice.chat_id, "one")
    api.fail("sendMessage", 429, retry_after=3, chat_id=alice.chat_id)
    with pytest.raises(RetryAfter, match=r"Retry in (3 seconds|0:00:03)"):
        await bot.send_message(alice.chat_id, "two")

    api.block(alice.chat_id)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(alice.chat_id, "three")
    api.unblock(alice.chat_id)

    api.delay("sendMessage", 0.8)
    with pytest.raises(TimedOut):
        await bot.send_message(alice.chat_id, "slow", read_timeout=0.2)
    late = alice.wait_for_message(contains="slow", timeout=3)  # it still arrived, as it can
    assert late.visible_text == "slow"
    assert [call.status for call in api.calls_to("sendMessage")] == [502, 429, 403, 200]


async def test_pressing_a_button_reaches_the_bot(api: FakeBotApi, bot: Bot) -> None:
    alice = api.user("Alice", username="alice_a", started=True)
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Yes", callback_data="fb:yes")],
            [InlineKeyboardButton("Site", url="https://mva.org")],
        ]
    )
    sent = await bot.send_message(alice.chat_id, "Was this helpful?", reply_markup=markup)
    stored = alice.wait_for_message(contains="helpful")
    assert stored.buttons == [("Yes", "fb:yes"), ("Site", None)]
    with pytest.raises(AssertionError, match="no button"):
        alice.press(stored, "fb:no")

    query_id = alice.press(stored, button_text="Yes")
    (update,) = await bot.get_updates(timeout=1)
    query = update.callback_query
    assert query is not None and query.id == query_id and query.data == "fb:yes"
    assert query.message is not None and query.message.message_id == sent.message_id
    assert query.from_user.username == "alice_a"

    await bot.answer_callback_query(query.id, text="Thanks!")
    assert api.callback_answers == [{"callback_query_id": query_id, "text": "Thanks!"}]
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)


async def test_groups_documents_and_edits(api: FakeBotApi, bot: Bot) -> None:
    alice, bob = api.user("Alice"), api.user("Bob")
    staff = api.group("MVA staff", members=[alice], admins=[bob])
    bob.send_text(f"@{BOT_USERNAME} who is on duty?", chat=staff)
    note = alice.send_text("typo hree")
    alice.edit_text(note.message_id, "typo here")
    alice.send_document(file_name="cv.txt", content=b"my cv", mime_type="text/plain")

    group_update, _typo, edited, document = await bot.get_updates(timeout=1)
    assert group_update.message is not None and group_update.message.chat.type == "supergroup"
    assert group_update.message.entities[0].type == "mention"
    assert edited.edited_message is not None and edited.edited_message.text == "typo here"
    assert document.message is not None and document.message.document is not None
    file = await bot.get_file(document.message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"my cv"

    member = await bot.get_chat_member(staff.chat_id, bob.user_id)
    assert member.status == "administrator"
    assert (await bot.get_chat(staff.chat_id)).title == "MVA staff"

    await bot.send_document(
        staff.chat_id, b"id,question\n", filename="log.csv", caption="<b>Log</b>", parse_mode="HTML"
    )
    (upload,) = api.messages(staff.chat_id)
    assert upload.kind == "document" and upload.visible_text == "Log"
    assert api.file_content(upload.content["document"]["file_id"]) == b"id,question\n"

    await bot.set_my_commands([("start", "Start the bot"), ("help", "How to ask")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    assert api.commands()[1] == {"command": "help", "description": "How to ask"}


def test_request_decoding_matches_ptb_wire_format() -> None:
    markup = json.dumps(keyboard(("A", "a")))
    form = f"chat_id=-100123&text=123&reply_markup={markup}&disable_notification=true"
    params = parse_request("", "application/x-www-form-urlencoded", form.encode())
    assert params == {
        "chat_id": -100123,
        "text": "123",
        "reply_markup": keyboard(("A", "a")),
        "disable_notification": True,
    }
    body = json.dumps({"chat_id": "@channel", "text": "hi", "reply_markup": markup}).encode()
    params = parse_request("offset=5", "application/json", body)
    assert params == {
        "offset": 5,
        "chat_id": "@channel",
        "text": "hi",
        "reply_markup": keyboard(("A", "a")),
    }


# --- FakeBotApi webhook delivery and the hang fault ---------------------------------------------

SECRET = "s3cret_Token-1"


class Reply(NamedTuple):
    """How the stand-in webhook answers one POST: wait ``stall`` seconds, then ``status``."""

    status: int = 200
    stall: float = 0.0


class Received(NamedTuple):
    """One POST the stand-in webhook got."""

    headers: dict[str, str]
    update: dict[str, Any]


class WebhookReceiver:
    """The bot's webhook in miniature: records every POST and answers as scripted.

    ``replies`` answer the first POSTs in order; every later one gets a plain 200.
    """

    def __init__(self, replies: Iterable[Reply] = ()) -> None:
        self.replies = list(replies)
        self.received: list[Received] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.received.append(Received(dict(self.headers), json.loads(body)))
                    reply = receiver.replies.pop(0) if receiver.replies else Reply()
                time.sleep(reply.stall)
                with contextlib.suppress(OSError):  # the fake may have given up waiting
                    self.send_response(reply.status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/telegram/webhook"

    def update_ids(self) -> list[int]:
        with self.lock:
            return [post.update["update_id"] for post in self.received]

    def __enter__(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port_url() -> str:
    """A loopback URL nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/hook"


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as webhook:
        yield webhook


async def test_webhook_receives_updates_in_order_with_the_secret(
    api: FakeBotApi, bot: Bot, receiver: WebhookReceiver
) -> None:
    alice = api.user("Alice")
    alice.send_text("/start")  # queued before the webhook exists: delivered once it does
    assert await bot.set_webhook(receiver.url, secret_token=SECRET)
    assert api.wait_for_webhook(timeout=2) == receiver.url
    assert api.webhook_secret == SECRET
    alice.send_text("second")
    alice.send_sticker()

    api.wait_for(lambda: len(receiver.received) == 3 and api.pending_update_count == 0, 3)
    texts = [post.update["message"].get("text") for post in receiver.received]
    assert texts == ["/start", "second", None]
    ids = receiver.update_ids()
    assert ids == sorted(ids) and len(set(ids)) == 3
    for headers, update in receiver.received:
        assert headers["X-Telegram-Bot-Api-Secret-Token"] == SECRET
        assert headers["Content-Type"] == "application/json"
        assert Update.de_json(update, bot) is not None  # what PTB's webhook server parses
    assert [attempt.status for attempt in api.webhook_attempts] == [200, 200, 200]

    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count, info.last_error_date) == (receiver.url, 0, None)
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bot.get_updates(timeout=0)


def test_failed_deliveries_are_retried_until_the_webhook_answers(
    receiver: WebhookReceiver,
) -> None:
    receiver.replies = [Reply(500), Reply(200, stall=0.6)]
    with FakeBotApi(webhook_timeout=0.3, webhook_retry_delay=0.05) as api:
        alice = api.user("Alice")
        alice.send_text("first")
        alice.send_text("second")
        api.call("setWebhook", {"url": receiver.url})
        api.wait_for(lambda: len(api.webhook_attempts) == 4, 5)

        ids = receiver.update_ids()
        first, second = ids[0], ids[3]
        assert ids == [first, first, first, second] and second > first
        server_error = "Wrong response from the webhook: 500 Internal Server Error"
        assert api.webhook_attempts == [
            WebhookAttempt(first, 500, server_error),
            WebhookAttempt(first, None, "Read timeout expired"),  # it arrived, answered late
            WebhookAttempt(first, 200, None),
            WebhookAttempt(second, 200, None),
        ]
        texts = [post.update["message"]["text"] for post in receiver.received]
        assert texts == ["first", "first", "first", "second"]
        assert api.pending_update_count == 0
        status, body = api.call("getWebhookInfo", {})
        assert status == 200 and body["result"]["last_error_message"] == "Read timeout expired"


async def test_webhook_info_reports_errors_and_delete_webhook_stops_delivery() -> None:
    with FakeBotApi(webhook_retry_delay=0.05) as api:
        async with Bot(TOKEN, base_url=api.base_url) as client:
            alice = api.user("Alice")
            alice.send_text("one")
            alice.send_text("two")
            dead_url = free_port_url()
            started = time.time()
            await client.set_webhook(dead_url, max_connections=5, allowed_updates=["message"])
            api.wait_for(lambda: len(api.webhook_attempts) >= 3, 3)
            assert len({attempt.update_id for attempt in api.webhook_attempts}) == 1  # the oldest
            assert all(attempt.error == "Connection refused" for attempt in api.webhook_attempts)

            info = await client.get_webhook_info()
            assert (info.url, info.pending_update_count) == (dead_url, 2)
            assert (info.max_connections, info.allowed_updates) == (5, ("message",))
            assert info.last_error_message == "Connection refused"
            assert info.last_error_date is not None
            assert info.last_error_date.timestamp() >= int(started)

            assert await client.delete_webhook()
            tried = len(api.webhook_attempts)
            await asyncio.sleep(0.3)
            assert len(api.webhook_attempts) <= tried + 1  # at most one POST was under way
            assert api.webhook_url == ""
            updates = await client.get_updates(timeout=0)
            assert [u.message.text for u in updates if u.message] == ["one", "two"]
            info = await client.get_webhook_info()
            assert (info.url, info.pending_update_count, info.last_error_date) == ("", 2, None)


async def test_set_webhook_rejects_bad_urls_and_secrets(api: FakeBotApi, bot: Bot) -> None:
    url = "https://127.0.0.1:8443/hook"
    with pytest.raises(BadRequest, match=r"(?i)secret token contains unallowed characters"):
        await bot.set_webhook(url, secret_token="not allowed!")
    with pytest.raises(BadRequest, match=r"(?i)secret token is too long"):
        await bot.set_webhook(url, secret_token="a" * 257)
    for bad_url in ("ftp://127.0.0.1/hook", "/relative", "http://127.0.0.1:99999/"):
        with pytest.raises(BadRequest, match=r"(?i)invalid webhook URL specified"):
            await bot.set_webhook(bad_url)
    assert api.webhook_url == ""
    assert [call.status for call in api.calls_to("setWebhook")] == [400] * 5

    assert await bot.set_webhook(url, secret_token="a" * 256)
    assert (api.webhook_url, api.webhook_secret) == (url, "a" * 256)
    assert await bot.set_webhook("")  # an empty URL removes the webhook, as on Telegram
    assert api.webhook_url == ""


async def test_set_webhook_ends_a_waiting_long_poll(api: FakeBotApi, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=3))
    await asyncio.sleep(0.2)
    async with Bot(TOKEN, base_url=api.base_url) as other:
        await other.set_webhook("http://127.0.0.1:1/hook")
    with pytest.raises(Conflict, match="terminated by setWebhook request"):
        await poll


async def test_hang_closes_without_answer_and_the_call_never_happens() -> None:
    with FakeBotApi() as api:
        async with Bot(TOKEN, base_url=api.base_url) as client:
            alice = api.user("Alice", started=True)
            api.hang("sendMessage", 0.4, chat_id=alice.chat_id)
            started = time.monotonic()
            sending = asyncio.create_task(client.send_message(alice.chat_id, "lost"))
            (in_flight,) = await asyncio.to_thread(
                api.wait_for, lambda: api.calls_to("sendMessage"), 2
            )
            assert in_flight.status == 0 and not sending.done()  # recorded while held
            with pytest.raises(NetworkError) as caught:
                await sending
            assert not isinstance(caught.value, TimedOut)  # closed: no answer came, no timeout
            assert time.monotonic() - started >= 0.4
            assert api.messages(alice.chat_id) == []

            api.hang("sendMessage", 30)
            with pytest.raises(TimedOut):
                await client.send_message(alice.chat_id, "also lost", read_timeout=0.2)
            await client.send_message(alice.chat_id, "delivered")
            assert [m.visible_text for m in api.messages(alice.chat_id)] == ["delivered"]
            assert [call.status for call in api.calls_to("sendMessage")] == [0, 0, 200]
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 2  # stop() does not wait out the 30 s hang
