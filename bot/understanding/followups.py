"""Follow-ups: "and when was it founded?" read in the light of the previous answer.

The context is the last entry answered in the chat (and the question that led to it).
A question that names no subject but has a pronoun ("his background"), or is elliptic
("how many members?", "and before 2000?"), takes the subject of the previous entry:
its first term is added to the words that are searched and it becomes the subject
the question is read as asking about. An elliptic question that names another
subject but nothing to ask of it ("And Medicon Valley Alliance?") takes what the
previous question asked: its words and attributes, with the new subject.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.knowledge.model import Entry
from bot.knowledge.reading import ENGLISH_READING, ReadingRules
from bot.understanding.aboutness import ELSEWHERE, AboutnessReader, Reading

ELLIPTIC_MAX_CONTENT = 2  # content words of a follow-up that names no subject
SWAP_MAX_CONTENT = 3  # content words of one that names a new subject ("And MVA?")
SWAP_MAX_OWN = 1  # ... beside the subject's own words ("and for MassBio's part?")
# A follow-up naming a place the knowledge base knows, with more content words than this
# beside it, asks a question of its own ("and how many biotech companies are in Boston?").
PLACED_QUESTION_MIN_CONTENT = 3


_PATTERNS: dict[str, re.Pattern[str]] = {}


def asks_what_it_does(ws: Sequence[str], rules: ReadingRules = ENGLISH_READING) -> bool:
    """ "What does MassBio actually do?": a complete question, about activities, though
    every word of it but the subject is a stop word."""
    pattern = _PATTERNS.get(rules.what_it_does_pattern)
    if pattern is None:
        pattern = _PATTERNS[rules.what_it_does_pattern] = re.compile(rules.what_it_does_pattern)
    return bool(pattern.search(" ".join(ws)))


@dataclass(frozen=True)
class Context:
    """The previous answer of a conversation."""

    entry_id: str
    question: str = ""


@dataclass(frozen=True)
class Resolved:
    words: list[str]
    reading: Reading
    # "And Medicon Valley Alliance?", "and in Skåne?": the previous question asked of
    # another subject or place; the previous entry is held against it first.
    swapped: bool = False


def _asks_its_own(ws: Sequence[str], rules: ReadingRules) -> bool:
    """Whether a question word follows its openers: "And where is the ambassador
    located?" asks where, not the previous question of the ambassador ("And what about
    the ambassador?" opens with "and" and "what about" only)."""
    i, openers = 0, rules.ellipsis_openers
    while True:
        found = next((o for o in openers if tuple(ws[i : i + len(o)]) == o), None)
        if found is None:
            break
        i += len(found)
    if 0 < i < len(ws) - 1 and ws[i] in rules.prepositions:
        i += 1  # "And in which state is that area?": the question word after its preposition
    return 0 < i < len(ws) and ws[i] in rules.question_words


def resolve(
    ws: Sequence[str],
    reading: Reading,
    context_entry: Entry | None,
    context_words: Sequence[str],
    reader: AboutnessReader,
) -> Resolved:
    """``ws`` (read as ``reading``) resolved against the previous entry, if it is a
    follow-up; otherwise unchanged. Without context, "he" still means the ambassador,
    the only subject that pronoun can refer to. The reading vocabulary is the reader's."""
    rules = reader.rules
    ws = list(ws)
    opener = any(tuple(ws[: len(o)]) == o for o in rules.ellipsis_openers)
    content = [w for w in ws if w not in rules.function_words]
    elliptic = opener or len(content) <= ELLIPTIC_MAX_CONTENT
    if reading.named_subjects:
        naming = {i for _, start, end in reading.spans for i in range(start, end)}
        # "Och vad är hela namnet för MassBio?": words of its own beside the subject.
        own = [w for i, w in enumerate(ws) if w not in rules.function_words and i not in naming]
        if (
            context_entry is None
            or not opener
            or _asks_its_own(ws, rules)
            or reading.attributes
            or len(content) > SWAP_MAX_CONTENT
            or len(own) > SWAP_MAX_OWN
        ):
            return Resolved(ws, reading)
        # "And Medicon Valley Alliance?": ask the previous question of the new subject.
        previous = reader.read(context_words)
        merged = replace(
            reading,
            attributes=previous.attributes,
            years=reading.years | previous.years,
            now=reading.now + previous.now,
            now_terms=reading.now_terms + previous.now_terms,
        )
        return Resolved([*ws, *_without_subject(context_words, reader)], merged, swapped=True)
    if (
        context_entry is not None
        and not reading.pronouns
        and reading.known_places
        and len(content) > PLACED_QUESTION_MIN_CONTENT
    ):
        # "And how many biotech companies are there in Boston-Cambridge?" after MassBio's
        # full name: a question of its own, about the place it names.
        return Resolved(ws, reading)
    if (
        context_entry is not None
        and not reading.pronouns
        and not opener
        and not rules.there_words.isdisjoint(ws)
        and reader.names_another_topic(content, context_entry.id)
    ):
        # "how many biotech companies are there?" after where the ambassador is based:
        # there is the place, and the companies are asked of it, not of him.
        return Resolved(ws, reading)
    subject = _subject_for(reading, context_entry, reader)
    if subject is None or not (reading.pronouns or (context_entry is not None and elliptic)):
        return Resolved(ws, reading)
    term = reader.subjects[subject].terms[0]
    extra = rules.analyzer.words(term)
    if (
        len(content) <= 1
        and context_words
        and not asks_what_it_does(ws, rules)
        and not reading.attributes
        and not (context_entry and reader.names_another_topic(content, context_entry.id))
    ):
        # ... unless it asks something of its own ("also how many members", "and of
        # the research spending?").
        # Nothing to ask but a place or a pronoun ("and in Skåne?"): the previous question.
        extra += _without_subject(context_words, reader)
    swapped = opener and bool(reading.other_places) and not reading.attributes
    return Resolved(
        [*ws, *extra],
        # An unknown name stays against the match: "and in Helsingborg?"
        replace(reading, subjects=[subject, *(s for s in reading.subjects if s == ELSEWHERE)]),
        swapped=swapped and context_entry is not None,
    )


def _subject_for(
    reading: Reading, context_entry: Entry | None, reader: AboutnessReader
) -> str | None:
    candidates = context_entry.subjects if context_entry is not None else ()
    for pronoun in reading.pronouns:
        fitting = reader.subjects_of_pronoun(pronoun)
        for subject in candidates:
            if subject in fitting:
                return subject
        if context_entry is None and len(fitting) == 1:
            return fitting[0]
    if reading.pronouns or not candidates:
        return None
    return candidates[0]


def _without_subject(ws: Sequence[str], reader: AboutnessReader) -> list[str]:
    """The words of a question without the ones naming its subject or place."""
    function_words = reader.rules.function_words
    reading_free = [w for w in ws if w not in function_words]
    named = reader.read(reading_free)
    drop: set[str] = set()
    for subject_id in named.subjects:
        for term in reader.subjects[subject_id].terms:
            drop.update(reader.rules.analyzer.words(term))
    drop.update(w for p in named.known_places for w in p.split())  # as typed: folded
    return [w for w in reading_free if w not in drop]
