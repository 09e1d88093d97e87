"""Normalisation: Unicode, case, punctuation, stop words, stems, synonyms, typos."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.common.textnorm import Normaliser, clean, words
from bot.understanding.spelling import REAL_WORD_RATIO, Speller, max_edits

pytestmark = pytest.mark.unit

SYNONYMS = [
    ["massachusetts biotechnology council", "massbio", "mass bio"],
    ["venture capital", "vc"],
    ["united states", "usa", "us"],
    ["research and development", "r&d"],
]


def test_nfkc_casefold_and_invisible_characters() -> None:
    # Full-width letters, a ligature, a zero-width space and a right-to-left mark.
    assert clean("ＭａｓｓＢｉｏ ﬁrms\u200b\u200f") == "massbio firms"
    assert words("Who's Torsten\u200dJepsen?!") == ["who", "s", "torstenjepsen"]
    assert words("   ...  !!! ") == []


def test_stop_words_removed_and_words_stemmed() -> None:
    normaliser = Normaliser()
    assert normaliser.tokens("What are the investors investing in?") == [
        "what",
        "investor",
        "invest",
    ]


def test_synonyms_fold_acronyms_and_phrases_onto_one_token() -> None:
    normaliser = Normaliser(SYNONYMS)
    acronym = normaliser.tokens("MassBio")
    phrase = normaliser.tokens("the Massachusetts Biotechnology Council")
    assert acronym == ["syn:massachusett_biotechnolog_council"]
    assert phrase[0] == acronym[0]
    assert phrase == acronym
    # Documents keep a phrase's content words, so a partial mention still matches.
    assert "council" in normaliser.tokens("Massachusetts Biotechnology Council", keep_parts=True)
    assert normaliser.tokens("R&D spending")[0] == normaliser.tokens("research and development")[0]
    assert normaliser.tokens("VC")[0] == normaliser.tokens("venture capital")[0]


def test_pronoun_us_is_not_the_country() -> None:
    normaliser = Normaliser(SYNONYMS)
    assert normaliser.tokens("help us") == ["help"]
    assert normaliser.tokens("USA") == ["syn:unit_state"]


def test_speller_fixes_typos_of_known_words_only() -> None:
    speller = Speller(["torsten", "jepsen", "massbio", "capital", "ambassador", "weather"])
    assert speller.correct(["torsen", "jepson"]) == ["torsten", "jepsen"]
    assert speller.correct(["massboi"]) == ["massbio"]  # a transposition is one edit
    assert speller.correct(["ambasadors"]) == ["ambassador"]
    assert speller.correct(["capitol"]) == ["capital"]
    # Short words and unknown words stay as they are.
    assert speller.correct(["bio", "sport", "1985"]) == ["bio", "sport", "1985"]


def test_edit_budget_grows_with_word_length() -> None:
    assert [max_edits("x" * n) for n in (3, 4, 5, 7, 8, 12)] == [0, 0, 1, 1, 2, 2]


def test_ordinary_english_words_are_not_corrected_into_knowledge_base_words() -> None:
    from bot.understanding.spelling import Speller

    speller = Speller({"deadline", "night", "ambassador"})
    assert speller.correct_word("headline") == "headline"  # a word, not a typo
    assert speller.correct_word("right") == "right"
    assert speller.correct_word("ambasador") == "ambassador"  # a typo


def test_a_correction_is_the_one_the_whole_vocabulary_gives() -> None:
    # Only words of about the typo's length are compared: the same first-closest word.
    rng = random.Random(5)
    vocabulary = {
        "".join(rng.choice("abcdeilmnorst") for _ in range(rng.randint(3, 12))) for _ in range(3000)
    }
    speller = Speller(vocabulary, count_of=lambda word: 0)
    choices = sorted(vocabulary)
    for _ in range(2000):
        typo = "".join(rng.choice("abcdeilmnorst") for _ in range(rng.randint(5, 12)))
        if typo in vocabulary or not typo.isalpha():
            continue
        best = process.extractOne(typo, choices, scorer=OSA.distance, score_cutoff=max_edits(typo))
        if speller.knows(typo):
            continue
        assert speller.correct_word(typo) == (best[0] if best else typo), typo


def test_a_correction_of_a_common_word_is_the_one_the_whole_vocabulary_gives() -> None:
    # Typos one or two edits from known words, and typed words that are themselves
    # common: the shortcuts (one letter less, only the far more common words) give
    # what comparing the whole vocabulary gives.
    rng = random.Random(7)
    letters = "abcdeilmnorst"
    vocabulary = {
        "".join(rng.choice(letters) for _ in range(rng.randint(3, 12))) for _ in range(3000)
    }
    counts = {w: rng.choice([0, 0, 60, 500, 20_000]) for w in vocabulary}

    def count_of(word: str) -> int:
        return counts.get(word, sum(map(ord, word)) % 3 * 100)

    speller = Speller(vocabulary, count_of=count_of)
    choices = sorted(vocabulary)
    for _ in range(3000):
        typo = list(rng.choice(choices))
        for _ in range(rng.randint(1, 2)):
            i = rng.randrange(len(typo))
            edit = rng.choice(["drop", "swap", "change", "add"])
            if edit == "drop" and len(typo) > 1:
                del typo[i]
            elif edit == "swap" and i + 1 < len(typo):
                typo[i], typo[i + 1] = typo[i + 1], typo[i]
            elif edit == "change":
                typo[i] = rng.choice(letters)
            else:
                typo.insert(i, rng.choice(letters))
        word = "".join(typo)
        if word in vocabulary or speller.knows(word) or not max_edits(word):
            continue
        best = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=max_edits(word))
        typed = count_of(word)
        expected = word
        if best is not None and (not typed or count_of(best[0]) >= REAL_WORD_RATIO * typed):
            expected = best[0]
        assert speller.correct_word(word) == expected, word


def test_a_lazy_pattern_compiles_on_first_use_and_pickles_as_its_source() -> None:
    """A cached Answerer's long reading patterns are compiled when a message first needs
    them, not on every start."""
    import pickle
    import re

    from bot.common.patterns import LazyPattern

    def compiled(lazy: LazyPattern) -> re.Pattern[str] | None:
        return lazy._compiled

    pattern = LazyPattern(r",\s*(?:and|but)\s+", re.IGNORECASE)
    copy = pickle.loads(pickle.dumps(pattern))
    assert compiled(copy) is None
    assert copy.split("who is he, AND where is he") == ["who is he", "where is he"]
    assert copy.sub("; ", "a, but b") == "a; b"
    assert copy.search("no comma here") is None
    done = compiled(copy)
    assert done is not None and done.flags & re.IGNORECASE
    assert compiled(pickle.loads(pickle.dumps(copy))) is None
