"""Quality checks of a loaded knowledge base, beyond its schema (``kb check``).

Errors: answers not faithful to their sources (bot/knowledge/faithfulness.py), in every
language; translations missing, stale or differing from the English in figures or names
(bot/knowledge/stamps.py); two entries of one language sharing a question or nearly
sharing one (retrieval cannot tell them apart), answers too long for one Telegram
message, and answers quoting a button or topic label their language does not have.
Synonyms of two groups that stem alike are an error too.
Warnings: entries past their review date, entries with a curator's ``todo`` left (a
draft accepted from a staff answer), answers longer than a chat answer should be, and
alternates that repeat their own entry.
"""

from __future__ import annotations

import re
from datetime import date

from bot.answering.answerer import source_line
from bot.common.errors import KbIssue, KnowledgeError
from bot.common.languages import Language
from bot.common.textnorm import Normaliser
from bot.common.yamlfile import read_yaml
from bot.curation import reviews
from bot.knowledge import faithfulness, stamps
from bot.knowledge.base import Entry, KnowledgeBase
from bot.knowledge.parsing import display_name
from bot.knowledge.reading import ENGLISH_READING, ReadingRules, reading_issues, reading_rules
from bot.knowledge.schema import MIN_ALTERNATES

TELEGRAM_MAX = 4096
SHORT_ANSWER = 900
SYNONYMS_FILE = "synonyms.yaml"
NEAR_DUPLICATE = 0.8  # Jaccard similarity of normalised token sets
QUOTED = re.compile(r"[\"“]([^\"”]+)[\"”]")


def lint(kb: KnowledgeBase, today: date | None = None) -> tuple[list[KbIssue], list[KbIssue]]:
    """Return (errors, warnings) for ``kb`` in every language it is in; review dates are
    compared with ``today``."""
    english = kb.translated(Language.EN)
    translation_errors, translation_warnings = stamps.check(english)
    errors: list[KbIssue] = faithfulness.check_all(english) + translation_errors
    errors += reading_issues(english)  # each language's reading.yaml
    warnings: list[KbIssue] = reviews.overdue(english, today or date.today())
    warnings += translation_warnings
    warnings += [_todo_warning(entry) for entry in english if entry.todo is not None]
    for lang in english.languages:
        _lint_language(english, english.translated(lang), errors, warnings)
    return errors, warnings


def _rules(kb: KnowledgeBase) -> ReadingRules:
    """How ``kb``'s language reads (English's when its reading.yaml, reported on its
    own, cannot be read)."""
    try:
        return reading_rules(kb)
    except KnowledgeError:
        return ENGLISH_READING


def _lint_language(
    english: KnowledgeBase, kb: KnowledgeBase, errors: list[KbIssue], warnings: list[KbIssue]
) -> None:
    """Answer lengths and questions of ``kb``, one language; an entry it has not
    translated is the English one, checked there."""
    rules = _rules(kb)
    normaliser = Normaliser(kb.synonyms, rules.analyzer)
    entries = [e for e in kb if kb is english or e is not english.entries[e.id]]
    errors.extend(_unknown_labels(kb, entries))
    for entry in entries:
        length = len(entry.answer) + 2 + len(source_line(entry, rules))
        if length > TELEGRAM_MAX:
            errors.append(
                KbIssue(
                    entry.file,
                    entry.answer_line,
                    f"answer of {entry.id!r} is {length} "
                    f"characters with its source line; Telegram allows {TELEGRAM_MAX}",
                )
            )
        elif len(entry.answer) > SHORT_ANSWER:
            warnings.append(
                KbIssue(
                    entry.file,
                    entry.answer_line,
                    f"answer of {entry.id!r} is "
                    f"{len(entry.answer)} characters; chat answers should stay under "
                    f"{SHORT_ANSWER}",
                )
            )
    errors.extend(_stem_clashes(kb, rules))
    phrasings = [
        (entry, line, frozenset(normaliser.tokens(text)), text)
        for entry in entries
        for text, line in zip(entry.questions, _lines(entry), strict=True)
    ]
    seen_in_entry: set[tuple[str, frozenset[str]]] = set()
    for entry, line, tokens, text in phrasings:
        # A draft's seeded alternate repeats its question: its todo says so already.
        if (entry.id, tokens) in seen_in_entry and entry.todo is None:
            warnings.append(
                KbIssue(entry.file, line, f"{text!r} repeats another phrasing of {entry.id!r}")
            )
        seen_in_entry.add((entry.id, tokens))
    for i, j in _similar_pairs([tokens for _, _, tokens, _ in phrasings]):
        (e1, l1, t1, q1), (e2, l2, t2, q2) = phrasings[i], phrasings[j]
        if e1.id == e2.id:
            continue
        what = "the same question as" if t1 == t2 else "nearly the same question as"
        errors.append(
            KbIssue(e2.file, l2, f"{q2!r} ({e2.id}) is {what} {q1!r} ({e1.id}) at {e1.file}:{l1}")
        )


def _stem_clashes(kb: KnowledgeBase, rules: ReadingRules) -> list[KbIssue]:
    """Terms of two synonym groups that read as one once stemmed ("outfit" and
    "outfits"): a term may be in one group only, and the later group would take the
    earlier one's term. Groups of one word's forms ("company", "companies") stem to the
    same token and clash with nothing."""
    analyzer = rules.analyzer

    def stems(term: str) -> tuple[str, ...]:
        return tuple(analyzer.stem(w) for w in analyzer.words(term))

    canonical = [stems(group[0]) for group in kb.synonyms]
    seen: dict[tuple[str, ...], tuple[int, str]] = {}
    clashes: list[tuple[int, int, str]] = []
    for j, group in enumerate(kb.synonyms):
        for k, term in enumerate(group):
            first = seen.setdefault(stems(term), (j, term))
            if first[0] != j and canonical[first[0]] != canonical[j]:
                clashes.append(
                    (
                        j,
                        k,
                        f"synonym {term!r} ({group[0]!r}) reads as {first[1]!r} "
                        f"({kb.synonyms[first[0]][0]!r}) once stemmed: put them in one group",
                    )
                )
    if not clashes:
        return []
    # Read again for its lines only when there is something to point at.
    path = kb.directory / SYNONYMS_FILE
    parsed, _ = read_yaml(path, display_name(path))
    return [
        parsed.issue(("synonyms", j, k), message)
        if parsed is not None
        else KbIssue(display_name(path), 1, message)
        for j, k, message in clashes
    ]


def _similar_pairs(token_sets: list[frozenset[str]]) -> list[tuple[int, int]]:
    """The pairs (i, j), i < j, in order, of token sets that are the same, or nearly
    (Jaccard similarity >= NEAR_DUPLICATE, both of at least 3 tokens). Two sets whose
    sizes differ by more than that ratio cannot be that similar, so each set is held
    only against those of about its size: kb check stays fast with thousands of
    phrasings."""
    by_size = sorted((len(t), i) for i, t in enumerate(token_sets) if t)
    pairs: list[tuple[int, int]] = []
    for n, (size, i) in enumerate(by_size):
        t1 = token_sets[i]
        for other_size, j in by_size[n + 1 :]:
            if other_size * NEAR_DUPLICATE > size:
                break
            t2 = token_sets[j]
            if t1 == t2 or (size >= 3 and len(t1 & t2) / len(t1 | t2) >= NEAR_DUPLICATE):
                pairs.append((min(i, j), max(i, j)))
    return sorted(pairs)


def _unknown_labels(kb: KnowledgeBase, entries: list[Entry]) -> list[KbIssue]:
    """Answers quoting a button or topic label ("choose "Talk to a person"") that the
    language does not have: one that starts with an allowed name (the labels' words)."""
    labels = {text for key, text in kb.messages.items() if key.startswith("button_")}
    labels |= {topic.label for topic in kb.topics}
    lines = faithfulness.Lines()
    issues = []
    for entry in entries:
        for quoted in QUOTED.findall(entry.answer):
            first = quoted.split()[0] if quoted.split() else ""
            if first in kb.allowed_names and quoted not in labels:
                issues.append(
                    KbIssue(
                        entry.file,
                        lines.find(entry, first),
                        f"answer of {entry.id!r} quotes {quoted!r}, which is no button or "
                        f"topic label of the {kb.language_name} messages.yaml or routing.yaml",
                    )
                )
    return issues


def _lines(entry: Entry) -> tuple[int, ...]:
    if len(entry.question_lines) == len(entry.questions):
        return entry.question_lines
    return tuple(entry.line for _ in entry.questions)


def _todo_warning(entry: Entry) -> KbIssue:
    if len(entry.alternates) < MIN_ALTERNATES:
        message = (
            f"entry {entry.id} is a draft (TODO: {entry.todo}): it has "
            f"{len(entry.alternates)} alternate(s), write at least {MIN_ALTERNATES}"
        )
    else:
        message = f"entry {entry.id} has {len(entry.alternates)} alternates: remove its todo"
    return KbIssue(entry.file, entry.line, message)
