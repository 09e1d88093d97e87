"""rank-bm25's BM25Okapi with Lucene's IDF, and the term postings an Index keeps
(bot/answering/retrieval.py explains why). Imported only to build an index: it pulls in
rank-bm25, which imports multiprocessing. May import numpy and rank-bm25 only."""

from __future__ import annotations

import math
from itertools import chain
from typing import Any

import numpy as np
from rank_bm25 import BM25Okapi


class LuceneIdfBM25(BM25Okapi):  # type: ignore[misc]
    """BM25Okapi whose IDF never drops to zero or below (see module docstring)."""

    def __init__(self, corpus: list[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        super().__init__(corpus, k1=k1, b=b)
        # term_postings indexes doc_len with arrays of ids: keep it an array once.
        self.doc_len: Any = np.asarray(self.doc_len, dtype=np.float64)

    def _calc_idf(self, nd: dict[str, int]) -> None:
        n = self.corpus_size
        for word, freq in nd.items():
            self.idf[word] = math.log(1.0 + (n - freq + 0.5) / (freq + 0.5))

    def max_idf(self) -> float:
        """IDF of a term no document contains."""
        return math.log(1.0 + (self.corpus_size + 0.5) / 0.5)

    def term_postings(self) -> dict[str, tuple[Any, Any]]:
        """For each term: the documents containing it (ascending) and its contribution to
        each one's score, ``idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avgdl))``.

        The arithmetic is that of rank-bm25's ``get_batch_scores`` on the same operands,
        where a document without the term adds exactly 0.0, so summing the contributions
        of a query's terms in query order reproduces its scores exactly.
        """
        frequencies = self.doc_freqs
        terms = list(chain.from_iterable(frequencies))
        term_ids = {term: n for n, term in enumerate(dict.fromkeys(terms))}
        term_of = np.fromiter(map(term_ids.__getitem__, terms), dtype=np.intp, count=len(terms))
        del terms
        # Group the postings by term; the stable sort keeps each term's documents ascending.
        order = np.argsort(term_of, kind="stable")
        lengths = np.fromiter(map(len, frequencies), dtype=np.intp, count=len(frequencies))
        doc_ids = np.repeat(np.arange(len(frequencies), dtype=np.intp), lengths)[order]
        q_freq = np.fromiter(
            chain.from_iterable(f.values() for f in frequencies), dtype=np.int64, count=len(order)
        )[order]
        idf = np.array([self.idf.get(term) or 0 for term in term_ids], dtype=np.float64)
        idf_of = idf[term_of[order]]
        del order
        doc_len = self.doc_len[doc_ids]
        contribution = idf_of * (
            q_freq
            * (self.k1 + 1)
            / (q_freq + self.k1 * (1 - self.b + self.b * doc_len / self.avgdl))
        )
        del idf_of, q_freq, doc_len
        counts = np.bincount(term_of, minlength=len(term_ids))
        bounds = [0, *np.cumsum(counts).tolist()]
        return {
            term: (doc_ids[bounds[n] : bounds[n + 1]], contribution[bounds[n] : bounds[n + 1]])
            for term, n in term_ids.items()
        }
