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
Telegram bot, the terminal chat) asks for arrays whatever the size: it answers many
questions, each a tenth faster on arrays, and imports numpy once.

Both give the same shortlist, bit for bit: each document's score is the same float
additions in the same order (query order, as rank-bm25 sums them), an entry scores as
its best phrasing plus ``answer_weight`` times its answer's score, and the shortlist is
the best ``depth`` entries, ties in entry order. ``tests/test_retrieval_bm25.py`` checks
that on every eval question.

May import the standard library only.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from itertools import repeat
from operator import add, itemgetter, mul
from typing import Any, Protocol

# Up to this many entries an index keeps ListPostings; from one more, ArrayPostings.
# The trade (benchmarks/retrieval.py's queries, both kinds asked in turn in one process):
# lists cost Answerer.ask about a tenth more at the shipped size (median 0.81 against
# 0.73 ms), a fifth at 100 entries and a quarter at 200, and save a one-off command such
# as ``ask`` importing numpy, about a third of its start.
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
        # Every loop below runs in C (map, zip, dict.update): a Python loop over the
        # postings would cost more than numpy's arrays even at this size.
        totals = _scores(self._phrasings, query, cap, light, factor)
        # An entry scores as its best phrasing: in ascending order of score, each entry's
        # last phrasing is its best.
        ordered = sorted(totals, key=totals.__getitem__)
        entry_scores = dict(
            zip(
                map(self._owner.__getitem__, ordered), map(totals.__getitem__, ordered), strict=True
            )
        )
        if answer_weight:
            totals = _scores(self._answers, query, cap, light, factor)
            entry_scores.update(
                zip(
                    totals,
                    map(
                        add,
                        map(entry_scores.get, totals, repeat(0.0)),
                        map(mul, repeat(answer_weight), totals.values()),
                    ),
                    strict=True,
                )
            )
        # Best first, ties in entry order (a stable sort of entries in order).
        best = sorted(entry_scores.items())
        best.sort(key=itemgetter(1), reverse=True)
        return best[:depth]


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
        weighed: Iterable[float] = (
            contributions if weight == 1.0 else map(mul, repeat(weight), contributions)
        )
        # totals[doc] += contribution for every posting (a term's documents are distinct).
        totals.update(zip(ids, map(add, map(get, ids, repeat(0.0)), weighed), strict=True))
    if not found or all(len(ids) <= cap for (ids, _), _ in found):
        return totals  # every document of every term is a candidate
    selective = [ids for (ids, _), _ in found if len(ids) <= cap] or [
        min((ids for (ids, _), _ in found), key=len)
    ]
    return {doc: totals[doc] for doc in set().union(*selective)}
