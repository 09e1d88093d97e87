"""``kb suggest``: new alternates for entries, from what enquirers asked, and the gaps.

A question probably meant an entry when the enquirer, right after asking it, got that
entry's answer and did not rate it not helpful:

- by picking a "did you mean" choice (or the entry a near miss offered) within
  ``PICK_WINDOW`` seconds of an ambiguous or fallback reply to the question;
- by rephrasing within ``REPHRASE_WINDOW`` seconds (2 minutes) of a fallback.

Questions already among the entry's phrasings are left out; the rest are counted and
printed as YAML ready to paste under the entry's ``alternates``, with the groups of
unanswered questions no entry covers (what /gaps shows). Nothing is applied. Texts are
scrubbed of e-mail addresses, phone numbers, @usernames and the names and
organisations of contact requests before they are printed; no id is printed.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.common.scrubbing import scrub
from bot.common.textnorm import Normaliser
from bot.curation import staff_reports
from bot.knowledge.base import KnowledgeBase
from bot.storage.curation import CurationStore, LogRow
from bot.storage.database import Storage

PICK_WINDOW = 30 * 60.0
REPHRASE_WINDOW = 120.0
DAY = 86400.0


@dataclass
class Suggestion:
    entry_id: str
    counts: Counter[str] = field(default_factory=Counter)


def meant(kb: KnowledgeBase, rows: Iterable[LogRow]) -> list[tuple[str, str]]:
    """(question, entry id) for each logged question that probably meant the entry
    answered right after it (``rows`` in order per chat, as ``log_since`` gives them)."""
    found = []
    previous: LogRow | None = None
    for row in rows:
        asked, previous = previous, row
        if asked is None or asked.chat_id != row.chat_id:
            continue
        entry = kb.entries.get(row.entry_id or "")
        if entry is None or row.kind != "answer" or row.helpful is False:
            continue
        waited = row.ts - asked.ts
        if row.text == entry.question:  # a button logs the entry's own question: a pick
            likely = asked.kind in ("ambiguous", "fallback") and waited <= PICK_WINDOW
        else:  # typed: a rephrasing
            likely = asked.kind == "fallback" and waited <= REPHRASE_WINDOW
        if likely:
            found.append((asked.text, entry.id))
    return found


def suggestions(
    kb: KnowledgeBase, normaliser: Normaliser, pairs: Iterable[tuple[str, str]]
) -> list[Suggestion]:
    """Per entry, the questions that are not its phrasings yet, counted; most asked
    entries first."""
    known = {e.id: {frozenset(normaliser.tokens(q)) for q in e.questions} for e in kb}
    by_entry: dict[str, Suggestion] = {}
    for question, entry_id in pairs:
        tokens = frozenset(normaliser.tokens(question))
        if not tokens or tokens in known[entry_id]:
            continue
        by_entry.setdefault(entry_id, Suggestion(entry_id)).counts[" ".join(question.split())] += 1
    return sorted(by_entry.values(), key=lambda s: (-sum(s.counts.values()), s.entry_id))


def report(storage: Storage, kb: KnowledgeBase, normaliser: Normaliser, days: int) -> str:
    """The whole ``kb suggest`` output."""
    curation = CurationStore(storage)
    people = curation.people()
    names = [name for name, _ in people]
    organisations = [organisation for _, organisation in people]

    def clean(text: str) -> str:
        return scrub(text, names, organisations)

    rows = curation.log_since(time.time() - days * DAY)
    pairs = [(clean(question), entry_id) for question, entry_id in meant(kb, rows)]
    lines = [
        f"# Suggested alternates from the conversation log of the last {days} days.",
        "# Nothing is applied: paste what fits under an entry's alternates, then run",
        "# python -m bot kb check.",
    ]
    found = suggestions(kb, normaliser, pairs)
    if not found:
        lines.append("# No questions to suggest.")
    for suggestion in found:
        entry = kb.entries[suggestion.entry_id]
        after = entry.question_lines[-1] if entry.question_lines else entry.line
        total = sum(suggestion.counts.values())
        lines += ["", f"# {entry.id}: {total} question(s), alternates end at {entry.file}:{after}"]
        for question, count in suggestion.counts.most_common():
            lines.append(f"      - {json.dumps(question, ensure_ascii=False)}  # asked {count}×")
    gaps = staff_reports.gaps(storage, normaliser, days=days)
    lines += ["", f"# Questions no entry covers (unanswered or rated not helpful), {days} days:"]
    if not gaps:
        lines.append("# none")
    for gap in gaps:
        lines.append(f"# {gap.count}× {clean(gap.example)}")
        lines.extend(f"#     also: {clean(other)}" for other in gap.others)
    return "\n".join(lines)
