"""BM25 retrieval over the knowledge base entries.

Each phrasing of an entry (its question, each alternate, its tags) is a short document,
and an entry scores as its best phrasing; its answer text is a second, down-weighted
field. Scoring uses rank-bm25's BM25Okapi with the IDF replaced
by Lucene's ``log(1 + (N - df + 0.5) / (df + 0.5))``: Okapi's own IDF is zero or
negative for a term in half or more of the documents (rank-bm25 issues 29, 39, 43),
which on a knowledge base of a few dozen entries silences words such as "ambassador".
Lucene's form is always positive and still ranks rare terms higher.

Only candidate documents (those sharing at least one token with the query, found
through an inverted index) are scored, so a query costs time in proportion to its
matches rather than to the size of the knowledge base. Each posting stores the term's
BM25 contribution to its document, computed at build time with the very expression
rank-bm25 evaluates per query, so a search is a few vectorised additions and returns
the same scores, bit for bit, when every query term weighs 1; question words ("what",
"how many") weigh ``question_word_weight``, since they tell entries apart less than
content words.

The confidence of a hit blends two shares of the query's IDF mass (where a token the
knowledge base never uses counts with a multiple of the largest possible IDF): the
share the entry covers anywhere, weighing each token by how few entries use it, and
its BM25 score divided by that mass. "weather in boston" thus scores low even though
"boston" matches well.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.common.textnorm import Normaliser
from bot.knowledge.model import Entry
from bot.understanding.compounds import Decompounder
from bot.understanding.spelling import Speller, english_count


class _Field:
    """One BM25 field's IDF and term postings; the BM25 object itself is not kept."""

    def __init__(self, docs: list[list[str]], k1: float, b: float) -> None:
        # Only a build needs rank-bm25 (and the multiprocessing it imports): an Answerer
        # read from the cache keeps the postings, not the BM25 object.
        from bot.answering.bm25 import LuceneIdfBM25

        bm25 = LuceneIdfBM25(docs, k1=k1, b=b)
        self.size: int = bm25.corpus_size
        self.idf: dict[str, float] = bm25.idf
        self.max_idf = bm25.max_idf()
        self.postings = bm25.term_postings()

    def scores(
        self,
        query: Sequence[str],
        cap: int,
        light: frozenset[str] = frozenset(),
        factor: float = 1.0,
    ) -> tuple[Any, Any]:
        """The candidate documents (ascending ids) and their BM25 scores for ``query``;
        the terms in ``light`` count ``factor`` times.

        Candidates are the documents of the query's selective terms (in at most ``cap``
        documents), or of its rarest term when none is selective; every query term
        still scores them.
        """
        found = [
            (*self.postings[t], factor if t in light else 1.0) for t in query if t in self.postings
        ]
        if not found:
            return _NO_IDS, _NO_SCORES
        selective = [p[0] for p in found if len(p[0]) <= cap] or [
            min(found, key=lambda p: len(p[0]))[0]
        ]
        if len(selective) == 1:
            candidates = selective[0]
        else:
            mask = np.zeros(self.size, dtype=bool)
            for ids in selective:
                mask[ids] = True
            candidates = np.flatnonzero(mask)
        totals = np.zeros(self.size)
        for ids, contribution, weight in found:  # in query order, as rank-bm25 sums them
            totals[ids] += contribution if weight == 1.0 else weight * contribution
        return candidates, totals[candidates]


_NO_IDS = np.zeros(0, dtype=np.intp)
_NO_SCORES = np.zeros(0)


RERANK_DEPTH = 10
# Shortlisted entries whose token sets are kept between searches (the whole of a small
# knowledge base; a bounded few MiB of a large one).
USES_KEPT = 2048
# Stems of question words, weighed by ``question_word_weight``.
QUESTION_TOKENS = frozenset("what how who when where why which whose mani much".split())


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
    unknown_weight: float = 1.0
    # Confidence blends the share of the query's IDF mass the entry covers anywhere
    # (questions, tags, answer) with the normalised BM25 score of its best phrasing.
    coverage_weight: float = 0.5
    # Coverage weighs tokens by entry-level IDF (how many entries use them) rather
    # than phrasing-level IDF.
    entry_idf_coverage: bool = True
    # Question words ("what", "how many") tell entries apart less than content words;
    # they count this many times a content word of the same IDF.
    question_word_weight: float = 0.5
    # A query word that only answers use weighs as a rare known word, not as unknown.
    answer_words_known: bool = True


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
        question_tokens: frozenset[str] = QUESTION_TOKENS,
        count_of: Callable[[str], int] = english_count,
        decompound: bool = False,
    ) -> None:
        """``question_tokens``: the language's stems of question words; ``count_of``: its
        word-frequency list, for spelling correction; ``decompound``: whether its
        compounds are read as their parts (Danish, Swedish)."""
        if not entries:
            raise ValueError("cannot index an empty knowledge base")
        self.settings = settings
        self.normaliser = normaliser
        self.question_tokens = question_tokens
        words = self._words = normaliser.analyzer.words
        self._ids = [e.id for e in entries]
        phrasing_docs: list[list[str]] = []
        owners: list[int] = []
        answer_docs: list[list[str]] = []
        vocabulary: set[str] = set(extra_vocabulary)
        if decompound:
            # Danish and Swedish compounds are indexed with their parts too ("biotekjob"):
            # the parts must be known first. (Word lists are not kept between the two
            # passes: at 20,000 entries they would double the peak memory of a build.)
            for entry in entries:
                for text in (*entry.questions, " ".join(entry.tags), entry.answer):
                    vocabulary.update(words(text))
        analyzer = normaliser.analyzer
        self.decompounder = Decompounder(vocabulary, analyzer.stem, decompound, analyzer.stop_words)
        expand = self.decompounder.document
        for n, entry in enumerate(entries):
            for text in (*entry.questions, " ".join(entry.tags)):
                ws = words(text)
                if not ws:
                    continue
                vocabulary.update(ws)
                phrasing_docs.append(normaliser.tokens_from_words(expand(ws), keep_parts=True))
                owners.append(n)
            answer_words = words(entry.answer)
            vocabulary.update(answer_words)
            answer_docs.append(normaliser.tokens_from_words(expand(answer_words), keep_parts=True))
        entry_tokens = [set(answer_docs[n]) for n in range(len(entries))]
        for doc, n in zip(phrasing_docs, owners, strict=True):
            entry_tokens[n].update(doc)
        # Coverage weighs a token by how few *entries* use it: "market capitalisation"
        # tells two entries from the rest, "proportion" (in many phrasings of six
        # entries) hardly any.
        entry_df: dict[str, int] = {}
        for tokens in entry_tokens:
            for t in tokens:
                entry_df[t] = entry_df.get(t, 0) + 1
        n_entries = len(entries)
        self._entry_idf = {
            t: math.log(1.0 + (n_entries - df + 0.5) / (df + 0.5)) for t, df in entry_df.items()
        }
        # The tokens of each entry, as ids into entry_df's order in one flat array (a set
        # per entry would cost over 2 KiB each); only the shortlist of a search reads them.
        token_ids = {t: n for n, t in enumerate(entry_df)}
        self._token_ids = token_ids
        self._entry_token_ids = np.fromiter(
            (token_ids[t] for tokens in entry_tokens for t in tokens),
            dtype=np.int32,
            count=sum(map(len, entry_tokens)),
        )
        self._entry_token_bounds = np.cumsum([0, *map(len, entry_tokens)], dtype=np.int64)
        self._uses: dict[int, frozenset[int]] = {}
        del entry_tokens
        self._entry_max_idf = math.log(1.0 + (n_entries + 0.5) / 0.5)
        self.speller = Speller(vocabulary, normaliser.analyzer, count_of)
        # Phrasings are appended entry by entry, so owners never decrease.
        self._owner = np.asarray(owners, dtype=np.intp)
        self._phrasings = _Field(phrasing_docs, settings.k1, settings.b)
        self._answers = _Field(answer_docs, settings.k1, settings.b)
        # A token in more documents than this does not nominate candidates by itself
        # (it still scores them): "what" would otherwise make every phrasing a candidate.
        self._candidate_cap = max(settings.candidate_cap, 1)

    def __len__(self) -> int:
        return len(self._ids)

    def _token_ids_of(self, entry: int) -> frozenset[int]:
        """The ids of the tokens entry number ``entry`` uses anywhere (questions, tags,
        answer)."""
        # Kept for the entries searches shortlist most: building the set is most of a
        # shortlisted entry's cost, and a small knowledge base fits in whole.
        uses = self._uses.get(entry)
        if uses is None:
            start, end = self._entry_token_bounds[entry : entry + 2].tolist()
            uses = frozenset(self._entry_token_ids[start:end].tolist())
            if len(self._uses) >= USES_KEPT:
                self._uses.clear()
            self._uses[entry] = uses
        return uses

    def query_tokens(self, text: str) -> list[str]:
        ws = self._words(text)
        ws = self.speller.correct(self.decompounder.query(ws, filter(self.speller.knows, ws)))
        return self.normaliser.tokens_from_words(ws)

    def search(self, text: str, limit: int = 3) -> list[Hit]:
        return self.search_tokens(self.query_tokens(text), limit)

    def search_tokens(
        self,
        tokens: Sequence[str],
        limit: int = 3,
        unknown_factors: Mapping[str, float] | None = None,
    ) -> list[Hit]:
        """The best ``limit`` entries for ``tokens``. ``unknown_factors`` scales the
        weight of tokens the knowledge base never uses (1.0 where absent)."""
        query = list(dict.fromkeys(tokens))  # a repeated word should not count twice
        if not query:
            return []
        size = len(self._ids)
        # An entry scores as its best phrasing plus the weighted score of its answer.
        entry_scores = np.zeros(size)
        scored = np.zeros(size, dtype=bool)
        light, factor = self.question_tokens, self.settings.question_word_weight
        phrasing_ids, scores = self._phrasings.scores(query, self._candidate_cap, light, factor)
        if len(phrasing_ids):
            owners = self._owner[phrasing_ids]  # ascending, since phrasing_ids are
            starts = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
            entries = owners[starts]
            entry_scores[entries] = np.maximum.reduceat(scores, starts)
            scored[entries] = True
        weight = self.settings.answer_weight
        if weight:
            answer_ids, answer_scores = self._answers.scores(
                query, self._candidate_cap, light, factor
            )
            if len(answer_ids):
                entry_scores[answer_ids] += weight * answer_scores
                scored[answer_ids] = True
        candidates = np.flatnonzero(scored)
        if not len(candidates):
            return []
        unknown = self._phrasings.max_idf * self.settings.unknown_weight
        factors = unknown_factors or {}
        # A word only an answer uses is known, and rare among the phrasings.
        in_answers = self._phrasings.max_idf if self.settings.answer_words_known else unknown
        weights = {
            t: self._phrasings.idf.get(
                t,
                in_answers if t in self._answers.idf else unknown * factors.get(t, 1.0),
            )
            * (factor if t in light else 1.0)
            for t in query
        }
        mass = sum(weights.values())
        if self.settings.entry_idf_coverage:
            unknown_entry = self._entry_max_idf * self.settings.unknown_weight
            cover_weights = {
                t: self._entry_idf.get(t, unknown_entry * factors.get(t, 1.0))
                * (factor if t in light else 1.0)
                for t in query
            }
        else:
            cover_weights = weights
        cover_mass = sum(cover_weights.values())
        # In query order, as the sums below always add them; a token no entry uses is None.
        cover_ids = [(self._token_ids.get(t), w) for t, w in cover_weights.items()]
        # BM25 nominates a shortlist (best score first, ties by entry order); the blended
        # confidence orders it.
        depth = max(limit, RERANK_DEPTH)
        negated = -entry_scores[candidates]
        if len(candidates) > depth:
            cut = np.partition(negated, depth - 1)[depth - 1]
            kept = np.flatnonzero(negated <= cut)
            candidates, negated = candidates[kept], negated[kept]
        order = np.argsort(negated, kind="stable")[:depth]
        alpha = self.settings.coverage_weight
        hits = []
        for i, negated_score in zip(
            candidates[order].tolist(), negated[order].tolist(), strict=True
        ):
            score = -negated_score
            if score <= 0:
                continue
            uses = self._token_ids_of(i)
            covered = sum(w for t, w in cover_ids if t in uses) / cover_mass
            relevance = score / mass
            hits.append(Hit(self._ids[i], alpha * covered + (1 - alpha) * relevance, relevance))
        hits.sort(key=lambda h: (-h.score, -h.relevance))
        return hits[:limit]
