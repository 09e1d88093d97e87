"""BM25 retrieval: the IDF variant, candidate-only scoring and normalised confidence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from bot.answering import retrieval
from bot.answering.answerer import Answerer
from bot.answering.bm25 import LuceneIdfBM25
from bot.answering.evaluation import load_cases
from bot.answering.postings import ListPostings, Postings
from bot.answering.postings_arrays import ArrayPostings
from bot.answering.retrieval import Index, RetrievalSettings, _bm25_field
from bot.common.languages import Language
from bot.common.textnorm import Normaliser
from bot.knowledge.base import load_knowledge
from bot.knowledge.model import KnowledgeBase
from tests.support.kbfactory import write_kb

pytestmark = pytest.mark.unit

# Four tiny documents: "ambassador" is in three of them, "capital" in exactly half.
CORPUS = [
    ["ambassador", "boston"],
    ["ambassador", "massbio", "founded"],
    ["ambassador", "venture", "capital"],
    ["cluster", "companies", "capital"],
]


def test_okapi_silences_common_terms_but_our_idf_does_not() -> None:
    okapi = BM25Okapi(CORPUS)
    ours = LuceneIdfBM25(CORPUS)
    # The failure mode of rank-bm25 issues 29/39/43: a term in exactly half the
    # documents has an IDF of zero, so matching it scores nothing at all.
    assert okapi.idf["capital"] == 0
    assert not okapi.get_scores(["capital"]).any()
    assert ours.idf["capital"] > 0 and ours.idf["ambassador"] > 0
    assert ours.idf["ambassador"] < ours.idf["boston"]  # rarer still ranks higher
    scores = ours.get_scores(["ambassador"])
    assert scores[0] > 0 and scores[3] == 0


@pytest.mark.parametrize("postings_type", [ListPostings, ArrayPostings])
def test_candidate_scores_equal_full_scores(postings_type: type[Postings]) -> None:
    # The index scores only candidates, from contributions computed at build time; they
    # must be rank-bm25's own scores for those documents. Each document is an entry of
    # its own here, and answers weigh nothing.
    ours = LuceneIdfBM25(CORPUS)
    field, raw = _bm25_field(CORPUS, k1=ours.k1, b=ours.b)
    token_ids = {t: n for n, t in enumerate(field.idf)}
    uses = postings_type.entry_uses([set(d) for d in CORPUS], token_ids)  # type: ignore[attr-defined]
    postings = postings_type(raw, {}, range(len(CORPUS)), uses)  # type: ignore[call-arg]

    def shortlist(query: list[str], cap: int) -> list[tuple[int, float]]:
        return postings.shortlist(query, frozenset(), 1.0, 0.0, 10, cap)

    query = ["ambassador", "capital"]
    full = ours.get_scores(query)
    found = shortlist(query, cap=10)
    # Best first; "ambassador" + "capital" (document 2) before either alone.
    assert found[0][0] == 2
    assert sorted(doc for doc, _ in found) == [0, 1, 2, 3]
    assert np.allclose([score for _, score in found], full[[doc for doc, _ in found]])
    # "capital" (2 documents) nominates alone when "ambassador" (3) is over the cap.
    found = shortlist(query, cap=2)
    assert sorted(doc for doc, _ in found) == [2, 3]
    assert np.allclose([score for _, score in found], full[[doc for doc, _ in found]])
    assert shortlist(["unknown"], cap=10) == []
    assert postings.uses(1) == {token_ids[t] for t in CORPUS[1]}


def test_lists_and_arrays_give_the_same_hits_bit_for_bit(
    shipped_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small knowledge base keeps lists and a large one arrays; both must rank and
    score every eval question alike, in every language."""
    questions: dict[Language, list[str]] = {lang: [] for lang in Language}
    for path in sorted(Path("tests/eval").glob("*dev*.yaml")):  # not the test sets
        lang = next((lang for lang in Language if path.name.startswith(f"{lang.value}-")), None)
        questions[lang or Language.EN].extend(case.ask for case in load_cases(path))
    for lang, asked in questions.items():
        kb = shipped_kb.translated(lang)
        lists = Answerer(kb).index
        monkeypatch.setattr(retrieval, "LISTS_UP_TO", 0)
        arrays = Answerer(kb).index
        monkeypatch.undo()
        assert isinstance(lists._postings, ListPostings)
        assert isinstance(arrays._postings, ArrayPostings)
        assert len(asked) > 300
        for question in asked[::2]:
            assert lists.search(question, limit=10) == arrays.search(question, limit=10)


@pytest.fixture()
def index(tmp_path: Path) -> Index:
    kb = load_knowledge(write_kb(tmp_path))
    return Index(list(kb), Normaliser(kb.synonyms), RetrievalSettings())


def test_search_ranks_the_matching_entry_first(index: Index) -> None:
    hits = index.search("when was the massachusetts biotechnology council founded")
    assert hits[0].entry_id == "massbio-founded"
    assert hits[0].score > 0.6


def test_typos_are_tolerated(index: Index) -> None:
    assert index.search("who is torsen jepson")[0].entry_id == "ambassador-who"


def test_unknown_words_lower_confidence(index: Index) -> None:
    on_topic = index.search("biotech companies")[0]
    off_topic = index.search("biotech companies stock price dividend forecast")[0]
    assert on_topic.entry_id == off_topic.entry_id == "cluster-companies"
    assert off_topic.score < on_topic.score / 2


def test_no_match_gives_no_hits(index: Index) -> None:
    assert index.search("zebra giraffe") == []
    assert index.search("") == []


def test_answer_text_is_searchable_with_lower_weight(index: Index) -> None:
    # "1985" appears only in an answer; "founded" in a question.
    [from_answer] = [h for h in index.search("1985") if h.entry_id == "massbio-founded"]
    [from_question] = [h for h in index.search("founded") if h.entry_id == "massbio-founded"]
    weight = RetrievalSettings().answer_weight
    assert 0 < from_answer.relevance < from_question.relevance
    assert from_answer.relevance <= weight * 2


def test_the_services_of_a_long_running_front_keep_arrays(tmp_path: Path) -> None:
    """``ask`` starts on tuples (no numpy to import); the bot and the terminal chat answer
    many questions, each a tenth faster on numpy's arrays."""
    from bot.common.languages import Language
    from bot.operations.config import Settings
    from bot.operations.services import build_services

    settings = Settings(token="", staff_chat_id=-100700, data_dir=tmp_path / "data")
    answerers = build_services(settings).dialogue.answerers
    for lang in (Language.EN, Language.DA, Language.SV):
        assert isinstance(answerers.for_language(lang).index._postings, ArrayPostings)
    assert isinstance(Answerer(load_knowledge()).index._postings, ListPostings)
