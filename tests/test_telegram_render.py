"""Rendering replies for Telegram: escaping, splitting, callback data limits."""

from __future__ import annotations

import pytest

from bot.answering.answerer import Action, Kind, Option, Reply
from bot.conversation.callback_data import MAX_CALLBACK_BYTES
from bot.telegram.render import render, split_text, utf16_len
from tests.support.telegram_rules import validate, visible_text

pytestmark = pytest.mark.unit


def send(message_text: str, markup: object | None = None) -> None:
    params: dict[str, object] = {"chat_id": 1, "text": message_text, "parse_mode": "HTML"}
    if markup is not None:
        params["reply_markup"] = {"inline_keyboard": markup}
    validate("sendMessage", params)


def test_hostile_text_is_escaped_and_shown_verbatim() -> None:
    hostile = "<3 & <b>bold</b> &amp; </i> \u202eevil\u200b 👩‍🔬"
    [message] = render(Reply("q", Kind.FALLBACK, hostile))
    send(message.text)
    assert visible_text(message.text, "HTML") == hostile


def test_long_replies_split_under_the_limit_with_keyboard_last() -> None:
    text = ("word " * 900 + "\n\n") * 3  # about 13,500 characters
    reply = Reply("q", Kind.ANSWER, text, "e", 1.0, (Option(Action.ENTRY, "More", "more-entry"),))
    messages = render(reply, question_id=42)
    assert len(messages) == 4
    for m in messages:
        send(m.text, m.keyboard)
    assert all(m.keyboard is None for m in messages[:-1])
    assert messages[-1].keyboard is not None
    assert " ".join(visible_text(m.text, "HTML") for m in messages).split() == text.split()


def test_split_counts_utf16_and_never_breaks_surrogates() -> None:
    text = "🧬" * 5000  # 10,000 UTF-16 units, no spaces
    parts = split_text(text)
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert "".join(parts) == text


def test_escaping_does_not_count_against_the_limit() -> None:
    text = "<" * 4096  # 4096 visible characters, 16,384 characters once escaped
    [message] = render(Reply("q", Kind.FALLBACK, text))
    send(message.text)


def test_callback_data_fits_and_carries_ids_only() -> None:
    entry_id = "a" * 60
    reply = Reply(
        "<script>",
        Kind.ANSWER,
        "x",
        entry_id,
        1.0,
        (Option(Action.ENTRY, "<b>label</b> " * 20, entry_id), Option(Action.CONTACT, "Talk")),
        feedback=True,
        contact_topic="investment",
    )
    [message] = render(reply, question_id=10**12)
    assert message.keyboard is not None
    data = [b["callback_data"] for row in message.keyboard for b in row]
    assert data == ["e:" + entry_id, "c:investment", "f:+1000000000000", "f:-1000000000000"]
    assert all(len(str(d).encode()) <= MAX_CALLBACK_BYTES for d in data)
    send(message.text, message.keyboard)
