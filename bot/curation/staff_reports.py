"""Reports for staff, as plain text: open tickets, one ticket, statistics, gaps.

Shared by the staff commands in Telegram (/open, /ticket, /stats, /gaps) and the
terminal (``python -m bot tickets``, ``python -m bot stats``).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

from bot.common.textnorm import Normaliser
from bot.storage.contacts import ContactStore
from bot.storage.database import Storage
from bot.storage.tickets import Ticket, TicketStatus

GAP_DAYS = 30
GAP_SIMILARITY = 0.5  # Jaccard of normalised token sets for "the same question"


ERASED = "(erased)"  # a field /forget or the retention purge emptied


def ticket_line(ticket: Ticket, topics: dict[str, str]) -> str:
    erased = ticket.erased_at is not None
    who = ERASED if erased else f"{ticket.name} · {ticket.organisation}"
    if ticket.status == "resolved" and ticket.closed_by_enquirer:
        status = "resolved (closed by the enquirer)"
    else:
        status = ticket.status + (f" ({ticket.claimed_by})" if ticket.claimed_by else "")
    return f"{ticket.ref} [{status}] {topics.get(ticket.topic, ticket.topic)} — {who}"


def ticket_message(ticket: Ticket, limit: int = 200) -> str:
    """The enquirer's message as one line for a listing, or "(erased)"."""
    if ticket.erased_at is not None:
        return ERASED
    return repr(ticket.message[:limit])


def open_tickets(store: ContactStore, topics: dict[str, str]) -> list[str]:
    return [
        ticket_line(t, topics) for t in store.tickets((TicketStatus.OPEN, TicketStatus.CLAIMED))
    ]


def stats(storage: Storage, store: ContactStore) -> dict[str, object]:
    """Numbers for /stats: questions, share answered, feedback, tickets, reply time."""
    counts = storage.counts()
    questions = int(counts["questions"])
    answered = int(counts["by_kind"].get("answer", 0))
    waits = store.first_reply_waits()
    return {
        "questions": questions,
        "answered_share": answered / questions if questions else 0.0,
        "by_kind": counts["by_kind"],
        "feedback": counts["feedback"],
        "helpful": counts["helpful"],
        "tickets": store.ticket_counts(),
        "median_first_reply_seconds": statistics.median(waits) if waits else None,
        "blocked_users": counts["blocked_users"],
    }


def stats_text(numbers: dict[str, object]) -> str:
    tickets = numbers["tickets"]
    assert isinstance(tickets, dict)
    median = numbers["median_first_reply_seconds"]
    wait = "no replies yet" if median is None else _duration(float(median))  # type: ignore[arg-type]
    share = float(numbers["answered_share"])  # type: ignore[arg-type]
    lines = [
        f"Questions: {numbers['questions']} ({share:.0%} answered from the knowledge base)",
        f"Feedback: {numbers['helpful']} helpful of {numbers['feedback']}",
        "Tickets: "
        + (", ".join(f"{n} {status}" for status, n in sorted(tickets.items())) or "none"),
        f"Median time to first staff reply: {wait}",
        f"Users who blocked the bot: {numbers['blocked_users']}",
    ]
    return "\n".join(lines)


@dataclass
class Gap:
    example: str
    count: int = 1
    others: list[str] = field(default_factory=list)


def gaps(
    storage: Storage, normaliser: Normaliser, limit: int = 10, days: int = GAP_DAYS
) -> list[Gap]:
    """Questions of the last ``days`` the bot could not answer (fallback) or whose answer
    was rated not helpful, grouped by similarity, largest groups first."""
    since = time.time() - days * 86400
    groups: list[tuple[frozenset[str], Gap]] = []
    for text in storage.unanswered_questions(since):
        tokens = frozenset(normaliser.tokens(text))
        for key, gap in groups:
            union = key | tokens
            if union and len(key & tokens) / len(union) >= GAP_SIMILARITY:
                gap.count += 1
                if len(gap.others) < 3 and text not in gap.others and text != gap.example:
                    gap.others.append(text)
                break
        else:
            groups.append((tokens, Gap(text)))
    ordered = sorted((gap for _, gap in groups), key=lambda g: -g.count)
    return ordered[:limit]


def gaps_text(found: list[Gap]) -> str:
    if not found:
        return f"No unanswered or unhelpful questions in the last {GAP_DAYS} days."
    lines = [f"Unanswered or unhelpful questions, last {GAP_DAYS} days:"]
    for gap in found:
        lines.append(f"{gap.count}× {gap.example}")
        lines.extend(f"    also: {other}" for other in gap.others)
    return "\n".join(lines)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
