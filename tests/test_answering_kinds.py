"""Classification into answer / ambiguous / fallback / contact / greeting, on a small KB."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rapidfuzz.distance import OSA

from bot.answering.answerer import Action, Answerer, Kind, Thresholds
from bot.knowledge.base import load_knowledge
from bot.understanding.intents import one_edit_apart
from tests.support.kbfactory import DEFAULT_ENTRIES, entry, write_kb

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    twins = [
        entry("twin-a", "What is the alpha report?", ["alpha report", "a b", "c d", "e f"], "A."),
        entry("twin-b", "What is the alpha summary?", ["alpha summary", "g h", "i j", "k l"], "B."),
    ]
    directory = write_kb(tmp_path_factory.mktemp("kb"), [*DEFAULT_ENTRIES, *twins])
    return Answerer(load_knowledge(directory))


def test_answer_carries_entry_source_follow_ups_and_contact(answerer: Answerer) -> None:
    reply = answerer.ask("When was MassBio founded?")
    assert reply.kind is Kind.ANSWER and reply.entry_id == "massbio-founded"
    assert reply.text.startswith("MassBio was founded in 1985.")
    assert reply.text.endswith("Source: “Test article”, Test publisher, 4 July 2011")
    assert reply.feedback
    assert [o.value for o in reply.options if o.action is Action.ENTRY] == ["ambassador-who"]
    assert reply.options[-1].action is Action.CONTACT
    assert reply.contact_topic == "other"


def test_typos_and_synonyms_still_answer(answerer: Answerer) -> None:
    assert answerer.ask("who is torsen jepson").entry_id == "ambassador-who"
    assert answerer.ask("when was the massachusetts biotechnology council founded").entry_id == (
        "massbio-founded"
    )


def test_out_of_scope_falls_back_with_contact_offer(answerer: Answerer) -> None:
    reply = answerer.ask("what will the weather be like in paris tomorrow")
    assert reply.kind is Kind.FALLBACK
    assert reply.text == "<fallback> text"
    assert [o.action for o in reply.options] == [Action.CONTACT]


def test_close_entries_are_offered_as_choices(answerer: Answerer) -> None:
    reply = answerer.ask("alpha")
    assert reply.kind is Kind.AMBIGUOUS
    assert {o.value for o in reply.options} == {"twin-a", "twin-b"}
    assert reply.text == "<ambiguous> text"


def test_ambiguity_ratio_above_one_disables_choices(tmp_path: Path) -> None:
    twins = [
        entry("twin-a", "What is the alpha report?", ["alpha report", "a b", "c d", "e f"], "A."),
        entry("twin-b", "What is the alpha summary?", ["alpha summary", "g h", "i j", "k l"], "B."),
    ]
    kb = load_knowledge(write_kb(tmp_path, [*DEFAULT_ENTRIES, *twins]))
    # The same question, the same scores: choices with the ratio below one, none above.
    assert Answerer(kb, Thresholds(answer=0.3, ambiguity_ratio=0.9)).ask("alpha").kind is (
        Kind.AMBIGUOUS
    )
    strict = Answerer(kb, Thresholds(answer=0.3, ambiguity_ratio=1.01))
    reply = strict.ask("alpha")
    assert reply.kind is Kind.ANSWER and reply.entry_id in ("twin-a", "twin-b")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("hi", "greeting_hello"),
        ("Good morning!!", "greeting_hello"),
        ("helllo there", "greeting_hello"),
        ("thnaks", "greeting_thanks"),
        ("thank you very much", "greeting_thanks"),
        ("help", "greeting_help"),
        ("bye", "greeting_bye"),
        ("🙂", "greeting_help"),
    ],
)
def test_greetings(answerer: Answerer, text: str, key: str) -> None:
    reply = answerer.ask(text)
    assert reply.kind is Kind.GREETING
    assert reply.text == f"<{key}> text"


def test_greeting_with_a_question_is_a_question(answerer: Answerer) -> None:
    assert answerer.ask("hi, when was massbio founded?").kind is Kind.ANSWER


@pytest.mark.parametrize(
    "text", ["Can someone call me?", "how do I get in touch", "I want to talk to a person"]
)
def test_contact_requests(answerer: Answerer, text: str) -> None:
    reply = answerer.ask(text)
    assert reply.kind is Kind.CONTACT
    assert [o.action for o in reply.options] == [Action.CONTACT]


def test_contact_request_suggests_the_topic_of_its_subject(tmp_path: Path) -> None:
    entries = [
        {**e, "contact_topic": "investment"} if e["id"] == "cluster-companies" else e
        for e in DEFAULT_ENTRIES
    ]
    answerer = Answerer(load_knowledge(write_kb(tmp_path, entries)))
    reply = answerer.ask("get in touch about the biotech companies in boston")
    assert reply.kind is Kind.CONTACT
    assert reply.contact_topic == "investment"  # that entry's topic, not the default
    other = answerer.ask("get in touch about when massbio was founded")
    assert other.kind is Kind.CONTACT and other.contact_topic == "other"
    assert answerer.ask("get in touch").contact_topic is None


def test_contact_phrases_match_whole_words_only(answerer: Answerer) -> None:
    # "contacts" is not "contact": knowledge questions mention the ambassador's contacts.
    assert answerer.ask("does the ambassador have contacts in boston").kind is not Kind.CONTACT


def test_welcome_offers_start_topics(answerer: Answerer) -> None:
    reply = answerer.welcome()
    assert reply.text == "<welcome> text"
    assert [o.value for o in reply.options] == ["ambassador-who"]


def test_one_edit_apart_is_an_optimal_string_alignment_distance_of_one() -> None:
    # The greeting typo check, against rapidfuzz's OSA distance on random pairs.
    rng = random.Random(7)
    letters = "abcde"
    for _ in range(20_000):
        a = "".join(rng.choice(letters) for _ in range(rng.randint(0, 6)))
        b = list(a)
        edit = rng.randrange(5)
        if edit == 0 and b:
            b[rng.randrange(len(b))] = rng.choice(letters)
        elif edit == 1:
            b.insert(rng.randint(0, len(b)), rng.choice(letters))
        elif edit == 2 and b:
            del b[rng.randrange(len(b))]
        elif edit == 3 and len(b) > 1:
            i = rng.randrange(len(b) - 1)
            b[i], b[i + 1] = b[i + 1], b[i]
        else:
            b = [rng.choice(letters) for _ in range(rng.randint(0, 6))]
        other = "".join(b)
        assert one_edit_apart(a, other) == (OSA.distance(a, other) == 1), (a, other)
