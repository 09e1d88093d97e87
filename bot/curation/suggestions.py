"""``kb suggest``: new alternates for entries, from what enquirers asked, and the gaps.

A question probably meant an entry when the enquirer, right after asking it, got that
entry's answer and did not rate it not helpful:

- by picking a "did you mean" choice (or the entry a near miss offered) within
  ``PICK_WINDOW`` seconds of an ambiguous or fallback reply to the question;
- by rephrasing within ``REPHRASE_WINDOW`` seconds (2 minutes) of a fallback.

Each question is suggested for the entry in the language it was answered in: a Danish
question under the entry's Danish alternates (knowledge/da/), never as an English one.
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

from bot.common.languages import LANGUAGE_NAMES, Language, language_of_code
from bot.common.scrubbing import scrub
from bot.common.textnorm import Normaliser
from bot.curation import staff_reports
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.reading import reading_rules
from bot.storage.curation import CurationStore, LogRow
from bot.storage.database import Storage

PICK_WINDOW = 30 * 60.0
REPHRASE_WINDOW = 120.0
DAY = 86400.0


@dataclass
class Suggestion:
    entry_id: str
    counts: Counter[str] = field(default_factory=Counter)
    lang: Language = Language.EN  # the language of the questions and of the entry


def meant(kb: KnowledgeBase, rows: Iterable[LogRow]) -> list[tuple[str, str, Language]]:
    """(question, entry id, language) for each logged question that probably meant the
    entry answered right after it (``rows`` in order per chat, as ``log_since`` gives
    them), in the language it was answered in."""
    found = []
    previous: LogRow | None = None
    for row in rows:
        asked, previous = previous, row
        if asked is None or asked.chat_id != row.chat_id:
            continue
        lang = language_of_code(row.language) or Language.EN
        entry = kb.translated(lang).entries.get(row.entry_id or "")
        if entry is None or row.kind != "answer" or row.helpful is False:
            continue
        waited = row.ts - asked.ts
        if row.text == entry.question:  # a button logs the entry's own question: a pick
            likely = asked.kind in ("ambiguous", "fallback") and waited <= PICK_WINDOW
        else:  # typed: a rephrasing
            likely = asked.kind == "fallback" and waited <= REPHRASE_WINDOW
        if likely and asked.language == row.language:
            found.append((asked.text, entry.id, lang))
    return found


def normaliser_of(kb: KnowledgeBase) -> Normaliser:
    """How ``kb``'s language reads a question: its synonyms, stemmer and stop words."""
    return Normaliser(kb.synonyms, reading_rules(kb).analyzer)


def suggestions(kb: KnowledgeBase, pairs: Iterable[tuple[str, str, Language]]) -> list[Suggestion]:
    """Per entry and language, the questions that are not its phrasings in that
    language yet, counted; most asked first, English before the other languages."""
    known: dict[Language, dict[str, set[frozenset[str]]]] = {}
    normalisers: dict[Language, Normaliser] = {}
    by_entry: dict[tuple[Language, str], Suggestion] = {}
    for question, entry_id, lang in pairs:
        if lang not in known:
            translated = kb.translated(lang)
            normalisers[lang] = normaliser_of(translated)
            known[lang] = {
                e.id: {frozenset(normalisers[lang].tokens(q)) for q in e.questions}
                for e in translated
            }
        tokens = frozenset(normalisers[lang].tokens(question))
        if not tokens or tokens in known[lang][entry_id]:
            continue
        found = by_entry.setdefault((lang, entry_id), Suggestion(entry_id, lang=lang))
        found.counts[" ".join(question.split())] += 1
    order = list(kb.languages)
    return sorted(
        by_entry.values(),
        key=lambda s: (order.index(s.lang), -sum(s.counts.values()), s.entry_id),
    )


def report(storage: Storage, kb: KnowledgeBase, days: int) -> str:
    """The whole ``kb suggest`` output."""
    curation = CurationStore(storage)
    people = curation.people()
    names = [name for name, _ in people]
    organisations = [organisation for _, organisation in people]

    def clean(text: str) -> str:
        return scrub(text, names, organisations)

    rows = curation.log_since(time.time() - days * DAY)
    pairs = [(clean(question), entry_id, lang) for question, entry_id, lang in meant(kb, rows)]
    lines = [
        f"# Suggested alternates from the conversation log of the last {days} days.",
        "# Nothing is applied: paste what fits under an entry's alternates, then run",
        "# python -m bot kb check.",
    ]
    found = suggestions(kb, pairs)
    if not found:
        lines.append("# No questions to suggest.")
    for suggestion in found:
        entry = kb.translated(suggestion.lang).entries[suggestion.entry_id]
        after = entry.question_lines[-1] if entry.question_lines else entry.line
        total = sum(suggestion.counts.values())
        label = "" if suggestion.lang is Language.EN else f" ({LANGUAGE_NAMES[suggestion.lang]})"
        lines += [
            "",
            f"# {entry.id}{label}: {total} question(s), alternates end at {entry.file}:{after}",
        ]
        for question, count in suggestion.counts.most_common():
            lines.append(f"      - {json.dumps(question, ensure_ascii=False)}  # asked {count}×")
    gaps = staff_reports.gaps(storage, normaliser_of(kb), days=days)
    lines += ["", f"# Questions no entry covers (unanswered or rated not helpful), {days} days:"]
    if not gaps:
        lines.append("# none")
    for gap in gaps:
        lines.append(f"# {gap.count}× {clean(gap.example)}")
        lines.extend(f"#     also: {clean(other)}" for other in gap.others)
    return "\n".join(lines)
