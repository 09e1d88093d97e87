"""An index's term postings and the BM25 shortlist of a search, kept in Python tuples.

An ``Index`` (bot/answering/retrieval.py) keeps, for each of its two fields (the
phrasings and the answers), every term's documents and BM25 contributions, and the
tokens each entry uses. ``ListPostings`` keeps them as tuples and scores a query with
dictionary additions; ``ArrayPostings`` (bot/answering/postings_arrays.py) keeps numpy
arrays and scores with vectorised ones. Lists serve a knowledge base of up to
``LISTS_UP_TO`` entries (the shipped one has a few dozen): at that size adding up a
query's few hundred postings in Python costs little more than numpy's calls, and a
cached ``ask`` need not import numpy at all. Arrays serve a larger one, where a common
word's postings run to thousands of documents and where a tuple of Python floats would
cost several times an array's memory. A long-running front (``build_services``: the
Telegram bot, the terminal chat) asks for arrays whatever the size: it imports numpy
once, and arrays answer as fast at the shipped size and faster as the knowledge base
grows.

Both give the same shortlist, bit for bit: each document's score is the same float
additions in the same order (query order, as rank-bm25 sums them), an entry scores as
its best phrasing plus ``answer_weight`` times its answer's score, and the shortlist is
the best ``depth`` entries, ties in entry order. ``tests/test_retrieval_bm25.py`` checks
that on every eval question.

May import the standard library only.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from operator import itemgetter
from typing import Any, Protocol

# Up to this many entries an index keeps ListPostings; from one more, ArrayPostings.
# The trade (benchmarks/retrieval.py's queries, both kinds asked in turn in one process):
# at the shipped size lists cost Answerer.ask the same (median 0.67-0.68 ms either way),
# at 100 entries about 6% more and at 200 about 17% more; they save a one-off command
# such as ``ask`` importing numpy, about a third of its start.
LISTS_UP_TO = 100

# A field's postings as the build computes them (bot/answering/bm25.py): for each term,
# the documents containing it (ascending) and its contribution to each one's score,
# as two sequences (numpy arrays).
RawPostings = Mapping[str, tuple[Any, Any]]


class Postings(Protocol):
    """What an Index asks of its postings."""

    def shortlist(
        self,
        query: Sequence[str],
        light: frozenset[str],
        factor: float,
        answer_weight: float,
        depth: int,
        cap: int,
    ) -> list[tuple[int, float]]:
        """The best ``depth`` entries for ``query`` (distinct tokens, in query order) as
        (entry number, BM25 score), best first, ties in entry order; the terms in
        ``light`` count ``factor`` times. Candidates are the documents of the query's
        selective terms (in at most ``cap`` documents), or of its rarest term when none
        is selective; every query term still scores them."""
        ...

    def uses(self, entry: int) -> frozenset[int]:
        """The ids of the tokens entry number ``entry`` uses anywhere (questions, tags,
        answer)."""
        ...


def _as_lists(raw: RawPostings) -> dict[str, tuple[tuple[int, ...], tuple[float, ...]]]:
    return {
        term: (tuple(ids.tolist()), tuple(contributions.tolist()))
        for term, (ids, contributions) in raw.items()
    }


class ListPostings:
    """Postings and entry tokens as tuples, for a small knowledge base."""

    @staticmethod
    def entry_uses(
        entry_tokens: Sequence[Collection[str]], token_ids: Mapping[str, int]
    ) -> tuple[frozenset[int], ...]:
        """The tokens each entry uses (entry by entry), as their ids, kept as the
        constructor wants them (a build converts them before it computes the postings:
        at 20,000 entries the sets of words would add a third to its peak)."""
        return tuple(frozenset(map(token_ids.__getitem__, ts)) for ts in entry_tokens)

    def __init__(
        self,
        phrasings: RawPostings,
        answers: RawPostings,
        owners: Sequence[int],
        uses: tuple[frozenset[int], ...],
    ) -> None:
        """``owners``: the entry number of each phrasing, never decreasing; ``uses``:
        from ``entry_uses``."""
        self._phrasings = _as_lists(phrasings)
        self._answers = _as_lists(answers)
        self._owner = tuple(owners)
        self._uses = uses

    def uses(self, entry: int) -> frozenset[int]:
        return self._uses[entry]

    def shortlist(
        self,
        query: Sequence[str],
        light: frozenset[str],
        factor: float,
        answer_weight: float,
        depth: int,
        cap: int,
    ) -> list[tuple[int, float]]:
        entry_scores: dict[int, float] = {}
        owner = self._owner
        for doc, score in _scores(self._phrasings, query, cap, light, factor).items():
            entry = owner[doc]  # an entry scores as its best phrasing
            best = entry_scores.get(entry)
            if best is None or score > best:
                entry_scores[entry] = score
        if answer_weight:
            for entry, score in _scores(self._answers, query, cap, light, factor).items():
                entry_scores[entry] = entry_scores.get(entry, 0.0) + answer_weight * score
        # Best first, ties in entry order (a stable sort of entries in order).
        ranked = sorted(entry_scores.items())
        ranked.sort(key=itemgetter(1), reverse=True)
        return ranked[:depth]


def nominating(sizes: Sequence[int], cap: int) -> list[int]:
    """Which of a query's terms, by the numbers of documents they are in, nominate the
    candidates: those in at most ``cap`` documents, or else the rarest (the first of
    them). ``sizes`` is not empty."""
    chosen = [n for n, size in enumerate(sizes) if size <= cap]
    return chosen or [min(range(len(sizes)), key=sizes.__getitem__)]


def _scores(
    postings: Mapping[str, tuple[tuple[int, ...], tuple[float, ...]]],
    query: Sequence[str],
    cap: int,
    light: frozenset[str],
    factor: float,
) -> dict[int, float]:
    """The candidate documents of one field and their BM25 scores."""
    found = [(postings[t], factor if t in light else 1.0) for t in query if t in postings]
    totals: dict[int, float] = {}
    get = totals.get
    for (ids, contributions), weight in found:  # in query order, as rank-bm25 sums them
        if weight == 1.0:
            for doc, contribution in zip(ids, contributions, strict=True):
                totals[doc] = get(doc, 0.0) + contribution
        else:
            for doc, contribution in zip(ids, contributions, strict=True):
                totals[doc] = get(doc, 0.0) + weight * contribution
    if not found:
        return totals
    chosen = nominating([len(ids) for (ids, _), _ in found], cap)
    if len(chosen) == len(found):
        return totals  # every document of every term is a candidate
    return {doc: totals[doc] for n in chosen for doc in found[n][0][0]}
