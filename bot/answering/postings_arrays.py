"""An index's term postings and the BM25 shortlist of a search, kept in numpy arrays:
``ArrayPostings``, for a knowledge base of more than ``LISTS_UP_TO`` entries
(bot/answering/postings.py says why, and what both representations promise).

A search is a few vectorised additions over the query terms' postings; the tokens of
each entry are one flat array of ids (a set per entry would cost over 2 KiB each), and
only the entries searches shortlist are turned into sets, a bounded number of them kept.

May import numpy and bot.answering.postings.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from itertools import chain
from typing import Any

import numpy as np

from bot.answering.postings import RawPostings, nominating

# Shortlisted entries whose token sets are kept between searches (a bounded few MiB).
USES_KEPT = 2048

_NO_IDS = np.zeros(0, dtype=np.intp)
_NO_SCORES = np.zeros(0)


class ArrayPostings:
    """Postings and entry tokens as numpy arrays, for a large knowledge base."""

    @staticmethod
    def entry_uses(
        entry_tokens: Sequence[Collection[str]], token_ids: Mapping[str, int]
    ) -> tuple[Any, Any]:
        """As ``ListPostings.entry_uses``: here one flat array of token ids, entry after
        entry, and where each entry's start."""
        flat = np.fromiter(
            map(token_ids.__getitem__, chain.from_iterable(entry_tokens)),
            dtype=np.int32,
            count=sum(map(len, entry_tokens)),
        )
        return flat, np.cumsum([0, *map(len, entry_tokens)], dtype=np.int64)

    def __init__(
        self,
        phrasings: RawPostings,
        answers: RawPostings,
        owners: Sequence[int],
        uses: tuple[Any, Any],
    ) -> None:
        """As ``ListPostings``: ``owners`` never decrease; ``uses`` from ``entry_uses``."""
        self._phrasings = dict(phrasings)
        self._answers = dict(answers)
        self._owner = np.asarray(owners, dtype=np.intp)
        self._size = len(owners)
        self._entry_token_ids, self._entry_token_bounds = uses
        self._entries = len(self._entry_token_bounds) - 1
        self._uses: dict[int, frozenset[int]] = {}

    def uses(self, entry: int) -> frozenset[int]:
        # Kept for the entries searches shortlist most: building the set is most of a
        # shortlisted entry's cost.
        uses = self._uses.get(entry)
        if uses is None:
            start, end = self._entry_token_bounds[entry : entry + 2].tolist()
            uses = frozenset(self._entry_token_ids[start:end].tolist())
            if len(self._uses) >= USES_KEPT:
                self._uses.clear()
            self._uses[entry] = uses
        return uses

    def shortlist(
        self,
        query: Sequence[str],
        light: frozenset[str],
        factor: float,
        answer_weight: float,
        depth: int,
        cap: int,
    ) -> list[tuple[int, float]]:
        size = self._entries
        entry_scores = np.zeros(size)
        scored = np.zeros(size, dtype=bool)
        phrasing_ids, scores = _scores(self._phrasings, self._size, query, cap, light, factor)
        if len(phrasing_ids):
            owners = self._owner[phrasing_ids]  # ascending, since phrasing_ids are
            starts = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
            entries = owners[starts]
            entry_scores[entries] = np.maximum.reduceat(scores, starts)
            scored[entries] = True
        if answer_weight:
            answer_ids, answer_scores = _scores(
                self._answers, self._entries, query, cap, light, factor
            )
            if len(answer_ids):
                entry_scores[answer_ids] += answer_weight * answer_scores
                scored[answer_ids] = True
        candidates = np.flatnonzero(scored)
        if not len(candidates):
            return []
        negated = -entry_scores[candidates]
        if len(candidates) > depth:
            cut = np.partition(negated, depth - 1)[depth - 1]
            kept = np.flatnonzero(negated <= cut)
            candidates, negated = candidates[kept], negated[kept]
        order = np.argsort(negated, kind="stable")[:depth]
        return [
            (entry, -score)
            for entry, score in zip(
                candidates[order].tolist(), negated[order].tolist(), strict=True
            )
        ]


def _scores(
    postings: dict[str, tuple[Any, Any]],
    size: int,
    query: Sequence[str],
    cap: int,
    light: frozenset[str],
    factor: float,
) -> tuple[Any, Any]:
    """The candidate documents of one field (ascending ids) and their BM25 scores."""
    found = [(*postings[t], factor if t in light else 1.0) for t in query if t in postings]
    if not found:
        return _NO_IDS, _NO_SCORES
    selective = [found[n][0] for n in nominating([len(p[0]) for p in found], cap)]
    if len(selective) == 1:
        candidates = selective[0]
    else:
        mask = np.zeros(size, dtype=bool)
        for ids in selective:
            mask[ids] = True
        candidates = np.flatnonzero(mask)
    totals = np.zeros(size)
    for ids, contribution, weight in found:  # in query order, as rank-bm25 sums them
        totals[ids] += contribution if weight == 1.0 else weight * contribution
    return candidates, totals[candidates]
