"""The shipped knowledge/ folder: valid, lint-clean and faithful to the 2011 source.

Bad content fails CI here: a curator's edit that invents a number, a name or a date,
adds a link, an e-mail address or a phone number, drops the year from a figure, or
confuses two entries. The source ships in knowledge/sources/, so every check runs on a
fresh clone; the broken copies prove that ``kb check`` catches each kind of edit.
"""

from __future__ import annotations

import random
import shutil
from itertools import combinations
from pathlib import Path

import pytest

from bot.cli import main
from bot.common.errors import KnowledgeError
from bot.curation.lint import NEAR_DUPLICATE, _similar_pairs, lint
from bot.knowledge import faithfulness
from bot.knowledge.base import DEFAULT_KNOWLEDGE_DIR, KnowledgeBase, load_knowledge

pytestmark = pytest.mark.unit

SOURCE_ID = "mva-2011-boston"
QUOTE = "'"
TITLE = "Boston-Cambridge, a Life Science Cluster that is Second to None"


def test_lint_has_no_errors(shipped_kb: KnowledgeBase) -> None:
    errors, _ = lint(shipped_kb)
    assert [str(e) for e in errors] == []


def test_the_2011_article_ships_with_the_project(shipped_kb: KnowledgeBase) -> None:
    source = shipped_kb.sources[SOURCE_ID]
    assert (source.title, source.publisher, source.date) == (
        TITLE,
        "Medicon Valley Alliance",
        "2011-07-04",
    )
    assert source.text.startswith(TITLE)
    assert "Founded in 1985, MassBio represents over 600 biotechnology companies" in source.text
    assert source.text.endswith("Source: Medicon Valley Alliance, 04.07.2011")
    assert Path(source.file).name == f"{SOURCE_ID}.txt"


def test_every_entry_cites_the_2011_article(shipped_kb: KnowledgeBase) -> None:
    for entry in shipped_kb:
        assert [s.id for s in entry.sources] == [SOURCE_ID], entry.id


def test_every_entry_has_an_honest_review_date_and_an_owner(shipped_kb: KnowledgeBase) -> None:
    # 2011 facts were due to be checked again a year later; nobody has done so since.
    for entry in shipped_kb:
        assert entry.review_by == "2012-07-04" and entry.owner == "programme staff", entry.id


def test_the_shipped_answers_are_faithful_to_their_sources(shipped_kb: KnowledgeBase) -> None:
    assert [str(issue) for issue in faithfulness.check(shipped_kb)] == []


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge folder to break."""
    return Path(shutil.copytree(DEFAULT_KNOWLEDGE_DIR, tmp_path / "knowledge"))


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (once) in ``path``; return the line it was on."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def line_of(path: Path, word: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if word in line)


def errors_of(directory: Path) -> list[str]:
    errors, _ = lint(load_knowledge(directory))
    return [str(e) for e in errors]


def english_errors_of(directory: Path) -> list[str]:
    """The errors in the English files: an edited English answer also makes its
    translations stale (tests/test_knowledge_stamps.py)."""
    translations = tuple(str(directory / lang) for lang in ("da", "sv"))
    return [e for e in errors_of(directory) if not e.startswith(translations)]


@pytest.mark.parametrize(
    ("file", "old", "new", "word"),
    [
        # A number changed.
        ("massbio.yaml", "founded in 1985, according", "founded in 1986, according", "'1986'"),
        ("cluster.yaml", "more than 480\n", "more than 490\n", "'490'"),
        ("cluster.yaml", "growth\n      of 60% from", "growth\n      of 61% from", "'61'"),
        # A date the source does not have.
        ("cluster.yaml", "from 2000 to 2009. The", "from 2000 to 2010. The", "'2010'"),
        # A name the source does not give, within a sentence and at its start.
        (
            "cluster.yaml",
            "The article does not name individual institutions.",
            "Harvard is one of them.",
            "'Harvard'",
        ),
        (
            "cluster.yaml",
            "The article does not name individual institutions.",
            "They include Harvard University.",
            "'Harvard'",
        ),
        # Contact details no source has.
        (
            "massbio.yaml",
            "founded in 1985, according",
            "founded in 1985 (info@massbio.org), according",
            "'info@massbio.org'",
        ),
        (
            "massbio.yaml",
            "founded in 1985, according",
            "founded in 1985 (see www.massbio.org), according",
            "'www.massbio.org'",
        ),
        (
            "massbio.yaml",
            "founded in 1985, according",
            "founded in 1985 (call +1 617 674 5100), according",
            "'+1 617 674 5100'",
        ),
    ],
)
def test_kb_check_catches_an_unfaithful_answer_at_its_line(
    copy: Path, capsys: pytest.CaptureFixture[str], file: str, old: str, new: str, word: str
) -> None:
    edit(copy / file, old, new)
    found = [e for e in errors_of(copy) if word in e]
    assert found, errors_of(copy)
    # The line of the word inside the answer's block, not the line of "answer:".
    assert found[0].startswith(f"{copy / file}:{line_of(copy / file, word.strip(QUOTE))}:")
    assert main(["kb", "check", str(copy)]) == 1
    assert word in capsys.readouterr().out


def test_a_figure_must_say_its_year(copy: Path) -> None:
    edit(
        copy / "cluster.yaml",
        "According to MVA's 2011 article, Boston-Cambridge had more than 480\n"
        "      biotechnology companies (figure from 2011), with",
        "Boston-Cambridge had more than 480\n      biotechnology companies, with",
    )
    [error] = english_errors_of(copy)
    assert "has the figure '480' but does not say the year it is from (2011)" in error


def test_a_sourced_contact_detail_and_a_quoted_date_are_faithful(copy: Path) -> None:
    source = copy / "sources" / f"{SOURCE_ID}.txt"
    source.write_text(source.read_text() + "\nWrite to info@example.org.\n", encoding="utf-8")
    edit(
        copy / "massbio.yaml",
        "founded in 1985, according",
        "founded in 1985 (write to info@example.org; article of 4 July 2011), according",
    )
    assert english_errors_of(copy) == []


def test_an_unknown_source_is_refused_where_it_is_cited(copy: Path) -> None:
    path = copy / "massbio.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"source: {SOURCE_ID}", "source: mva-2012-boston", 1))
    line = text[: text.index(f"source: {SOURCE_ID}")].count("\n") + 1
    with pytest.raises(KnowledgeError, match=f"massbio.yaml:{line}: source 'mva-2012-boston'"):
        load_knowledge(copy)


def test_answers_fit_one_message_and_stay_short(shipped_kb: KnowledgeBase) -> None:
    for entry in shipped_kb:
        assert 0 < len(entry.answer) <= 900, entry.id


def test_every_source_fact_is_answerable(shipped_kb: KnowledgeBase) -> None:
    answers = " ".join(e.answer for e in shipped_kb)
    facts = [
        "Torsten Jepsen",
        "Boston-Cambridge",
        "venture capital",
        "Atlantic",
        "60",
        "480",
        "900",
        "10 percent",
        "18 percent",
        "27 percent",
        "16.5 percent",
        "8 percent",
        "1985",
        "600",
        "policy",
        "platform",
        "organizational",  # the source's word for the level
        "cluster mapping report",
        "interview",
        "not-for-profit",
        "trade association",
        "best practices",
        "MassBio",
    ]
    missing = [f for f in facts if f.casefold() not in answers.casefold()]
    assert missing == []


def test_a_sentence_start_is_found_as_the_pattern_finds_it() -> None:
    # starts_sentence looks back only as far as it must; SENTENCE_END over the whole
    # text before the word is what it stands for.
    rng = random.Random(20261201)
    for _ in range(20_000):
        text = "".join(rng.choice("ab .!?:\n\"“‘'( X") for _ in range(rng.randint(0, 12)))
        index = rng.randint(0, len(text))
        expected = bool(faithfulness.SENTENCE_END.search(text[:index]))
        assert faithfulness.starts_sentence(text, index) is expected, (text, index)


def test_near_duplicate_phrasings_are_every_pair_that_similar() -> None:
    rng = random.Random(7)
    for _ in range(200):
        sets = [frozenset(rng.sample("abcdefghij", rng.randint(0, 7))) for _ in range(30)]
        every_pair = [
            (i, j)
            for (i, t1), (j, t2) in combinations(enumerate(sets), 2)
            if t1
            and t2
            and (
                t1 == t2
                or (len(t1 & t2) / len(t1 | t2) >= NEAR_DUPLICATE and min(len(t1), len(t2)) >= 3)
            )
        ]
        assert _similar_pairs(sets) == every_pair


def test_kb_check_rejects_synonyms_of_two_groups_that_stem_alike(copy: Path) -> None:
    # "outfits" in the companies' group stems to "outfit" of the organisations' group:
    # the one group would silently take the other's word.
    edit(copy / "synonyms.yaml", "[companies, firms]", "[companies, firms, outfits]")
    [error] = [e for e in errors_of(copy) if "once stemmed" in e]
    # Where the later group's term stands.
    synonyms = copy / "synonyms.yaml"
    assert error.startswith(f"{synonyms}:{line_of(synonyms, 'organization, outfit')}:")
    assert "'outfit' ('organisation') reads as 'outfits' ('companies')" in error
    # Forms of one word in two groups ("company", "companies") stem to one token.
    assert not [e for e in errors_of(DEFAULT_KNOWLEDGE_DIR) if "once stemmed" in e]
