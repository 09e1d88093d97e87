"""Callback data: the one codec for every button the bot sends (transport-neutral).

A button carries a prefix and short ids, never user text, within Telegram's 64 bytes:

- ``e:<entry id>``: answer that knowledge entry (follow-ups, "did you mean");
- ``c:<topic>``: talk to a person, about an optional routing topic;
- ``k:<choice>``: a contact form (or /forget) choice;
- ``f:+<question id>`` / ``f:-<question id>``: the answer was helpful or not;
- ``l:<en|da|sv>`` / ``l:auto``: write in that language (/language), or detect it again;
- ``t:<claim|resolve|reopen>:<ticket id>``: a staff card's buttons;
- ``t:save:<ticket message id>``: Save as answer, under a relayed staff reply.

The data comes back from the client and can be anything (forged, stale, missing):
``decode`` never raises, and returns ``Unknown`` for whatever is not one of these.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.common.languages import Language

MAX_CALLBACK_BYTES = 64
MAX_ID_DIGITS = 12  # ids fit SQLite's 64-bit integers with room to spare

ENTRY = "e:"
CONTACT = "c:"
FORM = "k:"
FEEDBACK = "f:"
LANGUAGE = "l:"
TICKET = "t:"
AUTOMATIC = "auto"  # LanguageButton(None): the language of each message decides again


class TicketAction(StrEnum):
    CLAIM = "claim"
    RESOLVE = "resolve"
    REOPEN = "reopen"


SAVE_ANSWER = "save"


@dataclass(frozen=True)
class EntryButton:
    entry_id: str


@dataclass(frozen=True)
class ContactButton:
    topic: str  # "" for none


@dataclass(frozen=True)
class FormButton:
    choice: str


@dataclass(frozen=True)
class FeedbackButton:
    question_id: int
    helpful: bool


@dataclass(frozen=True)
class LanguageButton:
    language: Language | None  # None: detect the language of each message again


@dataclass(frozen=True)
class TicketButton:
    action: TicketAction
    ticket_id: int


@dataclass(frozen=True)
class SaveAnswerButton:
    ticket_message_id: int


@dataclass(frozen=True)
class Unknown:
    data: str


Button = (
    EntryButton
    | ContactButton
    | FormButton
    | FeedbackButton
    | LanguageButton
    | TicketButton
    | SaveAnswerButton
    | Unknown
)


class CallbackTooLong(ValueError):
    """The encoded button would not fit Telegram's 64 bytes."""


def encode(button: Button) -> str:
    match button:
        case EntryButton(entry_id):
            data = ENTRY + entry_id
        case ContactButton(topic):
            data = CONTACT + topic
        case FormButton(choice):
            data = FORM + choice
        case FeedbackButton(question_id, helpful):
            data = f"{FEEDBACK}{'+' if helpful else '-'}{question_id}"
        case LanguageButton(language):
            data = LANGUAGE + (AUTOMATIC if language is None else language.value)
        case TicketButton(action, ticket_id):
            data = f"{TICKET}{action.value}:{ticket_id}"
        case SaveAnswerButton(message_id):
            data = f"{TICKET}{SAVE_ANSWER}:{message_id}"
        case _:
            raise ValueError(f"not a button to send: {button!r}")
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise CallbackTooLong(f"callback data too long for {button!r}")
    return data


def decode(data: object) -> Button:
    """The button ``data`` stands for, or ``Unknown``; never raises."""
    if not isinstance(data, str):
        return Unknown("")
    if len(data.encode("utf-8", "replace")) > MAX_CALLBACK_BYTES:
        return Unknown(data)
    prefix, rest = data[:2], data[2:]
    if prefix == ENTRY and rest:
        return EntryButton(rest)
    if prefix == CONTACT:
        return ContactButton(rest)
    if prefix == FORM and rest:
        return FormButton(rest)
    if prefix == FEEDBACK and rest[:1] in ("+", "-") and (number := _id(rest[1:])) is not None:
        return FeedbackButton(number, rest[0] == "+")
    if prefix == LANGUAGE and rest == AUTOMATIC:
        return LanguageButton(None)
    if prefix == LANGUAGE and rest in Language.__members__.values():
        return LanguageButton(Language(rest))
    if prefix == TICKET:
        action, _, digits = rest.partition(":")
        number = _id(digits)
        if number is None:
            return Unknown(data)
        if action == SAVE_ANSWER:
            return SaveAnswerButton(number)
        if action in TicketAction.__members__.values():
            return TicketButton(TicketAction(action), number)
    return Unknown(data)


def _id(digits: str) -> int | None:
    if digits.isascii() and digits.isdecimal() and 0 < len(digits) <= MAX_ID_DIGITS:
        return int(digits)
    return None
