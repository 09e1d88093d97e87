"""Message understanding on the shipped knowledge base: long messages, several questions,
near misses, shorthand and follow-ups (issue "Understanding real enquiries")."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.answering.answerer import Action, Answerer, Kind, Reply
from bot.answering.evaluation import Case, evaluate, load_cases, passes
from bot.cli import main
from bot.common.errors import KnowledgeError
from bot.common.languages import Language
from bot.conversation.dialogue import Person
from bot.knowledge.base import DEFAULT_KNOWLEDGE_DIR, KnowledgeBase, load_knowledge
from bot.operations.config import Settings
from bot.operations.services import Services, build_services
from bot.storage.database import CONTEXT_TTL
from bot.understanding.followups import Context, asks_what_it_does
from bot.understanding.segments import Role, split_message, without_politeness
from bot.understanding.shorthand import Shorthand
from tests.support.kbfactory import write_kb

pytestmark = pytest.mark.unit

# -- parts of a message ------------------------------------------------------------------

SOFIE = (
    "Hello, my name is Sofie and I run a small medtech start-up in Aarhus. We are preparing "
    "a trip to the US next spring and a colleague told me about your programme. What "
    "exactly does the ambassador do for companies like ours?"
)


def test_a_long_message_has_one_question_among_its_context() -> None:
    parts = split_message(SOFIE)
    assert [p.role for p in parts] == [Role.CONTEXT, Role.CONTEXT, Role.QUESTION]
    assert parts[-1].text.startswith("What exactly does the ambassador do")


@pytest.mark.parametrize(
    ("text", "questions"),
    [
        (
            "Who is the ambassador and where can I read his interview?",
            ["Who is the ambassador", "where can I read his interview?"],
        ),
        (
            "Cluster growth rate 2000-2009, and annual biotech employment growth?",
            ["Cluster growth rate 2000-2009", "annual biotech employment growth?"],
        ),
        (
            "MassBio: founding year? Number of members?",
            ["MassBio", "founding year?", "Number of members?"],
        ),
        (
            "Does the U.S. office exist? Mr. Jepsen knows a lot, I heard from colleagues.",
            ["Does the U.S. office exist?"],
        ),
    ],
)
def test_questions_are_split_at_sentences_and_clauses(text: str, questions: list[str]) -> None:
    assert [p.text for p in split_message(text) if p.role is not Role.CONTEXT] == questions


def test_a_subject_before_a_colon_labels_the_questions_after_it(answerer: Answerer) -> None:
    reply = answerer.ask("MassBio: founding year? Number of members?")
    assert reply.entry_ids == ("massbio-founded", "massbio-members")


@pytest.mark.parametrize(
    "text",
    [
        "On Friday I brief our board and I want to describe the programme correctly.",
        "We need to explain the cluster to our investors next week.",
    ],
)
def test_a_request_the_writer_means_to_make_of_others_is_context(text: str) -> None:
    assert [p.role for p in split_message(text)] == [Role.CONTEXT]


def test_a_request_of_anything_at_all_is_context() -> None:
    text = "I know you may not have every detail, but anything you can tell me helps."
    assert [p.role for p in split_message(text)] == [Role.CONTEXT]


def test_the_reason_a_question_is_asked_neither_sinks_nor_steers_it(answerer: Answerer) -> None:
    reply = answerer.ask(
        "I would like to know when MassBio was founded, because if it is an old "
        "organisation our board will trust it more at the next breakfast meeting."
    )
    assert reply.entry_id == "massbio-founded"
    # "because of" is part of the question.
    why = answerer.ask("Is Boston strong because of its universities?")
    assert why.entry_id == "cluster-universities"


def test_what_the_writer_has_already_is_not_what_they_ask(answerer: Answerer) -> None:
    text = (
        "I found the number of drugs in development already (a colleague sent it) but "
        "I need the growth figure, like how much did the cluster grow?"
    )
    parts = split_message(text)
    assert [p.role for p in parts] == [Role.CONTEXT, Role.QUESTION]
    assert parts[1].text.startswith("I need the growth figure")
    assert answerer.ask(text).entry_ids == ("cluster-growth",)


def test_a_request_of_the_bot_still_asks() -> None:
    assert [p.role for p in split_message("Please describe the programme correctly.")] == [
        Role.QUESTION
    ]


def test_sign_offs_and_thanks_are_context() -> None:
    parts = split_message("pls remind me wat 3 levels ambassador works on, thx v much")
    assert [(p.role, p.text) for p in parts][-1] == (Role.CONTEXT, "thx v much")


def test_context_words_neither_sink_nor_steer_the_match(answerer: Answerer) -> None:
    reply = answerer.ask(SOFIE)
    assert reply.kind is Kind.ANSWER
    assert reply.entry_id in {"ambassador-organisational-level", "programme-services"}
    # The same question without its introduction is answered the same way.
    assert answerer.ask(split_message(SOFIE)[-1].text).entry_id == reply.entry_id


# -- several questions in one message --------------------------------------------------------


def test_two_questions_get_two_answers_in_order_and_one_source_line(answerer: Answerer) -> None:
    reply = answerer.ask("Who is the ambassador and where can I read his interview?")
    assert reply.kind is Kind.ANSWER
    assert reply.entry_ids == ("ambassador-who", "ambassador-interview")
    assert reply.entry_id == "ambassador-who"
    who = answerer.kb.entries["ambassador-who"].answer
    interview = answerer.kb.entries["ambassador-interview"].answer
    assert reply.text.index(who) < reply.text.index(interview)
    assert reply.text.count("Source:") == 1
    # Follow-up buttons are those of the first entry, without the entries answered.
    follow_ups = [o.value for o in reply.options if o.action is Action.ENTRY]
    assert follow_ups == [
        f for f in answerer.kb.entries["ambassador-who"].follow_ups if f not in reply.entry_ids
    ]
    assert reply.options[-1].action is Action.CONTACT


def test_at_most_three_entries_are_answered(answerer: Answerer) -> None:
    reply = answerer.ask(
        "When was MassBio founded? Who is the ambassador? How many biotech companies are "
        "in Boston? How many drugs are in development there?"
    )
    assert len(reply.entry_ids) == 3


def test_a_known_and_an_unknown_part_say_plainly_what_is_not_known(answerer: Answerer) -> None:
    reply = answerer.ask("When was MassBio founded, and who is the CEO of MassBio?")
    assert reply.kind is Kind.ANSWER and reply.entry_ids == ("massbio-founded",)
    assert "1985" in reply.text
    assert "does not cover the leadership of MassBio" in reply.text


def test_ask_json_lists_every_entry_used(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "what is massbio and when was it founded?"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["entry_ids"] == ["massbio-what", "massbio-founded"]
    assert obj["entry_id"] == "massbio-what"


# -- near misses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "nearby", "says"),
    [
        # another organisation
        (
            "how many members does medicon valley alliance have",
            "massbio-members",
            "Medicon Valley Alliance",
        ),
        ("when was medicon valley alliance founded", "massbio-founded", "founding date"),
        # another place
        ("how many biotech companies are there in stockholm", "cluster-companies", "Stockholm"),
        ("Who is the Life Science Ambassador in New York?", "ambassador-who", "New York"),
        # another time
        (
            "How many biotech companies were there in Boston-Cambridge in 2020?",
            "cluster-companies",
            "2020",
        ),
        ("how many drugs were in development in boston before 2000", None, "before 2000"),
        # another attribute
        ("how many ppl work at massbio", None, "number of staff"),
        ("who is the ceo of massbio", None, "leadership"),
        ("what is torsten jepsen's phone number", None, "phone number"),
    ],
)
def test_near_misses_say_what_is_not_known(
    answerer: Answerer, question: str, nearby: str | None, says: str
) -> None:
    reply = answerer.ask(question)
    assert reply.kind is Kind.FALLBACK, reply.text
    assert says in reply.text
    assert reply.options[-1].action is Action.CONTACT
    if nearby is not None:
        [offer] = [o for o in reply.options if o.action is Action.ENTRY]
        assert offer.value == nearby
        assert offer.label.startswith("What we do know: ")


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("how many members does harvard have", "Harvard"),  # listed in subjects.yaml
        ("Has Mr Jepsen concluded any agreements with Harvard?", "Harvard"),
        ("When was SwedenBIO founded?", "SwedenBIO"),  # a capitalised unknown word
        ("Does the ambassador work with Acmegen Therapeutics?", "Acmegen"),
    ],
)
def test_a_name_the_knowledge_base_never_mentions_counts_against_a_match(
    answerer: Answerer, question: str, name: str
) -> None:
    reply = answerer.ask(question)
    assert reply.kind is Kind.FALLBACK
    assert name in reply.text


def test_capitals_of_known_words_and_typos_are_no_names(answerer: Answerer) -> None:
    assert answerer.ask("What does the Ambassador Programme offer?").kind is Kind.ANSWER
    assert answerer.ask("Is Torsten Jepson based in Boston?").entry_id == "ambassador-location"


def test_an_entry_saying_what_the_source_does_not_say_is_a_fallback(answerer: Answerer) -> None:
    entry = answerer.kb.entries["massbio-membership"]
    assert entry.not_in_source
    reply = answerer.ask(entry.question)
    assert reply.kind is Kind.FALLBACK and reply.text == entry.answer
    assert answerer.entry_reply(entry.id).kind is Kind.FALLBACK


# -- shorthand ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expanded"),
    [
        (["wat", "yr"], ["what", "year"]),  # a word for a word
        (["whats", "up"], ["what", "is", "up"]),  # a word for several
        (["3", "levels"], ["three", "levels"]),  # a digit for a word
        (["us", "massbio"], ["us", "massbio"]),  # what is not listed stays
        (["#", "of", "members"], ["number", "of", "members"]),  # a sign for a word
        (["his", "#", "1", "task"], ["his", "main", "task"]),  # two pieces for a word
        (["growth", "00", "09"], ["growth", "2000", "2009"]),  # two pieces for two
    ],
)
def test_shorthand_expands_each_kind_of_entry(
    shipped_kb: KnowledgeBase, typed: list[str], expanded: list[str]
) -> None:
    assert Shorthand(shipped_kb.shorthand).expand(typed) == expanded


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("wat yr massbio founded", "massbio-founded"),
        ("whos the ambassador in boston pls", "ambassador-who"),
        ("how many biotech cos in boston-cambridge thx", "cluster-companies"),
        ("info abt the 3 levels jepsen works on pls", "ambassador-three-levels"),
        ("quick q - massbio # of members approx?", "massbio-members"),
        ("% of vc to biotech in MA?", "cluster-vc-share"),
        ("biotech shr of MA vc inv", "cluster-vc-share"),
        ("massbio nonprof or 4 profit?", "massbio-mission"),
        ("whos the new mva bloke in boston", "ambassador-who"),
        ("boston cluster growth 00-09?", "cluster-growth"),
        ("how much did the cluster grow in the noughties", "cluster-growth"),
        ("massbio - who do they rep? cos only or unis/hospitals too?", "massbio-members"),
        ("what portion of the Commonwealth's R&D spending is biotech?", "cluster-rd-share"),
    ],
)
def test_shorthand_questions_are_answered(answerer: Answerer, question: str, entry_id: str) -> None:
    assert answerer.ask(question).entry_id == entry_id


def test_kb_check_rejects_bad_shorthand(tmp_path: Path) -> None:
    directory = write_kb(
        tmp_path,
        replace={"shorthand.yaml": {"shorthand": {"three whole words": "x", "w/": "with"}}},
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    messages = [str(i) for i in caught.value.issues]
    assert any("shorthand.yaml:" in m and "'three whole words'" in m for m in messages)
    assert any("'w/'" in m for m in messages)


# -- subjects as data ------------------------------------------------------------------------------


def test_every_shipped_entry_names_its_subject(shipped_kb: KnowledgeBase) -> None:
    subjects = {s.id for s in shipped_kb.aboutness.subjects}
    for entry in shipped_kb:
        assert entry.subjects and set(entry.subjects) <= subjects, entry.id


def test_kb_check_reports_unknown_subjects_and_attributes_with_file_and_line(
    tmp_path: Path,
) -> None:
    about = yaml.safe_load((DEFAULT_KNOWLEDGE_DIR / "subjects.yaml").read_text())
    entries = yaml.safe_load((DEFAULT_KNOWLEDGE_DIR / "massbio.yaml").read_text())
    entries["entries"][0]["subject"] = "nonsense"
    entries["entries"][1]["attribute"] = ["founded", "colour"]
    del entries["entries"][2]["subject"]
    source = (DEFAULT_KNOWLEDGE_DIR / "sources" / "mva-2011-boston.txt").read_text()
    replace = {"subjects.yaml": about, "sources/mva-2011-boston.txt": source}
    directory = write_kb(tmp_path, entries["entries"], replace=replace)
    routing = yaml.safe_load((DEFAULT_KNOWLEDGE_DIR / "routing.yaml").read_text())
    (directory / "routing.yaml").write_text(yaml.safe_dump(routing))
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    messages = [str(i) for i in caught.value.issues]
    assert any("entries.yaml:" in m and "subject 'nonsense'" in m for m in messages)
    assert any("attribute 'colour'" in m for m in messages)
    assert any("has no subject" in m for m in messages)


# -- follow-ups ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "follow_up", "entry_id"),
    [
        ("What is MassBio?", "and when was it founded?", "massbio-founded"),
        ("What is MassBio?", "how many members?", "massbio-members"),
        ("Who is the ambassador in Boston?", "what about his background?", "ambassador-interview"),
        ("Who is Torsten Jepsen?", "where's he based?", "ambassador-location"),
        (
            "How many biotech companies are there in Boston-Cambridge?",
            "Drugs in development?",
            "cluster-drug-pipeline",
        ),
    ],
)
def test_follow_ups_are_read_against_the_previous_answer(
    answerer: Answerer, previous: str, follow_up: str, entry_id: str
) -> None:
    first = answerer.ask(previous)
    assert first.context is not None
    assert answerer.ask(follow_up, first.context).entry_id == entry_id


@pytest.mark.parametrize(
    ("previous", "follow_up"),
    [
        ("When was MassBio founded?", "And Medicon Valley Alliance?"),
        (
            "How many biotech companies are there in Boston-Cambridge?",
            "And in Skåne, how many is it?",
        ),
        ("Who is the ambassador in Boston?", "how old is he?"),
    ],
)
def test_follow_ups_the_knowledge_base_does_not_hold_fall_back(
    answerer: Answerer, previous: str, follow_up: str
) -> None:
    context = answerer.ask(previous).context
    assert answerer.ask(follow_up, context).kind is Kind.FALLBACK


def test_a_follow_up_without_context_is_not_guessed(answerer: Answerer) -> None:
    assert answerer.ask("and when was it founded?", Context("ambassador-who")).entry_id != (
        "massbio-founded"
    )


FOLLOW_UP = "and when was it founded?"  # "it" is MassBio alone, the programme after the ambassador


def test_ask_context_option_tries_one_follow_up(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", FOLLOW_UP]) == 0  # stateless
    assert json.loads(capsys.readouterr().out)["entry_id"] == "massbio-founded"
    assert main(["ask", "--json", "--context", "Who is the ambassador?", FOLLOW_UP]) == 0
    assert json.loads(capsys.readouterr().out)["kind"] == "fallback"


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(
        Settings(token="", data_dir=tmp_path, knowledge_dir=DEFAULT_KNOWLEDGE_DIR)
    )
    with built.storage:
        yield built


ANNA = Person(user_id=41, chat_id=41, first_name="Anna")
BO = Person(user_id=42, chat_id=42, first_name="Bo")


def test_the_dialogue_keeps_the_context_per_chat_in_sqlite(services: Services) -> None:
    dialogue = services.dialogue
    [first] = dialogue.text(ANNA, "Who is the ambassador?")
    assert first.reply.entry_id == "ambassador-who"
    # Another chat has its own context.
    assert dialogue.text(BO, FOLLOW_UP)[0].reply.entry_id == "massbio-founded"
    # After a restart (new services on the same database) the context is still there.
    again = build_services(services.settings, services.storage)
    assert again.dialogue.text(ANNA, FOLLOW_UP)[0].reply.kind is Kind.FALLBACK


def test_the_context_is_forgotten_after_30_minutes(services: Services) -> None:
    services.dialogue.text(ANNA, "Who is the ambassador?")
    saved = services.storage.context_of(ANNA.chat_id)
    assert saved is not None and saved.entry_id == "ambassador-who"
    assert services.storage.context_of(ANNA.chat_id, now=saved.ts + CONTEXT_TTL - 1) is not None
    assert services.storage.context_of(ANNA.chat_id, now=saved.ts + CONTEXT_TTL + 1) is None
    services.storage.remember_context(ANNA.chat_id, ANNA.user_id, "ambassador-who", "who", 0.0)
    assert services.dialogue.text(ANNA, FOLLOW_UP)[0].reply.entry_id == "massbio-founded"


def test_forget_erases_the_context(services: Services) -> None:
    services.dialogue.text(ANNA, "What is MassBio?")
    [asked] = services.dialogue.command(ANNA, "forget")  # /forget asks first: Erase
    services.dialogue.choose(ANNA, asked.reply.options[0])
    assert services.storage.context_of(ANNA.chat_id) is None


# -- contact requests and greetings ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "can you pass my number on",
        "I'd like to discuss this with one of your staff",
        "could we set up a call",
        "who can I talk to",
        "ring me",
        "I request to be contacted by a responsible person of MVA about a cooperation.",
        "Request that an appropriate MVA point of contact reach out to this office.",
        "Can somebody fae MVA gie us a ring?",
    ],
)
def test_contact_requests_in_more_words(answerer: Answerer, text: str) -> None:
    assert answerer.ask(text).kind is Kind.CONTACT


def test_a_goodbye_after_thanks_is_a_goodbye(answerer: Answerer) -> None:
    assert answerer.ask("thx, bye!").text == answerer.kb.message("greeting_bye")


def test_a_greeting_with_a_place_is_still_a_greeting(answerer: Answerer) -> None:
    assert answerer.ask("Good morning from Aarhus!").kind is Kind.GREETING
    assert answerer.ask("red sox score last night").kind is Kind.FALLBACK


# -- evaluation -----------------------------------------------------------------------------------


def test_eval_runs_context_and_counts_confidently_wrong_replies(
    tmp_path: Path, answerer: Answerer
) -> None:
    cases = [
        {
            "ask": "how many members?",
            "context": ["What is MassBio?"],
            "expect": "answer",
            "contains": ["600"],
        },
        {"ask": "when was massbio founded", "expect": "fallback", "tag": "near_miss"},
        {"ask": "when was massbio founded", "expect": "answer", "contains": ["1999"]},
        {"ask": "hello", "expect": "greeting"},
    ]
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(cases))
    report = evaluate(load_cases(path), answerer.ask)
    assert (report.passed, report.total, report.confidently_wrong) == (2, 4, 2)
    assert report.confusion[("fallback", "answer")] == 1
    assert report.by_tag["near_miss"] == [0, 1]
    table = report.table()
    assert table.splitlines()[0].split()[-5:] == [
        "answer",
        "fallback",
        "contact",
        "greeting",
        "ambiguous",
    ]


def test_a_fact_holds_with_either_decimal_separator() -> None:
    # Danish and Swedish write 16,5 where the article writes 16.5: the same fact.
    case = Case(ask="andel?", expect=Kind.ANSWER, contains=("16.5",))
    assert passes(case, Reply("andel?", Kind.ANSWER, "16,5 procent", lang=Language.DA))
    assert passes(case, Reply("andel?", Kind.ANSWER, "16.5 percent"))
    assert not passes(case, Reply("andel?", Kind.ANSWER, "16 5 procent", lang=Language.DA))
    assert not passes(case, Reply("andel?", Kind.ANSWER, "165 procent", lang=Language.DA))


def test_eval_report_and_confidently_wrong_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump([{"ask": "when was massbio founded", "expect": "fallback"}]))
    assert main(["eval", str(path), "--report"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2] == "confidently wrong: 1.000 (1/1)"
    assert out[-1] == "accuracy: 0.000 (0/1)"
    assert any(line.startswith("expected") for line in out)
    assert main(["eval", str(path), "--max-confidently-wrong", "0.5"]) == 1


# -- finer points found on the dev sets ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a verb of contact with a person after it, when someone asks
        ("Would it be possible to set up a short video call with Torsten Jepsen?", Kind.CONTACT),
        ("Could you transmit please my coordinates to Mr Jepsen?", Kind.CONTACT),
        ("I would like to reach an MVA person about the programme.", Kind.CONTACT),
        # a contact in Boston is no wish to contact him
        (
            "A colleague said Torsten might be a useful contact in Boston, but I know "
            "nothing about him. Where can I read more about him?",
            Kind.ANSWER,
        ),
        # ... but not in a statement or across a sentence
        ("The reporter's notes call Torsten Jepsen a trade envoy. Is that his title?", Kind.ANSWER),
        ("We need to verify his appointment. Could you confirm the year?", Kind.ANSWER),
        # greetings with a place or a day in them
        ("Hello there, and a very good afternoon to you from Malmö!", Kind.GREETING),
        ("Thank you so much, that was really helpful! Have a lovely day", Kind.GREETING),
        # other times and places
        (
            "What was the growth rate of the Boston-Cambridge cluster during the 1990s?",
            Kind.FALLBACK,
        ),
        (
            "How many biotechnology companies are there in Lund, by comparison with Boston?",
            Kind.FALLBACK,
        ),
    ],
)
def test_finer_points_of_reading_a_message(answerer: Answerer, text: str, kind: Kind) -> None:
    assert answerer.ask(text).kind is kind


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        # a qualifying subject does not pick the entry
        (
            "Where exactly is the Medicon Valley ambassador to the US located?",
            "ambassador-location",
        ),
        # a question asking for a figure prefers an entry that has one
        (
            "How many biotechnology companies are in the Boston-Cambridge region?",
            "cluster-companies",
        ),
        # a short lead-in belongs to the question after it
        (
            "In absolute terms, how many drugs are in development in Boston-Cambridge?",
            "cluster-drug-pipeline",
        ),
        # a label announces the questions after it
        (
            "Two figures, please: biotech's share of R&D spending in Massachusetts",
            "cluster-rd-share",
        ),
    ],
)
def test_the_entry_asked_about_answers(answerer: Answerer, text: str, entry_id: str) -> None:
    assert answerer.ask(text).entry_id == entry_id


def test_an_ordinal_follow_up_picks_from_the_listing_answer(answerer: Answerer) -> None:
    levels = answerer.ask("On which levels will the ambassador work?")
    assert levels.entry_id == "ambassador-three-levels"
    second = answerer.ask("What does the second one involve?", levels.context)
    assert second.entry_id == answerer.kb.entries["ambassador-three-levels"].follow_ups[1]


def test_a_figure_for_another_region_is_not_in_the_knowledge_base(answerer: Answerer) -> None:
    assert answerer.ask("How many biotech companies are there in Medicon Valley?").kind is (
        Kind.FALLBACK
    )
    assert answerer.ask("Did the ambassador talk to stakeholders in Medicon Valley?").entry_id == (
        "ambassador-stakeholder-dialogue"
    )


@pytest.mark.parametrize(
    "text",
    [
        "What percentage of the state's venture-capital investment goes to medical devices?",
        "How many medical-device companies are there in Massachusetts?",
    ],
)
def test_a_figure_of_another_sector_is_not_in_the_knowledge_base(
    answerer: Answerer, text: str
) -> None:
    reply = answerer.ask(text)
    assert reply.kind is Kind.FALLBACK
    assert reply.text.startswith(answerer.kb.message("near_miss_sector", sector="medical devices"))


def test_another_sector_beside_biotech_or_outside_a_figure_still_answers(
    answerer: Answerer,
) -> None:
    both = answerer.ask("how many medtech and biotech companies are in boston")
    assert both.entry_id == "cluster-companies"
    help_ = answerer.ask("can the ambassador help medtech startups find partners")
    assert help_.kind is Kind.ANSWER
    # The pipeline's figure names pharmaceuticals itself.
    pipeline = answerer.ask("what share of the world's drug pipeline, pharma included, is here?")
    assert pipeline.entry_id == "cluster-world-pipeline"


def test_employment_asked_for_is_employment_not_the_clusters_growth(answerer: Answerer) -> None:
    reply = answerer.ask(
        "How fast has biotech employment been growing in Massachusetts over the last few years?"
    )
    assert reply.entry_id == "cluster-employment"
    assert answerer.ask("how much did the cluster grow from 2000 to 2009").entry_id == (
        "cluster-growth"
    )


def test_and_before_an_auxiliary_and_a_pronoun_starts_a_yes_no_question(
    answerer: Answerer,
) -> None:
    reply = answerer.ask("when was massbio founded and is it for profit or not")
    assert reply.entry_ids == ("massbio-founded", "massbio-mission")


def test_since_the_end_of_a_period_is_a_time_the_knowledge_base_does_not_cover(
    answerer: Answerer,
) -> None:
    growth = "How much did the Boston-Cambridge cluster grow from 2000 to 2009?"
    since = answerer.ask("how much has the cluster grown since 2009?")
    assert since.kind is Kind.FALLBACK
    assert answerer.reader.rules.years_after.format(year="2009") in since.text
    follow_up = answerer.ask(
        "and since 2009? how much has it grown after that?",
        Context("cluster-growth", growth),
    )
    assert follow_up.kind is Kind.FALLBACK
    assert answerer.ask("how many members has massbio had since 2011?").kind is Kind.FALLBACK
    # The start of the period, and a date that is no period, still answer.
    assert answerer.ask("how much has the cluster grown since 2000?").entry_id == "cluster-growth"
    assert answerer.ask("has massbio existed since 1985?").entry_id == "massbio-founded"


def test_an_entry_must_give_every_attribute_asked_for(answerer: Answerer) -> None:
    # The members and the cost: the entry on the members gives only the first.
    assert answerer.ask("massbio membership fee for a hospital research group?").kind is (
        Kind.FALLBACK
    )
    assert answerer.ask("How many members did MassBio have when it was founded in 1985?").kind is (
        Kind.FALLBACK
    )
    assert answerer.ask("how long has massbio been around?").entry_id == "massbio-founded"
    besides = answerer.ask("What does MassBio offer its members besides lobbying?")
    assert besides.entry_id == "massbio-activities"


def test_a_request_for_a_meeting_then_can_you_arrange_that_asks_for_a_person(
    answerer: Answerer,
) -> None:
    reply = answerer.ask(
        "I'd welcome a meeting with the ambassador when I'm next in Cambridge. "
        "Would you be able to arrange that?"
    )
    assert reply.kind is Kind.CONTACT
    # A meeting in a self-introduction, and a question of its own after it, ask for no one.
    introduced = answerer.ask(
        "I am preparing a meeting with the Minister next week. When was MassBio founded?"
    )
    assert introduced.entry_id == "massbio-founded"


def test_a_part_that_gets_an_earlier_parts_answer_again_is_read_alone(
    answerer: Answerer,
) -> None:
    # Read against the part before, "his title" got the location again.
    reply = answerer.ask("jepsen - based where exactly & whats his title")
    assert reply.entry_ids == ("ambassador-location", "ambassador-who")
    # ... but not when alone it is about another subject than the one it was read as.
    same = answerer.ask("How long has this MassBio been going? What year did it start?")
    assert same.entry_ids == ("massbio-founded",)


def test_one_weighs_as_lightly_as_a_question_word(answerer: Answerer) -> None:
    # "one" says which, not what: an entry whose texts happen to say "one" is no better
    # for it.
    assert answerer.ask("what does the platform one mean").entry_id == "ambassador-platform-level"
    levels = answerer.ask(
        "Torsten Jepsen's work is split into different levels, I heard. Which ones?"
    )
    assert levels.entry_id == "ambassador-three-levels"


def test_per_year_is_annually(answerer: Answerer) -> None:
    reply = answerer.ask("biotech employment growth per year in the last 5 yrs?")
    assert reply.entry_id == "cluster-employment"


def test_a_level_named_is_an_attribute_the_entry_must_give(answerer: Answerer) -> None:
    # The key tasks name the three levels too, but do not say what each is.
    policy = answerer.ask(
        "Could you tell me what Torsten Jepsen is expected to do at the policy level specifically?"
    )
    assert policy.entry_id == "ambassador-policy-level"
    side = answerer.ask("What is the purpose of the policy side of the ambassador's work?")
    assert side.entry_id == "ambassador-policy-level"
    both = answerer.ask(
        "Could you explain the platform level and the organisational level of the "
        "ambassador's work?"
    )
    assert both.entry_id == "ambassador-three-levels"


def test_a_short_question_pointing_back_is_held_to_the_sentence_before(
    answerer: Answerer,
) -> None:
    reply = answerer.ask(
        "One thing I read was that biotech drove a big chunk of the state's new industrial "
        "jobs - roughly what portion was it? Anyway, thanks for any help."
    )
    assert reply.entry_id == "cluster-employment"
    report = answerer.ask(
        "You mention that a more detailed study of the cluster is on the way - when is that "
        "expected to be published?"
    )
    assert report.entry_id == "cluster-mapping-report"


def test_a_question_after_a_check_that_points_back_is_held_to_the_claim_before(
    answerer: Answerer,
) -> None:
    # "Is that right" points at the claim; the question after it asks about the same.
    reply = answerer.ask(
        "A colleague said biotech accounts for roughly a quarter of the state's R&D "
        "spending. Is that right, and what is the precise share?"
    )
    assert reply.entry_id == "cluster-rd-share"


def test_a_subject_a_text_is_about_is_not_what_is_asked_about(answerer: Answerer) -> None:
    # The date of the article, not something about the ambassador.
    reply = answerer.ask("when was your article about the ambassador published?")
    assert reply.entry_id == "about-currency"
    written = answerer.ask("when was the article about Torsten Jepsen written?")
    assert written.entry_id == "about-currency"


def test_what_a_report_found_is_its_findings(answerer: Answerer) -> None:
    reply = answerer.ask("what did the cluster mapping report on boston actually find?")
    assert reply.kind is Kind.FALLBACK


@pytest.mark.parametrize(
    "text",
    [
        "How many biotech companies and how many drugs in development did Medicon Valley have?",
        "How many biotech companies, and how many drugs in development, are there in Stockholm?",
    ],
)
def test_parts_share_the_place_the_last_of_them_names(answerer: Answerer, text: str) -> None:
    # Not Boston-Cambridge's 480 companies for the first part.
    assert answerer.ask(text).kind is Kind.FALLBACK


def test_a_part_with_its_own_place_or_sentence_keeps_it(answerer: Answerer) -> None:
    reply = answerer.ask("How many biotech companies are there in Boston, and how many in Lund?")
    assert reply.entry_ids == ("cluster-companies",)
    separate = answerer.ask("How many biotech companies are there? I am asking for a talk in Lund.")
    assert separate.entry_id == "cluster-companies"


def test_a_place_bound_subject_placed_elsewhere_is_another_one(answerer: Answerer) -> None:
    # The ambassador in Singapore is not the knowledge base's ambassador in Boston.
    elsewhere = answerer.ask("Who is Medicon Valley's Life Science Ambassador in Singapore?")
    assert elsewhere.kind is Kind.FALLBACK
    assert "Singapore" in elsewhere.text
    another = answerer.ask("Who is the Life Science Ambassador for Medicon Valley in Singapore?")
    assert another.kind is Kind.FALLBACK
    # Companies in Lund are whom he helps.
    lund = answerer.ask("Can the ambassador help companies in Lund meet partners?")
    assert lund.kind is Kind.ANSWER


@pytest.mark.parametrize(
    "text",
    [
        "We run a small CRO in Pune and read about the programme. I would be grateful if "
        "you could put me in touch with the ambassador. Kind regards, Ravi",
        "Our office plans a seminar on Nordic life science in the spring. We would "
        "appreciate being put in touch with Mr. Jepsen about taking part.",
    ],
)
def test_a_polite_request_for_a_person_in_a_long_message_asks_for_one(
    answerer: Answerer, text: str
) -> None:
    assert answerer.ask(text).kind is Kind.CONTACT


def test_a_discount_is_a_cost(answerer: Answerer) -> None:
    reply = answerer.ask("is there a discount for academic spin-outs?")
    assert reply.kind is Kind.FALLBACK


def test_a_pronoun_after_a_time_not_covered_keeps_that_time(answerer: Answerer) -> None:
    reply = answerer.ask(
        "How many Massachusetts biotech companies went public in 2008, and how much did "
        "they raise altogether?"
    )
    assert reply.kind is Kind.FALLBACK


def test_there_at_the_end_of_a_later_part_is_the_place_before(answerer: Answerer) -> None:
    reply = answerer.ask(
        "How many biotech companies does Stockholm have, and how many drugs are in "
        "development there?"
    )
    assert reply.kind is Kind.FALLBACK
    assert "Stockholm" in reply.text
    # "there are" asks of no place.
    levels = answerer.ask(
        "My friend in Lund mentioned the ambassador's levels. How many levels are there?"
    )
    assert levels.entry_id == "ambassador-three-levels"


def test_a_subject_named_as_the_setting_of_another_is_not_what_is_asked(
    answerer: Answerer,
) -> None:
    # MVA is asked about; "for the ambassador programme" says in what.
    reply = answerer.ask(
        "Which organisation on the other side of the Atlantic did MVA team up with for "
        "the ambassador programme?"
    )
    assert reply.entry_id == "massbio-mva-agreement"


def test_stated_is_not_the_state(answerer: Answerer) -> None:
    # "stated" stems to "state", which names the cluster only as "the state's".
    assert answerer.ask("What is MassBio's stated mission?").entry_id == "massbio-mission"
    vc = answerer.ask("What share of the state's VC goes to biotech?")
    assert vc.entry_id == "cluster-vc-share"


def test_the_other_tasks_besides_one_are_the_key_tasks(answerer: Answerer) -> None:
    tasks = answerer.ask("besides venture capital what will the ambassador do?")
    assert tasks.entry_id == "ambassador-key-tasks"
    others = answerer.ask("Are there other ambassadors besides Torsten?")
    assert others.kind is Kind.FALLBACK


def test_a_name_after_announced_by_is_the_source(answerer: Answerer) -> None:
    reply = answerer.ask(
        "I need the year this appointment was announced by Medicon Valley Alliance."
    )
    assert reply.entry_id == "ambassador-appointed"


def test_put_me_in_direct_contact_asks_for_a_person(answerer: Answerer) -> None:
    assert answerer.ask("Could you put me in direct contact with the ambassador?").kind is (
        Kind.CONTACT
    )


def test_a_place_is_named_as_the_knowledge_base_writes_it(answerer: Answerer) -> None:
    nyc = answerer.ask("how many biotech firms are there in nyc?")
    assert nyc.kind is Kind.FALLBACK
    assert "NYC" in nyc.text
    new_york = answerer.ask("how many biotech firms are there in new york?")
    assert "New York" in new_york.text


def test_how_much_a_membership_is_asks_its_cost(answerer: Answerer) -> None:
    reply = answerer.ask("how much is a membership in massbio?")
    assert reply.kind is Kind.FALLBACK


def test_of_entries_nearly_as_relevant_the_more_confident_answers(answerer: Answerer) -> None:
    # The overview is a shade more relevant each time; the other entry is far more
    # confident.
    members = answerer.ask("which types of organisations does massbio represent?")
    assert members.entry_id == "massbio-members"
    both = answerer.ask(
        "When was MassBio set up, and which types of organisations does it represent?"
    )
    assert both.entry_ids == ("massbio-founded", "massbio-members")
    activities = answerer.ask("does massbio do govt policy things or just events? dont get it")
    assert activities.entry_id == "massbio-activities"


def test_a_polite_request_beside_a_question_is_not_an_unknown_question(
    answerer: Answerer,
) -> None:
    reply = answerer.ask(
        "What is MassBio? If you could put it in simple words for our newsletter I would "
        "be grateful, and I will pass on whatever you tell me."
    )
    assert reply.entry_ids == ("massbio-what",)
    assert "no answer" not in reply.text


def test_a_subject_after_for_qualifies_the_one_before(answerer: Answerer) -> None:
    # "the Life Science Ambassador for Medicon Valley" is the ambassador, not the region.
    reply = answerer.ask("Who is the Life Science Ambassador for Medicon Valley in Boston?")
    assert reply.kind is Kind.ANSWER and "Jepsen" in reply.text
    assert answerer.kb.entries[reply.entry_ids[0]].subjects[0] == "ambassador"


@pytest.mark.parametrize(
    "text",
    [
        "Who is the ambassador MVA has in Boston?",
        "What is the name of the ambassador MVA has in Boston?",
    ],
)
def test_a_relative_clause_without_that_qualifies_nothing(answerer: Answerer, text: str) -> None:
    # "the ambassador [that] MVA has": MVA is the clause's subject, the ambassador what
    # is asked about (not MVA's agreement, not its other ambassadors).
    assert answerer.ask(text).entry_ids == ("ambassador-who",)


# -- common words and today's figures ------------------------------------------------------


def test_common_english_words_weigh_less_than_rare_ones_the_kb_never_uses() -> None:
    from bot.understanding.spelling import COMMON_FLOOR, unknown_word_weight

    assert unknown_word_weight("stockholm") == 1.0  # rare in English: it says what is asked
    assert unknown_word_weight("salary") < 1.0
    assert unknown_word_weight("think") == COMMON_FLOOR
    assert unknown_word_weight("think") < unknown_word_weight("physically") < 1.0


def test_common_words_around_a_question_do_not_sink_it(answerer: Answerer) -> None:
    reply = answerer.ask("i keep trying to remember when massbio was founded")
    assert reply.kind is Kind.ANSWER and reply.entry_id == "massbio-founded"
    # A rare word the knowledge base never uses still counts in full.
    assert answerer.ask("how many biotech companies are there in stockholm").kind is Kind.FALLBACK


def test_todays_figure_gets_the_dated_one_with_its_year(answerer: Answerer) -> None:
    reply = answerer.ask("how many members does MassBio represent nowadays?")
    assert reply.kind is Kind.ANSWER and "600" in reply.text
    assert "figure from 2011, the most recent one" in reply.text
    both = answerer.ask("When MassBio was founded and how many members it represents today?")
    assert both.entry_ids == ("massbio-founded", "massbio-members")
    assert both.text.count("the most recent one my knowledge base has") == 1
    # Nothing is dated where the question did not ask about today.
    assert "most recent" not in answerer.ask("how many members does MassBio represent?").text


@pytest.mark.parametrize(
    "text",
    [
        "who runs massbio today?",  # not a figure: the knowledge base does not say
        "is boston still the top cluster rn in 2026? how many biotech cos there today",
    ],
)
def test_today_stays_unknown_where_no_dated_figure_answers(answerer: Answerer, text: str) -> None:
    assert answerer.ask(text).kind is Kind.FALLBACK


def test_a_meeting_mentioned_in_an_introduction_asks_for_no_one(answerer: Answerer) -> None:
    text = (
        "I work for a regional council and am preparing notes ahead of a meeting with the "
        "mayor next week. We have plenty of material on the Danish side already. Could you "
        "please tell me the year in which MassBio was founded? Thank you."
    )
    reply = answerer.ask(text)
    assert reply.kind is Kind.ANSWER and "1985" in reply.text
    asking = (
        "I work for a regional council and we are assessing transatlantic options. Several "
        "points are not suited to writing. I therefore request that a meeting be arranged "
        "with a member of your staff. With kind regards"
    )
    assert answerer.ask(asking).kind is Kind.CONTACT


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Where the answer should come from is not a question about the bot.
        ("how many organisations does MassBio represent, per your information?", Kind.ANSWER),
        ("could you pass my phone number on to the ambassador?", Kind.CONTACT),
    ],
)
def test_where_from_and_phone_numbers(answerer: Answerer, text: str, kind: Kind) -> None:
    assert answerer.ask(text).kind is kind


@pytest.mark.parametrize(
    "text",
    [
        "Does MassBio run a mentoring scheme for start-ups?",
        "is there a french ambassador in boston",
    ],
)
def test_a_subject_of_another_kind_is_not_ours(answerer: Answerer, text: str) -> None:
    # "mentoring" and "french" are words the knowledge base never uses: another
    # scheme and another ambassador than the ones it describes.
    reply = answerer.ask(text)
    assert reply.kind is Kind.FALLBACK
    assert "does not cover that for the " in reply.text


def test_a_verb_before_a_name_qualifies_nothing(answerer: Answerer) -> None:
    reply = answerer.ask("Pls confirm MassBio represents approx 600 orgs, thx.")
    assert reply.kind is Kind.ANSWER and "600" in reply.text


def test_the_alliance_is_mva_and_concerning_says_nothing(answerer: Answerer) -> None:
    reply = answerer.ask("What kind of agreement has the Alliance made with MassBio?")
    assert reply.entry_id == "massbio-mva-agreement"
    asked = "With which organisation has MVA made an agreement concerning the programme?"
    assert answerer.ask(asked).entry_id == "massbio-mva-agreement"


def test_an_aside_between_commas_splits_no_question() -> None:
    parts = split_message("In which year, if you happen to know, was MassBio set up?")
    assert [p.role for p in parts] == [Role.QUESTION]
    assert parts[0].text == "In which year was MassBio set up?"


def test_request_verbs_say_nothing_and_clinical_trials_are_not_held(answerer: Answerer) -> None:
    reply = answerer.ask("Could you clarify what kinds of organisations MassBio represents?")
    assert reply.entry_id == "massbio-members"
    trials = answerer.ask("How many clinical trials are running in Massachusetts hospitals?")
    assert trials.kind is Kind.FALLBACK and "clinical trials" in trials.text


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        # A title between the qualifying subject and the one asked about.
        ("Where is Medicon Valley's Life Science Ambassador stationed?", "ambassador-location"),
        # "what are they called?" asks of the clause before it.
        ("I read he works on several 'levels' - what are they called?", "ambassador-three-levels"),
    ],
)
def test_titles_and_names_asked_of_the_clause_before(
    answerer: Answerer, text: str, entry_id: str
) -> None:
    assert answerer.ask(text).entry_id == entry_id


@pytest.mark.parametrize(
    "text",
    [
        "What did he do before this job? I want a track record.",
        "How much is the MassBio membership fee? Money is short here.",
        "Could you tell me about his background, where did he work before this appointment?",
    ],
)
def test_a_remark_or_a_vaguer_ask_beside_an_unknown_part_is_not_answered(
    answerer: Answerer, text: str
) -> None:
    assert answerer.ask(text).kind is Kind.FALLBACK


def test_a_specific_question_beside_an_unknown_one_is_answered(answerer: Answerer) -> None:
    reply = answerer.ask("Where is Torsten based, and how long will he stay there?")
    assert reply.kind is Kind.ANSWER and "Boston" in reply.text


@pytest.mark.parametrize(
    "text",
    [
        "Which hospitals in Boston are members of MassBio? Name a few?",
        "How much venture capital has the ambassador already brought to Medicon Valley?",
    ],
)
def test_names_and_results_so_far_are_not_held(answerer: Answerer, text: str) -> None:
    assert answerer.ask(text).kind is Kind.FALLBACK


def test_up_to_date_is_not_a_track_record(answerer: Answerer) -> None:
    assert answerer.ask("how up to date is this info").kind is Kind.ANSWER


def test_asking_to_confirm_asks_the_plain_question(answerer: Answerer) -> None:
    reply = answerer.ask(
        "On how many levels will Mr Jepsen work, if I have understood it correctly?"
    )
    assert reply.entry_id == "ambassador-three-levels"
    assert (
        answerer.ask("Is it true that MassBio was founded in 1985?").entry_id == "massbio-founded"
    )


def test_a_contraction_in_two_pieces_expands_before_its_first_piece() -> None:
    table = Shorthand({"y": "why", "y all": "you all"})
    assert table.expand(["y", "all", "ok"]) == ["you", "all", "ok"]
    assert table.expand(["y", "not"]) == ["why", "not"]


def test_shorthand_is_written_out_in_the_text_for_the_segmenter() -> None:
    table = Shorthand({"hwem": "hvem", "hwor": "hvor", "e": "er", "r": "are", "medl": "medlemmer"})
    assert table.respell("Hwem e manden, hwor sidder han?") == "hvem er manden, hvor sidder han?"
    # Not a letter of "R&D" or "e-mail", nor a word before a period (an abbreviation's
    # the segmenter keeps within its sentence).
    assert table.respell("R&D, e-mail") == "R&D, e-mail"
    assert table.respell("massbio medl. antal?") == "massbio medl. antal?"


def test_a_sign_off_fragment_is_not_searched(answerer: Answerer) -> None:
    assert answerer.ask("Much obliged, friend. Y'all take care now.").kind is Kind.GREETING
    reply = answerer.ask("Who is MVA's ambassador in Boston now?")
    assert reply.entry_id == "ambassador-who"  # "now" says nothing of what is asked


def test_a_follow_up_part_with_its_own_attribute_asks_only_that(answerer: Answerer) -> None:
    reply = answerer.ask(
        "what does MassBio stand for? and when was it founded? also how many members"
    )
    assert reply.entry_ids == ("massbio-what", "massbio-founded", "massbio-members")


def test_to_whom_it_may_concern_is_a_salutation() -> None:
    parts = split_message("To whom it may concern. When was MassBio founded?")
    assert [p.role for p in parts] == [Role.CONTEXT, Role.QUESTION]


@pytest.mark.parametrize(
    "text",
    [
        # a relative clause and a question word inside a statement
        "I saw that biotech employment grew ten percent a year, which is great.",
        "I'm writing a piece about cluster organisations and how they spend their money.",
        # a request turned down, curiosity that asks nothing, a plan
        "I know roughly what they do, no need to explain.",
        "My boss got curious after hearing about a Scandinavian cluster.",
        "need to put it in the budget by friday.",
        "Will use it to size the outreach list.",
    ],
)
def test_statements_with_question_words_are_context(text: str) -> None:
    assert [p.role for p in split_message(text)] == [Role.CONTEXT] * len(split_message(text))


@pytest.mark.parametrize(
    "text",
    [
        "Hi, I run a start-up in Aarhus, what does MassBio do.",
        "My question is what the ambassador is expected to do on the policy level.",
        "I should be grateful to receive information on the membership fee.",
        "I'm curious about the ambassador's tasks.",
        "need to know when MassBio was founded",
    ],
)
def test_questions_without_a_question_mark_still_ask(text: str) -> None:
    assert split_message(text)[-1].role is Role.QUESTION


def test_etc_can_end_a_sentence() -> None:
    parts = split_message("MassBio represents companies, hospitals etc. Need the founding year.")
    assert [p.text for p in parts] == [
        "MassBio represents companies, hospitals etc.",
        "Need the founding year.",
    ]


def test_an_alternative_after_context_is_not_a_question_of_its_own(answerer: Answerer) -> None:
    reply = answerer.ask(
        "Our chair asked me to find out whether this job has to do with money and investors,"
        " or is it more about science? Does his work involve bringing investment from America?"
    )
    assert len(reply.entry_ids) == 1  # not also "more about science" (the universities)
    assert reply.entry_id is not None and reply.entry_id.startswith("ambassador-")


def test_a_question_pointing_back_is_read_with_the_sentence_before(answerer: Answerer) -> None:
    reply = answerer.ask(
        "In your article there is a figure for how much of the world pipeline of new"
        " medications is located in Massachusetts. Could you tell me what that percentage is?"
    )
    assert reply.entry_id == "cluster-world-pipeline"
    # ... and a question answered on its own stays so when the sentence before steers it
    # nowhere ("how long MassBio has been around").
    reply = answerer.ask(
        "Somebody asked me the other day how long MassBio has been around and I totally"
        " blanked. When was it founded?"
    )
    assert reply.entry_id == "massbio-founded"


def test_what_someone_is_going_to_be_doing_asks_what_he_does() -> None:
    ws = "what is torsten jepsen actually going to be doing here".split()
    assert asks_what_it_does(ws)


def test_a_name_of_known_words_the_knowledge_base_never_writes_together(
    answerer: Answerer,
) -> None:
    reply = answerer.ask("When was the Biotechnology Industry Organization founded?")
    assert reply.kind is Kind.FALLBACK
    # Names it does write, subjects beside a title, acronyms and title case stay known.
    for question in (
        "When was the Massachusetts Biotechnology Council founded?",
        "In which city is based the Life Science Ambassador Torsten Jepsen?",
        "wat % of MA VC money goes to biotech",
        "When Was MassBio Founded?",
    ):
        assert answerer.ask(question).kind is Kind.ANSWER, question


def test_an_acknowledgement_before_a_follow_up_is_not_searched(answerer: Answerer) -> None:
    context = answerer.ask("Where can I read about Torsten Jepsen's background?").context
    assert context is not None
    assert answerer.ask("Fine. And how old is he?", context).kind is Kind.FALLBACK


def test_are_there_at_the_end_of_a_statement_asks_nothing() -> None:
    text = "We looked at Boston, since so many hospitals and research institutions are there."
    assert {p.role for p in split_message(text)} == {Role.CONTEXT}


@pytest.mark.parametrize(
    "text",
    [
        "ring me when u get a sec, 617-555-0199 - about space for danish cos",
        "Could someone from the ambassador team meet me for a coffee in Kendall next week?",
    ],
)
def test_more_ways_of_asking_to_be_contacted(answerer: Answerer, text: str) -> None:
    assert answerer.ask(text).kind is Kind.CONTACT


@pytest.mark.parametrize(
    "text", ["What's the policy side of his job about?", "what is he doing on the policy front"]
)
def test_a_side_or_front_of_the_work_is_one_of_its_levels(answerer: Answerer, text: str) -> None:
    reply = answerer.ask(text)
    assert reply.kind is Kind.ANSWER
    assert "best practices" in reply.text  # what the policy level is


def test_created_asks_for_a_founding_only_with_when(answerer: Answerer) -> None:
    reply = answerer.ask("How big a part of the state's new industrial jobs has biotech created?")
    assert reply.entry_id == "cluster-employment"
    assert answerer.ask("When was MassBio created?").entry_id == "massbio-founded"


def test_what_a_report_concluded_is_its_findings(answerer: Answerer) -> None:
    assert answerer.ask("What did the cluster mapping report conclude?").kind is Kind.FALLBACK
    reply = answerer.ask("Who did MVA conclude the Ambassador Program agreement with?")
    assert reply.entry_id == "massbio-mva-agreement"


def test_kia_ora_is_a_greeting(answerer: Answerer) -> None:
    assert answerer.ask("Kia ora!").kind is Kind.GREETING


@pytest.mark.parametrize(
    "text",
    [
        "G'day",
        "Grüezi, hello there",
        "Howzit!",
        "Namaste, hello team",
        "Bonjour!",
        "Bom dia, hello!",
        "Muchas gracias, have a nice day.",
        "Obrigado, bye",
    ],
)
def test_more_greetings(answerer: Answerer, text: str) -> None:
    assert answerer.ask(text).kind is Kind.GREETING


def test_these_days_asks_for_the_figure_with_its_date(answerer: Answerer) -> None:
    reply = answerer.ask(
        "MassBio: when was it founded, and how many members has it got these days?"
    )
    assert reply.entry_ids == ("massbio-founded", "massbio-members")
    assert "1985" in reply.text and "600" in reply.text


def test_a_year_the_knowledge_base_holds_does_not_date_another_part(answerer: Answerer) -> None:
    # "today" with 2026 says which day the figure is asked for; with 2000 to 2009, which
    # the knowledge base holds, the year belongs to the other part.
    reply = answerer.ask(
        "How many drugs are in development today, and how much did the cluster grow from "
        "2000 to 2009?"
    )
    assert reply.entry_ids == ("cluster-drug-pipeline", "cluster-growth")
    assert answerer.ask("How many drugs are in development today, in 2026?").kind is Kind.FALLBACK


def test_a_part_announcing_the_question_after_it_is_not_searched(answerer: Answerer) -> None:
    reply = answerer.ask(
        "My question is practical: how much does MassBio membership cost per year?"
    )
    assert reply.kind is Kind.FALLBACK
    assert "policy" not in reply.text


def test_a_yes_no_question_about_an_unknown_attributes_subject_details_it(
    answerer: Answerer,
) -> None:
    reply = answerer.ask(
        "What is the office address of MassBio in Cambridge? Do they welcome school groups?"
    )
    assert reply.kind is Kind.FALLBACK
    assert "platform" not in reply.text


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("Which companies has Torsten Jepsen worked for?", None),
        ("What year did MassBio come into existence?", "massbio-founded"),
        # "outfits" are companies; one "outfit" is an organisation.
        ("So how many biotech outfits are there in the Boston area anyway?", "cluster-companies"),
    ],
)
def test_more_ways_of_asking_a_known_attribute(
    answerer: Answerer, text: str, entry_id: str | None
) -> None:
    reply = answerer.ask(text)
    assert reply.entry_id == entry_id
    assert reply.kind is (Kind.ANSWER if entry_id else Kind.FALLBACK)


def test_wanting_to_become_one_is_no_application(answerer: Answerer) -> None:
    # Why he became one is asked of the ambassador; how one applies is not known.
    assert answerer.ask("Why did he want to become an ambassador?").kind is Kind.ANSWER
    assert answerer.ask("How do I become an ambassador myself?").kind is Kind.FALLBACK


def test_a_greeting_then_a_question_word_asks(answerer: Answerer) -> None:
    reply = answerer.ask("hi there what does massbio stand for")
    assert reply.entry_id == "massbio-what"
    assert answerer.ask("hi there how are you").kind is Kind.GREETING


def test_any_more_is_not_anymore(answerer: Answerer) -> None:
    reply = answerer.ask("Is any more detailed report on the Boston-Cambridge cluster planned?")
    assert reply.entry_id == "cluster-mapping-report"


def test_also_between_subject_and_verb_splits_nothing(answerer: Answerer) -> None:
    reply = answerer.ask("Does MVA also have an ambassador in San Diego?")
    assert reply.kind is Kind.FALLBACK
    assert "San Diego" in reply.text


def test_the_last_of_those_is_the_last_follow_up(answerer: Answerer) -> None:
    levels = answerer.ask("what are the three levels of the ambassador's work")
    reply = answerer.ask("and the last of those?", levels.context)
    assert reply.entry_id == "ambassador-organisational-level"


def test_typing_on_a_phone_asks_for_no_phone_number(answerer: Answerer) -> None:
    reply = answerer.ask("how many biotech companies in boston cambridge pls, typing on my phone")
    assert reply.entry_id == "cluster-companies"


def test_a_name_before_report_is_what_is_asked_about(answerer: Answerer) -> None:
    # "cluster" names the subject of "cluster mapping report", not the source of a claim
    # as "MVA's article says" does.
    reply = answerer.ask(
        "What's the link between MVA and MassBio? And is there any cluster mapping report planned?"
    )
    assert reply.entry_ids == ("massbio-mva-agreement", "cluster-mapping-report")


def test_a_question_about_the_present_gets_the_dated_answer(answerer: Answerer) -> None:
    reply = answerer.ask("Who is the ambassador in Boston these days?")
    assert reply.entry_id == "ambassador-who" and "2011" in reply.text
    # ... but nothing the knowledge base does not hold: its leadership.
    led = answerer.ask("who is running massbio these days?")
    assert led.kind is Kind.FALLBACK and "leadership" in led.text


def test_a_number_asked_for_is_the_figure_not_how_to_join(answerer: Answerer) -> None:
    reply = answerer.ask("u got info on the number of massbio members?")
    assert reply.entry_id == "massbio-members" and "600" in reply.text


def test_who_can_i_actually_talk_to(answerer: Answerer) -> None:
    assert answerer.ask("who can I actually talk to about the programme?").kind is Kind.CONTACT


def test_jobs_growth_is_employment_not_the_clusters_growth(answerer: Answerer) -> None:
    reply = answerer.ask("jobs growth in massachusetts biotech, last 5 yrs?")
    assert reply.entry_id == "cluster-employment" and "10 percent" in reply.text


def test_how_long_something_is_going_to_last_is_not_its_founding(answerer: Answerer) -> None:
    # "how long has it been going" asks for the founding; "how long is his term going to
    # last" for a duration the knowledge base does not hold.
    reply = answerer.ask(
        "How long is his term going to last?", Context("ambassador-appointed", "new ambassador")
    )
    assert reply.kind is Kind.FALLBACK and "duration" in reply.text
    assert answerer.ask("how long has massbio been going?").entry_id == "massbio-founded"


def test_who_held_the_post_before_someone_took_over(answerer: Answerer) -> None:
    reply = answerer.ask("Who was MVA's ambassador in Boston before Torsten Jepsen took over?")
    assert reply.kind is Kind.FALLBACK


def test_a_pronoun_points_at_the_person_its_sentence_names_not_an_unknown_name(
    answerer: Answerer,
) -> None:
    # "his" is the ambassador's, named in the sentence the question points back at, not
    # the person of the unknown name in an earlier sentence.
    reply = answerer.ask(
        "I co-invest with a small syndicate of former Philips engineers and we like to "
        "understand how these programmes work before we lean on them. I understood the "
        "ambassador has a policy role and a role helping individual firms, but there was "
        "also something called a platform level. What would that platform part of his "
        "work look like in practice?"
    )
    assert reply.kind is Kind.ANSWER and "platform level" in reply.text


def test_the_one_entry_giving_what_a_question_names_answers_a_weak_match(
    answerer: Answerer,
) -> None:
    # No entry is confident among the words around the question, but the question names
    # a subject and an attribute, and one entry of the shortlist gives exactly those.
    reply = answerer.ask(
        "for a short history paragraph in our newsletter I would like the year in which "
        "MassBio was first established"
    )
    assert reply.entry_id == "massbio-founded" and "1985" in reply.text
    # ... but not when the question names a place the entry does not cover.
    elsewhere = answerer.ask(
        "for a short history paragraph in our newsletter I would like the year in which "
        "the trade body of Stockholm was first established"
    )
    assert elsewhere.kind is Kind.FALLBACK


def test_but_i_would_like_splits_what_the_writer_has_from_what_they_want() -> None:
    parts = split_message("I have the member count already, but I'd like the growth figure.")
    assert [p.text for p in parts] == [
        "I have the member count already",
        "I'd like the growth figure.",
    ]


def test_of_entries_giving_what_is_named_the_one_giving_the_fewest_others_answers(
    answerer: Answerer,
) -> None:
    # The policy level's entry and the one about all three levels both give the policy
    # level; a weak match asking for it alone gets the first.
    reply = answerer.ask(
        "Could you walk me through the policy level of his work, in simple terms for our trustees?"
    )
    assert reply.entry_id == "ambassador-policy-level"


def test_there_at_the_end_is_the_place_of_the_sentence_before(answerer: Answerer) -> None:
    background = "Background: I sit on an investment committee in Oslo. "
    boston = answerer.ask(
        f"{background}A colleague said a big share of the world's drug pipeline sits in "
        "Massachusetts. What share of the global pipeline of new medicines is there?"
    )
    assert boston.entry_id == "cluster-world-pipeline" and "8 percent" in boston.text
    stockholm = answerer.ask(
        f"{background}A colleague said a big share of the world's drug pipeline sits in "
        "Stockholm. What share of the global pipeline of new medicines is located there?"
    )
    assert stockholm.kind is Kind.FALLBACK


def test_a_report_coming_out_is_the_forthcoming_mapping_report(answerer: Answerer) -> None:
    reply = answerer.ask("is a longer study of the boston cluster coming out soon?")
    assert reply.entry_id == "cluster-mapping-report"


@pytest.mark.parametrize(
    "text",
    [
        "On what levels is the ambassador going to operate?",
        "Through which levels will Jepsen do his job in Boston?",
    ],
)
def test_the_levels_asked_together_are_the_three_levels(answerer: Answerer, text: str) -> None:
    # Levels in the plural are the entry listing all three, not one level's entry and
    # not the key tasks.
    assert answerer.ask(text).entry_id == "ambassador-three-levels"


def test_of_entries_about_as_confident_the_one_asking_who_answers_who(answerer: Answerer) -> None:
    # "who" asks for a person: the entry whose question asks who, not the one about
    # what "man on the ground" means.
    reply = answerer.ask(
        "Who currently acts as Medicon Valley's life science ambassador over there in Boston?"
    )
    assert reply.entry_id == "ambassador-who"


def test_the_trade_association_is_massbio(answerer: Answerer) -> None:
    # The source calls MassBio "the trade association" of the cluster.
    assert answerer.ask("what's the trade association in boston called?").entry_id == "massbio-what"
    other = answerer.ask("When was BIO, the US national trade association for biotech, founded?")
    assert other.kind is Kind.FALLBACK


def test_who_opening_a_question_after_a_long_sentence_asks_who_the_subject_is(
    answerer: Answerer,
) -> None:
    # No entry is confident among the words of the sentence the question points back
    # at, but "who" opens the question and one entry about the ambassador asks who.
    reply = answerer.ask(
        "A colleague of mine says Medicon Valley now has an official Life Science "
        "Ambassador over in Boston-Cambridge, but she could not recall his name at all. "
        "Who is it?"
    )
    assert reply.entry_id == "ambassador-who" and "Jepsen" in reply.text


def test_the_end_of_an_appointment_and_who_pays_are_not_known(answerer: Answerer) -> None:
    ending = answerer.ask("When will the ambassador's appointment come to an end?")
    assert ending.kind is Kind.FALLBACK and "duration" in ending.text
    paying = answerer.ask("and who picks up the tab for his office in Boston?")
    assert paying.kind is Kind.FALLBACK and "budget" in paying.text


def test_he_does_not_point_back_at_a_place_the_knowledge_base_never_names(
    answerer: Answerer,
) -> None:
    reply = answerer.ask(
        "I studied in Tunisia and I am curious how start-ups find partners abroad, because "
        "in Tunisia it is hard. What exactly does he do at the organisational level for "
        "small firms?"
    )
    assert reply.entry_id == "ambassador-organisational-level"
    # ... while a person the knowledge base never names is still who "he" is.
    person = answerer.ask("What did the chairman of SwedenBIO do before? Was he at a VC fund?")
    assert person.kind is Kind.FALLBACK


def test_what_the_answer_is_for_neither_sinks_nor_steers_the_question(answerer: Answerer) -> None:
    reply = answerer.ask(
        "For our board paper on clusters, I need to know how many biotech firms the "
        "Boston-Cambridge cluster holds."
    )
    assert reply.entry_id == "cluster-companies" and "480" in reply.text


def test_a_long_question_answers_from_a_lower_confidence(answerer: Answerer) -> None:
    # Its many words spread the confidence: 0.387 here, under the short questions' 0.40.
    reply = answerer.ask(
        "I've backed a few early-stage device companies and I'm curious, being a money "
        "person: is bringing American investment over to your side of the pond really part "
        "of this ambassador's job, or is he more of a handshake-and-lunch type of diplomat?"
    )
    assert reply.entry_id == "ambassador-venture-capital"


def test_a_greeting_around_a_stated_question_answers_it(answerer: Answerer) -> None:
    reply = answerer.ask(
        "Hi there! I coordinate a start-up programme in Porto and we are writing a guide "
        "for founders going to the US. The part I still need to fill in is when MassBio "
        "was founded, since our notes do not say. Best wishes"
    )
    assert reply.entry_id == "massbio-founded" and "1985" in reply.text
    # ... but a statement asking for nothing is still small talk around a greeting.
    small_talk = answerer.ask("Hi! I'm Anna from Lund, where I study how clusters grow. Cheers")
    assert small_talk.kind is Kind.GREETING


def test_a_reason_after_since_my_is_not_part_of_the_question() -> None:
    assert without_politeness("How many firms are there, since my figures are old").strip() == (
        "How many firms are there"
    )
    kept = "How much has it grown, since 2009"
    assert without_politeness(kept) == kept


def test_an_offer_to_be_reached_asks_for_no_one(answerer: Answerer) -> None:
    reply = answerer.ask(
        "Who is your ambassador in Boston? I'm on a train, back at my desk in an hour if "
        "you need to reach me."
    )
    assert reply.entry_id == "ambassador-who"
    # ... while a polite request with "if" still asks.
    asked = answerer.ask("I'd be grateful if someone from your staff could call me next week.")
    assert asked.kind is Kind.CONTACT


def test_a_person_of_another_clause_is_not_the_one_to_meet(answerer: Answerer) -> None:
    # "meet potential partners ... how can the ambassador help": the ambassador is in the
    # question after, not the one the writer wants to meet.
    reply = answerer.ask(
        "our lab would like to meet potential partners in massachusetts how can the "
        "ambassador help us with that"
    )
    assert reply.entry_id == "ambassador-organisational-level"
    # Punctuated, the question still points back at what the writer wants done.
    reply = answerer.ask(
        "our lab would like to meet potential partners in massachusetts. How can the "
        "ambassador help us with that?"
    )
    assert reply.entry_id == "ambassador-organisational-level"


def test_of_entries_about_as_confident_the_narrowest_gives_the_level_asked(
    answerer: Answerer,
) -> None:
    reply = answerer.ask("Can you please explain the policy level of the ambassador's work to me?")
    assert reply.entry_id == "ambassador-policy-level"


def test_help_for_individual_companies_is_the_organisational_level(answerer: Answerer) -> None:
    # The source: he will help companies and universities "on individual basis".
    reply = answerer.ask("What will he do to support individual companies and universities?")
    assert reply.entry_id == "ambassador-organisational-level"


@pytest.mark.parametrize(
    "question",
    [
        "How much venture capital did the ambassador attract in his first year?",
        "Which funds did Torsten Jepsen attract in the first year?",
    ],
)
def test_what_he_achieved_in_his_first_year_is_not_known(answerer: Answerer, question: str) -> None:
    """The source announces his tasks; what came of them in his first year is its track
    record, which it cannot give: not his task stated as what he did."""
    reply = answerer.ask(question)
    assert reply.kind is Kind.FALLBACK


def test_jobs_that_came_out_of_biotech_are_not_a_report_s_findings(answerer: Answerer) -> None:
    """ "came out" asks for findings only of a report ("did the mapping report come out"):
    "came out of biotech" is where the jobs came from."""
    reply = answerer.ask("Roughly how many of the state's new industrial jobs came out of biotech?")
    assert reply.kind is Kind.ANSWER and "half" in reply.text
    assert answerer.ask("What came out of the cluster mapping report?").kind is Kind.FALLBACK


def test_a_piece_about_the_boston_ambassador_is_the_article(answerer: Answerer) -> None:
    """The topic of a text ("a piece about the Boston ambassador") is not what is asked
    about, with a known place's words before it too; "piece" is the article."""
    reply = answerer.ask("What was the publication date of your piece about the Boston ambassador?")
    assert reply.kind is Kind.ANSWER and "4 July 2011" in reply.text


def test_after_an_attribute_not_held_a_pronoun_question_of_the_same_subject_is_answered(
    answerer: Answerer,
) -> None:
    """ "his e-mail" is not in the knowledge base, but where he is based is: "he" is the
    ambassador, not a detail of the question before."""
    reply = answerer.ask("whats torstens email and where is he based")
    assert reply.entry_ids == ("ambassador-location",) and "Boston" in reply.text
    founded = answerer.ask("whats massbio's address and when was it founded")
    assert founded.entry_ids == ("massbio-founded",) and "1985" in founded.text
    unknown = answerer.kb.message("near_miss_attribute", subject="MassBio", attribute="the address")
    assert unknown in founded.text


@pytest.mark.parametrize(
    "question",
    [
        # "he" is the CEO, whom the knowledge base does not know: not the ambassador.
        "what is the ceo of massbio called and where is he based",
        # "what did he study" says too little to be a question of its own.
        "Which company did he work for before he became the ambassador, and what did he study?",
    ],
)
def test_a_pronoun_after_an_attribute_of_people_or_saying_little_details_the_question(
    answerer: Answerer, question: str
) -> None:
    assert answerer.ask(question).kind is Kind.FALLBACK


@pytest.mark.parametrize(
    "question",
    [
        "How many drugs are the Danish biotech companies having in development?",
        "What share of Swedish venture capital goes to biotech?",
    ],
)
def test_a_figure_of_a_nationality_is_a_figure_of_another_place(
    answerer: Answerer, question: str
) -> None:
    reply = answerer.ask(question)
    assert reply.kind is Kind.FALLBACK
    assert not reply.entry_ids


def test_a_nationality_outside_a_figure_still_answers(answerer: Answerer) -> None:
    reply = answerer.ask("Can the ambassador help Danish start-ups meet partners in Boston?")
    assert reply.kind is Kind.ANSWER


def test_a_request_to_send_information_neither_sinks_nor_steers_the_question(
    answerer: Answerer,
) -> None:
    reply = answerer.ask("pls send info abt how many members massbio has thx")
    assert reply.entry_id == "massbio-members" and "600" in reply.text


def test_kb_check_rejects_bad_people_and_nationality_fields_with_file_and_line(
    tmp_path: Path,
) -> None:
    about = yaml.safe_load((DEFAULT_KNOWLEDGE_DIR / "subjects.yaml").read_text())
    about["attributes"][0]["of_people"] = "yes"
    about["places"]["from_other"] = {"danish": ["Denmark"]}
    entries = yaml.safe_load((DEFAULT_KNOWLEDGE_DIR / "massbio.yaml").read_text())
    source = (DEFAULT_KNOWLEDGE_DIR / "sources" / "mva-2011-boston.txt").read_text()
    replace = {"subjects.yaml": about, "sources/mva-2011-boston.txt": source}
    directory = write_kb(tmp_path, entries["entries"], replace=replace)
    routing = yaml.safe_load((DEFAULT_KNOWLEDGE_DIR / "routing.yaml").read_text())
    (directory / "routing.yaml").write_text(yaml.safe_dump(routing))
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    messages = [str(i) for i in caught.value.issues]
    assert any("subjects.yaml:" in m and "of_people" in m for m in messages), messages
    assert any("subjects.yaml:" in m and "from_other" in m for m in messages), messages
    # Well-formed, both are accepted (the other entries' follow-ups still fail here).
    about["attributes"][0]["of_people"] = True
    about["places"]["from_other"] = {"danish": "Denmark"}
    (directory / "subjects.yaml").write_text(yaml.safe_dump(about, allow_unicode=True))
    with pytest.raises(KnowledgeError) as again:
        load_knowledge(directory)
    assert not [i for i in again.value.issues if "subjects.yaml" in str(i)]


@pytest.mark.parametrize("text", ["yooo hey", "hiii", "byeee", "thanksss"])
def test_a_greeting_with_a_letter_held_down_is_a_greeting(answerer: Answerer, text: str) -> None:
    assert answerer.ask(text).kind is Kind.GREETING


def test_a_list_of_questions_of_one_head_is_several_questions(answerer: Answerer) -> None:
    reply = answerer.ask(
        "Massachusetts biotech: share of public companies, share of market cap, share of the "
        "world drug pipeline?"
    )
    assert reply.entry_ids == (
        "cluster-public-companies",
        "cluster-market-cap",
        "cluster-world-pipeline",
    )


def test_r_is_are_but_r_and_d_stays_research(answerer: Answerer) -> None:
    assert answerer.ask("how many biotech cos r in boston cambridge").entry_id == (
        "cluster-companies"
    )
    assert answerer.ask("what share of r & d spending is biotech").entry_id == "cluster-rd-share"


def test_a_link_to_the_context_before_does_not_steer_the_question(answerer: Answerer) -> None:
    reply = answerer.ask(
        "In this connection, I should be grateful if you could tell me how many biotechnology "
        "companies are located in the Boston-Cambridge region according to your information."
    )
    assert reply.entry_id == "cluster-companies"


def test_a_time_after_a_topic_is_the_time_of_its_figure(answerer: Answerer) -> None:
    """ "The drugs in development ..., how many there were in 2005?": the year asks the
    topic's figure then, which the knowledge base does not hold; "and in Aarhus?" after
    a question of its own is a second question."""
    reply = answerer.ask(
        "The drugs in development in Boston-Cambridge, how many there were in 2005?"
    )
    assert reply.kind is Kind.FALLBACK and not reply.entry_ids
    both = answerer.ask("how many biotech companies are in boston, and in stockholm?")
    assert both.entry_ids == ("cluster-companies",) and "480" in both.text


def test_the_precise_proportion_points_at_the_share_the_sentence_before_names(
    answerer: Answerer,
) -> None:
    reply = answerer.ask(
        "Reading your article, I was struck by the claim that a sizeable share of the world's "
        "pipeline of new medicines is now located in Massachusetts. Might I trouble you for "
        "the precise proportion?"
    )
    assert reply.entry_id == "cluster-world-pipeline" and "8 percent" in reply.text


def test_a_time_after_the_source_is_not_in_the_knowledge_base(answerer: Answerer) -> None:
    reply = answerer.ask("What will biotech employment growth in Massachusetts be next year?")
    assert reply.kind is Kind.FALLBACK
    assert reply.text.startswith(answerer.kb.message("near_miss_time", time="next year"))


def test_the_exact_date_is_known_of_the_article_only(answerer: Answerer) -> None:
    """The article gives its own date; the mapping report's is only "later this year"."""
    month = answerer.ask("In which month exactly will the cluster mapping report be published?")
    assert month.kind is Kind.FALLBACK
    dated = answerer.ask("on what date did the mva article come out")
    assert dated.entry_id == "about-currency" and "4 July 2011" in dated.text
    assert answerer.ask("when will the cluster mapping report be published?").entry_id == (
        "cluster-mapping-report"
    )


def test_an_interjection_before_a_follow_up_is_nothing_asked(answerer: Answerer) -> None:
    previous = answerer.ask("How many biotech companies are there in Boston-Cambridge?")
    reply = answerer.ask(
        "ooh, and how many are there in Edinburgh, out of interest?", previous.context
    )
    assert reply.kind is Kind.FALLBACK


def test_the_organisational_one_is_one_of_the_levels_just_listed(answerer: Answerer) -> None:
    levels = answerer.ask("What are the three levels the ambassador works on?")
    reply = answerer.ask("what does the organizational one mean?", levels.context)
    assert reply.entry_id == "ambassador-organisational-level"


def test_a_download_link_is_not_known(answerer: Answerer) -> None:
    # The article announces the report; it gives no link to it.
    assert answerer.ask("Cluster mapping report. Download link.").kind is Kind.FALLBACK
    assert answerer.ask("Cluster mapping report?").kind is Kind.ANSWER


# -- session 13 --------------------------------------------------------------------


def test_a_two_word_shorthand_is_written_out_in_the_text_too() -> None:
    table = Shorthand({"an how": "and how", "mony": "many", "r d": "r d"})
    assert table.respell("firms, an how mony drugs?") == "firms, and how many drugs?"
    assert table.respell("an hour") == "an hour"  # "an" alone is the article
    assert table.respell("R & D") == "R & D"


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        # Scots spellings (shorthand.yaml): the first part kept, Aberdeen not known.
        ("Whit share o Massachusetts market capitalisation is biotech, an how mony biotech "
         "firms are there in Aberdeen?", ("cluster-market-cap",)),
        ("massbio foundit wen?", ("massbio-founded",)),
        # "with whom did he discuss": the dialogue with stakeholders (synonyms.yaml).
        ("Where is Torsten Jepsen based, and with whom did he discuss which tasks he "
         "should do?", ("ambassador-location", "ambassador-stakeholder-dialogue")),
        # The age of the article is its date, not MassBio's founding.
        ("how old is this article?", ("about-currency",)),
        ("what kind of stuff does massbio do for the companies in it",
         ("massbio-activities",)),
    ],
)  # fmt: skip
def test_more_wordings_find_their_entries(
    answerer: Answerer, text: str, entries: tuple[str, ...]
) -> None:
    assert answerer.ask(text).entry_ids == entries


def test_the_article_date_is_given_as_the_article_writes_it(answerer: Answerer) -> None:
    reply = answerer.ask("On what date was this piece about the Boston ambassador put out?")
    assert "4 July 2011" in reply.text and "04.07.2011" in reply.text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Could Mr Torsten Jepsen please send me a reply by e-mail?", Kind.CONTACT),
        ("I bid you good day and farewell.", Kind.GREETING),
        # Nothing but question words: no entry is more likely than another.
        ("so like how many are there and where r they all??", Kind.FALLBACK),
        # Said twice that it is today's figure: not 2011's.
        ("Latest count of biotech companies in Boston-Cambridge, as of this year?",
         Kind.FALLBACK),
    ],
)  # fmt: skip
def test_more_messages_get_their_kind(answerer: Answerer, text: str, kind: Kind) -> None:
    assert answerer.ask(text).kind is kind


def test_his_education_is_not_known(answerer: Answerer) -> None:
    previous = answerer.ask("Who is Torsten Jepsen?")
    reply = answerer.ask("Which university did he graduate from?", previous.context)
    assert reply.kind is Kind.FALLBACK and "education" in reply.text


def test_an_announced_question_is_split_from_the_background_before_it(
    answerer: Answerer,
) -> None:
    reply = answerer.ask(
        "a mate told me there is a guy from Medicon Valley over in Boston who helps "
        "companies, so my question is how exactly does he help single companies, like "
        "what does he do for a small firm on its own?"
    )
    assert reply.entry_id == "ambassador-organisational-level"


def test_a_code_of_letters_and_digits_is_no_unknown_name(answerer: Answerer) -> None:
    # "SS2" is a school year, not an organisation the knowledge base does not know.
    reply = answerer.ask(
        "Can you explain what MassBio does, in simple terms the SS2 students can understand?"
    )
    assert "SS" not in reply.text


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        # A question word after "and" asks of its own subject, not the previous question.
        ("Is MassBio non-profit? And where is the ambassador located?",
         ("massbio-mission", "ambassador-location")),
        # "and for how many years ...": a preposition before the question word.
        ("Who is the new ambassador in Boston and for how many years he will stay there?",
         ("ambassador-appointed",)),
        # "entered into an agreement": signed one (synonyms.yaml).
        ("With which American organisation has the Alliance entered into an agreement for "
         "the Ambassador Program?", ("massbio-mva-agreement",)),
        # What is turned down, then what is wanted.
        (
            "I don't need the whole story, just whether there is a formal agreement "
            "between MVA and MassBio and what it covers. Thanks.",
            ("massbio-mva-agreement",),
        ),
        # "as well as" between two words joins them, not two questions.
        ("does the figure include pharmaceuticals as well as biotech?",
         ("cluster-world-pipeline",)),
    ],
)  # fmt: skip
def test_clauses_and_follow_ups_within_a_message(
    answerer: Answerer, text: str, entries: tuple[str, ...]
) -> None:
    assert answerer.ask(text).entry_ids == entries


def test_according_to_your_article_asks_about_no_agreement(answerer: Answerer) -> None:
    # "according" stems like "accord" (an agreement); the sentence before says what
    # "that" is, and its names ("the Danish Association of Patent Attorneys") are the
    # writer's background, not what is asked about.
    reply = answerer.ask(
        "Dear Sir or Madam, In connection with a presentation I am preparing for the Danish "
        "Association of Patent Attorneys on the pharmaceutical pipeline in the United "
        "States, I have come across the claim that a significant proportion of the global "
        "pipeline of new medicines is concentrated in Massachusetts. According to your "
        "article, what proportion is that? I should be grateful for a precise figure."
    )
    assert reply.entry_ids == ("cluster-world-pipeline",)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("At which Boston hospital does Torsten Jepsen have his office?", Kind.FALLBACK),
        ("In what year was the Life Science Ambassador Programme first launched?",
         Kind.FALLBACK),
        ("Please, somebody write me e-mail back about services of ambassador.", Kind.CONTACT),
    ],
)  # fmt: skip
def test_near_misses_and_requests_in_more_words(answerer: Answerer, text: str, kind: Kind) -> None:
    assert answerer.ask(text).kind is kind


def test_a_date_in_an_answer_is_no_figure(answerer: Answerer) -> None:
    # "4 July 2011" and "04.07.2011" give a day: the entry on the article's date does
    # not answer "how many biotech companies ... today, right now?".
    assert (
        answerer.ask("How many biotech companies are in Boston-Cambridge today, right now?").kind
        is Kind.FALLBACK
    )
    reply = answerer.ask("On what date was this news about the new ambassador published?")
    assert reply.entry_id == "about-currency"


def test_an_older_persons_someone_meeting_him_one_day_is_no_request(answerer: Answerer) -> None:
    reply = answerer.ask(
        "My grandson wants to know what he wants to achieve, because maybe one day he can "
        "meet him. Where can we read more about Mr Jepsen and his aspirations?"
    )
    assert reply.kind is Kind.ANSWER and "interview" in reply.text


def test_what_the_writer_read_after_a_question_is_a_clause_of_its_own(
    answerer: Answerer,
) -> None:
    reply = answerer.ask(
        "what is the principal task of the new ambassador, I read something about money "
        "coming from America but I did not understand well?"
    )
    assert "venture capital" in reply.text
    assert answerer.ask("Is MassBio one of those outfits that's in it for the money?").entry_id == (
        "massbio-mission"
    )


def test_asked_to_look_into_reports_no_question(answerer: Answerer) -> None:
    parts = split_message(
        "I've been asked to look into what it would take for us to set up an arrangement "
        "like yours. A student asked me whether MassBio is a company that makes money."
    )
    assert parts[0].role is Role.CONTEXT
    assert parts[-1].text.startswith("whether MassBio") and parts[-1].role is Role.QUESTION


def test_a_repeated_preposition_shares_the_head_before_it(answerer: Answerer) -> None:
    parts = split_message("What share of venture capital, of R&D and of market cap is biotech?")
    assert [p.text for p in parts] == [
        "What share of venture capital",
        "What share of R&D",
        "What share of market cap is biotech?",
    ]
    # A question word or a year after the preposition is no item of the list.
    assert (
        len(split_message("Where is he based in Boston and in which year was he appointed?")) == 2
    )
    assert (
        len(split_message("Is Torsten Jepsen still ambassador in Boston right now, in 2026?")) == 1
    )


@pytest.mark.parametrize(
    "text",
    ["Aye, hullo there!", "Habari! Hope ur day is going well",
     "Good afternoon to you, and I trust this finds you well."],
)  # fmt: skip
def test_greetings_in_more_words(answerer: Answerer, text: str) -> None:
    assert answerer.ask(text).kind is Kind.GREETING


def test_scots_spellings_before_an_apostrophe_are_written_out(answerer: Answerer) -> None:
    assert answerer.shorthand.respell("Whit's his task, an' whaur's he based?") == (
        "what's his task, and where's he based?"
    )
    reply = answerer.ask("Whae's the ambassador, an' whaur's he based?")
    assert list(reply.entry_ids) == ["ambassador-who", "ambassador-location"]
    reply = answerer.ask("whit is it MassBio actually dis fur its members?")
    assert reply.entry_id == "massbio-activities"


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("Please advise as to the full formal name of the organization referred to as "
         "MassBio.", "massbio-what"),
        ("Might I enquire who presently holds the office of Life Science Ambassador in "
         "Boston-Cambridge?", "ambassador-who"),
    ],
)  # fmt: skip
def test_formal_wordings_find_their_entries(answerer: Answerer, text: str, entry_id: str) -> None:
    assert answerer.ask(text).entry_id == entry_id


def test_money_wise_asks_for_the_funding_task(answerer: Answerer) -> None:
    reply = answerer.ask("Which levels does he work on, and what is his job money-wise?")
    assert reply.entry_ids[0] == "ambassador-three-levels"
    assert len(reply.entry_ids) == 2
    assert "venture capital" in reply.text


def test_a_long_word_in_capitals_is_stressed_not_a_name(answerer: Answerer) -> None:
    reply = answerer.ask("What is the ambassador's main job when it comes to MONEY?")
    assert reply.kind is Kind.ANSWER and "venture capital" in reply.text
    assert answerer.ask("Does the ambassador work with BIO?").kind is Kind.FALLBACK


def test_a_short_question_pointing_at_the_sentence_before_asks_what_it_says(
    answerer: Answerer,
) -> None:
    reply = answerer.ask(
        "Your article is about statistics, but I am interested in the man. It seemed to "
        "say there is somewhere one could learn more about Mr Jepsen's background. "
        "Where might I find that?"
    )
    assert reply.entry_id == "ambassador-interview"


def test_one_points_at_the_thing_the_sentence_before_names(answerer: Answerer) -> None:
    reply = answerer.ask(
        "i remember your article said something about an in-depth report coming out. "
        "is there one planned, and what kind of report is it?"
    )
    assert reply.entry_id == "cluster-mapping-report"


def test_newfoundland_b_y_is_no_why(answerer: Answerer) -> None:
    reply = answerer.ask("Is there a report on the Boston cluster in the works, b'y?")
    assert reply.entry_id == "cluster-mapping-report"
    assert answerer.ask("How's she goin', b'ys?").kind is Kind.GREETING


def test_a_dictated_request_and_thanks_mark_where_the_question_is(answerer: Answerer) -> None:
    # No punctuation: "so my question is" starts the question, "thank you" ends it.
    reply = answerer.ask(
        "hi good evening i am a nurse in a hospital in manila and my cousin lives in "
        "odense and i read about the boston thing so my question is what is his job "
        "title exactly and where is he based thank you so much god bless"
    )
    assert list(reply.entry_ids) == ["ambassador-who", "ambassador-location"]
    reply = answerer.ask(
        "sorry for the long message i am using voice typing and my boss asked me to "
        "summarize the program for him so can you tell me what the ambassador does on "
        "the platform level thank you"
    )
    assert reply.entry_id == "ambassador-platform-level"
    # A subject before the request keeps it: "the lads ... want to know how big ...".
    parts = split_message("The lads at the harbour want to know how big the cluster is")
    assert len(parts) == 1


def test_a_label_naming_a_subject_is_what_the_question_after_it_asks_about(
    answerer: Answerer,
) -> None:
    assert answerer.ask("MVA-MassBio agrmt: purpose?").entry_id == "massbio-mva-agreement"
    # "Two figures needed:" still only announces.
    reply = answerer.ask("Two figures needed: when was MassBio founded? How many members?")
    assert list(reply.entry_ids) == ["massbio-founded", "massbio-members"]


def test_other_ambassadors_of_mva_are_not_torsten_jepsen(answerer: Answerer) -> None:
    reply = answerer.ask("Who are the other MVA ambassadors and in which cities are they based?")
    assert reply.entry_id == "programme-other-ambassadors" and reply.kind is Kind.FALLBACK


def test_kindly_after_a_salutation_starts_the_request(answerer: Answerer) -> None:
    reply = answerer.ask("Dear MVA, kindly advise when MassBio was founded. Thank you.")
    assert reply.entry_id == "massbio-founded"


def test_a_list_of_figures_separated_by_commas_asks_each(answerer: Answerer) -> None:
    reply = answerer.ask(
        "Three figures: number of biotech companies in Boston-Cambridge, growth "
        "2000-2009, and biotech's share of VC in Massachusetts?"
    )
    assert list(reply.entry_ids) == ["cluster-companies", "cluster-growth", "cluster-vc-share"]
    # Not a list of topics the writer will cover.
    reply = answerer.ask(
        "Structure: ambassador role, partner organisation, key figures. Question: is "
        "MassBio a government agency or a not-for-profit body?"
    )
    assert "massbio-what" in reply.entry_ids and "cluster-overview" not in reply.entry_ids
    # A request announcing the list with a colon asks each item, with no question mark.
    reply = answerer.ask(
        "Three numbers, please: biotech's share of the state's R&D spending, its share of "
        "venture capital investment, and its share of market capitalisation."
    )
    assert list(reply.entry_ids) == ["cluster-rd-share", "cluster-vc-share", "cluster-market-cap"]


def test_and_also_in_a_request_asks_a_second_thing(answerer: Answerer) -> None:
    reply = answerer.ask(
        "Kindly give the annual employment growth in Massachusetts biotech and also biotech "
        "share of public companies."
    )
    assert list(reply.entry_ids) == ["cluster-employment", "cluster-public-companies"]


def test_a_figure_as_stated_by_mva_is_mvas_figure_not_one_about_mva(answerer: Answerer) -> None:
    reply = answerer.ask(
        "Please indicate the growth figure for 2000 to 2009 exactly as stated by Medicon "
        "Valley Alliance."
    )
    assert reply.entry_ids == ("cluster-growth",)


def test_the_oresund_region_is_another_place_not_an_unknown_body(answerer: Answerer) -> None:
    # What the writer compares Boston with is theirs to compare; the question is Boston's.
    reply = answerer.ask(
        "For a comparison with the Öresund region, I need to know the growth of the "
        "Boston-Cambridge cluster."
    )
    assert reply.entry_ids == ("cluster-growth",)
    reply = answerer.ask("How many biotech companies are there in the Öresund region?")
    assert reply.kind is Kind.FALLBACK and "does not cover Öresund" in reply.text


def test_the_outcome_of_the_report_is_not_known(answerer: Answerer) -> None:
    reply = answerer.ask("What was the outcome of the cluster mapping report?")
    assert reply.kind is Kind.FALLBACK


def test_where_something_is_from_names_no_body(answerer: Answerer) -> None:
    reply = answerer.ask("Can the ambassador help Scandinavian companies find partners in Boston?")
    assert reply.entry_id == "ambassador-organisational-level"
    # A figure asked of where it is from is still another place's.
    assert answerer.ask("How many Scandinavian biotech companies are there?").kind is Kind.FALLBACK


def test_an_emoji_ends_a_sentence(answerer: Answerer) -> None:
    reply = answerer.ask(
        "we don't wanna make stuff up bc the comments are brutal 💀 so what % of "
        "massachusetts market capitalization is biotech?"
    )
    assert reply.entry_id == "cluster-market-cap"


def test_this_gentleman_is_the_ambassador(answerer: Answerer) -> None:
    assert answerer.ask("What is this gentleman's name?").entry_id == "ambassador-who"


def test_a_figure_of_another_sector_is_not_known_in_a_long_message(answerer: Answerer) -> None:
    reply = answerer.ask(
        "I run a small company in Aarhus making rapid tests for swine fever, and our "
        "investors want traction first. I have read about the cooperation with MassBio. "
        "My question is simple: how many of MassBio's member companies work in animal "
        "health or veterinary medicine? Thanks, Rasmus"
    )
    assert reply.kind is Kind.FALLBACK and "600" not in reply.text


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        # "Before I ..." says when the writer asks, not what.
        ("She pointed me at this Boston outfit, MassBio. Before I go knocking on anyone's "
         "door, what is it they actually do for their members?", "massbio-activities"),
        # purpose is no motivation of his own
        ("What is the purpose of the ambassador?", "ambassador-key-tasks"),
        ("Could you explain what this MassBio organisation actually works to do?",
         "massbio-activities"),
        # the part names the level; the sentence before it only all three
        ("I read that the ambassador will work on three levels. For the first one, the "
         "policy level, could you tell me what he will do there?", "ambassador-policy-level"),
        # "that share": of the sentence two back, the one before it names nothing
        ("There was a bit about how much of the world's medicines in development sit in "
         "Massachusetts. I've lost the page and she has gone home. What was that share "
         "again?", "cluster-world-pipeline"),
        # a remark that names nothing stands between the figure and "that percentage"
        ("The article says a part of the world's pipeline of new medicines is located in "
         "Massachusetts. That surprised me a lot. What is that percentage?",
         "cluster-world-pipeline"),
        # "that level" is the level the sentence before names, not its every word
        ("I read that the ambassador works on several levels, and one of them is called "
         "the platform level. What is the thinking behind that level?",
         "ambassador-platform-level"),
        ("My notes say the ambassador works on several levels, and one of them is the "
         "organisational level. What is the idea behind that level?",
         "ambassador-organisational-level"),
        # working alone or with a partner: the partnership with MassBio
        ("does the ambassador work alone?", "massbio-mva-agreement"),
        ("what will the ambassador be doing?", "ambassador-key-tasks"),
        ("In what American state is the cluster?", "cluster-location"),
    ],
)  # fmt: skip
def test_more_long_message_readings(answerer: Answerer, text: str, entry_id: str) -> None:
    assert answerer.ask(text).entry_id == entry_id


def test_a_wish_for_a_person_and_how_asks_for_the_person(answerer: Answerer) -> None:
    reply = answerer.ask(
        "I would like to contact a person at MVA about the programme. How I can do?"
    )
    assert reply.kind is Kind.CONTACT


def test_someone_elses_talking_asks_for_no_person(answerer: Answerer) -> None:
    reply = answerer.ask(
        "How were the tasks of your ambassador decided? Did he talk with somebody in the "
        "region before?"
    )
    assert reply.kind is Kind.ANSWER
    assert answerer.ask("Can I talk with somebody about the programme?").kind is Kind.CONTACT


def test_help_for_a_single_company_is_the_individual_basis(answerer: Answerer) -> None:
    reply = answerer.ask("what will he actually do for a single company like mine, hands on?")
    assert "potential partners" in reply.text


def test_when_is_it_due_after_the_report(answerer: Answerer) -> None:
    context = answerer.ask("Is there a cluster mapping report on Boston-Cambridge?").context
    assert answerer.ask("And when is it due?", context).entry_id == "cluster-mapping-report"


@pytest.mark.parametrize(
    ("text", "entry_ids"),
    [
        # what the answer is for asks nothing
        ("what's the email address for massbio's office? need it for my sources list", []),
        ("How many biotech companies were in Boston-Cambridge back in 1995? Need a baseline "
         "for comparison.", []),
        # who talks of it asks nothing
        ("what is this MassBio that everybody talking about?", ["massbio-what"]),
        ("Explain what he is to do at the policy level, and likewise what he is to do at "
         "the organisational level.",
         ["ambassador-policy-level", "ambassador-organisational-level"]),
        # the publisher's piece is the source
        ("How many biotechnology companies does the MVA piece say Boston-Cambridge has?",
         ["cluster-companies"]),
        ("# biotech cos bos-cambridge per MVA?", ["cluster-companies"]),
        ("I should be obliged to learn how many drugs are said to be in development in the "
         "Boston-Cambridge cluster.", ["cluster-drug-pipeline"]),
        ("It would assist my understanding considerably if you could set out, in plain "
         "terms, the levels at which your ambassador intends to conduct his work.",
         ["ambassador-three-levels"]),
        ("mva ambssdr boston who", ["ambassador-who"]),
        ("wat MVA sign wid massbio fa?", ["massbio-mva-agreement"]),
    ],
)  # fmt: skip
def test_more_english_voices(answerer: Answerer, text: str, entry_ids: list[str]) -> None:
    assert list(answerer.ask(text).entry_ids) == entry_ids


def test_formal_and_shorthand_lists_of_questions(answerer: Answerer) -> None:
    reply = answerer.ask(
        "I wish to inquire whether MassBio is a not-for-profit organization, and in which "
        "year it was founded."
    )
    assert list(reply.entry_ids) == ["massbio-mission", "massbio-founded"]
    # items written out by shorthand ("MA") are still found in the message
    reply = answerer.ask(
        "For the memo: biotech's share of MA public companies, its share of market cap, "
        "and the cluster's growth 2000-2009?"
    )
    assert list(reply.entry_ids) == [
        "cluster-public-companies", "cluster-market-cap", "cluster-growth"
    ]  # fmt: skip
    assert answerer.ask("Good afternoon, and I trust you are keeping well.").kind is (Kind.GREETING)


def test_a_reported_question_is_answered_and_a_plea_for_help_beside_it_is_not(
    answerer: Answerer,
) -> None:
    reply = answerer.ask(
        "One of the doctors asked me a question that I could not answer. He wanted to know "
        "which organisation is at the center of the development of the Boston-Cambridge "
        "cluster. Can you help me please? Big hug!"
    )
    assert list(reply.entry_ids) == ["massbio-what"]
    assert answerer.ask("Hi! Can you help me?").kind is Kind.GREETING


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("amb in bstn = who??", "ambassador-who"),
        ("pls wat % of wrld pipeline new meds in mass.?", "cluster-world-pipeline"),
    ],
)
def test_more_chat_spellings(answerer: Answerer, text: str, entry_id: str) -> None:
    assert answerer.ask(text).entry_id == entry_id


def test_an_agreement_executed_with_an_entity_is_the_one_signed(answerer: Answerer) -> None:
    reply = answerer.ask("With which entity has MVA executed an agreement on the programme?")
    assert reply.entry_id == "massbio-mva-agreement"


@pytest.mark.parametrize(
    "text",
    [
        "MassBio was founded in 1985. In which year was Medicon Valley Alliance itself founded?",
        "How many biotechnology companies does Boston-Cambridge have today, in the current "
        "year? Not the 2011 figure - the present-day one.",
    ],
)
def test_a_premise_or_a_qualifier_beside_a_question_is_not_answered(
    answerer: Answerer, text: str
) -> None:
    assert answerer.ask(text).kind is Kind.FALLBACK


def test_a_pronoun_after_an_unanswered_part_points_at_its_subject(answerer: Answerer) -> None:
    # "it" is MVA, not MassBio, whose members the knowledge base gives.
    reply = answerer.ask("When was MVA founded? And how many members does it have?")
    assert reply.kind is Kind.FALLBACK and "600" not in reply.text


@pytest.mark.parametrize(
    "text",
    [
        "when did mva publish the article",
        "On what date did MVA publish its piece announcing the Boston-Cambridge ambassador?",
    ],
)
def test_the_publisher_of_the_article_is_its_source_not_its_subject(
    answerer: Answerer, text: str
) -> None:
    assert answerer.ask(text).entry_id == "about-currency"


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("massbio fnded wen", "massbio-founded"),
        ("hw mny drgs in dev bstn cmbrdge??", "cluster-drug-pipeline"),
        ("what share of venture capital investment is bio tech", "cluster-vc-share"),
    ],
)
def test_yet_more_chat_spellings(answerer: Answerer, text: str, entry_id: str) -> None:
    assert answerer.ask(text).entry_id == entry_id


def test_items_and_abbreviations_of_a_list_of_shares_are_each_answered(
    answerer: Answerer,
) -> None:
    reply = answerer.ask(
        "Provide two values: (a) biotechnology's share of Massachusetts public companies; "
        "(b) biotechnology's approximate share of the state's market capitalization."
    )
    assert "16.5 percent" in reply.text and "10 percent" in reply.text
    # "Mass." before a capital goes on; before a question word it ends the sentence.
    reply = answerer.ask(
        "What share of Mass. VC investment is biotech, and what share of the state's market cap?"
    )
    assert list(reply.entry_ids) == ["cluster-vc-share", "cluster-market-cap"]


def test_what_the_writer_lacks_is_asked_by_the_questions_after_it(answerer: Answerer) -> None:
    reply = answerer.ask("what i do not get is the structure. like who did MVA actually sign with?")
    assert list(reply.entry_ids) == ["massbio-mva-agreement"]


def test_his_job_before_is_his_earlier_career(answerer: Answerer) -> None:
    reply = answerer.ask(
        "Like what was his job before?", context=answerer.ask("who is the ambassador").context
    )
    assert reply.kind is Kind.FALLBACK


def test_a_request_someone_else_turned_down_asks_nothing(answerer: Answerer) -> None:
    reply = answerer.ask(
        "Listen, I've been on the phone all morning with a PR guy who won't give me a "
        "straight answer. What exactly is he supposed to bring home from Massachusetts at the "
        "policy level?"
    )
    assert list(reply.entry_ids) == ["ambassador-policy-level"]


def test_the_man_mva_sent_over_is_the_ambassador(answerer: Answerer) -> None:
    assert answerer.ask("Who's the fella MVA sent over to Boston?").entry_id == "ambassador-who"
    reply = answerer.ask("Who'd he sit down with to figure out his tasks there?")
    assert reply.kind is not Kind.CONTACT


def test_when_the_writer_asks_is_not_what_they_ask(answerer: Answerer) -> None:
    # "our board" is no leadership asked about; "need to understand if" asks.
    reply = answerer.ask(
        "Before I propose anything to our board, I would need to understand if the "
        "ambassador helps also universities, and not only companies, to find partners."
    )
    assert reply.kind is Kind.ANSWER and "universities" in reply.text


def test_the_dane_is_the_ambassador(answerer: Answerer) -> None:
    assert answerer.ask("what's the Dane's name").entry_id == "ambassador-who"


def test_a_requirement_stated_is_asked(answerer: Answerer) -> None:
    reply = answerer.ask(
        "For our supplier register I require the postal address of the MassBio office in "
        "Cambridge. Could you provide it?"
    )
    assert reply.kind is Kind.FALLBACK and "address" in reply.text


def test_between_medicon_valley_and_the_us_is_across_the_atlantic(answerer: Answerer) -> None:
    reply = answerer.ask(
        "what is the ambassador supposed to create between Medicon Valley and the US?"
    )
    assert reply.entry_id == "ambassador-key-tasks"


def test_companies_there_after_where_he_is_based_are_the_places(answerer: Answerer) -> None:
    context = answerer.ask("where is the ambassador based").context
    reply = answerer.ask("how many biotech companies are there?", context=context)
    assert reply.entry_id == "cluster-companies"


def test_three_items_of_a_list_are_three_answers(answerer: Answerer) -> None:
    reply = answerer.ask(
        "State (a) biotech's share of Massachusetts public companies, (b) its share of the "
        "state's market capitalization, and (c) the share of the world's pipeline of new "
        "medications located in Massachusetts."
    )
    assert all(fact in reply.text for fact in ("16.5 percent", "10 percent", "8 percent"))
