"""What an enquirer meets in the conversation, transport-neutral (bot/conversation/dialogue.py):

- while a contact request is open, a question the knowledge base answers gets its
  answer, and staff see both in the ticket's thread; other messages go to staff, and a
  goodbye is answered as one;
- /help lists every command the chat can use;
- a button of a form that has ended still gets a reply;
- answers carry one date, where it belongs, and none about the bot itself;
- attachments reach staff only while a request is open.
"""

from __future__ import annotations

import re

import pytest

from bot.answering.answerer import Action, Kind, Option
from bot.conversation.dialogue import ENQUIRER_COMMANDS, GROUP_COMMANDS, Person
from bot.operations.services import Services
from bot.storage.contacts import ContactStore
from bot.storage.tickets import Ticket
from tests.test_privacy_data import (
    choose,
    deliver_outbox,
    fresh,
    submit_request,
)
from tests.test_privacy_data import services as services  # the fixture, re-exported

pytestmark = pytest.mark.unit

ALICE = Person(5151, 5151, "Alice")
GROUP = Person(5151, -100777, "Alice")


def open_ticket(services: Services) -> Ticket:
    ticket = submit_request(
        services.dialogue,
        ALICE,
        name="Alice Andersen",
        organisation="Acme Bio",
        email=None,
        topic="investment",
        message="We look for US investors.",
    )
    deliver_outbox(services.store)  # the card, so later messages thread on it
    return fresh(services.store, ticket)


def staff_texts(store: ContactStore, ticket: Ticket) -> list[str]:
    rows = store.db.execute(
        "SELECT text FROM outbox WHERE chat_id = ? AND action = 'send' ORDER BY id",
        [ticket.staff_chat_id],
    ).fetchall()
    return [row[0] for row in rows]


def thread(store: ContactStore, ticket: Ticket) -> list[tuple[str, str, str]]:
    rows = store.db.execute(
        "SELECT direction, author, text FROM ticket_messages WHERE ticket_id = ? ORDER BY id",
        [ticket.id],
    ).fetchall()
    return [tuple(row) for row in rows]


# -- while a request is open ------------------------------------------------------------


def test_the_confirmation_says_further_messages_reach_staff_until_close(
    services: Services,
) -> None:
    dialogue = services.dialogue
    submit_request(
        dialogue,
        ALICE,
        name="Alice Andersen",
        organisation="Acme Bio",
        email=None,
        topic="investment",
        message="Hello",
    )
    received = services.dialogue.desk.received_text(fresh_ticket(services))
    assert "anything else you write here goes to staff" in received
    assert "/close" in received


def fresh_ticket(services: Services) -> Ticket:
    ticket = services.store.open_ticket_of(ALICE.user_id)
    assert ticket is not None
    return ticket


def test_a_question_the_knowledge_base_answers_is_answered_and_staff_see_it(
    services: Services,
) -> None:
    ticket = open_ticket(services)
    [turn] = services.dialogue.text(ALICE, "when was massbio founded?")
    assert turn.reply.kind is Kind.ANSWER and turn.reply.entry_id == "massbio-founded"
    assert "Sent to staff" not in turn.reply.text
    assert ticket.ref in turn.reply.text  # the enquirer knows staff see it too
    assert turn.question_id is not None  # logged like any answered question
    # In the ticket's thread, marked as answered by the bot, and in the staff chat.
    *_, asked, answered = thread(services.store, ticket)
    assert asked == ("in", "Alice Andersen", "when was massbio founded?")
    assert answered[:2] == ("out", "the bot") and "1985" in answered[2]
    [notice] = staff_texts(services.store, ticket)
    assert ticket.ref in notice and "the bot answered" in notice
    assert "when was massbio founded?" in notice and "1985" in notice
    row = services.store.db.execute(
        "SELECT reply_to_message_id, maps_to_ticket FROM outbox WHERE text = ?", [notice]
    ).fetchone()
    assert row == (ticket.card_message_id, 1)  # threaded on the card; staff can reply to it


@pytest.mark.parametrize(
    "text",
    [
        "We will send the pitch deck tomorrow.",
        "More on our plan: we start in May.",  # the knowledge base would "answer" it
        "Could someone call me on Thursday?",
    ],
)
def test_other_messages_go_to_staff_as_before(services: Services, text: str) -> None:
    ticket = open_ticket(services)
    [turn] = services.dialogue.text(ALICE, text)
    assert turn.reply.text == services.kb.message("ticket_forwarded", ref=ticket.ref)
    [forwarded] = staff_texts(services.store, ticket)
    assert text in forwarded and "the bot answered" not in forwarded


def test_a_goodbye_is_answered_as_a_goodbye_and_the_request_stays_open(
    services: Services,
) -> None:
    ticket = open_ticket(services)
    [turn] = services.dialogue.text(ALICE, "thx, bye!")
    assert turn.reply.text.startswith(services.kb.message("greeting_bye"))
    assert "Feel free to ask another question" not in turn.reply.text
    assert "/close" in turn.reply.text and ticket.ref in turn.reply.text
    assert any("thx, bye!" in text for text in staff_texts(services.store, ticket))
    assert fresh(services.store, ticket).is_open


@pytest.mark.parametrize("text", ["thx, bye!", "thanks, bye", "Thanks a lot. Bye!"])
def test_a_goodbye_outside_a_request_is_a_goodbye(services: Services, text: str) -> None:
    [turn] = services.dialogue.text(ALICE, text)
    assert turn.reply.text == services.kb.message("greeting_bye")


# -- /help ----------------------------------------------------------------------------------


def test_help_lists_every_enquirer_command(services: Services) -> None:
    [turn] = services.dialogue.command(ALICE, "help")
    text = turn.reply.text
    for name in ENQUIRER_COMMANDS:
        line = f"/{name} – {services.kb.message(f'command_{name}')}"
        assert line in text.split("\n"), name
    assert {"/close", "/privacy", "/mydata", "/forget"} <= set(re.findall(r"/\w+", text))
    assert turn.reply.options  # the topics, as before


def test_help_in_a_group_lists_what_works_there(services: Services) -> None:
    [turn] = services.dialogue.command(GROUP, "help")
    listed = re.findall(r"^/(\w+) – ", turn.reply.text, re.M)
    assert listed == list(GROUP_COMMANDS)


def test_an_unknown_command_gets_the_help(services: Services) -> None:
    [turn] = services.dialogue.command(ALICE, "frobnicate")
    assert "/forget" in turn.reply.text


# -- stale buttons --------------------------------------------------------------------------


def test_a_button_of_a_form_that_has_ended_gets_a_reply(services: Services) -> None:
    dialogue = services.dialogue
    dialogue.command(ALICE, "contact")
    dialogue.command(ALICE, "cancel")
    turns = choose(dialogue, ALICE, "agree")
    assert [t.reply.text for t in turns] == [services.kb.message("form_ended")]
    assert services.store.form(ALICE.user_id) is None


# -- one date, where it belongs ---------------------------------------------------------------


def test_an_answer_dated_in_its_text_has_no_second_date(services: Services) -> None:
    [turn] = services.dialogue.text(ALICE, "how many members does massbio have")
    text = turn.reply.text
    assert turn.reply.entry_id == "massbio-members"
    assert "MVA's 2011 article" in text
    assert text.count("2011") == 1, text
    assert "(figure from 2011)" not in text
    assert text.rstrip().endswith("Medicon Valley Alliance")  # the source, undated


def test_every_answer_is_dated_once_where_it_belongs(services: Services) -> None:
    for entry in services.kb:
        if entry.not_in_source or "bot" in entry.subjects:
            continue
        [turn] = services.dialogue.choose(ALICE, Option(Action.ENTRY, "", entry.id))
        body, _, source = turn.reply.text.rpartition("\n\n")
        assert source.startswith("Source: "), entry.id
        assert "2011" in turn.reply.text, entry.id  # every answer still says its year
        if "2011" in body:
            assert "2011" not in source, entry.id  # not dated a second time below
        assert body.count("(figure from 2011)") <= 1, entry.id
        if "2011 article" in body:
            assert "(figure from 2011)" not in body, entry.id


def test_an_answer_about_the_bot_carries_no_source_line(services: Services) -> None:
    [turn] = services.dialogue.text(ALICE, "where does your information come from")
    assert turn.reply.entry_id == "about-source"
    assert "Source:" not in turn.reply.text
    assert "4 July 2011" in turn.reply.text  # the text itself says where it comes from


# -- attachments ----------------------------------------------------------------------------


def test_an_attachment_outside_a_request_gets_the_polite_reply(services: Services) -> None:
    [turn] = services.dialogue.attachment(ALICE, "photo", 17, "")
    assert turn.reply.text == services.kb.message("non_text")
    assert services.store.db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0


@pytest.mark.parametrize("kind", ["photo", "document", "voice"])
def test_an_attachment_in_a_request_is_copied_to_the_staff_chat(
    services: Services, kind: str
) -> None:
    ticket = open_ticket(services)
    [turn] = services.dialogue.attachment(ALICE, kind, 17, "our lab")
    what = services.kb.message(f"attachment_{kind}")  # "voice message"
    assert turn.reply.text == services.kb.message("attachment_forwarded", kind=what, ref=ticket.ref)
    (item,) = services.store.due()
    assert item.message.action == "copy" and item.message.chat_id == ticket.staff_chat_id
    assert (item.message.from_chat_id, item.message.from_message_id) == (ALICE.chat_id, 17)
    assert (
        item.message.reply_to_message_id == ticket.card_message_id and item.message.maps_to_ticket
    )
    assert item.message.text.startswith(f"📎 {ticket.ref} · Alice Andersen sent a {kind}:")
    assert item.message.text.endswith("\n\nour lab")
    assert thread(services.store, ticket)[-1] == ("in", "Alice Andersen", "our lab")


def test_a_sticker_in_a_request_is_not_relayed(services: Services) -> None:
    open_ticket(services)
    [turn] = services.dialogue.attachment(ALICE, "other", 17, "")
    assert turn.reply.text == services.kb.message("non_text")
    assert services.store.due() == []


def test_notices_are_not_form_steps(services: Services) -> None:
    """Ticket and privacy notices are kind notice; only the contact form's steps are form."""
    dialogue = services.dialogue
    open_ticket(services)
    [forwarded] = dialogue.text(ALICE, "One more thing for the staff: we start in May.")
    assert forwarded.reply.kind is Kind.NOTICE
    [confirm] = dialogue.command(ALICE, "forget")
    assert confirm.reply.kind is Kind.NOTICE and confirm.reply.options
