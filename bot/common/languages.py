"""The languages the bot speaks, and reading Telegram's client language as a prior.

``Language`` is the one vocabulary every layer uses for a language (the knowledge base's
translations, the answerers, the chat's stored choice); ``LANGUAGE_NAMES`` are the English
names staff read ("Language: Danish" on a card); ``language_of_code`` turns a client's
IETF tag (Telegram's ``from.language_code``) into a ``Language``, or None when the bot
does not speak it. The client's language is only the prior: the text of a message decides.
"""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    """A language the bot speaks; the value is its ISO 639-1 code (the knowledge/ folder)."""

    EN = "en"
    DA = "da"
    SV = "sv"


# English names, for staff and logs: staff always read English.
LANGUAGE_NAMES: dict[Language, str] = {
    Language.EN: "English",
    Language.DA: "Danish",
    Language.SV: "Swedish",
}


def language_of_code(code: str | None) -> Language | None:
    """The language of an IETF tag such as ``"da"``, ``"sv-FI"`` or ``"en-GB"``.

    Only the primary subtag counts, case-insensitively; a language the bot does not
    speak (``"nb"``, ``"de"``), an empty or missing tag gives None.
    """
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-", 1)[0].casefold()
    try:
        return Language(primary)
    except ValueError:
        return None
