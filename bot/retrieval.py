"""BM25 retrieval over the knowledge base entries.

Each entry is one document made of its questions and tags; its answer text is a
second, down-weighted field. Scoring uses rank-bm25's BM25Okapi with the IDF replaced
by Lucene's ``log(1 + (N - df + 0.5) / (df + 0.5))``: Okapi's own IDF is zero or
negative for a term in half or more of the documents (rank-bm25 issues 29, 39, 43),
which on a knowledge base of a few dozen entries silences words such as "ambassador".
Lucene's form is always positive and still ranks rare terms higher.

Only candidate documents (those sharing at least one token with the query, found
through an inverted index) are scored, so a query costs time in proportion to its
matches rather than to the size of the knowledge base.

Scores are normalised into a confidence: the raw score divided by the IDF mass of the
query's tokens, where a token the knowledge base never uses counts with the largest
possible IDF. "weather in boston" thus scores low even though "boston" matches well.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rank_bm25 import BM25Okapi

from bot.knowledge import Entry
from bot.spelling import Speller
from bot.textnorm import Normaliser, words


class LuceneIdfBM25(BM25Okapi):  # type: ignore[misc]
    """BM25Okapi whose IDF never drops to zero or below (see module docstring)."""

    def __init__(self, corpus: list[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        super().__init__(corpus, k1=k1, b=b)
        # get_batch_scores indexes doc_len with a list of ids: keep it an array once.
        self.doc_len: Any = np.asarray(self.doc_len, dtype=np.float64)

    def _calc_idf(self, nd: dict[str, int]) -> None:
        n = self.corpus_size
        for word, freq in nd.items():
            self.idf[word] = math.log(1.0 + (n - freq + 0.5) / (freq + 0.5))

    def max_idf(self) -> float:
        """IDF of a term no document contains."""
        return math.log(1.0 + (self.corpus_size + 0.5) / 0.5)

    def batch_scores(self, query: Sequence[str], doc_ids: Sequence[int]) -> Any:
        if not doc_ids:
            return np.zeros(0)
        return np.asarray(self.get_batch_scores(list(query), list(doc_ids)))


RERANK_DEPTH = 10


@dataclass(frozen=True)
class Hit:
    entry_id: str
    score: float  # confidence, about 0..1 (can exceed 1 slightly)
    relevance: float = 0.0  # the BM25 part alone, normalised by the query's IDF mass


@dataclass(frozen=True)
class RetrievalSettings:
    answer_weight: float = 0.2
    k1: float = 1.2
    b: float = 0.75
    candidate_cap: int = 5000
    # How much a query word the knowledge base never uses weighs, as a multiple of the
    # largest IDF: "copenhagen" in "how many biotech companies are in copenhagen".
    unknown_weight: float = 2.0
    # Confidence blends the share of the query's IDF mass the entry covers anywhere
    # (questions, tags, answer) with the normalised BM25 score of its best phrasing.
    coverage_weight: float = 0.5


class Index:
    """Searchable index of entries. Build once; ``search`` is read-only.

    Each phrasing of an entry (its question, every alternate, its tags) is a short
    document of its own, and an entry scores as its best phrasing: a query is judged
    against the closest way of asking, not against a blend of all of them, which keeps
    the confidence comparable across entries with few or many alternates.
    """

    def __init__(
        self,
        entries: Sequence[Entry],
        normaliser: Normaliser,
        settings: RetrievalSettings = RetrievalSettings(),
        extra_vocabulary: Iterable[str] = (),
    ) -> None:
        if not entries:
            raise ValueError("cannot index an empty knowledge base")
        self.settings = settings
        self.normaliser = normaliser
        self._ids = [e.id for e in entries]
        phrasing_docs: list[list[str]] = []
        owners: list[int] = []
        answer_docs: list[list[str]] = []
        vocabulary: set[str] = set(extra_vocabulary)
        for n, entry in enumerate(entries):
            for text in (*entry.questions, " ".join(entry.tags)):
                ws = words(text)
                if not ws:
                    continue
                vocabulary.update(ws)
                phrasing_docs.append(normaliser.tokens_from_words(ws, keep_parts=True))
                owners.append(n)
            answer_words = words(entry.answer)
            vocabulary.update(answer_words)
            answer_docs.append(normaliser.tokens_from_words(answer_words, keep_parts=True))
        self._entry_tokens = [set(answer_docs[n]) for n in range(len(entries))]
        for doc, n in zip(phrasing_docs, owners, strict=True):
            self._entry_tokens[n].update(doc)
        self.speller = Speller(vocabulary)
        self._owner = np.asarray(owners, dtype=np.intp)
        self._phrasings = LuceneIdfBM25(phrasing_docs, k1=settings.k1, b=settings.b)
        self._answers = LuceneIdfBM25(answer_docs, k1=settings.k1, b=settings.b)
        self._phrasing_postings = _postings(phrasing_docs)
        self._answer_postings = _postings(answer_docs)
        # A token in more documents than this does not nominate candidates by itself
        # (it still scores them): "what" would otherwise make every phrasing a candidate.
        self._candidate_cap = max(settings.candidate_cap, 1)

    def __len__(self) -> int:
        return len(self._ids)

    def query_tokens(self, text: str) -> list[str]:
        ws = self.speller.correct(words(text))
        return self.normaliser.tokens_from_words(ws)

    def search(self, text: str, limit: int = 3) -> list[Hit]:
        return self.search_tokens(self.query_tokens(text), limit)

    def search_tokens(self, tokens: Sequence[str], limit: int = 3) -> list[Hit]:
        query = list(dict.fromkeys(tokens))  # a repeated word should not count twice
        if not query:
            return []
        entry_scores: dict[int, float] = {}
        phrasing_ids = _candidates(query, self._phrasing_postings, self._candidate_cap)
        if phrasing_ids:
            scores = self._phrasings.batch_scores(query, phrasing_ids)
            owners = self._owner[phrasing_ids]
            order = np.argsort(scores, kind="stable")  # ascending: the best wins last
            for i in order:
                entry_scores[int(owners[i])] = float(scores[i])
        weight = self.settings.answer_weight
        if weight:
            answer_ids = _candidates(query, self._answer_postings, self._candidate_cap)
            if answer_ids:
                answer_scores = self._answers.batch_scores(query, answer_ids)
                for entry_index, score in zip(answer_ids, answer_scores, strict=True):
                    entry_scores[entry_index] = entry_scores.get(entry_index, 0.0) + weight * score
        if not entry_scores:
            return []
        unknown = self._phrasings.max_idf() * self.settings.unknown_weight
        weights = {t: self._phrasings.idf.get(t, unknown) for t in query}
        mass = sum(weights.values())
        # BM25 nominates a shortlist; the blended confidence orders it.
        shortlist = sorted(entry_scores.items(), key=lambda kv: (-kv[1], kv[0]))
        alpha = self.settings.coverage_weight
        hits = []
        for i, score in shortlist[: max(limit, RERANK_DEPTH)]:
            if score <= 0:
                continue
            covered = sum(w for t, w in weights.items() if t in self._entry_tokens[i]) / mass
            relevance = score / mass
            hits.append(Hit(self._ids[i], alpha * covered + (1 - alpha) * relevance, relevance))
        hits.sort(key=lambda h: (-h.score, -h.relevance))
        return hits[:limit]


def _postings(docs: list[list[str]]) -> dict[str, list[int]]:
    postings: dict[str, list[int]] = {}
    for i, doc in enumerate(docs):
        for token in set(doc):
            postings.setdefault(token, []).append(i)
    return postings


def _candidates(query: Sequence[str], postings: dict[str, list[int]], cap: int) -> list[int]:
    lists = [postings[t] for t in query if t in postings]
    if not lists:
        return []
    selective = [ids for ids in lists if len(ids) <= cap] or [min(lists, key=len)]
    found: set[int] = set()
    for ids in selective:
        found.update(ids)
    return sorted(found)
