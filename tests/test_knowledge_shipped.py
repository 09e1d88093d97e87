"""The shipped knowledge/ folder: valid, lint-clean and faithful to the 2011 source.

Bad content fails CI here: a curator's edit that invents a number, adds a link or an
e-mail address, drops the 2011 date from a figure, or confuses two entries.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.kb_lint import lint
from bot.knowledge import KnowledgeBase

SOURCE = (
    Path(__file__).resolve().parents[2] / "shared" / "source" / "mva-ambassador-boston-2011.txt"
)
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
LINK = re.compile(r"https?://|www\.|\b[\w.-]+\.(?:com|org|dk|se|net|io)\b", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")


def source_text() -> str:
    if SOURCE.exists():
        return SOURCE.read_text(encoding="utf-8")
    pytest.skip(f"source text not found at {SOURCE}")


def test_lint_has_no_errors(shipped_kb: KnowledgeBase) -> None:
    errors, _ = lint(shipped_kb)
    assert [str(e) for e in errors] == []


def test_every_number_in_an_answer_is_in_the_source(shipped_kb: KnowledgeBase) -> None:
    source_numbers = set(NUMBER.findall(source_text())) | {"2011"}
    # The article's date, 04.07.2011, appears in answers as "4 July 2011".
    source_numbers |= {"4"}
    for entry in shipped_kb:
        for number in NUMBER.findall(entry.answer):
            assert number in source_numbers, f"{entry.file}:{entry.answer_line}: {number}"


def test_figures_say_they_are_from_2011(shipped_kb: KnowledgeBase) -> None:
    for entry in shipped_kb:
        figures = [n for n in NUMBER.findall(entry.answer) if n not in ("2011", "4")]
        if figures:
            assert "2011" in entry.answer, f"{entry.file}:{entry.answer_line}: {entry.id}"


def test_no_links_emails_or_phone_numbers(shipped_kb: KnowledgeBase) -> None:
    texts = [(e.id, e.answer) for e in shipped_kb] + list(shipped_kb.messages.items())
    for key, text in texts:
        assert not LINK.search(text), key
        assert not EMAIL.search(text), key
        assert not PHONE.search(text), key


def test_every_entry_is_sourced_to_the_2011_article(shipped_kb: KnowledgeBase) -> None:
    title = "Boston-Cambridge, a Life Science Cluster that is Second to None"
    assert title in source_text()
    for entry in shipped_kb:
        assert entry.source.title == title and entry.source.date == "2011-07-04", entry.id


def test_names_in_answers_come_from_the_source(shipped_kb: KnowledgeBase) -> None:
    text = source_text()
    for name in ("Torsten Jepsen", "MassBio", "Medicon Valley", "Boston-Cambridge"):
        assert name in text
    # Capitalised words that are not sentence starts must occur in the source.
    # Words that are not names: the bot's own button labels quoted in answers, and MVA,
    # the acronym of the source's publisher.
    allowed = {"MVA", "I", "Investment", "Talk", "July"}
    known = text.casefold()
    for entry in shipped_kb:
        for match in re.finditer(r"(?<=[a-z,;:] )([A-Z][a-zA-Z-]+)", entry.answer):
            word = match.group(1)
            assert word.casefold() in known or word in allowed, f"{entry.id}: {word!r}"


def test_answers_fit_one_message_and_stay_short(shipped_kb: KnowledgeBase) -> None:
    for entry in shipped_kb:
        assert 0 < len(entry.answer) <= 900, entry.id


def test_every_source_fact_is_answerable(shipped_kb: KnowledgeBase) -> None:
    answers = " ".join(e.answer for e in shipped_kb)
    facts = [
        "Torsten Jepsen",
        "Boston-Cambridge",
        "venture capital",
        "Atlantic",
        "60",
        "480",
        "900",
        "10 percent",
        "18 percent",
        "27 percent",
        "16.5 percent",
        "8 percent",
        "1985",
        "600",
        "policy",
        "platform",
        "organisational",
        "cluster mapping report",
        "interview",
        "not-for-profit",
        "trade association",
        "best practices",
        "MassBio",
    ]
    missing = [f for f in facts if f.casefold() not in answers.casefold()]
    assert missing == []
