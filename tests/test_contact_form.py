"""The contact request form as a pure state machine (bot/conversation/contact_form.py), with the
shipped knowledge base's texts and routing topics: consent, the field order, e-mail
validation, topics, the summary with Send / Edit / Cancel, length limits, hostile input
kept exactly, typed button labels, stale buttons, and replies that fit Telegram."""

from __future__ import annotations

import copy
from collections.abc import Iterable

import pytest

from bot.answering.answerer import Action, Kind, Reply
from bot.conversation.contact_form import (
    EDITABLE,
    LIMITS,
    ContactForm,
    Form,
    Outcome,
    Step,
    valid_email,
)
from bot.knowledge.base import KnowledgeBase

pytestmark = pytest.mark.unit

RETENTION_DAYS = 30
CALLBACK_PREFIX = "k:"  # bot/conversation/callback_data.py FORM
MAX_CALLBACK_BYTES = 64  # Telegram's limit on callback data

HOSTILE = [
    "<b>x</b> & <3",
    "Anna 👩‍🔬🇩🇰 Jensen",
    "\u200fשלום\u200f Anna",  # right-to-left marks
    "An\u200bna\u200d\ufeff",  # zero-width space, joiner, BOM
    "'; DROP TABLE tickets; --",
    "{name} %s {0} \\n",
    "  leading and trailing spaces  ",
]


@pytest.fixture
def cf(shipped_kb: KnowledgeBase) -> ContactForm:
    return ContactForm(shipped_kb, retention_days=RETENTION_DAYS)


def check_replies(replies: Iterable[Reply]) -> None:
    """Every form reply is of kind FORM with options whose callback data fits Telegram."""
    for reply in replies:
        assert reply.kind is Kind.FORM
        assert reply.text
        for option in reply.options:
            assert option.action is Action.FORM
            assert option.label
            assert len((CALLBACK_PREFIX + option.value).encode("utf-8")) <= MAX_CALLBACK_BYTES


def text(cf: ContactForm, form: Form, typed: str) -> Outcome:
    outcome = cf.on_text(form, typed)
    check_replies(outcome.replies)
    return outcome


def choose(cf: ContactForm, form: Form, value: str) -> Outcome:
    outcome = cf.on_choice(form, value)
    check_replies(outcome.replies)
    return outcome


def only_form(outcome: Outcome) -> Form:
    assert outcome.form is not None
    assert outcome.submitted is None
    assert not outcome.unanswered
    return outcome.form


def values(reply: Reply) -> list[str]:
    return [o.value for o in reply.options]


def fill(
    cf: ContactForm,
    *,
    name: str = "Anna Jensen",
    organisation: str = "Novo Nordisk",
    email: str | None = None,
    topic: str | None = "massbio",
    message: str = "How do I join?",
    start_topic: str | None = None,
) -> Form:
    """Walk the form from the start to the summary."""
    start = cf.start(start_topic)
    check_replies(start.replies)
    form = only_form(choose(cf, only_form(start), "agree"))
    form = only_form(text(cf, form, name))
    form = only_form(text(cf, form, organisation))
    if email is None:
        form = only_form(choose(cf, form, "via:telegram"))
    else:
        form = only_form(choose(cf, form, "via:email"))
        form = only_form(text(cf, form, email))
    if start_topic is None:
        assert topic is not None
        form = only_form(choose(cf, form, f"topic:{topic}"))
    form = only_form(text(cf, form, message))
    assert form.step is Step.SUMMARY
    return form


# -- consent -----------------------------------------------------------------------------


def test_start_shows_the_privacy_notice_with_agree_and_decline(
    cf: ContactForm, shipped_kb: KnowledgeBase
) -> None:
    outcome = cf.start()
    form = only_form(outcome)
    assert form.step is Step.CONSENT and form.data == {}
    (reply,) = outcome.replies
    assert reply.text == shipped_kb.message("contact_privacy", retention_days=RETENTION_DAYS)
    assert f"{RETENTION_DAYS} days" in reply.text
    assert values(reply) == ["agree", "decline"]
    assert [o.label for o in reply.options] == [
        shipped_kb.message("button_agree"),
        shipped_kb.message("button_decline"),
    ]


def test_decline_ends_the_form(cf: ContactForm, shipped_kb: KnowledgeBase) -> None:
    outcome = choose(cf, only_form(cf.start()), "decline")
    assert outcome.form is None and outcome.submitted is None
    assert [r.text for r in outcome.replies] == [shipped_kb.message("contact_declined")]


def test_agree_asks_the_name(cf: ContactForm, shipped_kb: KnowledgeBase) -> None:
    outcome = choose(cf, only_form(cf.start()), "agree")
    form = only_form(outcome)
    assert form.step is Step.NAME
    assert [r.text for r in outcome.replies] == [shipped_kb.message("form_name")]
    assert outcome.replies[0].options == ()


# -- the path through the form -----------------------------------------------------------


def test_full_path_in_telegram_skips_the_email(cf: ContactForm, shipped_kb: KnowledgeBase) -> None:
    form = only_form(choose(cf, only_form(cf.start()), "agree"))

    outcome = text(cf, form, "Anna Jensen")
    assert only_form(outcome).step is Step.ORGANISATION
    assert outcome.replies[0].text == shipped_kb.message("form_organisation")

    outcome = text(cf, form, "Novo Nordisk")
    assert only_form(outcome).step is Step.REPLY_VIA
    assert outcome.replies[0].text == shipped_kb.message("form_reply_via")
    assert values(outcome.replies[0]) == ["via:telegram", "via:email"]

    outcome = choose(cf, form, "via:telegram")
    assert only_form(outcome).step is Step.TOPIC
    assert outcome.replies[0].text == shipped_kb.message("form_topic")

    outcome = choose(cf, form, "topic:partnering")
    assert only_form(outcome).step is Step.MESSAGE
    assert outcome.replies[0].text == shipped_kb.message("form_message")

    outcome = text(cf, form, "We would like to meet Torsten.")
    assert only_form(outcome).step is Step.SUMMARY
    assert values(outcome.replies[0]) == ["send", "edit", "cancel"]
    assert form.data == {
        "name": "Anna Jensen",
        "organisation": "Novo Nordisk",
        "reply_via": "telegram",
        "topic": "partnering",
        "message": "We would like to meet Torsten.",
    }


def test_email_is_asked_validated_and_shown(cf: ContactForm, shipped_kb: KnowledgeBase) -> None:
    form = only_form(choose(cf, only_form(cf.start()), "agree"))
    form = only_form(text(cf, form, "Anna"))
    form = only_form(text(cf, form, "none"))
    outcome = choose(cf, form, "via:email")
    assert only_form(outcome).step is Step.EMAIL
    assert outcome.replies[0].text == shipped_kb.message("form_email")

    for bad in ("not-an-email", "a@b", "a@@b.com", "a..b@c.org", "anna@", "@example.org"):
        before = copy.deepcopy(form.data)
        outcome = text(cf, form, bad)
        assert only_form(outcome).step is Step.EMAIL
        assert [r.text for r in outcome.replies] == [shipped_kb.message("form_bad_email")]
        assert form.data == before

    outcome = text(cf, form, "  anna@example.org ")
    assert only_form(outcome).step is Step.TOPIC
    assert form.data["email"] == "anna@example.org"  # surrounding spaces dropped
    assert form.data["reply_via"] == "email"

    form = only_form(choose(cf, form, "topic:other"))
    form = only_form(text(cf, form, "Hi"))
    summary = cf.summary(form)
    assert shipped_kb.message("reply_by_email", email="anna@example.org") in summary
    assert shipped_kb.message("reply_in_telegram") not in summary


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("anna@example.org", True),
        ("anna.jensen+mva@sub.example.co.uk", True),
        ("o'neil@example.com", True),
        ("not-an-email", False),
        ("a@b", False),
        ("a@@b.com", False),
        ("a..b@c.org", False),
        ("anna@example..org", False),
        ("anna @example.org", False),
        ("anna@exa mple.org", False),
        ("", False),
        ("a" * 242 + "@example.org", True),  # 254 characters
        ("a" * 243 + "@example.org", False),  # 255 characters
    ],
)
def test_valid_email(address: str, ok: bool) -> None:
    assert valid_email(address) is ok


def test_topic_buttons_offer_every_routing_topic(
    cf: ContactForm, shipped_kb: KnowledgeBase
) -> None:
    reply = cf.prompt(Form(Step.TOPIC))
    assert [(o.label, o.value) for o in reply.options] == [
        (t.label, f"topic:{t.id}") for t in shipped_kb.topics
    ]
    assert len(reply.options) == len(shipped_kb.topics) >= 2


def test_a_topic_given_to_start_is_not_asked_again(
    cf: ContactForm, shipped_kb: KnowledgeBase
) -> None:
    start = cf.start("policy")
    assert only_form(start).data == {"topic": "policy"}
    form = only_form(choose(cf, only_form(start), "agree"))
    form = only_form(text(cf, form, "Anna"))
    form = only_form(text(cf, form, "MVA"))
    outcome = choose(cf, form, "via:telegram")
    assert only_form(outcome).step is Step.MESSAGE  # the topic step is skipped
    form = only_form(text(cf, form, "Hello"))
    assert form.step is Step.SUMMARY
    label = {t.id: t.label for t in shipped_kb.topics}["policy"]
    assert f"Topic: {label}" in cf.summary(form)


def test_a_topic_given_to_start_is_also_skipped_after_the_email(cf: ContactForm) -> None:
    form = fill(cf, email="anna@example.org", start_topic="press")
    assert form.data["topic"] == "press"


def test_an_unknown_start_topic_is_ignored_and_asked(cf: ContactForm) -> None:
    start = cf.start("no-such-topic")
    assert only_form(start).data == {}
    form = only_form(choose(cf, only_form(start), "agree"))
    form = only_form(text(cf, form, "Anna"))
    form = only_form(text(cf, form, "MVA"))
    assert only_form(choose(cf, form, "via:telegram")).step is Step.TOPIC


def test_summary_contains_every_answer(cf: ContactForm, shipped_kb: KnowledgeBase) -> None:
    form = fill(
        cf,
        name="Anna Jensen",
        organisation="Aarhus University",
        topic="investment",
        message="Which funds invest in Boston?",
    )
    summary = cf.summary(form)
    assert cf.prompt(form).text == summary
    assert summary == shipped_kb.message(
        "form_summary",
        name="Anna Jensen",
        organisation="Aarhus University",
        reply=shipped_kb.message("reply_in_telegram"),
        topic="Investment and venture capital",
        message="Which funds invest in Boston?",
    )
    for part in (
        "Anna Jensen",
        "Aarhus University",
        shipped_kb.message("reply_in_telegram"),
        "Investment and venture capital",
        "Which funds invest in Boston?",
    ):
        assert part in summary


def test_send_returns_the_answers(cf: ContactForm) -> None:
    form = fill(cf, email="anna@example.org", topic="press", message="Interview?")
    outcome = choose(cf, form, "send")
    assert outcome.form is None and not outcome.unanswered
    assert outcome.submitted == {
        "name": "Anna Jensen",
        "organisation": "Novo Nordisk",
        "reply_via": "email",
        "email": "anna@example.org",
        "topic": "press",
        "message": "Interview?",
    }


def test_send_after_an_edit_has_no_internal_keys(cf: ContactForm) -> None:
    form = fill(cf)
    form = only_form(choose(cf, form, "edit"))
    form = only_form(choose(cf, form, "field:name"))
    assert form.editing and form.data["_editing"] == "1"
    form = only_form(text(cf, form, "Anne"))
    assert not form.editing
    outcome = choose(cf, form, "send")
    assert outcome.submitted is not None
    assert "_editing" not in outcome.submitted
    assert not any(key.startswith("_") for key in outcome.submitted)
    assert outcome.submitted["name"] == "Anne"


def test_cancel_at_the_summary_ends_the_form(cf: ContactForm, shipped_kb: KnowledgeBase) -> None:
    outcome = choose(cf, fill(cf), "cancel")
    assert outcome.form is None and outcome.submitted is None
    assert [r.text for r in outcome.replies] == [shipped_kb.message("form_cancelled")]


# -- editing -----------------------------------------------------------------------------


def test_edit_offers_every_editable_field(cf: ContactForm, shipped_kb: KnowledgeBase) -> None:
    outcome = choose(cf, fill(cf), "edit")
    assert only_form(outcome).step is Step.EDIT
    (reply,) = outcome.replies
    assert reply.text == shipped_kb.message("form_edit_which")
    assert values(reply) == [f"field:{name}" for name in EDITABLE]
    assert [o.label for o in reply.options] == [
        shipped_kb.message(f"field_{name}") for name in EDITABLE
    ]


@pytest.mark.parametrize(
    ("field_name", "new_value"),
    [("name", "Anne Berg"), ("organisation", "Lund University"), ("message", "New text")],
)
def test_edit_a_text_field_asks_only_that_field(
    cf: ContactForm, shipped_kb: KnowledgeBase, field_name: str, new_value: str
) -> None:
    form = fill(cf)
    before = dict(form.data)
    form = only_form(choose(cf, form, "edit"))
    outcome = choose(cf, form, f"field:{field_name}")
    assert only_form(outcome).step is Step(field_name)
    assert outcome.replies[0].text == shipped_kb.message(f"form_{field_name}")
    outcome = text(cf, form, new_value)
    assert only_form(outcome).step is Step.SUMMARY
    assert form.data == {**before, field_name: new_value}
    assert new_value in outcome.replies[0].text
    assert values(outcome.replies[0]) == ["send", "edit", "cancel"]


def test_edit_the_topic(cf: ContactForm) -> None:
    form = fill(cf, topic="massbio")
    form = only_form(choose(cf, form, "edit"))
    form = only_form(choose(cf, form, "field:topic"))
    assert form.step is Step.TOPIC
    outcome = choose(cf, form, "topic:press")
    assert only_form(outcome).step is Step.SUMMARY
    assert form.data["topic"] == "press"
    assert "Press and media" in outcome.replies[0].text


def test_edit_reply_via_to_email_asks_the_email_then_returns_to_the_summary(
    cf: ContactForm, shipped_kb: KnowledgeBase
) -> None:
    form = fill(cf)
    before = dict(form.data)
    form = only_form(choose(cf, form, "edit"))
    form = only_form(choose(cf, form, "field:reply_via"))
    assert form.step is Step.REPLY_VIA
    form = only_form(choose(cf, form, "via:email"))
    assert form.step is Step.EMAIL
    assert only_form(text(cf, form, "a@b")).step is Step.EMAIL  # still validated
    outcome = text(cf, form, "anna@example.org")
    assert only_form(outcome).step is Step.SUMMARY  # not the topic or message again
    assert form.data == {**before, "reply_via": "email", "email": "anna@example.org"}
    assert shipped_kb.message("reply_by_email", email="anna@example.org") in outcome.replies[0].text


def test_edit_reply_via_back_to_telegram_drops_the_email(cf: ContactForm) -> None:
    form = fill(cf, email="anna@example.org")
    form = only_form(choose(cf, form, "edit"))
    form = only_form(choose(cf, form, "field:reply_via"))
    form = only_form(choose(cf, form, "via:telegram"))
    assert form.step is Step.SUMMARY
    outcome = choose(cf, form, "send")
    assert outcome.submitted is not None
    assert outcome.submitted["reply_via"] == "telegram"
    assert "email" not in outcome.submitted


# -- limits and empty text ---------------------------------------------------------------


def _form_at(step: Step) -> Form:
    data = {"name": "Anna", "organisation": "MVA", "reply_via": "telegram", "topic": "other"}
    if step is Step.EMAIL:
        data["reply_via"] = "email"
    keep = {
        Step.NAME: [],
        Step.ORGANISATION: ["name"],
        Step.EMAIL: ["name", "organisation", "reply_via"],
        Step.MESSAGE: ["name", "organisation", "reply_via", "topic"],
    }[step]
    return Form(step, {k: data[k] for k in keep})


def _long_value(field_name: str, length: int) -> str:
    if field_name == "email":
        return "a" * (length - len("@example.org")) + "@example.org"
    return "é" * length


@pytest.mark.parametrize("field_name", sorted(LIMITS))
def test_too_long_text_is_refused_with_the_limit(
    cf: ContactForm, shipped_kb: KnowledgeBase, field_name: str
) -> None:
    limit = LIMITS[field_name]
    form = _form_at(Step(field_name))
    before = copy.deepcopy(form.data)
    outcome = text(cf, form, _long_value(field_name, limit + 1))
    assert only_form(outcome).step is Step(field_name)
    assert form.data == before
    assert outcome.replies[0].text == shipped_kb.message("form_too_long", limit=limit)
    assert str(limit) in outcome.replies[0].text
    assert outcome.replies[1].text == shipped_kb.message(f"form_{field_name}")


@pytest.mark.parametrize("field_name", sorted(LIMITS))
def test_text_at_the_limit_is_accepted(cf: ContactForm, field_name: str) -> None:
    limit = LIMITS[field_name]
    form = _form_at(Step(field_name))
    value = _long_value(field_name, limit)
    outcome = text(cf, form, value)
    assert only_form(outcome).step is not Step(field_name)
    assert form.data[field_name] == value


def test_limits_are_the_documented_ones() -> None:
    assert LIMITS == {"name": 100, "organisation": 150, "email": 254, "message": 2500}


@pytest.mark.parametrize("step", [Step.NAME, Step.ORGANISATION, Step.EMAIL, Step.MESSAGE])
@pytest.mark.parametrize("empty", ["", "   ", "\n\t ", "\u200b\u200d", " \u2060 "])
def test_empty_text_is_refused(
    cf: ContactForm, shipped_kb: KnowledgeBase, step: Step, empty: str
) -> None:
    form = _form_at(step)
    before = copy.deepcopy(form.data)
    outcome = text(cf, form, empty)
    assert only_form(outcome).step is step
    assert form.data == before
    assert [r.text for r in outcome.replies] == [
        shipped_kb.message("form_empty"),
        shipped_kb.message(f"form_{step.value}"),
    ]


# -- hostile input -----------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_kept_exactly(cf: ContactForm, value: str) -> None:
    form = fill(cf, name=value, organisation=value, message=value)
    assert form.data["name"] == value
    assert form.data["organisation"] == value
    assert form.data["message"] == value
    assert value in cf.summary(form)  # shown as typed: escaping is the transport's job
    outcome = choose(cf, form, "send")
    assert outcome.submitted is not None
    assert outcome.submitted["name"] == value
    assert outcome.submitted["organisation"] == value
    assert outcome.submitted["message"] == value


def test_multiline_message_is_kept(cf: ContactForm) -> None:
    message = "Line one\n\n  indented line\r\nlast line\n"
    form = fill(cf, message=message)
    assert form.data["message"] == message


# -- typed answers at button steps -------------------------------------------------------


@pytest.mark.parametrize("typed", ["yes", "I agree", "i AGREE!", "  ok. ", "Sure"])
def test_typed_agreement(cf: ContactForm, typed: str) -> None:
    outcome = text(cf, Form(Step.CONSENT), typed)
    assert only_form(outcome).step is Step.NAME


@pytest.mark.parametrize("typed", ["no", "No, thanks", "decline", "STOP"])
def test_typed_decline(cf: ContactForm, shipped_kb: KnowledgeBase, typed: str) -> None:
    outcome = text(cf, Form(Step.CONSENT), typed)
    assert outcome.form is None
    assert [r.text for r in outcome.replies] == [shipped_kb.message("contact_declined")]


@pytest.mark.parametrize(
    ("typed", "step", "reply_via"),
    [
        ("email", Step.EMAIL, "email"),
        ("By e-mail", Step.EMAIL, "email"),
        ("e-mail", Step.EMAIL, "email"),
        ("In this chat", Step.TOPIC, "telegram"),
        ("telegram", Step.TOPIC, "telegram"),
        ("here", Step.TOPIC, "telegram"),
    ],
)
def test_typed_reply_via(cf: ContactForm, typed: str, step: Step, reply_via: str) -> None:
    form = Form(Step.REPLY_VIA, {"name": "Anna", "organisation": "MVA"})
    outcome = text(cf, form, typed)
    assert only_form(outcome).step is step
    assert form.data["reply_via"] == reply_via


@pytest.mark.parametrize(
    ("typed", "topic"),
    [
        ("MassBio and membership", "massbio"),
        ("massbio and membership.", "massbio"),
        ("Press and media", "press"),
        ("press", "press"),
        ("Something else", "other"),
    ],
)
def test_typed_topic(cf: ContactForm, typed: str, topic: str) -> None:
    form = Form(Step.TOPIC, {"name": "Anna", "organisation": "MVA", "reply_via": "telegram"})
    outcome = text(cf, form, typed)
    assert only_form(outcome).step is Step.MESSAGE
    assert form.data["topic"] == topic


def test_typed_send_edit_cancel_at_the_summary(cf: ContactForm) -> None:
    assert text(cf, fill(cf), "send").submitted is not None
    assert text(cf, fill(cf), "Send!").submitted is not None
    assert text(cf, fill(cf), "yes").submitted is not None
    assert only_form(text(cf, fill(cf), "Edit")).step is Step.EDIT
    cancelled = text(cf, fill(cf), "cancel")
    assert cancelled.form is None and cancelled.submitted is None


def test_typed_field_name_at_the_edit_step(cf: ContactForm) -> None:
    form = only_form(choose(cf, fill(cf), "edit"))
    assert only_form(text(cf, form, "How to reply")).step is Step.REPLY_VIA


@pytest.mark.parametrize(
    ("step", "typed"),
    [
        (Step.CONSENT, "What is MassBio?"),
        (Step.CONSENT, "maybe later"),
        (Step.REPLY_VIA, "yes"),
        (Step.REPLY_VIA, "by pigeon"),
        (Step.TOPIC, "I want to talk about funding"),
        (Step.TOPIC, ""),
        (Step.SUMMARY, "who is Torsten Jepsen?"),
        (Step.SUMMARY, "agree"),
        (Step.EDIT, "everything"),
        (Step.EDIT, "email"),
    ],
)
def test_other_text_at_a_button_step_is_unanswered(cf: ContactForm, step: Step, typed: str) -> None:
    data = {
        "name": "Anna",
        "organisation": "MVA",
        "reply_via": "telegram",
        "topic": "other",
        "message": "Hi",
    }
    form = Form(step, dict(data))
    outcome = cf.on_text(form, typed)
    assert outcome.unanswered
    assert outcome.form is form
    assert outcome.replies == () and outcome.submitted is None
    assert form.step is step and form.data == data


# -- stale buttons -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "value"),
    [
        (Step.CONSENT, "send"),
        (Step.CONSENT, "via:email"),
        (Step.NAME, "agree"),
        (Step.ORGANISATION, "topic:press"),
        (Step.REPLY_VIA, "topic:massbio"),
        (Step.REPLY_VIA, "agree"),
        (Step.EMAIL, "via:telegram"),
        (Step.TOPIC, "via:email"),
        (Step.TOPIC, "topic:no-such-topic"),
        (Step.MESSAGE, "send"),
        (Step.SUMMARY, "agree"),
        (Step.SUMMARY, "field:name"),
        (Step.EDIT, "field:email"),
        (Step.EDIT, "field:_editing"),
        (Step.EDIT, "send"),
    ],
)
def test_stale_choice_keeps_the_step_and_asks_again(
    cf: ContactForm, shipped_kb: KnowledgeBase, step: Step, value: str
) -> None:
    data = {"name": "Anna", "organisation": "MVA", "reply_via": "telegram", "topic": "other"}
    form = Form(step, dict(data))
    outcome = choose(cf, form, value)
    assert only_form(outcome).step is step
    assert form.data == data
    if step in (Step.NAME, Step.ORGANISATION, Step.EMAIL, Step.MESSAGE):
        # A step without buttons just asks its question again.
        assert outcome.replies == (cf.prompt(form),)
    else:
        assert len(outcome.replies) == 2
        assert outcome.replies[0].text == shipped_kb.message("form_use_buttons")
        assert outcome.replies[1] == cf.prompt(form)


# -- every reply fits Telegram -----------------------------------------------------------


def test_every_prompt_fits_telegram_callback_data(cf: ContactForm) -> None:
    data = {
        "name": "Anna",
        "organisation": "MVA",
        "reply_via": "email",
        "email": "anna@example.org",
        "topic": "partnering",
        "message": "Hi",
    }
    for step in Step:
        reply = cf.prompt(Form(step, dict(data)))
        check_replies([reply])
        assert reply.question == ""
    all_values = {o.value for step in Step for o in cf.prompt(Form(step, dict(data))).options}
    assert {"agree", "decline", "via:telegram", "via:email", "send", "edit", "cancel"} <= (
        all_values
    )
