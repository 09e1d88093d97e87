"""Staff reports (bot/curation/staff_reports.py): the list of open tickets, the /stats numbers
and their text, and the /gaps report that groups similar unanswered or unhelpful
questions of the last 30 days."""

from __future__ import annotations

import time
from typing import Any

import pytest

from bot.common.textnorm import Normaliser
from bot.curation.staff_reports import (
    GAP_DAYS,
    Gap,
    gaps,
    gaps_text,
    open_tickets,
    stats,
    stats_text,
    ticket_line,
)
from bot.knowledge.base import KnowledgeBase
from bot.storage.contacts import ContactStore
from bot.storage.database import Storage
from bot.storage.tickets import Ticket

pytestmark = pytest.mark.unit

DAY = 86400.0


@pytest.fixture
def topics(shipped_kb: KnowledgeBase) -> dict[str, str]:
    return {t.id: t.label for t in shipped_kb.topics}


@pytest.fixture(scope="module")
def normaliser(shipped_kb: KnowledgeBase) -> Normaliser:
    return Normaliser(shipped_kb.synonyms)


def ask(
    storage: Storage,
    text: str,
    kind: str,
    *,
    user: int = 1,
    helpful: bool | None = None,
    age_days: float = 0.0,
) -> int:
    qid = storage.log_question(
        user_id=user,
        chat_id=user,
        text=text,
        kind=kind,
        entry_id="entry" if kind == "answer" else None,
        score=0.5,
        ts=time.time() - age_days * DAY,
    )
    if helpful is not None:
        assert storage.record_feedback(qid, user, helpful)
    return qid


def new_ticket(store: ContactStore, name: str = "Anna", **fields: Any) -> Ticket:
    base = {
        "user_id": 1,
        "chat_id": 1,
        "name": name,
        "organisation": "Novo Nordisk",
        "reply_via": "telegram",
        "topic": "massbio",
        "message": "Hello",
    }
    return store.create_ticket({**base, **fields})


def replied_after(store: ContactStore, ticket: Ticket, seconds: float, **changes: Any) -> None:
    store.update_ticket(ticket.id, first_reply_at=ticket.created_at + seconds, **changes)


# -- open tickets ------------------------------------------------------------------------


def test_open_tickets_lists_only_open_and_claimed(
    store: ContactStore, topics: dict[str, str]
) -> None:
    first = new_ticket(store, "Anna", organisation="Novo Nordisk", topic="massbio")
    second = new_ticket(store, "Bo", organisation="DTU", topic="press")
    third = new_ticket(store, "Cai", organisation="Lund", topic="policy")
    fourth = new_ticket(store, "Dea", organisation="none", topic="retired-topic")
    store.update_ticket(second.id, status="claimed", claimed_by="Birgit")
    store.update_ticket(third.id, status="resolved", claimed_by="Birgit", resolved_at=time.time())
    assert open_tickets(store, topics) == [
        f"{first.ref} [open] MassBio and membership — Anna · Novo Nordisk",
        f"{second.ref} [claimed (Birgit)] Press and media — Bo · DTU",
        f"{fourth.ref} [open] retired-topic — Dea · none",
    ]


def test_open_tickets_when_there_are_none(store: ContactStore, topics: dict[str, str]) -> None:
    assert open_tickets(store, topics) == []
    ticket = new_ticket(store)
    store.update_ticket(ticket.id, status="resolved")
    assert open_tickets(store, topics) == []


def test_ticket_line_keeps_the_text_as_is(store: ContactStore, topics: dict[str, str]) -> None:
    ticket = new_ticket(store, "<b>x</b> & <3", organisation="'; DROP TABLE tickets; --")
    line = ticket_line(ticket, topics)
    assert (
        line == "#A-0001 [open] MassBio and membership — <b>x</b> & <3 · '; DROP TABLE tickets; --"
    )


# -- stats -------------------------------------------------------------------------------


def fill_stats(storage: Storage, store: ContactStore) -> None:
    for i in range(4):
        ask(storage, f"answered {i}", "answer", user=i + 1, helpful=[True, True, False, None][i])
    for i in range(3):
        ask(storage, f"unknown {i}", "fallback")
    ask(storage, "ambiguous", "ambiguous")
    ask(storage, "hello", "greeting")
    ask(storage, "thanks", "greeting")
    storage.mark_blocked(99)
    open_one = new_ticket(store)
    claimed = new_ticket(store)
    resolved = new_ticket(store)
    new_ticket(store)  # open, never replied to
    replied_after(store, open_one, 60)  # answered but still open
    replied_after(store, claimed, 120, status="claimed", claimed_by="Birgit")
    replied_after(store, resolved, 600, status="resolved", resolved_at=time.time())


def test_stats_numbers_add_up(storage: Storage, store: ContactStore) -> None:
    fill_stats(storage, store)
    numbers = stats(storage, store)
    assert numbers["questions"] == 10
    assert numbers["by_kind"] == {"answer": 4, "fallback": 3, "ambiguous": 1, "greeting": 2}
    assert sum(numbers["by_kind"].values()) == numbers["questions"]
    assert numbers["answered_share"] == pytest.approx(0.4)
    assert numbers["feedback"] == 3
    assert numbers["helpful"] == 2
    assert numbers["tickets"] == {"open": 2, "claimed": 1, "resolved": 1}
    assert numbers["median_first_reply_seconds"] == pytest.approx(120, abs=0.01)
    assert numbers["blocked_users"] == 1


def test_stats_median_of_an_even_number_of_replies(storage: Storage, store: ContactStore) -> None:
    for seconds in (60, 120, 600, 900):
        replied_after(store, new_ticket(store), seconds)
    numbers = stats(storage, store)
    assert numbers["median_first_reply_seconds"] == pytest.approx(360, abs=0.01)
    assert numbers["tickets"] == {"open": 4}


def test_stats_text_mentions_the_numbers(storage: Storage, store: ContactStore) -> None:
    fill_stats(storage, store)
    assert stats_text(stats(storage, store)).splitlines() == [
        "Questions: 10 (40% answered from the knowledge base)",
        "Feedback: 2 helpful of 3",
        "Tickets: 1 claimed, 2 open, 1 resolved",
        "Median time to first staff reply: 2 min",
        "Users who blocked the bot: 1",
    ]


def test_stats_of_an_empty_database(storage: Storage, store: ContactStore) -> None:
    numbers = stats(storage, store)
    assert numbers["questions"] == 0
    assert numbers["answered_share"] == 0.0
    assert numbers["by_kind"] == {}
    assert (numbers["feedback"], numbers["helpful"]) == (0, 0)
    assert numbers["tickets"] == {}
    assert numbers["median_first_reply_seconds"] is None
    assert numbers["blocked_users"] == 0
    assert stats_text(numbers).splitlines() == [
        "Questions: 0 (0% answered from the knowledge base)",
        "Feedback: 0 helpful of 0",
        "Tickets: none",
        "Median time to first staff reply: no replies yet",
        "Users who blocked the bot: 0",
    ]


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0 s"),
        (45, "45 s"),
        (89, "89 s"),
        (90, "2 min"),
        (600, "10 min"),
        (5399, "90 min"),
        (5400, "1.5 h"),
        (7200, "2.0 h"),
        (3 * 86400, "72.0 h"),
    ],
)
def test_stats_text_reply_time_units(seconds: float, shown: str) -> None:
    numbers: dict[str, object] = {
        "questions": 3,
        "answered_share": 2 / 3,
        "feedback": 1,
        "helpful": 1,
        "tickets": {"resolved": 1},
        "median_first_reply_seconds": seconds,
        "blocked_users": 0,
    }
    lines = stats_text(numbers).splitlines()
    assert lines[0] == "Questions: 3 (67% answered from the knowledge base)"
    assert lines[2] == "Tickets: 1 resolved"
    assert lines[3] == f"Median time to first staff reply: {shown}"


# -- gaps --------------------------------------------------------------------------------

MEMBERSHIP = [
    "How much does membership cost?",
    "how much is the membership fee",
    "How much does a membership cost",
]


def test_gaps_groups_similar_unanswered_questions(storage: Storage, normaliser: Normaliser) -> None:
    ask(storage, MEMBERSHIP[0], "fallback", user=1)
    ask(storage, "Can I bring my dog?", "fallback", user=2)
    ask(storage, MEMBERSHIP[1], "fallback", user=3)
    ask(storage, "Where is the office in Boston?", "answer", user=4, helpful=False)
    ask(storage, MEMBERSHIP[2], "fallback", user=5)
    # Not gaps: answered and helpful, answered without feedback, ambiguous, greetings.
    ask(storage, MEMBERSHIP[0], "answer", user=6, helpful=True)
    ask(storage, "What does the ambassador do?", "answer", user=7, helpful=True)
    ask(storage, "Who is Torsten Jepsen?", "answer", user=8)
    ask(storage, "How much does the membership cost", "ambiguous", user=9)
    ask(storage, "hello", "greeting", user=10)
    # Too old.
    ask(storage, MEMBERSHIP[0], "fallback", user=11, age_days=GAP_DAYS + 1)
    ask(storage, "Is there parking at the office?", "fallback", user=12, age_days=GAP_DAYS + 5)

    found = gaps(storage, normaliser)
    assert [g.count for g in found] == [3, 1, 1]
    membership = found[0]
    assert membership.example == MEMBERSHIP[2]  # the newest of the group
    assert sorted([membership.example, *membership.others]) == sorted(MEMBERSHIP)
    assert {g.example for g in found[1:]} == {
        "Can I bring my dog?",
        "Where is the office in Boston?",
    }
    assert all(g.others == [] for g in found[1:])


def test_gaps_includes_questions_just_inside_the_window(
    storage: Storage, normaliser: Normaliser
) -> None:
    ask(storage, MEMBERSHIP[0], "fallback", age_days=GAP_DAYS - 1)
    ask(storage, MEMBERSHIP[1], "answer", helpful=False, age_days=GAP_DAYS - 0.5)
    found = gaps(storage, normaliser)
    assert [(g.count, g.example) for g in found] == [(2, MEMBERSHIP[1])]


def test_gaps_changing_feedback_to_helpful_removes_the_gap(
    storage: Storage, normaliser: Normaliser
) -> None:
    qid = ask(storage, "Where is the office in Boston?", "answer", helpful=False)
    assert [g.count for g in gaps(storage, normaliser)] == [1]
    assert storage.record_feedback(qid, 1, helpful=True)
    assert gaps(storage, normaliser) == []


def test_gaps_keeps_at_most_three_distinct_other_phrasings(
    storage: Storage, normaliser: Normaliser
) -> None:
    newest = "HOW MUCH does membership cost!!"
    # Logged oldest first; the report reads newest first.
    texts = [
        "how much does membership cost",
        MEMBERSHIP[1],
        MEMBERSHIP[2],
        newest,
        MEMBERSHIP[0],
        MEMBERSHIP[0],
        newest,
    ]
    for i, text in enumerate(texts):
        ask(storage, text, "fallback", user=i + 1)
    (gap,) = gaps(storage, normaliser)
    assert gap.count == len(texts)
    assert gap.example == newest
    assert gap.others == [MEMBERSHIP[0], MEMBERSHIP[2], MEMBERSHIP[1]]
    assert gap.example not in gap.others


def test_gaps_similarity_threshold(storage: Storage, normaliser: Normaliser) -> None:
    # {how, much, membership, cost} and {cost, membership}: Jaccard 2/4, at the threshold.
    ask(storage, "How much does membership cost?", "fallback")
    ask(storage, "cost of membership?", "fallback")
    assert [(g.count, g.example) for g in gaps(storage, normaliser)] == [(2, "cost of membership?")]
    # Below the threshold: {what, membership, cost} against {how, much, membership, cost}
    # is 2/5. Each question is compared with the newest one of a group, so this newest
    # question now takes "cost of membership?" (2/3) and leaves the first one alone.
    ask(storage, "What does membership cost", "fallback")
    assert [(g.count, g.example, g.others) for g in gaps(storage, normaliser)] == [
        (2, "What does membership cost", ["cost of membership?"]),
        (1, "How much does membership cost?", []),
    ]


def test_gaps_largest_groups_first_and_limited(storage: Storage, normaliser: Normaliser) -> None:
    ask(storage, "Can I bring my dog?", "fallback")
    for text in MEMBERSHIP:
        ask(storage, text, "fallback")
    ask(storage, "Is there parking at the office?", "fallback")
    ask(storage, "Is there parking near the office", "fallback")
    found = gaps(storage, normaliser)
    assert [g.count for g in found] == [3, 2, 1]
    assert [g.count for g in gaps(storage, normaliser, limit=2)] == [3, 2]


def test_gaps_skips_questions_erased_by_forget(storage: Storage, normaliser: Normaliser) -> None:
    ask(storage, "who wins the cup", "fallback", user=1)
    ask(storage, "who wins the cup", "fallback", user=2)
    storage.db.execute("UPDATE questions SET text = NULL, user_id = NULL WHERE user_id = 2")
    assert [(g.example, g.count) for g in gaps(storage, normaliser)] == [("who wins the cup", 1)]


def test_gaps_of_a_given_number_of_days(storage: Storage, normaliser: Normaliser) -> None:
    ask(storage, "who wins the cup", "fallback", age_days=5)
    assert gaps(storage, normaliser, days=4) == []
    assert [g.example for g in gaps(storage, normaliser, days=6)] == ["who wins the cup"]


def test_gaps_text(storage: Storage, normaliser: Normaliser) -> None:
    for text in MEMBERSHIP:
        ask(storage, text, "fallback")
    ask(storage, "Can I bring my dog?", "fallback")
    text = gaps_text(gaps(storage, normaliser))
    lines = text.splitlines()
    assert lines[0] == f"Unanswered or unhelpful questions, last {GAP_DAYS} days:"
    assert lines[1] == f"3× {MEMBERSHIP[2]}"
    assert sorted(lines[2:4]) == sorted(f"    also: {q}" for q in MEMBERSHIP[:2])
    assert lines[4] == "1× Can I bring my dog?"
    assert len(lines) == 5


def test_gaps_text_when_there_are_none(storage: Storage, normaliser: Normaliser) -> None:
    ask(storage, "What does the ambassador do?", "answer", helpful=True)
    assert gaps(storage, normaliser) == []
    assert gaps_text([]) == f"No unanswered or unhelpful questions in the last {GAP_DAYS} days."
    assert GAP_DAYS == 30


def test_gaps_text_of_given_gaps() -> None:
    text = gaps_text([Gap("a?", 2, ["b?"]), Gap("<c> & d", 1)])
    assert text.splitlines()[1:] == ["2× a?", "    also: b?", "1× <c> & d"]
