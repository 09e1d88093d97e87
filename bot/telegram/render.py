"""Turning core ``Reply`` objects into messages to send (``Outgoing``: plain text and an
inline keyboard), and a message's text into the sendMessage calls of its parts.

Every piece of text from the knowledge base or a user is HTML-escaped here, once, when
it is sent (``send_message_params``, for replies and the outbox alike). Texts longer than
Telegram's 4096 UTF-16 units are split on paragraph, line or word boundaries; the
keyboard goes under the last part. Callback data carries only short ids, never user
text, and stays within Telegram's 64 bytes (bot/conversation/callback_data.py).

Keyboards are plain Bot API dictionaries, sent as they are: building PTB button objects
only to serialise them again cost more than the rest of an answer.
"""

from __future__ import annotations

import html
import warnings
from typing import Any

from telegram import Message
from telegram.constants import ParseMode
from telegram.warnings import PTBUserWarning

from bot.answering.answerer import Action, Option, Reply
from bot.common.languages import language_of_code
from bot.common.lengths import MAX_MESSAGE, utf16_len, utf16_prefix
from bot.conversation import callback_data
from bot.conversation.callback_data import ContactButton, EntryButton, FeedbackButton, FormButton
from bot.storage.outbox import Outgoing, Rows

__all__ = ["MAX_MESSAGE", "utf16_len"]

MAX_BUTTON_LABEL = 60


# Messages are sent with Bot.do_api_request and plain dicts (see the module docstring);
# PTB suggests its typed methods for known endpoints, which is the point of doing so.
warnings.filterwarnings("ignore", "Please use 'Bot.", PTBUserWarning)


def reply_markup(rows: Rows | None) -> dict[str, Any] | None:
    """The Bot API's InlineKeyboardMarkup for ``rows`` of {text, callback_data} buttons."""
    return {"inline_keyboard": rows} if rows else None


def split_text(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split plain text into parts of at most ``limit`` UTF-16 units each.

    Prefers paragraph breaks, then line breaks, then spaces, as long as the part stays
    at least half full; a single unbroken run longer than the limit is cut between
    characters (never inside a surrogate pair).
    """
    parts: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        cut = utf16_prefix(rest, limit)
        window = rest[:cut]
        breaks = [(window.rfind(sep), sep) for sep in ("\n\n", "\n", " ")]
        at, separator = next(
            ((at, sep) for at, sep in breaks if at >= cut // 2),
            max(breaks, key=lambda b: b[0]),
        )
        if at > 0:
            parts.append(rest[:at].rstrip())
            rest = rest[at + len(separator) :].lstrip()
        else:
            parts.append(window)
            rest = rest[cut:]
    if rest.strip() or not parts:
        parts.append(rest)
    return [p for p in parts if p.strip()] or [text]


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def reply_parameters(message_id: int) -> dict[str, Any]:
    """Thread under ``message_id``, or send anyway if it was deleted meanwhile."""
    return {"message_id": message_id, "allow_sending_without_reply": True}


def send_message_params(
    chat_id: int, text: str, keyboard: Rows | None = None, reply_to: int | None = None
) -> list[dict[str, Any]]:
    """The sendMessage parameters of each part of the plain ``text``: split to fit,
    escaped for HTML, link previews off, ``keyboard`` under the last part and the first
    threaded under message ``reply_to``."""
    # Escaping can lengthen the raw text but not what Telegram counts (after entity
    # parsing), so split the plain text and escape each part.
    parts = split_text(text, MAX_MESSAGE)
    calls = []
    for i, part in enumerate(parts):
        params: dict[str, Any] = {
            "chat_id": chat_id,
            "text": escape(part),
            "parse_mode": ParseMode.HTML,
            "link_preview_options": {"is_disabled": True},
        }
        if i == len(parts) - 1 and keyboard:
            params["reply_markup"] = reply_markup(keyboard)
        if i == 0 and reply_to:
            params["reply_parameters"] = reply_parameters(reply_to)
        calls.append(params)
    return calls


def option_callback(option: Option, topic: str | None = None) -> str:
    if option.action is Action.ENTRY:
        return callback_data.encode(EntryButton(option.value))
    if option.action is Action.FORM:
        return callback_data.encode(FormButton(option.value))
    if option.action is Action.LANGUAGE:
        language = language_of_code(option.value)  # None: AUTOMATIC, detect it again
        return callback_data.encode(callback_data.LanguageButton(language))
    return callback_data.encode(ContactButton(option.value or topic or ""))


def label(text: str) -> str:
    return text if len(text) <= MAX_BUTTON_LABEL else text[: MAX_BUTTON_LABEL - 1] + "…"


def button(text: str, data: str) -> dict[str, str]:
    return {"text": text, "callback_data": data}


def keyboard(
    reply: Reply,
    question_id: int | None,
    helpful: str,
    not_helpful: str,
) -> Rows | None:
    rows = [
        [button(label(o.label), option_callback(o, reply.contact_topic))] for o in reply.options
    ]
    if reply.feedback and question_id is not None:
        rows.append(
            [
                button(helpful, callback_data.encode(FeedbackButton(question_id, True))),
                button(not_helpful, callback_data.encode(FeedbackButton(question_id, False))),
            ]
        )
    return rows or None


def render(
    reply: Reply,
    chat_id: int,
    *,
    question_id: int | None = None,
    helpful: str = "Helpful",
    not_helpful: str = "Not helpful",
) -> Outgoing:
    """The message that shows ``reply`` in chat ``chat_id``, with its buttons."""
    return Outgoing(chat_id, reply.text, keyboard(reply, question_id, helpful, not_helpful))


def attachment_kind(message: Message) -> str:
    """What a non-text message carries: "photo", "document", "voice", "video", "audio",
    or "other" (stickers, locations, ...)."""
    for kind in ("photo", "document", "voice", "video", "audio"):
        if getattr(message, kind):
            return kind
    return "other"
