"""Sources as data, faithfulness equivalences, review dates and the monthly notice's day.

Small knowledge folders from tests/support/kbfactory.py; the shipped folder's checks are
in test_knowledge_shipped.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.answering.answerer import source_line
from bot.cli import main
from bot.common.errors import KnowledgeError
from bot.curation import reviews
from bot.curation.lint import lint
from bot.knowledge import faithfulness
from bot.knowledge.base import load_knowledge
from bot.knowledge.model import Source, SourceKind
from bot.knowledge.sources import parse_source, render_source
from tests.support.kbfactory import (
    DEFAULT_ENTRIES,
    SOURCE_HEADER,
    SOURCE_ID,
    SOURCE_TEXT,
    entry,
    source_file,
    write_kb,
)

pytestmark = pytest.mark.unit

ALTERNATES = ["first way to ask", "second way to ask", "third way to ask", "fourth way to ask"]


def kb_with(
    tmp_path: Path, answer: str, text: str = "", alternates: list[str] = ALTERNATES
) -> Path:
    """A folder whose one extra entry answers ``answer``; ``text`` is added to the source."""
    extra = entry("extra", "What is the extra fact?", alternates, answer)
    replace = {f"sources/{SOURCE_ID}.txt": source_file(text=SOURCE_TEXT + text)}
    return write_kb(tmp_path / "kb", [*DEFAULT_ENTRIES, extra], replace)


def problems(directory: Path) -> list[str]:
    return [issue.message for issue in faithfulness.check(load_knowledge(directory))]


def test_the_factory_folder_is_faithful(tmp_path: Path) -> None:
    kb = load_knowledge(write_kb(tmp_path / "kb"))
    assert faithfulness.check(kb) == []
    assert kb.entries["massbio-founded"].source.id == SOURCE_ID


@pytest.mark.parametrize(
    ("answer", "text"),
    [
        # The article's 04.07.2011, written out in the bot's languages and orders.
        ("The article dates from 4 July 2011.", "Published 04.07.2011."),
        ("Artiklen er fra 4. juli 2011.", "Published 04.07.2011."),
        ("Artikeln är från 4 juli 2011.", "Published 04.07.2011."),
        ("The article dates from July 4, 2011.", "Published 04.07.2011."),
        # The metadata date counts as the source's too.
        ("The article dates from 2011-07-04.", ""),
        # A percentage, a decimal comma, a thousands separator.
        ("It was 16.5 in 2011.", "It was 16.5 percent."),
        ("Det var 16,5 i 2011.", "It was 16.5 percent."),
        ("About 1,000 jobs in 2011.", "About 1000 jobs."),
        ("A growth of 60 percent in 2011.", "A growth of 60%."),
        # A name at the start of a sentence, a possessive, a hyphenated name.
        ("MassBio's members. Torsten Jepsen-Boston.", ""),
        # Skåne is in the source: a Unicode name read whole.
        ("He visited Skåne.", "He visited Skåne."),
    ],
)
def test_equivalent_forms_are_faithful(tmp_path: Path, answer: str, text: str) -> None:
    # Enquirers ask in the answer's language: its words are ordinary words of the
    # knowledge base, so one starting a sentence ("Det", "Artiklen") is no name.
    alternates = [*ALTERNATES, answer.casefold()]
    assert problems(kb_with(tmp_path, answer, text, alternates)) == []


@pytest.mark.parametrize(
    ("answer", "word"),
    [
        ("The article dates from 5 July 2011.", "'5 July 2011'"),
        ("Det var 16,6 i 2011.", "'16,6'"),
        ("Novo Nordisk is a member.", "'Novo'"),
        ("It is near the Øresund.", "'Øresund'"),
        ("He works with 12 companies.", "'12'"),
        ("Write to torsten@example.org in 2011.", "'torsten@example.org'"),
        ("See https://example.org/about.", "'https://example.org/about'"),
        ("Call 0045 1234 5678 in 2011.", "'0045 1234 5678'"),
    ],
)
def test_unfaithful_words_are_named(tmp_path: Path, answer: str, word: str) -> None:
    found = problems(kb_with(tmp_path, answer))
    assert any(word in message for message in found), found


def test_a_figure_without_its_year_and_with_it(tmp_path: Path) -> None:
    [message] = problems(kb_with(tmp_path, "Boston-Cambridge has more than 480 companies."))
    assert "figure '480' but does not say the year it is from (2011)" in message
    assert problems(kb_with(tmp_path / "b", "More than 480 companies (2011).")) == []
    # A year on its own is no figure.
    assert problems(kb_with(tmp_path / "c", "MassBio was founded in 1985.")) == []


def test_a_contact_detail_is_fine_when_the_source_has_it(tmp_path: Path) -> None:
    directory = kb_with(tmp_path, "Write to office@example.org.", "Write to office@example.org.")
    assert problems(directory) == []


def test_an_entry_may_cite_several_sources(tmp_path: Path) -> None:
    second = {**SOURCE_HEADER, "id": "second", "title": "Second", "date": "2012-01-02"}
    extra = entry(
        "extra",
        "What is the extra fact?",
        ALTERNATES,
        "MassBio has 700 members (2012).",
        source=[SOURCE_ID, "second"],
    )
    directory = write_kb(
        tmp_path / "kb",
        [*DEFAULT_ENTRIES, extra],
        {"sources/second.txt": source_file(second, "MassBio has 700 members.\n")},
    )
    kb = load_knowledge(directory)
    assert problems(directory) == []
    line = source_line(kb.entries["extra"])
    assert line == (
        "Source: “Test article”, Test publisher, 4 July 2011; "
        "“Second”, Test publisher, 2 January 2012"
    )


def test_source_files_are_validated_with_file_and_line(tmp_path: Path) -> None:
    bad_id = {**SOURCE_HEADER, "id": "other-name"}
    no_date = {k: v for k, v in SOURCE_HEADER.items() if k != "date"}
    staff_without_ticket = {**SOURCE_HEADER, "id": "staff", "kind": "staff"}
    directory = write_kb(
        tmp_path / "kb",
        replace={
            "sources/wrong.txt": source_file(bad_id),
            "sources/nodate.txt": source_file({**no_date, "id": "nodate"}),
            "sources/staff.txt": source_file(staff_without_ticket),
            "sources/plain.txt": "no front matter here\n",
            "sources/empty.txt": source_file({**SOURCE_HEADER, "id": "empty"}, text=""),
        },
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    messages = [str(issue) for issue in caught.value.issues]
    assert any("wrong.txt:2: id 'other-name' must be the file name 'wrong'" in m for m in messages)
    assert any("nodate.txt:2:" in m and "'date' is a required property" in m for m in messages)
    assert any("staff.txt:" in m and "'ticket' is a required property" in m for m in messages)
    assert any("plain.txt:1: a source file starts with a --- line" in m for m in messages)
    assert any("empty.txt:" in m and "has no text" in m for m in messages)


def test_a_source_file_round_trips_verbatim() -> None:
    text = "  Indented first line.\n\nLast line without a newline"
    source = Source(
        "Answer from the programme staff",
        "2026-12-01",
        id="staff-a-0001",
        kind=SourceKind.STAFF,
        ticket="#A-0001",
        staff="Bob",
        review_by="2027-12-01",
        owner="programme staff",
        text=text,
    )
    parsed, issues = parse_source(render_source(source), "staff-a-0001.txt", "staff-a-0001")
    assert issues == [] and parsed is not None
    assert parsed.text == text
    assert (parsed.kind, parsed.ticket, parsed.staff, parsed.date) == (
        SourceKind.STAFF,
        "#A-0001",
        "Bob",
        "2026-12-01",
    )


# -- review dates -----------------------------------------------------------------------


def test_review_by_is_inherited_from_the_source_or_set_on_the_entry(tmp_path: Path) -> None:
    own = entry(
        "own",
        "What is my own fact?",
        ALTERNATES,
        "MassBio.",
        review_by="2030-01-01",
        owner="curators",
    )
    kb = load_knowledge(write_kb(tmp_path / "kb", [*DEFAULT_ENTRIES, own]))
    assert (kb.entries["own"].review_by, kb.entries["own"].owner) == ("2030-01-01", "curators")
    inherited = kb.entries["massbio-founded"]
    assert (inherited.review_by, inherited.owner) == ("2099-01-01", "programme staff")


def test_an_entry_without_review_date_or_owner_is_refused(tmp_path: Path) -> None:
    header = {k: v for k, v in SOURCE_HEADER.items() if k not in ("review_by", "owner")}
    directory = write_kb(tmp_path / "kb", replace={f"sources/{SOURCE_ID}.txt": source_file(header)})
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    assert any(
        "entry 'massbio-founded' has no review_by and owner: set it on the entry" in str(issue)
        for issue in caught.value.issues
    )


def test_a_past_review_date_warns_and_strict_makes_it_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    late = entry("late", "What is the late fact?", ALTERNATES, "MassBio.", review_by="2020-03-01")
    directory = write_kb(tmp_path / "kb", [*DEFAULT_ENTRIES, late])
    errors, warnings = lint(load_knowledge(directory), today=date(2026, 12, 1))
    assert errors == []
    [warning] = [str(w) for w in warnings]
    line = next(
        i
        for i, text in enumerate((directory / "entries.yaml").read_text().split("\n"), 1)
        if "review_by: '2020-03-01'" in text
    )
    assert (
        warning
        == f"{directory / 'entries.yaml'}:{line}: entry late was due for review on 2020-03-01"
    )
    assert main(["kb", "check", str(directory)]) == 0
    out = capsys.readouterr().out
    assert f"warning: {warning}" in out
    assert main(["kb", "check", "--strict", str(directory)]) == 1
    assert f"error: {warning}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("day", "first"),
    [
        (date(2026, 12, 1), True),  # a Tuesday
        (date(2026, 12, 2), False),
        (date(2026, 11, 2), True),  # 1 November 2026 is a Sunday
        (date(2026, 11, 1), False),
        (date(2026, 8, 3), True),  # 1 August 2026 is a Saturday
        (date(2026, 8, 1), False),
        (date(2027, 1, 1), False),  # New Year's Day, a Friday
        (date(2027, 1, 4), True),  # the Monday after
        (date(2027, 2, 1), True),
        (date(2027, 3, 31), False),
    ],
)
def test_first_working_day_of_the_month(day: date, first: bool) -> None:
    assert reviews.is_first_working_day(day) is first


def test_the_notice_lists_entries_due_in_the_next_30_days(tmp_path: Path) -> None:
    soon = entry("soon", "What is the soon fact?", ALTERNATES, "MassBio.", review_by="2026-12-20")
    later = entry(
        "later", "What is the later fact?", ALTERNATES, "MassBio.", review_by="2027-02-01"
    )
    past = entry("past", "What is the past fact?", ALTERNATES, "MassBio.", review_by="2026-01-01")
    kb = load_knowledge(write_kb(tmp_path / "kb", [*DEFAULT_ENTRIES, soon, later, past]))
    today = date(2026, 12, 1)
    assert [e.id for e in reviews.due_within(kb, today)] == ["past", "soon"]
    text = reviews.notice_text(kb, today)
    assert text is not None
    assert "• past (" in text and "due 2026-01-01 (overdue), programme staff" in text
    assert "• soon (" in text and "later" not in text
    assert reviews.notice_text(kb, date(2025, 1, 1)) is None
