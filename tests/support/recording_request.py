"""An in-memory Bot API for handler tests: a PTB request backend that records and validates.

:class:`RecordingRequest` replaces PTB's HTTP backend. Every Bot API call the bot makes is
checked with :func:`telegram_rules.validate`, recorded as a :class:`Call` and answered the way
Telegram would, so PTB itself raises ``BadRequest`` / ``Forbidden`` / ``RetryAfter`` /
``TimedOut`` exactly as in production. No network, no event loop of its own::

    request = RecordingRequest()
    app = ApplicationBuilder().token(TOKEN).request(request).get_updates_request(request).build()
    register_handlers(app)
    async with app:                     # getMe answers with BOT_USER
        await app.process_update(make_text_update(app.bot, "/start"))
    assert "Welcome" in request.texts()[-1]

    request.fail("sendMessage", status=403, description=BLOCKED_BY_USER, chat_id=1001)
    request.timeout("sendMessage")

:func:`make_bot` builds a bare :class:`telegram.ext.ExtBot` on such a request.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from telegram.error import TimedOut
from telegram.ext import ExtBot
from telegram.request import BaseRequest, RequestData

from .memory_request import InMemoryRequest
from .telegram_rules import (
    NOT_MODIFIED,
    Call,
    TelegramRejection,
    UploadedFile,
    bad_request,
    validate,
    visible_text,
)
from .updates import (
    BOT_USER,
    TOKEN,
    chat_full_info_dict,
    chat_member_dict,
    message_dict,
    new_file_ids,
    user_dict,
)

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
EMPTY_WEBHOOK_INFO = {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
_TRUE_METHODS = frozenset(
    {
        "answercallbackquery",
        "deletemycommands",
        "deletewebhook",
        "setwebhook",
        "sendchataction",
        "deletemessage",
        "close",
        "logout",
    }
)


def default_description(status: int, retry_after: int | None = None) -> str:
    """Telegram's usual description for an injected error with this HTTP status."""
    template = _DEFAULT_DESCRIPTIONS.get(status, "Internal Server Error")
    return template.format(retry_after=retry_after)


def chat_key(chat_id: object) -> int | str | None:
    """``chat_id`` as Telegram understands it: numeric strings become ints."""
    if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
        return int(chat_id)
    return chat_id if isinstance(chat_id, int | str) else None


def chat_for_id(chat_id: int | str) -> dict[str, Any]:
    """A plausible Chat for an id: users are positive, supergroups start with -100."""
    if isinstance(chat_id, str):
        return {"id": -1009999999999, "type": "channel", "username": chat_id.lstrip("@")}
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "User"}
    chat_type = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": chat_type, "title": "Test group"}


def commands_key(params: dict[str, Any]) -> tuple[str, str]:
    """Telegram keeps one command list per (scope, language_code)."""
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), params.get("language_code") or ""


@dataclass(frozen=True)
class MessageContent:
    """What "message is not modified" compares: the raw text, its parse mode and the markup."""

    text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None


@dataclass
class Fault:
    """Something injected into the next ``remaining`` calls of ``method`` (to ``chat_id``).

    ``rejection`` is the error to answer with; ``seconds`` a delay before answering.
    """

    method: str
    chat_id: int | str | None
    remaining: int
    rejection: TelegramRejection | None = None
    seconds: float = 0.0

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        """Whether this fault applies to a call of ``method`` with ``params``."""
        return (
            self.remaining > 0
            and self.method == method.lower()
            and (self.chat_id is None or chat_key(params.get("chat_id")) == self.chat_id)
        )


def make_fault(
    method: str,
    *,
    status: int,
    description: str | None,
    retry_after: int | None,
    chat_id: int | str | None,
    times: int,
) -> Fault:
    """A :class:`Fault` answering ``status``; a 429 always carries a ``retry_after``."""
    if status == 429 and retry_after is None:
        retry_after = 1
    rejection = TelegramRejection(
        status, description or default_description(status, retry_after), retry_after
    )
    return Fault(method.lower(), chat_key(chat_id), times, rejection)


def take_fault(faults: list[Fault], method: str, params: dict[str, Any]) -> Fault | None:
    """Use up one matching fault, if any."""
    for fault in faults:
        if fault.matches(method, params):
            fault.remaining -= 1
            if fault.remaining == 0:
                faults.remove(fault)
            return fault
    return None


def _decode_request_data(request_data: RequestData | None) -> dict[str, Any]:
    """The call's parameters as plain values, with uploaded files as :class:`UploadedFile`."""
    if request_data is None:
        return {}
    params: dict[str, Any] = json.loads(json.dumps(request_data.parameters))
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        data = content if isinstance(content, bytes) else content.read()
        params[name] = UploadedFile(filename or name, data, mime_type)
    return params


def _target_chat(params: dict[str, Any]) -> int | str:
    chat_id = chat_key(params.get("chat_id"))
    if chat_id is None:
        raise bad_request("chat_id is empty")
    return chat_id


class RecordingRequest(InMemoryRequest):
    """PTB request backend that validates, records and answers Bot API calls in memory.

    ``calls`` holds every call in order, failed ones included (``Call.status`` != 200).
    """

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Call] = []
        self._faults: list[Fault] = []
        self._timeouts: list[Fault] = []
        self._message_ids: dict[int | str, int] = {}
        self._contents: dict[tuple[int | str, int], MessageContent] = {}
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one Bot API call like Telegram: ``(HTTP status, JSON body)``."""
        api_method = url.rsplit("/", 1)[-1]
        params = _decode_request_data(request_data)
        if take_fault(self._timeouts, api_method, params) is not None:
            self.calls.append(Call(api_method, params, 0))
            raise TimedOut(f"Simulated timeout of {api_method}")
        fault = take_fault(self._faults, api_method, params)
        try:
            if fault is not None and fault.rejection is not None:
                raise fault.rejection
            result = self._answer(api_method, params)
        except TelegramRejection as rejection:
            self.calls.append(Call(api_method, params, rejection.status))
            return rejection.status, json.dumps(rejection.payload()).encode()
        self.calls.append(Call(api_method, params, 200))
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # --- fault injection -----------------------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int = 400,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        chat_id: int | str | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (to ``chat_id``, if given) fail.

        ``description`` defaults to Telegram's usual text for ``status``; a 429 gets
        ``retry_after`` (default 1) so PTB raises ``RetryAfter``.
        """
        self._faults.append(
            make_fault(
                method,
                status=status,
                description=description,
                retry_after=retry_after,
                chat_id=chat_id,
                times=times,
            )
        )

    def timeout(self, method: str, *, chat_id: int | str | None = None, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` raise ``telegram.error.TimedOut``."""
        self._timeouts.append(Fault(method.lower(), chat_key(chat_id), times))

    # --- reading what happened -----------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        """All calls of ``method`` (any status), in order."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def last(self, method: str) -> Call:
        """The most recent call of ``method``; fails the test if there was none."""
        matching = self.calls_to(method)
        if not matching:
            made = sorted({call.method for call in self.calls})
            raise AssertionError(f"no {method} call was made; calls made: {made}")
        return matching[-1]

    def sent_messages(self, chat_id: int | str | None = None) -> list[Call]:
        """Successful ``sendMessage`` calls (to ``chat_id``, if given), in order."""
        return [
            call
            for call in self.calls_to("sendMessage")
            if call.status == 200
            and (chat_id is None or chat_key(call.params.get("chat_id")) == chat_key(chat_id))
        ]

    def texts(self, chat_id: int | str | None = None) -> list[str]:
        """What users read in the messages sent (to ``chat_id``, if given): markup parsed."""
        return [
            visible_text(call.params["text"], call.params.get("parse_mode"))
            for call in self.sent_messages(chat_id)
        ]

    def clear(self) -> None:
        """Forget the recorded calls (injected faults and message history stay)."""
        self.calls.clear()

    # --- answers -------------------------------------------------------------------------------

    def _answer(self, method: str, params: dict[str, Any]) -> Any:
        validate(method, params)
        name = method.lower()
        if name in _TRUE_METHODS:
            if name == "deletemycommands":
                self._commands.pop(commands_key(params), None)
            return True
        if name == "setmycommands":
            self._commands[commands_key(params)] = params["commands"]
            return True
        simple: dict[str, Any] = {
            "getme": BOT_USER,
            "getupdates": [],
            "getmycommands": self._commands.get(commands_key(params), []),
            "getwebhookinfo": EMPTY_WEBHOOK_INFO,
        }
        if name in simple:
            return simple[name]
        if name == "getchat":
            return chat_full_info_dict(chat_for_id(_target_chat(params)))
        if name == "getchatmember":
            return chat_member_dict(user_dict(int(params["user_id"]), "User"), "member")
        if name == "sendmessage":
            text = visible_text(params["text"], params.get("parse_mode"))
            return self._new_message(params, {"text": text})
        if name == "senddocument":
            return self._new_message(params, self._document_content(params))
        if name == "copymessage":  # Telegram answers with a MessageId, not a Message
            return {"message_id": self._new_message(params, {})["message_id"]}
        if name in ("editmessagetext", "editmessagereplymarkup"):
            return self._edit_message(name, params)
        raise TelegramRejection(404, "Not Found: method not found")

    def _new_message(self, params: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        chat_id = _target_chat(params)
        message_id = self._message_ids.get(chat_id, 0) + 1
        self._message_ids[chat_id] = message_id
        markup = params.get("reply_markup")
        if "text" in content:
            self._contents[(chat_id, message_id)] = MessageContent(
                params["text"], params.get("parse_mode"), markup
            )
        if markup is not None:
            content = {**content, "reply_markup": markup}
        return message_dict(message_id, BOT_USER, chat_for_id(chat_id), content)

    @staticmethod
    def _document_content(params: dict[str, Any]) -> dict[str, Any]:
        document = params["document"]
        info: dict[str, Any] = new_file_ids("document")
        if isinstance(document, UploadedFile):
            info.update(
                file_name=document.filename,
                mime_type=document.mime_type,
                file_size=len(document.content),
            )
        content: dict[str, Any] = {"document": info}
        if params.get("caption"):
            content["caption"] = visible_text(params["caption"], params.get("parse_mode"))
        return content

    def _edit_message(self, name: str, params: dict[str, Any]) -> Any:
        """Edit a message; only messages sent through this request can be "not modified"."""
        if params.get("inline_message_id"):
            return True
        chat_id = _target_chat(params)
        key = (chat_id, int(params["message_id"]))
        current = self._contents.get(key)
        markup = params.get("reply_markup")
        if name == "editmessagetext":
            new = MessageContent(params["text"], params.get("parse_mode"), markup)
        elif current is not None:
            new = MessageContent(current.text, current.parse_mode, markup)
        else:
            new = None
        if new is not None:
            if new == current:
                raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
            self._contents[key] = new
        content: dict[str, Any] = {}
        if new is not None:
            content["text"] = visible_text(new.text, new.parse_mode)
        if markup is not None:
            content["reply_markup"] = markup
        return message_dict(
            key[1], BOT_USER, chat_for_id(chat_id), content, edit_date=int(time.time())
        )


def make_bot(request: RecordingRequest | None = None, token: str = TOKEN) -> ExtBot[None]:
    """An :class:`~telegram.ext.ExtBot` whose API calls all go to ``request``.

    Use ``async with bot:`` (or ``await bot.initialize()``) before reading ``bot.username``.
    """
    request = request or RecordingRequest()
    return ExtBot(token, request=request, get_updates_request=request)
