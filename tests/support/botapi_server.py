"""A local, stateful Telegram Bot API over HTTP for end-to-end tests of the real bot process.

:class:`FakeBotApi` listens on 127.0.0.1 (a free port) and serves ``/bot<TOKEN>/<method>`` and
``/file/bot<TOKEN>/<path>`` like api.telegram.org, so ``python -m bot run`` with
``TELEGRAM_API_URL`` pointing at it runs unchanged. Every call is checked with
:func:`telegram_rules.validate` plus the rules that need chat history ("message is not
modified", "message to edit not found", "chat not found", a bot may not start a private chat).
Simulated users type, press buttons and send media; tests read what the bot sent::

    with FakeBotApi() as api:
        alice = api.user(first_name="Alice")
        bot = subprocess.Popen([sys.executable, "-m", "bot", "run"],
                               env={**os.environ, **api.bot_env()})
        alice.send_text("/start")
        welcome = alice.wait_for_message(contains="Welcome")
        alice.press(welcome, button_text="Contact staff")
        api.block(alice.chat_id)            # from now on every call to her chat gets 403

Updates reach the bot the way the bot asks for them. Without a webhook they wait in a queue
for ``getUpdates`` (long polling, ``offset`` confirms them). Once the bot calls ``setWebhook``
a delivery thread POSTs them to its URL instead, as Telegram does: one at a time, oldest
first, as a JSON body with the ``X-Telegram-Bot-Api-Secret-Token`` header if a secret was set.
An update counts as delivered only when the webhook answers 2xx; another status, a connection
error or no answer within ``webhook_timeout`` leaves it queued, records ``last_error_*`` for
``getWebhookInfo`` and retries it after ``webhook_retry_delay`` (Telegram waits longer). Every
attempt lands in :attr:`FakeBotApi.webhook_attempts`, so a test can see that an update was
POSTed again after the bot crashed while handling it::

    with FakeBotApi(webhook_retry_delay=0.2) as api:
        ...                                 # start the bot in webhook mode
        api.wait_for_webhook()              # it called setWebhook
        alice.send_text("/start")           # POSTed to api.webhook_url
        api.wait_for(lambda: api.pending_update_count == 0)

Deviations: plain ``http://`` URLs and any port are accepted (Telegram wants HTTPS on 443, 80,
88 or 8443), and deliveries only go to loopback hosts (others fail like an unreachable
server); ``max_connections`` is stored but delivery stays sequential.

Fault injection mirrors :class:`recording_request.RecordingRequest`: ``fail`` answers with an
error, ``delay`` holds the answer back (the call still takes effect afterwards, as a
timed-out request to Telegram may), ``drop`` closes the connection at once and ``hang`` after
a while, both without answering and without applying the call (the request never reached
Telegram; ``hang`` lets a test kill the bot while the request is in flight), ``block`` makes a
chat answer 403.

All state sits behind one lock with a condition variable: HTTP threads, long polls, the
webhook delivery thread and the test thread's ``wait_for*`` helpers wake each other up.
"""

from __future__ import annotations

import contextlib
import copy
import http.client
import ipaddress
import itertools
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

from .recording_request import (
    EMPTY_WEBHOOK_INFO,
    Fault,
    chat_key,
    commands_key,
    make_fault,
    take_fault,
)
from .telegram_rules import (
    BLOCKED_BY_USER,
    INVALID_QUERY_ID,
    NOT_MODIFIED,
    Call,
    TelegramRejection,
    UploadedFile,
    bad_request,
    validate,
    visible_text,
)
from .updates import (
    BOT_ID,
    BOT_USER,
    TOKEN,
    callback_query_dict,
    chat_full_info_dict,
    chat_member_dict,
    document_content,
    group_chat_dict,
    location_content,
    message_dict,
    new_file_ids,
    photo_content,
    private_chat_dict,
    sticker_content,
    text_content,
    user_dict,
    voice_content,
)

T = TypeVar("T")

# Form fields that are plain strings on the wire; every other field is JSON-encoded by PTB.
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "action",
        "inline_message_id",
        "business_connection_id",
        "message_effect_id",
        "language_code",
        "secret_token",
        "ip_address",
        "file_id",
        "document",
        "emoji",
    }
)
_UPDATE_TYPES = ("message", "edited_message", "callback_query")
_CONTENT_KINDS = ("text", "document", "photo", "sticker", "voice", "location")
_POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_TERMINATED_BY_WEBHOOK = "Conflict: terminated by setWebhook request"
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]*")
_DEFAULT_MAX_CONNECTIONS = 40


def decode_field(name: str, value: Any) -> Any:
    """Decode one request field the way the Bot API does: JSON unless it is a text field."""
    if not isinstance(value, str) or name in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _parse_multipart(body: bytes, boundary: str) -> dict[str, Any]:
    params: dict[str, Any] = {}
    delimiter = b"--" + boundary.encode()
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = BytesHeaderParser(policy=HTTP).parsebytes(head + b"\r\n\r\n")
        name = headers.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        data = data.removesuffix(b"\r\n")
        filename = headers.get_filename()
        if filename is None:
            params[name] = data.decode("utf-8")
        else:
            params[name] = UploadedFile(filename, data, headers.get_content_type())
    return params


def parse_request(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    """All parameters of a Bot API request (query string and body), decoded."""
    raw: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    header = Message()
    header["content-type"] = content_type or "application/x-www-form-urlencoded"
    media_type = header.get_content_type()
    if media_type == "application/json" and body.strip():
        loaded = json.loads(body)
        if not isinstance(loaded, dict):
            raise ValueError("the JSON body must be an object")
        raw.update(loaded)
    elif media_type == "multipart/form-data":
        boundary = header.get_param("boundary")
        if not isinstance(boundary, str):
            raise ValueError("multipart body without boundary")
        raw.update(_parse_multipart(body, boundary))
    elif body:
        raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return {name: decode_field(name, value) for name, value in raw.items()}


@dataclass
class StoredMessage:
    """A message in a chat as the fake server keeps it (bot and user messages alike).

    ``text`` is the current text as sent (HTML markup included) and ``visible_text`` what the
    user reads; for documents and photos both refer to the caption. ``history`` holds the
    earlier visible texts, oldest first.
    """

    message_id: int
    chat: dict[str, Any]
    sender: dict[str, Any]
    content: dict[str, Any]
    date: int
    text: str = ""
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    reply_to: dict[str, Any] | None = None
    edit_date: int | None = None
    history: list[str] = field(default_factory=list)
    deleted: bool = False

    @property
    def chat_id(self) -> int:
        """The chat the message is in."""
        return int(self.chat["id"])

    @property
    def from_bot(self) -> bool:
        """Whether the bot sent it."""
        return bool(self.sender["id"] == BOT_ID)

    @property
    def kind(self) -> str:
        """ "text", "document", "photo", "sticker", "voice" or "location"."""
        return next((kind for kind in _CONTENT_KINDS if kind in self.content), "other")

    @property
    def visible_text(self) -> str:
        """What the user reads: the text or caption with markup parsed away."""
        return str(self.content.get("text") or self.content.get("caption") or "")

    @property
    def reply_to_message_id(self) -> int | None:
        """The message this one answers, if it is a reply."""
        return None if self.reply_to is None else int(self.reply_to["message_id"])

    @property
    def keyboard(self) -> list[list[tuple[str, str | None]]]:
        """The inline keyboard as rows of ``(label, callback_data)``; URL buttons have None."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [[(button["text"], button.get("callback_data")) for button in row] for row in rows]

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """All inline buttons as ``(label, callback_data)``, row by row."""
        return [button for row in self.keyboard for button in row]

    def to_api(self) -> dict[str, Any]:
        """The Message object Telegram would send for this message."""
        content = dict(self.content)
        if self.reply_markup is not None:
            content["reply_markup"] = self.reply_markup
        return message_dict(
            self.message_id,
            self.sender,
            self.chat,
            content,
            date=self.date,
            edit_date=self.edit_date,
            reply_to_message=self.reply_to,
        )


@dataclass(frozen=True)
class SimChat:
    """A group chat created with :meth:`FakeBotApi.group`."""

    chat_id: int
    title: str
    chat_type: str = "supergroup"


class WebhookAttempt(NamedTuple):
    """One POST of an update to the bot's webhook.

    ``status`` is the webhook's HTTP status, or None when it gave no answer (``error`` says
    why: refused connection, timeout, ...); ``error`` is None for a delivered update and
    otherwise what ``getWebhookInfo`` reports as ``last_error_message``.
    """

    update_id: int
    status: int | None
    error: str | None

    @property
    def delivered(self) -> bool:
        """Whether the webhook accepted the update (any 2xx answer)."""
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class _Webhook:
    """The webhook the bot set."""

    url: str
    secret_token: str | None
    max_connections: int


@dataclass
class SimUser:
    """A simulated Telegram user; methods act in their private chat unless ``chat`` is given.

    A user has not "started" the bot until they send something (or ``started=True``): until
    then Telegram refuses to let the bot write to them first.
    """

    server: FakeBotApi = field(repr=False)
    user_id: int
    first_name: str
    username: str | None = None
    chat_id: int = 0
    started: bool = False
    language_code: str | None = "en"  # the client's language, as Telegram reports it

    def __post_init__(self) -> None:
        self.chat_id = self.chat_id or self.user_id
        self.server.register_user(self)

    @property
    def user(self) -> dict[str, Any]:
        """The User object Telegram sends for this user."""
        return user_dict(self.user_id, self.first_name, self.username, self.language_code)

    def send_text(
        self, text: str, chat: SimChat | None = None, reply_to_message_id: int | None = None
    ) -> StoredMessage:
        """Type ``text`` (see :meth:`FakeBotApi.send_text`)."""
        return self.server.send_text(self, text, chat, reply_to_message_id)

    def press(
        self,
        message: StoredMessage | int,
        callback_data: str | None = None,
        *,
        button_text: str | None = None,
    ) -> str:
        """Press an inline button (see :meth:`FakeBotApi.press`)."""
        return self.server.press(self, message, callback_data, button_text=button_text)

    def send_sticker(self, chat: SimChat | None = None) -> StoredMessage:
        """Send a sticker."""
        return self.server.send_sticker(self, chat)

    def send_photo(
        self,
        chat: SimChat | None = None,
        caption: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> StoredMessage:
        """Send a photo (as a reply to ``reply_to_message_id``, if given)."""
        return self.server.send_photo(self, chat, caption, reply_to_message_id)

    def send_voice(
        self, chat: SimChat | None = None, reply_to_message_id: int | None = None
    ) -> StoredMessage:
        """Send a voice note."""
        return self.server.send_voice(self, chat, reply_to_message_id)

    def send_document(
        self,
        chat: SimChat | None = None,
        *,
        file_name: str = "notes.pdf",
        content: bytes = b"%PDF-1.4 test document",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> StoredMessage:
        """Send a document (see :meth:`FakeBotApi.send_document`)."""
        return self.server.send_document(
            self,
            chat,
            file_name=file_name,
            content=content,
            mime_type=mime_type,
            caption=caption,
            reply_to_message_id=reply_to_message_id,
        )

    def send_location(
        self, chat: SimChat | None = None, latitude: float = 51.5246, longitude: float = -0.1340
    ) -> StoredMessage:
        """Share a location."""
        return self.server.send_location(self, chat, latitude, longitude)

    def edit_text(
        self, message_id: int, new_text: str, chat: SimChat | None = None
    ) -> StoredMessage:
        """Edit one of this user's earlier messages (the bot gets an ``edited_message``)."""
        return self.server.edit_text(self, message_id, new_text, chat)

    def messages(self) -> list[StoredMessage]:
        """What the bot has sent to this user's private chat."""
        return self.server.messages(self.chat_id)

    def wait_for_message(
        self,
        contains: str | None = None,
        *,
        after: StoredMessage | int | None = None,
        count: int | None = None,
        timeout: float = 10.0,
    ) -> StoredMessage:
        """Wait for a bot message in the private chat (see :meth:`FakeBotApi.wait_for_message`)."""
        return self.server.wait_for_message(
            self.chat_id, contains, after=after, count=count, timeout=timeout
        )


class _HttpServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that remembers open connections so ``stop`` can cut them."""

    daemon_threads = True

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Cut every open connection (idle keep-alives included)."""
        with self.connections_lock:
            connections = list(self.connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60
    server: _HttpServer

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean; every call is in ``FakeBotApi.calls``."""

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _handle(self) -> None:
        url = urlsplit(self.path)
        body = self._read_body()
        try:
            status, content_type, payload = self.server.api.handle_http(
                unquote(url.path), url.query, self.headers.get("Content-Type", ""), body
            )
        except _Dropped:
            self.close_connection = True  # no answer at all: the request was lost
            return
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            self.close_connection = True  # the client gave up (e.g. it timed out)


class _Dropped(Exception):
    """A call lost on the way: the server closes the connection without answering."""


class _DeliveryStopped(Exception):
    """The server is stopping: abandon the webhook delivery in progress."""


def _json_response(status: int, body: dict[str, Any]) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(body).encode()


def _valid_webhook_url(url: str) -> bool:
    """An absolute http(s) URL with a host and a sensible port."""
    target = urlsplit(url)
    try:
        port = target.port
    except ValueError:  # not a number, or out of range
        return False
    return target.scheme in ("http", "https") and bool(target.hostname) and port != 0


def _is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine without asking DNS (the fake stays local)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class FakeBotApi:
    """A local Bot API server with simulated users; see the module docstring.

    Use as a context manager or call :meth:`start` / :meth:`stop`. ``url`` is what the bot's
    ``TELEGRAM_API_URL`` should be (:meth:`bot_env` gives the whole environment).

    ``webhook_timeout`` is how long a webhook POST may take before it counts as failed and
    ``webhook_retry_delay`` the pause before a failed update is POSTed again (both in
    seconds; they may be changed while the server runs).
    """

    def __init__(
        self,
        token: str = TOKEN,
        *,
        webhook_timeout: float = 10.0,
        webhook_retry_delay: float = 0.5,
    ) -> None:
        self.token = token
        self.webhook_timeout = webhook_timeout
        self.webhook_retry_delay = webhook_retry_delay
        self._cond = threading.Condition(threading.RLock())
        self._stopping = threading.Event()
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None
        self._delivery_thread: threading.Thread | None = None
        self._calls: list[Call] = []
        self._callback_answers: list[dict[str, Any]] = []
        self._faults: list[Fault] = []
        self._delays: list[Fault] = []
        self._drops: list[Fault] = []  # ``drop`` (seconds=0) and ``hang`` faults
        self._blocked: set[int] = set()
        self._users: dict[int, SimUser] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._members: dict[int, dict[int, str]] = {}
        self._messages: dict[int, list[StoredMessage]] = {}
        self._files: dict[str, tuple[str, bytes, dict[str, Any]]] = {}
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._updates: list[dict[str, Any]] = []
        self._open_queries: set[str] = set()
        self._allowed_updates: list[str] = []
        self._webhook: _Webhook | None = None
        self._webhook_attempts: list[WebhookAttempt] = []
        self._webhook_error: tuple[int, str] | None = None  # (unix time, message)
        self._webhook_retry_at = 0.0  # time.monotonic() before which no POST is attempted
        self._webhook_connection: http.client.HTTPConnection | None = None
        self._poll_generation = 0
        self._update_ids = itertools.count(10_000)
        self._query_ids = itertools.count(1)
        self._user_ids = itertools.count(1001)
        self._group_ids = itertools.count(1)

    # --- lifecycle -----------------------------------------------------------------------------

    def start(self) -> FakeBotApi:
        """Start serving on 127.0.0.1 in a background thread."""
        self._httpd = _HttpServer(self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="FakeBotApi", daemon=True
        )
        self._thread.start()
        self._delivery_thread = threading.Thread(
            target=self._deliver_to_webhook, name="FakeBotApi webhook", daemon=True
        )
        self._delivery_thread.start()
        return self

    def stop(self) -> None:
        """Answer pending long polls, stop serving and cut open connections.

        A webhook POST in progress is cut off; calls held by ``delay`` or ``hang`` end at once.
        """
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
            webhook_connection = self._webhook_connection
        if webhook_connection is not None and webhook_connection.sock is not None:
            with contextlib.suppress(OSError):
                webhook_connection.sock.shutdown(socket.SHUT_RDWR)
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.close_connections()
            self._httpd.server_close()
        for thread in (self._thread, self._delivery_thread):
            if thread is not None:
                thread.join(timeout=5)

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``: the value for ``TELEGRAM_API_URL``."""
        if self._httpd is None:
            raise RuntimeError("FakeBotApi is not started")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def base_url(self) -> str:
        """For ``telegram.Bot(token, base_url=...)``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``telegram.Bot(token, base_file_url=...)``."""
        return f"{self.url}/file/bot"

    def bot_env(self) -> dict[str, str]:
        """Environment variables that point the real bot at this server."""
        return {"TELEGRAM_BOT_TOKEN": self.token, "TELEGRAM_API_URL": self.url}

    # --- simulated people and chats ------------------------------------------------------------

    def user(
        self,
        first_name: str = "Alice",
        username: str | None = None,
        *,
        user_id: int | None = None,
        started: bool = False,
        language_code: str | None = "en",
    ) -> SimUser:
        """A new simulated user with a private chat (ids count up from 1001), whose
        client is set to ``language_code``."""
        return SimUser(
            self,
            user_id if user_id is not None else next(self._user_ids),
            first_name,
            username,
            started=started,
            language_code=language_code,
        )

    def register_user(self, user: SimUser) -> None:
        """Make ``user`` and their private chat known (SimUser calls this itself)."""
        with self._cond:
            self._users[user.user_id] = user
            chat = {**private_chat_dict(user.user), "id": user.chat_id}
            self._chats[user.chat_id] = chat
            self._members[user.chat_id] = {user.user_id: "member"}

    def group(
        self,
        title: str,
        members: Iterable[SimUser] = (),
        *,
        admins: Iterable[SimUser] = (),
        chat_id: int | None = None,
    ) -> SimChat:
        """A supergroup (negative id) with the bot and the given members in it."""
        chat_id = chat_id if chat_id is not None else -1_001_000_000_000 - next(self._group_ids)
        with self._cond:
            self._chats[chat_id] = group_chat_dict(chat_id, title)
            statuses = {user.user_id: "member" for user in members}
            statuses.update({user.user_id: "administrator" for user in admins})
            self._members[chat_id] = statuses
        return SimChat(chat_id, title)

    def send_text(
        self,
        user: SimUser,
        text: str,
        chat: SimChat | None = None,
        reply_to_message_id: int | None = None,
    ) -> StoredMessage:
        """``user`` types ``text``; /commands and @mentions get their entities."""
        return self._user_message(user, chat, text_content(text), reply_to_message_id)

    def send_sticker(self, user: SimUser, chat: SimChat | None = None) -> StoredMessage:
        """``user`` sends a sticker."""
        return self._user_message(user, chat, sticker_content())

    def send_photo(
        self,
        user: SimUser,
        chat: SimChat | None = None,
        caption: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> StoredMessage:
        """``user`` sends a photo."""
        return self._user_message(user, chat, photo_content(caption), reply_to_message_id)

    def send_voice(
        self, user: SimUser, chat: SimChat | None = None, reply_to_message_id: int | None = None
    ) -> StoredMessage:
        """``user`` sends a voice note."""
        return self._user_message(user, chat, voice_content(), reply_to_message_id)

    def send_document(
        self,
        user: SimUser,
        chat: SimChat | None = None,
        *,
        file_name: str = "notes.pdf",
        content: bytes = b"%PDF-1.4 test document",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> StoredMessage:
        """``user`` sends a document; the bot can download ``content`` via getFile."""
        message_content = document_content(file_name, mime_type, len(content), caption)
        with self._cond:
            self._add_file(message_content["document"], content, "documents")
        return self._user_message(user, chat, message_content, reply_to_message_id)

    def send_location(
        self,
        user: SimUser,
        chat: SimChat | None = None,
        latitude: float = 51.5246,
        longitude: float = -0.1340,
    ) -> StoredMessage:
        """``user`` shares a location."""
        return self._user_message(user, chat, location_content(latitude, longitude))

    def edit_text(
        self, user: SimUser, message_id: int, new_text: str, chat: SimChat | None = None
    ) -> StoredMessage:
        """``user`` edits their message ``message_id``: the bot gets an ``edited_message``."""
        chat_id = chat.chat_id if chat is not None else user.chat_id
        with self._cond:
            message = self._find_message(chat_id, message_id)
            if message is None or message.sender["id"] != user.user_id:
                raise AssertionError(f"{user.first_name} has no message {message_id} in {chat_id}")
            if "text" not in message.content:
                raise AssertionError(f"message {message_id} has no text to edit")
            message.history.append(message.visible_text)
            message.content = text_content(new_text)
            message.text = new_text
            message.edit_date = int(time.time())
            self._enqueue("edited_message", message.to_api())
            return copy.deepcopy(message)

    def press(
        self,
        user: SimUser,
        message: StoredMessage | int,
        callback_data: str | None = None,
        *,
        button_text: str | None = None,
        chat: SimChat | None = None,
    ) -> str:
        """``user`` presses the inline button with ``callback_data`` (or labelled
        ``button_text``) on the bot's ``message``; returns the callback query id.

        Fails the test if the message (as it is now, after edits) has no such button.
        """
        with self._cond:
            if isinstance(message, StoredMessage):
                chat_id, message_id = message.chat_id, message.message_id
            else:
                chat_id = chat.chat_id if chat is not None else user.chat_id
                message_id = message
            stored = self._find_message(chat_id, message_id)
            if stored is None or stored.deleted or not stored.from_bot:
                raise AssertionError(f"no bot message {message_id} in chat {chat_id}")
            data = next(
                (
                    button_data
                    for label, button_data in stored.buttons
                    if button_data is not None
                    and (callback_data is None or button_data == callback_data)
                    and (button_text is None or label == button_text)
                ),
                None,
            )
            if data is None or (callback_data is None and button_text is None):
                raise AssertionError(
                    f"message {message_id} has no button with callback_data={callback_data!r} "
                    f"text={button_text!r}; its buttons: {stored.buttons}"
                )
            query_id = f"{next(self._query_ids)}{user.user_id}"
            self._open_queries.add(query_id)
            query = callback_query_dict(query_id, user.user, stored.to_api(), data)
            self._enqueue("callback_query", query)
            return query_id

    def forge_press(self, user: SimUser, message: StoredMessage, callback_data: str) -> str:
        """A modified client sends ``callback_data`` for ``message`` whether or not it has
        such a button: what a bot must not trust. Returns the callback query id."""
        with self._cond:
            query_id = f"{next(self._query_ids)}{user.user_id}"
            self._open_queries.add(query_id)
            query = callback_query_dict(query_id, user.user, message.to_api(), callback_data)
            self._enqueue("callback_query", query)
            return query_id

    # --- fault injection -----------------------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int = 400,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """The next ``times`` calls of ``method`` (to ``chat_id``, if given) get this error.

        ``description`` defaults to Telegram's usual text for ``status``; a 429 always carries
        ``retry_after`` (default 1).
        """
        fault = make_fault(
            method,
            status=status,
            description=description,
            retry_after=retry_after,
            chat_id=chat_id,
            times=times,
        )
        with self._cond:
            self._faults.append(fault)

    def delay(
        self, method: str, seconds: float, *, chat_id: int | None = None, times: int = 1
    ) -> None:
        """Hold back the answer to the next ``times`` calls of ``method`` by ``seconds``."""
        with self._cond:
            self._delays.append(Fault(method.lower(), chat_id, times, seconds=seconds))

    def drop(self, method: str, *, chat_id: int | None = None, times: int = 1) -> None:
        """Lose the next ``times`` calls of ``method``: the connection closes with no answer
        and nothing happens (a request that never reached Telegram). ``Call.status`` is 0."""
        with self._cond:
            self._drops.append(Fault(method.lower(), chat_id, times))

    def hang(
        self, method: str, seconds: float, *, chat_id: int | None = None, times: int = 1
    ) -> None:
        """Hold the next ``times`` calls of ``method`` for ``seconds``, then close the
        connection without answering; the call never takes effect (unlike :meth:`delay`).

        The call is in :attr:`calls` with status 0 as soon as it arrives, so a test can wait
        for it and kill the bot while the request is in flight. :meth:`stop` does not wait.
        """
        with self._cond:
            self._drops.append(Fault(method.lower(), chat_id, times, seconds=seconds))

    def block(self, chat_id: int) -> None:
        """Every call naming ``chat_id`` answers 403 until :meth:`unblock`."""
        with self._cond:
            self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """Undo :meth:`block`."""
        with self._cond:
            self._blocked.discard(chat_id)

    # --- reading what happened -----------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every call so far as ``Call(method, params, status)``, in the order answered
        (calls lost to ``drop`` or ``hang`` as they arrive, with status 0)."""
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        """The calls of one method, in order."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    @property
    def callback_answers(self) -> list[dict[str, Any]]:
        """Parameters of every accepted answerCallbackQuery, in order."""
        with self._cond:
            return copy.deepcopy(self._callback_answers)

    @property
    def pending_update_count(self) -> int:
        """Updates queued and not yet confirmed by the bot (or delivered to its webhook)."""
        with self._cond:
            return len(self._updates)

    @property
    def webhook_url(self) -> str:
        """The URL the bot set with setWebhook; empty while it has none."""
        with self._cond:
            return self._webhook.url if self._webhook is not None else ""

    @property
    def webhook_secret(self) -> str | None:
        """The secret_token the bot set with its webhook, if any."""
        with self._cond:
            return self._webhook.secret_token if self._webhook is not None else None

    @property
    def webhook_attempts(self) -> list[WebhookAttempt]:
        """Every POST of an update to a webhook so far, in order, failed ones included."""
        with self._cond:
            return list(self._webhook_attempts)

    def wait_for_webhook(self, timeout: float = 10.0) -> str:
        """Wait until the bot has set a webhook and return its URL."""
        try:
            return self.wait_for(lambda: self.webhook_url, timeout)
        except AssertionError:
            raise AssertionError(f"the bot set no webhook within {timeout} s") from None

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[Any]:
        """The command list the bot set for ``scope`` (default scope if None)."""
        params = {"scope": scope, "language_code": language_code}
        with self._cond:
            return copy.deepcopy(self._commands.get(commands_key(params), []))

    def messages(self, chat_id: int, *, include_user_messages: bool = False) -> list[StoredMessage]:
        """Snapshots of the messages in a chat that are not deleted, oldest first.

        Only the bot's messages unless ``include_user_messages``.
        """
        with self._cond:
            return [
                copy.deepcopy(message)
                for message in self._messages.get(chat_id, [])
                if not message.deleted and (include_user_messages or message.from_bot)
            ]

    def file_content(self, file_id: str) -> bytes:
        """The bytes behind a file_id (files the bot uploaded or users sent)."""
        with self._cond:
            return self._files[file_id][1]

    def transcript(self, chat_id: int) -> str:
        """The chat as readable lines, handy in assertion messages."""
        lines = []
        for message in self.messages(chat_id, include_user_messages=True):
            who = "bot" if message.from_bot else message.sender["first_name"]
            text = message.visible_text or f"<{message.kind}>"
            buttons = f"  {[label for label, _ in message.buttons]}" if message.buttons else ""
            lines.append(f"#{message.message_id} {who}: {text}{buttons}")
        return "\n".join(lines)

    def wait_for(self, predicate: Callable[[], T | None], timeout: float = 10.0) -> T:
        """Wait until ``predicate()`` is truthy and return its value; fail the test on timeout.

        The predicate runs under the server lock and may call this server's methods.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"condition not met within {timeout} s")
                self._cond.wait(remaining)

    def wait_for_message(
        self,
        chat_id: int,
        contains: str | None = None,
        *,
        after: StoredMessage | int | None = None,
        count: int | None = None,
        timeout: float = 10.0,
    ) -> StoredMessage:
        """Wait for a bot message in ``chat_id`` and return it.

        Considers bot messages newer than ``after`` (a message or message id) whose visible
        text contains ``contains`` (case-sensitive; edits count); returns the ``count``-th
        such message (default the first).
        """
        after_id = after.message_id if isinstance(after, StoredMessage) else after or 0
        wanted = count or 1

        def found() -> StoredMessage | None:
            candidates = [
                message
                for message in self.messages(chat_id)
                if message.message_id > after_id
                and (contains is None or contains in message.visible_text)
            ]
            return candidates[wanted - 1] if len(candidates) >= wanted else None

        try:
            return self.wait_for(found, timeout)
        except AssertionError:
            raise AssertionError(
                f"no bot message #{wanted} containing {contains!r} after {after_id} in chat "
                f"{chat_id} within {timeout} s; chat so far:\n{self.transcript(chat_id)}"
            ) from None

    # --- HTTP ----------------------------------------------------------------------------------

    def handle_http(
        self, path: str, query: str, content_type: str, body: bytes
    ) -> tuple[int, str, bytes]:
        """Answer one HTTP request: ``(status, content type, body)``."""
        if path.startswith("/file/bot"):
            token, _, file_path = path.removeprefix("/file/bot").partition("/")
            if token != self.token:
                return _json_response(401, TelegramRejection(401, "Unauthorized").payload())
            with self._cond:
                content = next(
                    (data for path, data, _ in self._files.values() if path == file_path), None
                )
            if content is None:
                return _json_response(404, TelegramRejection(404, "Not Found").payload())
            return 200, "application/octet-stream", content
        if not path.startswith("/bot"):
            return _json_response(404, TelegramRejection(404, "Not Found").payload())
        token, _, method = path.removeprefix("/bot").partition("/")
        if token != self.token:
            return _json_response(401, TelegramRejection(401, "Unauthorized").payload())
        try:
            params = parse_request(query, content_type, body)
        except ValueError as error:
            return _json_response(400, bad_request(f"can't parse request: {error}").payload())
        return _json_response(*self.call(method, params))

    def call(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Run one Bot API call with decoded ``params``: ``(HTTP status, JSON body)``."""
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            rejection = TelegramRejection(404, "Not Found: method not found")
            with self._cond:
                self._calls.append(Call(method, params, 404))
            return 404, rejection.payload()
        with self._cond:
            lost = take_fault(self._drops, method, params)
            if lost is not None:
                self._calls.append(Call(method, params, 0))
                self._cond.notify_all()
            delay = None if lost is not None else take_fault(self._delays, method, params)
        if lost is not None:
            self._stopping.wait(lost.seconds)  # 0 for drop; a hang ends early on stop()
            raise _Dropped
        if delay is not None:
            self._stopping.wait(delay.seconds)
        with self._cond:
            try:
                fault = take_fault(self._faults, method, params)
                if fault is not None and fault.rejection is not None:
                    raise fault.rejection
                self._check_blocked(params)
                validate(method, params)
                status, body = 200, {"ok": True, "result": handler(params)}
            except TelegramRejection as rejection:
                status, body = rejection.status, rejection.payload()
            self._calls.append(Call(method, params, status))
            self._cond.notify_all()
        return status, body

    # --- webhook delivery ----------------------------------------------------------------------

    def _deliver_to_webhook(self) -> None:
        """The delivery thread: POST queued updates to the webhook until :meth:`stop`."""
        while (job := self._next_delivery()) is not None:
            webhook, update = job
            try:
                status, error = self._post_update(webhook, update)
            except _DeliveryStopped:
                return
            with self._cond:
                attempt = WebhookAttempt(update["update_id"], status, error)
                self._webhook_attempts.append(attempt)
                if attempt.delivered:
                    self._updates = [u for u in self._updates if u is not update]
                elif self._webhook is webhook:
                    self._webhook_error = (int(time.time()), error or f"HTTP {status}")
                    self._webhook_retry_at = time.monotonic() + self.webhook_retry_delay
                self._cond.notify_all()

    def _next_delivery(self) -> tuple[_Webhook, dict[str, Any]] | None:
        """Wait for an update to POST (the oldest queued one) and a webhook to POST it to."""
        with self._cond:
            while not self._stopping.is_set():
                self._discard_unwanted()
                if self._webhook is None or not self._updates:
                    self._cond.wait()
                    continue
                wait = self._webhook_retry_at - time.monotonic()
                if wait <= 0:
                    return self._webhook, self._updates[0]
                self._cond.wait(wait)
            return None

    def _post_update(
        self, webhook: _Webhook, update: dict[str, Any]
    ) -> tuple[int | None, str | None]:
        """POST one update: ``(HTTP status or None, error or None)``; the lock is not held."""
        target = urlsplit(webhook.url)
        host = target.hostname or ""
        if not _is_loopback(host):
            return None, f"FakeBotApi delivers only to loopback hosts, not {host!r}"
        connection_class = (
            http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(host, target.port, timeout=self.webhook_timeout)
        headers = {"Content-Type": "application/json", "Connection": "close"}
        if webhook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
        with self._cond:
            body = json.dumps(update).encode()
        try:
            connection.connect()
            with self._cond:
                if self._stopping.is_set():
                    raise _DeliveryStopped
                self._webhook_connection = connection  # so stop() can cut it
            path = (target.path or "/") + (f"?{target.query}" if target.query else "")
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            response.read()
        except TimeoutError:
            return None, "Read timeout expired"
        except ConnectionRefusedError:
            return None, "Connection refused"
        except (OSError, http.client.HTTPException) as error:
            if self._stopping.is_set():
                raise _DeliveryStopped from error
            return None, str(error) or type(error).__name__
        finally:
            with self._cond:
                self._webhook_connection = None
            connection.close()
        if 200 <= response.status < 300:
            return response.status, None
        return response.status, (
            f"Wrong response from the webhook: {response.status} {response.reason}".rstrip()
        )

    # --- state helpers (call with the lock held) -----------------------------------------------

    def _enqueue(self, kind: str, payload: dict[str, Any]) -> None:
        self._updates.append({"update_id": next(self._update_ids), kind: payload})
        self._cond.notify_all()

    def _discard_unwanted(self) -> None:
        """Drop queued updates of types the bot did not ask for (``allowed_updates``)."""
        allowed = set(self._allowed_updates or _UPDATE_TYPES)
        self._updates = [u for u in self._updates if allowed & u.keys()]

    def _find_message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        return next(
            (m for m in self._messages.get(chat_id, []) if m.message_id == message_id), None
        )

    def _store(self, chat_id: int, sender: dict[str, Any], **fields: Any) -> StoredMessage:
        messages = self._messages.setdefault(chat_id, [])
        message_id = max((m.message_id for m in messages), default=0) + 1
        message = StoredMessage(
            message_id, self._chats[chat_id], sender, date=int(time.time()), **fields
        )
        messages.append(message)
        return message

    def _add_file(self, info: dict[str, Any], content: bytes, folder: str) -> None:
        """Register a file's bytes under its file_id so getFile and downloads work."""
        extension = info.get("file_name", "").rpartition(".")[2]
        path = f"{folder}/file_{len(self._files)}" + (f".{extension}" if extension else "")
        self._files[info["file_id"]] = (path, content, info)

    def _add_media(self, content: dict[str, Any]) -> None:
        """Give the files in a user's message placeholder bytes (unless they have real ones)."""
        for kind in ("photo", "sticker", "voice", "document"):
            value = content.get(kind)
            for info in value if isinstance(value, list) else [value] if value else []:
                if info["file_id"] not in self._files:
                    self._add_file(info, f"fake {kind} {info['file_id']}".encode(), kind + "s")

    def _user_message(
        self,
        user: SimUser,
        chat: SimChat | None,
        content: dict[str, Any],
        reply_to_message_id: int | None = None,
    ) -> StoredMessage:
        chat_id = chat.chat_id if chat is not None else user.chat_id
        with self._cond:
            if user.user_id not in self._members.get(chat_id, {}):
                raise AssertionError(f"{user.first_name} is not a member of chat {chat_id}")
            reply_to = None
            if reply_to_message_id is not None:
                replied = self._find_message(chat_id, reply_to_message_id)
                if replied is None:
                    raise AssertionError(f"no message {reply_to_message_id} in chat {chat_id}")
                reply_to = replied.to_api()
            user.started = True
            self._add_media(content)
            message = self._store(
                chat_id,
                user.user,
                content=content,
                text=str(content.get("text") or content.get("caption") or ""),
                reply_to=reply_to,
            )
            self._enqueue("message", message.to_api())
            return copy.deepcopy(message)

    def _check_blocked(self, params: dict[str, Any]) -> None:
        chat_id = chat_key(params.get("chat_id"))
        if not isinstance(chat_id, int) or chat_id not in self._blocked:
            return
        chat_type = self._chats.get(chat_id, {}).get("type", "private")
        if chat_type == "private":
            raise TelegramRejection(403, BLOCKED_BY_USER)
        raise TelegramRejection(403, f"Forbidden: bot was kicked from the {chat_type} chat")

    def _known_chat(self, params: dict[str, Any]) -> int:
        """The id of the chat a call names; "chat not found" unless the server knows it."""
        chat_id = chat_key(params["chat_id"])
        if not isinstance(chat_id, int) or chat_id not in self._chats:
            raise bad_request("chat not found")
        return chat_id

    def _writable_chat(self, params: dict[str, Any]) -> int:
        """The chat a sending method targets, refusing chats Telegram would refuse."""
        chat_id = self._known_chat(params)
        user = self._users.get(chat_id)
        if user is not None and not user.started:
            raise TelegramRejection(403, "Forbidden: bot can't initiate conversation with a user")
        return chat_id

    def _reply_target(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any] | None:
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id") or params.get("reply_to_message_id")
        if not message_id:
            return None
        replied = self._find_message(chat_id, int(message_id))
        if replied is not None and not replied.deleted:
            return replied.to_api()
        if reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")

    def _editable(self, params: dict[str, Any]) -> StoredMessage:
        chat_id = self._writable_chat(params)
        message = self._find_message(chat_id, int(params["message_id"]))
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    # --- Bot API methods: _api_<lowercase name>(params) -> result ------------------------------

    def _api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    def _api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self._webhook is not None:
            raise TelegramRejection(409, _WEBHOOK_CONFLICT)
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        deadline = time.monotonic() + max(float(params.get("timeout") or 0), 0.0)
        if isinstance(params.get("allowed_updates"), list):
            self._allowed_updates = params["allowed_updates"]
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        self._cond.notify_all()  # an older long poll still waiting now ends with a conflict
        while True:
            if generation != self._poll_generation:
                raise TelegramRejection(409, _POLL_CONFLICT)
            if self._webhook is not None:  # set while this poll waited
                raise TelegramRejection(409, _TERMINATED_BY_WEBHOOK)
            self._discard_unwanted()
            remaining = deadline - time.monotonic()
            if self._updates or remaining <= 0 or self._stopping.is_set():
                return copy.deepcopy(self._updates[:limit])
            self._cond.wait(remaining)

    def _api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._writable_chat(params)
        reply_to = self._reply_target(chat_id, params)
        message = self._store(
            chat_id,
            BOT_USER,
            content={"text": visible_text(params["text"], params.get("parse_mode"))},
            text=params["text"],
            parse_mode=params.get("parse_mode"),
            reply_markup=params.get("reply_markup"),
            reply_to=reply_to,
        )
        return message.to_api()

    def _api_senddocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._writable_chat(params)
        reply_to = self._reply_target(chat_id, params)
        document = params["document"]
        if isinstance(document, UploadedFile):
            info = {
                **new_file_ids("document"),
                "file_name": document.filename,
                "mime_type": document.mime_type,
                "file_size": len(document.content),
            }
            self._add_file(info, document.content, "documents")
        elif document in self._files:
            info = self._files[document][2]
        else:
            info = {**new_file_ids("document"), "file_name": document.rpartition("/")[2]}
        caption = params.get("caption") or ""
        content: dict[str, Any] = {"document": info}
        if caption:
            content["caption"] = visible_text(caption, params.get("parse_mode"))
        return self._store_sent(chat_id, params, content, caption, reply_to).to_api()

    def _store_sent(
        self,
        chat_id: int,
        params: dict[str, Any],
        content: dict[str, Any],
        text: str,
        reply_to: dict[str, Any] | None,
    ) -> StoredMessage:
        """Store what the bot sent: ``text`` as sent (markup included), ``content`` seen."""
        return self._store(
            chat_id,
            BOT_USER,
            content=content,
            text=text,
            parse_mode=params.get("parse_mode"),
            reply_markup=params.get("reply_markup"),
            reply_to=reply_to,
        )

    def _api_copymessage(self, params: dict[str, Any]) -> dict[str, Any]:
        """A copy of a message (any sender's) in another chat, without a link to the
        original; ``caption`` replaces a media message's caption. Answers a MessageId."""
        chat_id = self._writable_chat(params)
        from_chat = chat_key(params["from_chat_id"])
        if not isinstance(from_chat, int) or from_chat not in self._chats:
            raise bad_request("chat not found")
        source = self._find_message(from_chat, int(params["message_id"]))
        if source is None or source.deleted:
            raise bad_request("message to copy not found")
        reply_to = self._reply_target(chat_id, params)
        content = {k: v for k, v in copy.deepcopy(source.content).items() if k != "caption"}
        text = source.text
        if "caption" in params:
            text = params["caption"] or ""
            if text:
                content["caption"] = visible_text(text, params.get("parse_mode"))
        elif "caption" in source.content:
            content["caption"] = source.content["caption"]
        message = self._store_sent(chat_id, params, content, text, reply_to)
        return {"message_id": message.message_id}

    def _api_editmessagetext(self, params: dict[str, Any]) -> Any:
        if params.get("inline_message_id"):
            return True
        message = self._editable(params)
        if "text" not in message.content:
            raise bad_request("there is no text in the message to edit")
        parse_mode = params.get("parse_mode")
        markup = params.get("reply_markup")
        old = (message.text, (message.parse_mode or "").lower(), message.reply_markup)
        if old == (params["text"], (parse_mode or "").lower(), markup):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message.history.append(message.visible_text)
        message.content = {"text": visible_text(params["text"], parse_mode)}
        message.text, message.parse_mode, message.reply_markup = params["text"], parse_mode, markup
        message.edit_date = int(time.time())
        return message.to_api()

    def _api_editmessagereplymarkup(self, params: dict[str, Any]) -> Any:
        if params.get("inline_message_id"):
            return True
        message = self._editable(params)
        markup = params.get("reply_markup")
        if markup == message.reply_markup:
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message.reply_markup = markup
        message.edit_date = int(time.time())
        return message.to_api()

    def _api_deletemessage(self, params: dict[str, Any]) -> bool:
        message = self._find_message(self._known_chat(params), int(params["message_id"]))
        if message is None or message.deleted:
            raise bad_request("message to delete not found")
        message.deleted = True
        return True

    def _api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        query_id = str(params["callback_query_id"])
        if query_id not in self._open_queries:
            raise TelegramRejection(400, INVALID_QUERY_ID)
        self._open_queries.discard(query_id)
        self._callback_answers.append(params)
        return True

    def _api_sendchataction(self, params: dict[str, Any]) -> bool:
        self._writable_chat(params)
        return True

    def _api_setmycommands(self, params: dict[str, Any]) -> bool:
        self._commands[commands_key(params)] = params["commands"]
        return True

    def _api_getmycommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self._commands.get(commands_key(params), [])

    def _api_deletemycommands(self, params: dict[str, Any]) -> bool:
        self._commands.pop(commands_key(params), None)
        return True

    def _api_deletewebhook(self, params: dict[str, Any]) -> bool:
        """Stop delivery; queued updates wait for getUpdates unless dropped."""
        self._replace_webhook(None, drop_pending_updates=bool(params.get("drop_pending_updates")))
        return True

    def _api_setwebhook(self, params: dict[str, Any]) -> bool:
        """Deliver updates to ``url`` from now on (an empty ``url`` deletes the webhook)."""
        url = str(params.get("url") or "")
        drop = bool(params.get("drop_pending_updates"))
        if not url:
            self._replace_webhook(None, drop_pending_updates=drop)
            return True
        if not _valid_webhook_url(url):
            raise bad_request("invalid webhook URL specified")
        secret = params.get("secret_token")
        secret = str(secret) if secret not in (None, "") else None
        if secret is not None and len(secret) > 256:
            raise bad_request("secret token is too long")
        if secret is not None and not _SECRET_TOKEN.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        max_connections = int(params.get("max_connections") or _DEFAULT_MAX_CONNECTIONS)
        if isinstance(params.get("allowed_updates"), list):
            self._allowed_updates = params["allowed_updates"]
        webhook = _Webhook(url, secret, min(max(max_connections, 1), 100))
        self._replace_webhook(webhook, drop_pending_updates=drop)
        return True

    def _replace_webhook(self, webhook: _Webhook | None, *, drop_pending_updates: bool) -> None:
        if webhook != self._webhook:
            self._webhook_error = None
            self._webhook_retry_at = 0.0
        self._webhook = webhook
        if drop_pending_updates:
            self._updates.clear()
        self._cond.notify_all()  # wakes the delivery thread and ends waiting long polls

    def _api_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {**EMPTY_WEBHOOK_INFO, "pending_update_count": len(self._updates)}
        if self._webhook is not None:
            info["url"] = self._webhook.url
            info["max_connections"] = self._webhook.max_connections
            if self._allowed_updates:
                info["allowed_updates"] = list(self._allowed_updates)
        if self._webhook_error is not None:
            info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    def _api_getchat(self, params: dict[str, Any]) -> dict[str, Any]:
        return chat_full_info_dict(self._chats[self._known_chat(params)])

    def _api_getchatmember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._known_chat(params)
        user_id = int(params["user_id"])
        if user_id == BOT_ID:
            return chat_member_dict(BOT_USER, "member")
        user = self._users.get(user_id)
        if user is None:
            raise bad_request("PARTICIPANT_ID_INVALID")
        status = self._members[chat_id].get(user_id, "left")
        return chat_member_dict(user.user, status)

    def _api_getfile(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._files.get(str(params.get("file_id")))
        if stored is None:
            raise bad_request("invalid file_id")
        path, content, info = stored
        return {
            "file_id": info["file_id"],
            "file_unique_id": info["file_unique_id"],
            "file_size": len(content),
            "file_path": path,
        }

    def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    def _api_logout(self, params: dict[str, Any]) -> bool:
        return True
