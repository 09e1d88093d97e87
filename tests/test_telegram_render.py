"""Rendering for Telegram: a reply becomes one message to send (plain text and keyboard),
and a message's text becomes the sendMessage calls of its parts: escaped, split under
the limit, keyboard under the last part; callback data within its limits."""

from __future__ import annotations

from typing import Any

import pytest

from bot.answering.answerer import Action, Kind, Option, Reply
from bot.conversation.callback_data import MAX_CALLBACK_BYTES
from bot.storage.outbox import Outgoing
from bot.telegram.render import render, send_message_params, split_text, utf16_len
from tests.support.telegram_rules import validate, visible_text

pytestmark = pytest.mark.unit


def sent(message: Outgoing) -> list[dict[str, Any]]:
    """The sendMessage calls of ``message``, each checked as Telegram would."""
    calls = send_message_params(message.chat_id, message.text, message.keyboard)
    for params in calls:
        validate("sendMessage", params)
    return calls


def test_hostile_text_is_escaped_and_shown_verbatim() -> None:
    hostile = "<3 & <b>bold</b> &amp; </i> \u202eevil\u200b 👩‍🔬"
    message = render(Reply("q", Kind.FALLBACK, hostile), 1)
    assert (message.chat_id, message.text) == (1, hostile)  # plain text until it is sent
    [call] = sent(message)
    assert call["parse_mode"] == "HTML"
    assert visible_text(call["text"], "HTML") == hostile


def test_long_replies_split_under_the_limit_with_keyboard_last() -> None:
    text = ("word " * 900 + "\n\n") * 3  # about 13,500 characters
    reply = Reply("q", Kind.ANSWER, text, "e", 1.0, (Option(Action.ENTRY, "More", "more-entry"),))
    calls = sent(render(reply, 1, question_id=42))
    assert len(calls) == 4
    assert all("reply_markup" not in c for c in calls[:-1])
    assert calls[-1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "e:more-entry"
    assert " ".join(visible_text(c["text"], "HTML") for c in calls).split() == text.split()


def test_only_the_first_part_answers_the_message_replied_to() -> None:
    calls = send_message_params(1, "word " * 2000, None, reply_to=77)
    assert len(calls) == 3
    assert calls[0]["reply_parameters"] == {"message_id": 77, "allow_sending_without_reply": True}
    assert all("reply_parameters" not in c for c in calls[1:])


def test_split_counts_utf16_and_never_breaks_surrogates() -> None:
    text = "🧬" * 5000  # 10,000 UTF-16 units, no spaces
    parts = split_text(text)
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert "".join(parts) == text


def test_escaping_does_not_count_against_the_limit() -> None:
    text = "<" * 4096  # 4096 visible characters, 16,384 characters once escaped
    [call] = sent(render(Reply("q", Kind.FALLBACK, text), 1))
    assert visible_text(call["text"], "HTML") == text


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
    message = render(reply, 1, question_id=10**12)
    assert message.keyboard is not None
    data = [b["callback_data"] for row in message.keyboard for b in row]
    assert data == ["e:" + entry_id, "c:investment", "f:+1000000000000", "f:-1000000000000"]
    assert all(len(str(d).encode()) <= MAX_CALLBACK_BYTES for d in data)
    sent(message)
