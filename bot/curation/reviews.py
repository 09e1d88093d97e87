"""Review dates: which entries are due to have their facts checked again, and when staff
are told.

Every entry has a ``review_by`` date and an ``owner`` (its own, or inherited from its
source). ``kb check`` warns about past dates; on the first working day of each month the
bot posts the entries due within the next 30 days to the staff chat (through the outbox,
scheduled on PTB's JobQueue in bot/telegram/app.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.common.errors import KbIssue
from bot.knowledge.base import Entry, KnowledgeBase
from bot.storage.contacts import ContactStore
from bot.storage.curation import CurationStore
from bot.storage.outbox import Outgoing

NOTICE_DAYS = 30
# Days off everywhere the programme works, whatever the weekday.
HOLIDAYS = frozenset({(1, 1), (12, 25), (12, 26)})


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS


def is_first_working_day(day: date) -> bool:
    """Whether ``day`` is its month's first working day (Monday to Friday, not 1 January)."""
    first = day.replace(day=1)
    while not is_working_day(first):
        first += timedelta(days=1)
    return day == first


def overdue(kb: KnowledgeBase, today: date) -> list[KbIssue]:
    """A warning for each entry whose review date has passed."""
    return [
        KbIssue(e.file, e.review_line, f"entry {e.id} was due for review on {e.review_by}")
        for e in kb
        if e.review_by is not None and date.fromisoformat(e.review_by) < today
    ]


def due_within(kb: KnowledgeBase, today: date, days: int = NOTICE_DAYS) -> list[Entry]:
    """Entries due for review on or before ``days`` from ``today`` (overdue ones too),
    the earliest first."""
    until = today + timedelta(days=days)
    due = [e for e in kb if e.review_by is not None and date.fromisoformat(e.review_by) <= until]
    return sorted(due, key=lambda e: (e.review_by or "", e.id))


def notice_text(kb: KnowledgeBase, today: date, days: int = NOTICE_DAYS) -> str | None:
    """The staff chat's monthly message, or None when nothing is due."""
    due = due_within(kb, today, days)
    if not due:
        return None
    lines = []
    for entry in due:
        late = " (overdue)" if _past(entry, today) else ""
        lines.append(f"• {entry.id} ({entry.file}): due {entry.review_by}{late}, {entry.owner}")
    return kb.message("staff_review_due", count=len(due), days=days, entries="\n".join(lines))


def _past(entry: Entry, today: date) -> bool:
    return entry.review_by is not None and date.fromisoformat(entry.review_by) < today


def queue_notice(kb: KnowledgeBase, store: ContactStore, chat_id: int | None, today: date) -> bool:
    """On the first working day of a month, put the notice for the staff chat in the
    outbox, once per month however often this runs; True when it was queued."""
    if chat_id is None or not is_first_working_day(today):
        return False
    text = notice_text(kb, today)
    if text is None:
        return False
    with store.storage.transaction():
        if not CurationStore(store.storage).claim_review_notice(today.strftime("%Y-%m")):
            return False
        store.enqueue(Outgoing(chat_id, text))
    return True
