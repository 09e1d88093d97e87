"""Which entry answers when the scores alone do not tell: no entry is confident, or
several are about as confident. What the question names (its subject and attributes,
read by ``bot.understanding.aboutness``) and the word it asks with ("who", "when")
choose the one entry that gives it, or none.

May import: bot.knowledge, bot.understanding, bot.answering.retrieval.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from bot.answering.retrieval import Hit
from bot.knowledge.model import Entry, KnowledgeBase
from bot.understanding.aboutness import ELSEWHERE, AboutnessReader, Reading

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
# Of entries that give what is asked, the narrowest is picked only among those at least
# this sure (a fraction of the best one's score).
NARROWEST_RATIO = 0.75


def _beyond(reading: Reading) -> bool:
    """Whether ``reading`` names what no entry's facts are of: another body or place, a
    year, the present."""
    return bool(
        ELSEWHERE in reading.subjects
        or reading.other_places
        or reading.years
        or reading.before
        or reading.now
    )


class WeakMatches:
    """Chooses among weak or tied hits by what a question names. ``typed``: the
    question words asking for a person, a place or a time."""

    def __init__(
        self,
        kb: KnowledgeBase,
        reader: AboutnessReader,
        words: Callable[[str], list[str]],
        typed: frozenset[str],
    ) -> None:
        self.kb, self.reader, self.words, self.typed = kb, reader, words, typed
        # The entries that give facts, by their main subject: what a subject and an
        # attribute alone may name.
        self._by_subject: dict[str, list[Entry]] = {}
        for entry in kb:
            if entry.subjects and not entry.not_in_source:
                self._by_subject.setdefault(entry.subjects[0], []).append(entry)

    def giving(self, subject: str, attributes: Iterable[str]) -> list[Entry]:
        """The entries about ``subject`` (their main one) giving every one of
        ``attributes``, none that exists to say the source does not hold it."""
        asked = set(attributes)
        return [e for e in self._by_subject.get(subject, ()) if asked <= set(e.attributes)]

    def given_alone(self, reading: Reading, hits: Sequence[Hit]) -> Hit | None:
        """The one entry a question names by its subject and attributes alone, when its
        words missed it ("Hvornår blev den organisation MassBio lavet": MassBio's
        founding, though "lavet" is no word of that entry's): among ``hits`` if there,
        else with no score."""
        subjects = reading.named_subjects
        if len(subjects) != 1 or not reading.attributes or _beyond(reading) or reading.future:
            return None
        found = [
            e
            for e in self.giving(subjects[0], reading.attributes)
            if self.reader.mismatch(reading, e) is None
        ]
        if len(found) != 1:
            return None
        entry_id = found[0].id
        return next((h for h in hits if h.entry_id == entry_id), Hit(entry_id, 0.0, 0.0))

    def named(self, reading: Reading, hits: Sequence[Hit], text: str, floor: float) -> Hit | None:
        """The one hit that gives most nearly what the question (``text``, read as
        ``reading``) names, a subject and attributes, when no entry is confident: "...
        but for the historical context I'd like to state the year the organisation was
        founded" among a long message's other words is still MassBio's founding. Without
        attributes, the one about a subject named whose own question asks with the word
        asked for a person, a place or a time ("... an ambassador in Boston, but
        couldn't remember his name. Who is it?"). ``floor``: the lowest score it may
        answer from."""
        if not reading.named_subjects or _beyond(reading) or not hits or hits[0].score < floor:
            return None
        entries, fits = self.kb.entries, self.reader.mismatch
        if not reading.attributes:
            # The word must open a sentence: "who picks up the tab", "when it comes to"
            # inside one ask nothing of the kind.
            opening = (self.words(s)[:1] for s in _SENTENCE_END.split(text))
            asked = next((ws[0] for ws in opening if ws and ws[0] in self.typed), None)
            if asked is None:
                return None
            by_type = [
                h
                for h in hits
                if h.score >= floor
                and entries[h.entry_id].subjects[0] in reading.named_subjects
                and self.opens_with(h.entry_id, asked)
                and fits(reading, entries[h.entry_id]) is None
            ]
            return by_type[0] if len(by_type) == 1 else None
        subject = reading.named_subjects[0]
        fitting = [
            h
            for h in hits
            if h.score >= floor
            and entries[h.entry_id].subjects[0] == subject
            and fits(reading, entries[h.entry_id]) is None
        ]
        # "hur mycket har sysselsättningen ... ökat per år": of those far less likely
        # than the best, none is narrower (the pipeline's new jobs are employment too).
        close = [h for h in fitting if h.score >= NARROWEST_RATIO * fitting[0].score]
        return self.narrowest(close)

    def narrowest(self, hits: Sequence[Hit]) -> Hit | None:
        """Of hits that all give what is asked, the one giving the fewest other
        attributes, if one does: "the policy level" is the policy level's entry, not
        the one about all three levels."""
        counts = [len(self.kb.entries[h.entry_id].attributes) for h in hits]
        if not counts or counts.count(min(counts)) != 1:
            return None
        return hits[counts.index(min(counts))]

    def of_the_asked_type(self, ws: Sequence[str], close: Sequence[Hit]) -> Hit | None:
        """Of entries about as confident, the one whose own question asks with the same
        word for a person, place or time ("who currently serves as the ambassador?": the
        entry asking who, not what "man on the ground" means)."""
        asked = next((w for w in ws if w in self.typed), None)
        if asked is None:
            return None
        same = [h for h in close if self.opens_with(h.entry_id, asked)]
        return same[0] if len(same) == 1 else None

    def opens_with(self, entry_id: str, word: str) -> bool:
        """Whether the own question of entry ``entry_id`` opens with ``word``."""
        return self.words(self.kb.entries[entry_id].question)[:1] == [word]
