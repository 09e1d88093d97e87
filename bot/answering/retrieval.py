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
rank-bm25 evaluates per query, so a search only adds contributions up (the postings
live in bot/answering/postings.py: Python tuples for a small knowledge base, numpy
arrays for a large one) and returns rank-bm25's scores when every query term weighs 1;
question words ("what", "how many") weigh ``question_word_weight``, since they tell
entries apart less than content words.

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

from bot.answering.postings import LISTS_UP_TO, ListPostings, Postings, RawPostings
from bot.common.textnorm import Normaliser
from bot.knowledge.model import Entry
from bot.understanding.compounds import Decompounder
from bot.understanding.spelling import Speller, english_count


class _Field:
    """One BM25 field's IDF; its term postings are the index's ``Postings``."""

    def __init__(self, idf: dict[str, float], max_idf: float) -> None:
        self.idf = idf
        self.max_idf = max_idf


def _bm25_field(docs: list[list[str]], k1: float, b: float) -> tuple[_Field, RawPostings]:
    """A field's IDF and its term postings, computed by rank-bm25."""
    # Only a build needs rank-bm25 (and the multiprocessing and numpy it imports): an
    # Answerer read from the cache keeps the postings, not the BM25 object.
    from bot.answering.bm25 import LuceneIdfBM25

    bm25 = LuceneIdfBM25(docs, k1=k1, b=b)
    return _Field(bm25.idf, bm25.max_idf()), bm25.term_postings()


RERANK_DEPTH = 10
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
        arrays: bool | None = None,
    ) -> None:
        """``question_tokens``: the language's stems of question words; ``count_of``: its
        word-frequency list, for spelling correction; ``decompound``: whether its
        compounds are read as their parts (Danish, Swedish); ``arrays``: whether the
        postings are numpy arrays (None: with more than ``LISTS_UP_TO`` entries, see
        bot/answering/postings.py)."""
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
        # The tokens of each entry as ids into entry_df's order: only the shortlist of a
        # search reads them.
        token_ids = {t: n for n, t in enumerate(entry_df)}
        self._token_ids = token_ids
        # Each entry's tokens are kept as the postings want them before the postings are
        # computed: at 20,000 entries the sets of words would add a third to the peak.
        make: Callable[[RawPostings, RawPostings], Postings]
        if arrays if arrays is not None else n_entries > LISTS_UP_TO:
            from bot.answering.postings_arrays import ArrayPostings

            array_uses = ArrayPostings.entry_uses(entry_tokens, token_ids)
            make = lambda p, a: ArrayPostings(p, a, owners, array_uses)  # noqa: E731
        else:
            list_uses = ListPostings.entry_uses(entry_tokens, token_ids)
            make = lambda p, a: ListPostings(p, a, owners, list_uses)  # noqa: E731
        del entry_tokens
        self._entry_max_idf = math.log(1.0 + (n_entries + 0.5) / 0.5)
        self.speller = Speller(vocabulary, normaliser.analyzer, count_of)
        self._phrasings, phrasing_postings = _bm25_field(phrasing_docs, settings.k1, settings.b)
        self._answers, answer_postings = _bm25_field(answer_docs, settings.k1, settings.b)
        # Phrasings are appended entry by entry, so owners never decrease.
        self._postings = make(phrasing_postings, answer_postings)
        # A token in more documents than this does not nominate candidates by itself
        # (it still scores them): "what" would otherwise make every phrasing a candidate.
        self._candidate_cap = max(settings.candidate_cap, 1)

    def __len__(self) -> int:
        return len(self._ids)

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
        light, factor = self.question_tokens, self.settings.question_word_weight
        # BM25 nominates a shortlist (an entry scores as its best phrasing plus the
        # weighted score of its answer; best score first, ties by entry order); the
        # blended confidence orders it.
        shortlist = self._postings.shortlist(
            query,
            light,
            factor,
            self.settings.answer_weight,
            max(limit, RERANK_DEPTH),
            self._candidate_cap,
        )
        if not shortlist:
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
        alpha = self.settings.coverage_weight
        hits = []
        for i, score in shortlist:
            if score <= 0:
                continue
            uses = self._postings.uses(i)
            covered = sum(w for t, w in cover_ids if t in uses) / cover_mass
            relevance = score / mass
            hits.append(Hit(self._ids[i], alpha * covered + (1 - alpha) * relevance, relevance))
        hits.sort(key=lambda h: (-h.score, -h.relevance))
        return hits[:limit]
