"""The callback-data codec (bot/conversation/callback_data.py): every button round-trips,
and any data at all decodes without raising, to ``Unknown`` when it is not one of ours."""

from __future__ import annotations

import pytest

from bot.common.languages import Language
from bot.conversation.callback_data import (
    MAX_CALLBACK_BYTES,
    Button,
    CallbackTooLong,
    ContactButton,
    EntryButton,
    FeedbackButton,
    FormButton,
    LanguageButton,
    SaveAnswerButton,
    TicketAction,
    TicketButton,
    Unknown,
    decode,
    encode,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "button",
    [
        EntryButton("massbio-founded"),
        ContactButton(""),
        ContactButton("investment"),
        FormButton("via:email"),
        FormButton("forget:erase"),
        FeedbackButton(42, True),
        FeedbackButton(7, False),
        LanguageButton(Language.DA),
        LanguageButton(Language.SV),
        LanguageButton(Language.EN),
        LanguageButton(None),
        TicketButton(TicketAction.CLAIM, 1),
        TicketButton(TicketAction.REOPEN, 999999999999),
        SaveAnswerButton(12),
    ],
)
def test_every_button_round_trips(button: Button) -> None:
    data = encode(button)
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert decode(data) == button


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "f:+" + "9" * 25,
        "f:*1",
        "f:+-1",
        "f:+٣",  # a non-ASCII digit
        "t:claim:",
        "t:claim:" + "9" * 13,
        "t:nuke:1",
        "t:save:x",
        "e:",
        "k:",
        "l:",
        "l:de",  # a language the bot does not speak
        "l:DA",
        "l:da-DK",
        "l:automatic",
        "zz",
        "é" * 40,
        b"e:bytes",
        12,
    ],
)
def test_anything_else_is_unknown(data: object) -> None:
    assert isinstance(decode(data), Unknown)


def test_language_buttons_are_short_and_say_the_language() -> None:
    assert encode(LanguageButton(Language.SV)) == "l:sv"
    assert encode(LanguageButton(None)) == "l:auto"


def test_an_oversized_button_is_refused_when_encoded() -> None:
    with pytest.raises(CallbackTooLong):
        encode(EntryButton("x" * 63))
