"""Lengths as Telegram counts them: UTF-16 code units of the text after entity parsing.

Transport-neutral on purpose: the core (the contact form's limits, the staff card) must
guard the same lengths the Telegram adapter sends, and an emoji is two units, not one.
"""

from __future__ import annotations

MAX_MESSAGE = 4096  # a message's text
MAX_CAPTION = 1024  # a photo's or document's caption


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def utf16_prefix(text: str, limit: int) -> int:
    """The largest prefix length (in characters) whose UTF-16 length is <= ``limit``."""
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return i
    return len(text)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-16 units, with "…" where it was cut."""
    if utf16_len(text) <= limit:
        return text
    return text[: utf16_prefix(text, max(limit - 1, 0))].rstrip() + "…"
