"""What Telegram's Bot API accepts, in one place, for every fake the tests use.

``validate(method, params)`` checks one Bot API call the way Telegram's server does and raises
:class:`TelegramRejection` with Telegram's own error description when Telegram would refuse it.
Both fakes use it: :mod:`recording_request` (handler tests without HTTP) and
:mod:`botapi_server` (end-to-end tests against a local HTTP Bot API). ``visible_text`` gives the
text a user sees once Telegram has parsed the markup, so tests can assert on what users read.

The HTML parser follows tdlib's ``parse_html`` (the parser behind the Bot API): its tag set,
entity decoding and error messages, byte offsets included. It is stricter than Telegram in two
places, both on purpose because the user would see something broken: an unknown named entity
such as ``&nbsp;`` (Telegram shows it literally) and ``<a>`` without ``href`` are rejected.

``params`` are plain decoded values (``reply_markup`` a dict, ``chat_id`` an int); state-based
rules such as "message is not modified" belong to the fakes, which know the chat history.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100
MAX_BOT_COMMANDS = 100

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
BLOCKED_BY_USER = "Forbidden: bot was blocked by the user"
INVALID_QUERY_ID = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)

_ALLOWED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = " \t\r\n\v\f"
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_PARSE_MODES = frozenset({"", "html", "markdown", "markdownv2"})
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_URL_SCHEMES = ("http://", "https://", "tg://")


class TelegramRejection(Exception):
    """Telegram refused a call: HTTP ``status`` and the ``description`` Telegram would send."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(f"{status}: {description}")
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram answers with for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded in a multipart request (``sendDocument`` and friends)."""

    filename: str
    content: bytes
    mime_type: str


class Call(NamedTuple):
    """One Bot API call as a fake received it.

    ``status`` is the HTTP status of the answer, or 0 when the fake simulated a timeout.
    """

    method: str
    params: dict[str, Any]
    status: int = 200


def bad_request(reason: str) -> TelegramRejection:
    """A 400 rejection with Telegram's ``Bad Request: `` prefix."""
    return TelegramRejection(400, f"Bad Request: {reason}")


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram counts message limits in."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text as the user sees it: markup parsed away, entities decoded, ends trimmed.

    Raises :class:`TelegramRejection` if Telegram could not parse the markup.
    """
    if (parse_mode or "").lower() == "html":
        text = _parse_html(text)
    return text.strip()


def validate(method: str, params: Mapping[str, Any]) -> None:
    """Raise :class:`TelegramRejection` if Telegram would refuse this call.

    Methods without rules here are accepted; unknown methods are the fakes' business.
    """
    check = _CHECKS.get(method.lower())
    if check is not None:
        check(params)


# --- HTML parsing (mirrors tdlib's parse_html) ------------------------------------------------


def _entity_error(reason: str) -> TelegramRejection:
    return bad_request(f"can't parse entities: {reason}")


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


def _decode_entity(text: str, pos: int) -> tuple[str | None, int]:
    """Decode the character reference starting at ``text[pos] == "&"``.

    Returns ``(character, end)``; ``character`` is None when tdlib keeps the "&" literally.
    """
    end = pos + 1
    if text.startswith("#", end):
        end += 1
        hexadecimal = text.startswith("x", end)
        if hexadecimal:
            end += 1
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        code = 0
        while end < len(text) and text[end] in digits:
            code = code * (16 if hexadecimal else 10) + int(text[end], 16)
            end += 1
            if code >= 0x10FFFF:
                return None, pos
        if code == 0 or end - pos >= 10:
            return None, pos
        if 0xD800 <= code <= 0xDFFF:
            raise _entity_error(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        character = chr(code)
    else:
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        name = text[pos + 1 : end]
        if name not in _NAMED_ENTITIES:
            if name and text.startswith(";", end):
                raise _entity_error(
                    f'Unsupported HTML entity "&{name};" at byte offset {_byte_offset(text, pos)}'
                )
            return None, pos
        character = _NAMED_ENTITIES[name]
    if text.startswith(";", end):
        end += 1
    return character, end


def _skip_spaces(text: str, i: int) -> int:
    while i < len(text) and text[i] in _SPACES:
        i += 1
    return i


def _parse_start_tag(text: str, begin: int) -> tuple[str, int]:
    """Parse ``<tag attr=value ...>`` at ``begin``; return the tag name and the index after it."""
    n = len(text)
    offset = _byte_offset(text, begin)
    i = begin + 1
    while i < n and text[i] not in _SPACES and text[i] != ">":
        i += 1
    if i >= n:
        raise _entity_error(f"Unclosed start tag at byte offset {offset}")
    tag = text[begin + 1 : i].lower()
    if tag not in _ALLOWED_TAGS:
        raise _entity_error(f'Unsupported start tag "{tag}" at byte offset {offset}')

    attributes: dict[str, str] = {}
    while True:
        i = _skip_spaces(text, i)
        if i < n and text[i] == ">":
            break
        name_begin = i
        while i < n and text[i] not in _SPACES and text[i] not in "=>":
            i += 1
        name = text[name_begin:i]
        if not name:
            raise _entity_error(f'Empty attribute name in the tag "{tag}" at byte offset {offset}')
        i = _skip_spaces(text, i)
        if i >= n or text[i] != "=":
            if tag == "blockquote" and name == "expandable":
                attributes[name] = ""
                continue
            raise _entity_error(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{tag}" at byte offset {offset}'
            )
        i = _skip_spaces(text, i + 1)
        if i >= n:
            raise _entity_error(f'Unclosed start tag "{tag}" at byte offset {offset}')
        value_chars: list[str] = []
        if text[i] in "'\"":
            quote = text[i]
            i += 1
            while i < n and text[i] != quote:
                if text[i] == "&":
                    character, end = _decode_entity(text, i)
                    if character is not None:
                        value_chars.append(character)
                        i = end
                        continue
                value_chars.append(text[i])
                i += 1
            if i < n:
                i += 1
        else:
            token_begin = i
            while i < n and text[i].isascii() and (text[i].isalnum() or text[i] in ".-"):
                i += 1
            value_chars.append(text[token_begin:i].lower())
            if i < n and text[i] not in _SPACES and text[i] != ">":
                raise _entity_error(
                    f"Unexpected end of name token at byte offset {_byte_offset(text, token_begin)}"
                )
        if i >= n:
            raise _entity_error(f"Unclosed start tag at byte offset {offset}")
        attributes[name] = "".join(value_chars)

    _check_tag_attributes(tag, attributes, offset)
    return tag, i + 1


def _check_tag_attributes(tag: str, attributes: dict[str, str], offset: int) -> None:
    if tag == "span" and attributes.get("class") != "tg-spoiler":
        raise _entity_error(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
    if tag == "a" and not attributes.get("href"):
        raise _entity_error(f'Tag "a" must have a non-empty href attribute at byte offset {offset}')
    if tag == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
        raise _entity_error("Invalid custom emoji identifier specified")


def _parse_end_tag(text: str, begin: int, open_tags: list[str]) -> int:
    """Check ``</tag>`` at ``begin`` against the innermost open tag; return the index after it."""
    n = len(text)
    offset = _byte_offset(text, begin)
    if not open_tags:
        raise _entity_error(f"Unexpected end tag at byte offset {offset}")
    i = begin + 2
    while i < n and text[i] not in _SPACES and text[i] != ">":
        i += 1
    name = text[begin + 2 : i].lower()
    i = _skip_spaces(text, i)
    if i >= n or text[i] != ">":
        raise _entity_error(f"Unclosed end tag at byte offset {offset}")
    expected = open_tags.pop()
    if name and name != expected:
        raise _entity_error(
            f'Unmatched end tag at byte offset {offset}, expected "</{expected}>", '
            f'found "</{name}>"'
        )
    return i + 1


def _parse_html(text: str) -> str:
    """The plain text of an HTML-formatted message; raises like Telegram on bad markup."""
    out: list[str] = []
    open_tags: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "&":
            decoded, end = _decode_entity(text, i)
            if decoded is not None:
                out.append(decoded)
                i = end
                continue
        if char != "<":
            out.append(char)
            i += 1
        elif text.startswith("/", i + 1):
            i = _parse_end_tag(text, i, open_tags)
        else:
            tag, i = _parse_start_tag(text, i)
            open_tags.append(tag)
    if open_tags:
        raise _entity_error(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(out)


# --- Per-method rules --------------------------------------------------------------------------


def _check_utf8(value: str, what: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise bad_request(f"{what} must be encoded in UTF-8") from None


def _formatted_text(params: Mapping[str, Any], field: str) -> str:
    """The visible text of ``params[field]`` under ``params["parse_mode"]``."""
    parse_mode = params.get("parse_mode") or ""
    if not isinstance(parse_mode, str) or parse_mode.lower() not in _PARSE_MODES:
        raise bad_request("unsupported parse_mode")
    raw = params.get(field)
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raw = str(raw)
    _check_utf8(raw, field)
    return visible_text(raw, parse_mode)


def _require_chat_id(params: Mapping[str, Any]) -> None:
    if params.get("chat_id") in (None, ""):
        raise bad_request("chat_id is empty")


def _require_message_id(params: Mapping[str, Any]) -> None:
    if params.get("message_id") in (None, "", 0):
        raise bad_request("message identifier is not specified")


def _button_error(reason: str) -> TelegramRejection:
    return bad_request(f"can't parse inline keyboard button: {reason}")


def _check_button(button: Any) -> None:
    if not isinstance(button, Mapping):
        raise _button_error("InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise _button_error('Field "text" must be of type String')
    if not text.strip():
        raise _button_error("Text must be non-empty")
    _check_utf8(text, "button text")
    # Telegram treats an empty callback_data as absent.
    actions = [name for name in _BUTTON_ACTIONS if button.get(name) not in (None, "")]
    if not actions:
        raise _button_error("Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise _button_error(f"exactly one of the optional fields must be used, got {actions}")
    data = button.get("callback_data")
    if data is not None and not (
        isinstance(data, str)
        and len(data.encode("utf-8", "surrogatepass")) <= MAX_CALLBACK_DATA_BYTES
    ):
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not (isinstance(url, str) and url.startswith(_URL_SCHEMES)):
        raise bad_request("BUTTON_URL_INVALID")


def _check_reply_markup(params: Mapping[str, Any], *, inline_only: bool = False) -> None:
    markup = params.get("reply_markup")
    if markup is None:
        return
    if not isinstance(markup, Mapping):
        raise bad_request("can't parse reply keyboard markup JSON object")
    keyboard = markup.get("inline_keyboard")
    if keyboard is None:
        if inline_only:
            raise bad_request("inline keyboard expected")
        if not any(key in markup for key in ("keyboard", "remove_keyboard", "force_reply")):
            raise bad_request("can't parse reply keyboard markup JSON object")
        return
    if not isinstance(keyboard, list) or not all(isinstance(row, list) for row in keyboard):
        raise bad_request(
            'Field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    buttons = [button for row in keyboard for button in row]
    if len(buttons) > MAX_INLINE_BUTTONS:
        raise bad_request("reply markup is too long")
    for button in buttons:
        _check_button(button)


def _check_message_text(params: Mapping[str, Any]) -> None:
    text = _formatted_text(params, "text")
    if not text:
        raise bad_request("message text is empty")
    if utf16_length(text) > MAX_MESSAGE_LENGTH:
        raise bad_request("message is too long")


def _check_edit_target(params: Mapping[str, Any]) -> None:
    if params.get("inline_message_id"):
        return
    _require_chat_id(params)
    _require_message_id(params)


def _check_send_message(params: Mapping[str, Any]) -> None:
    _require_chat_id(params)
    _check_message_text(params)
    _check_reply_markup(params)


def _check_edit_message_text(params: Mapping[str, Any]) -> None:
    _check_edit_target(params)
    _check_message_text(params)
    _check_reply_markup(params, inline_only=True)


def _check_edit_message_reply_markup(params: Mapping[str, Any]) -> None:
    _check_edit_target(params)
    _check_reply_markup(params, inline_only=True)


def _check_send_document(params: Mapping[str, Any]) -> None:
    _require_chat_id(params)
    document = params.get("document")
    if not (isinstance(document, UploadedFile) or (isinstance(document, str) and document)):
        raise bad_request("there is no document in the request")
    if utf16_length(_formatted_text(params, "caption")) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    _check_reply_markup(params)


def _check_copy_message(params: Mapping[str, Any]) -> None:
    _require_chat_id(params)
    if params.get("from_chat_id") in (None, ""):
        raise bad_request("from_chat_id is empty")
    _require_message_id(params)
    if utf16_length(_formatted_text(params, "caption")) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    _check_reply_markup(params)


def _check_answer_callback_query(params: Mapping[str, Any]) -> None:
    if not params.get("callback_query_id"):
        raise bad_request(INVALID_QUERY_ID.removeprefix("Bad Request: "))
    text = params.get("text") or ""
    if utf16_length(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
        raise bad_request("MESSAGE_TOO_LONG")


def _check_set_my_commands(params: Mapping[str, Any]) -> None:
    commands = params.get("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_BOT_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        if not isinstance(command, Mapping):
            raise bad_request("can't parse BotCommand: BotCommand must be an Object")
        name = command.get("command")
        if not isinstance(name, str) or not _COMMAND_RE.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        description = command.get("description")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")


def _check_send_chat_action(params: Mapping[str, Any]) -> None:
    _require_chat_id(params)
    if params.get("action") not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")


def _check_delete_message(params: Mapping[str, Any]) -> None:
    _require_chat_id(params)
    _require_message_id(params)


def _check_get_chat_member(params: Mapping[str, Any]) -> None:
    _require_chat_id(params)
    if not params.get("user_id"):
        raise bad_request("invalid user_id specified")


_CHECKS = {
    "sendmessage": _check_send_message,
    "editmessagetext": _check_edit_message_text,
    "editmessagereplymarkup": _check_edit_message_reply_markup,
    "senddocument": _check_send_document,
    "copymessage": _check_copy_message,
    "answercallbackquery": _check_answer_callback_query,
    "setmycommands": _check_set_my_commands,
    "sendchataction": _check_send_chat_action,
    "deletemessage": _check_delete_message,
    "getchat": _require_chat_id,
    "getchatmember": _check_get_chat_member,
}
