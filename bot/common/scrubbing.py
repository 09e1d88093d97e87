"""Personal data in free text: finding e-mail addresses, phone numbers and @usernames, and
removing them (with a ticket's name and organisation) before a text is kept as knowledge.

Used where enquirers' and staff texts leave the ticket they belong to: draft entries
made of staff answers, and the questions ``kb suggest`` prints. ``kb check`` uses the
same patterns to refuse e-mail addresses and phone numbers an answer's source lacks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Eight to fifteen digits, with the separators people type between them.
PHONE = re.compile(r"(?<![\w.])\+?\(?\d(?:[\s().\-/]{0,2}\d){7,14}(?![\w])")
USERNAME = re.compile(r"(?<![\w.@])@[A-Za-z][A-Za-z0-9_]{2,31}\b")
# Digits that look like a phone number and are not one: 2000-2009, 04.07.2011, 2011-07-04.
NOT_PHONE = re.compile(
    r"(?:1[89]|20)\d\d\s*[-–/]\s*(?:1[89]|20)\d\d"
    r"|\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})"
    r"|\d{4}-\d{2}-\d{2}"
)

NAME_MARK = "[name]"
ORGANISATION_MARK = "[organisation]"
EMAIL_MARK = "[e-mail]"
PHONE_MARK = "[phone]"
USERNAME_MARK = "[username]"

# Words of a name or an organisation too common to remove on their own.
_KEEP = frozenset("of the and for de la le von van af og och i in at & co".split())


def phones(text: str) -> list[str]:
    """The phone numbers in ``text`` (a range of years or a date is none)."""
    return [m.group(0) for m in PHONE.finditer(text) if not NOT_PHONE.fullmatch(m.group(0))]


def scrub(text: str, names: Iterable[str] = (), organisations: Iterable[str] = ()) -> str:
    """``text`` without e-mail addresses, phone numbers, @usernames, and the given names
    and organisations, whole or by their words (case-insensitive, whole words only)."""
    text = EMAIL.sub(EMAIL_MARK, text)
    text = USERNAME.sub(USERNAME_MARK, text)
    for number in phones(text):
        text = text.replace(number, PHONE_MARK)
    for mark, values in ((ORGANISATION_MARK, organisations), (NAME_MARK, names)):
        for pattern in _patterns(values):
            text = pattern.sub(mark, text)
    return text


def _patterns(values: Iterable[str]) -> list[re.Pattern[str]]:
    """Whole values first, then their words, longest first, so 'Alice Andersen' becomes
    one mark rather than two."""
    terms: set[str] = set()
    for value in values:
        value = " ".join(value.split())
        if not value:
            continue
        terms.add(value)
        terms.update(
            word
            for word in re.findall(r"[^\W_][\w'’.-]*[^\W_]|[^\W_]", value)
            if len(word) >= 2 and word.casefold() not in _KEEP
        )
    ordered = sorted(terms, key=len, reverse=True)
    return [re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE) for term in ordered]
