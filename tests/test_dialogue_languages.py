"""The conversation in three languages (bot/conversation/dialogue.py, issue 11):

- /start, the commands and the buttons speak the chat's language: the one chosen with
  /language, else the language of the last message, else the client's, else English;
- /language offers every language in its own name, its choice wins over the language
  of the messages, and "each message's own language" undoes it;
- the contact form, its errors, the confirmation (weekdays included), the header over
  a staff reply, /mydata, /forget and attachments are in the enquirer's language;
- staff read English around the enquirer's own words, with "Language: Danish" on the card.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.answering.answerer import Action, Kind, Option, Reply
from bot.common.languages import Language
from bot.conversation.callback_data import AUTOMATIC
from bot.conversation.dialogue import Person, Turn
from bot.knowledge.base import KnowledgeBase
from bot.operations.services import Services
from bot.storage.database import ChatLanguage
from bot.storage.tickets import Ticket
from bot.understanding.followups import Context
from tests.test_privacy_data import (
    STAFF_CHAT,
    choose,
    deliver_outbox,
    fresh,
    outbox_rows,
    submit_request,
)
from tests.test_privacy_data import services as services  # the fixture, re-exported

pytestmark = pytest.mark.unit

DANE = Person(4545, 4545, "Mette", client=Language.DA)
SWEDE_IN_ENGLISH = Person(4646, 4646, "Sven", client=Language.EN)
NO_CLIENT = Person(4747, 4747, "Kim")  # a client the bot does not speak (or none)
SATURDAY_NOON = datetime(2024, 1, 13, 12, 0, tzinfo=UTC)


def kb_in(services: Services, lang: Language) -> KnowledgeBase:
    return services.kb.translated(lang)


def labels(turn: Turn) -> list[str]:
    return [option.label for option in turn.reply.options]


def dane_request(services: Services) -> Ticket:
    """A contact request of DANE's, sent: its open ticket."""
    return submit_request(
        services.dialogue,
        DANE,
        name="Mette Hansen",
        organisation="Hansen Bio",
        email=None,
        topic="investment",
        message="Hej",
    )


def language_option(turn: Turn, lang: Language | None) -> Option:
    value = AUTOMATIC if lang is None else lang.value
    [option] = [o for o in turn.reply.options if o.value == value]
    assert option.action is Action.LANGUAGE
    return option


# -- /start, commands and the chat's language ---------------------------------------------


def test_start_and_the_commands_speak_the_clients_language(services: Services) -> None:
    da = kb_in(services, Language.DA)
    [welcome] = services.dialogue.command(DANE, "start")
    assert welcome.reply.text == da.message("welcome")
    assert welcome.reply.lang is Language.DA
    assert labels(welcome) == [da.entries[e].question for e in da.start_topics]
    [privacy] = services.dialogue.command(DANE, "privacy")
    assert privacy.reply.text == da.message("privacy", retention_days=180)
    [helped] = services.dialogue.command(DANE, "help")
    assert helped.reply.text.startswith(da.message("help"))
    assert f"/language – {da.message('command_language')}" in helped.reply.text
    assert f"/mydata – {da.message('command_mydata')}" in helped.reply.text
    # Nothing is stored by a command: the client's language is only the prior.
    assert services.storage.chat_language(DANE.chat_id) is None


def test_a_client_in_another_language_gets_english(services: Services) -> None:
    [welcome] = services.dialogue.command(NO_CLIENT, "start")
    assert welcome.reply.text == services.kb.message("welcome")
    assert services.dialogue.language(NO_CLIENT) is Language.EN


def test_the_prior_is_the_chats_language_else_the_clients(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each message is read with a hint: the language of the chat's last message, or,
    before it has one, the client's; the reply's language becomes the chat's."""
    asked: list[tuple[Language | None, Language | None]] = []
    answerers = services.dialogue.answerers

    def ask(
        text: str,
        context: Context | None = None,
        lang: Language | None = None,
        hint: Language | None = None,
    ) -> Reply:
        asked.append((lang, hint))
        reading = Language.SV if text.startswith("vem") else hint or Language.EN
        return answerers.for_language(reading).ask(text, context)

    monkeypatch.setattr(answerers, "ask", ask)
    services.dialogue.text(SWEDE_IN_ENGLISH, "vem är ambassadör i boston")
    assert services.storage.chat_language(SWEDE_IN_ENGLISH.chat_id) == ChatLanguage(
        Language.SV, chosen=False
    )
    services.dialogue.text(SWEDE_IN_ENGLISH, "ok")
    assert asked == [(None, Language.EN), (None, Language.SV)]
    # Commands and buttons follow the chat's language now, not the client's.
    assert services.dialogue.language(SWEDE_IN_ENGLISH) is Language.SV
    [start] = services.dialogue.command(SWEDE_IN_ENGLISH, "start")
    assert start.reply.text == kb_in(services, Language.SV).message("welcome")


def test_the_chats_language_is_written_when_it_changes_and_daily(services: Services) -> None:
    """Most messages cost no write: the same language is written again only a day on
    (the retention purge reads its time)."""
    dialogue, storage = services.dialogue, services.storage
    dialogue.text(DANE, "hvem er ambassadør i boston")
    first = storage.chat_language(DANE.chat_id)
    assert first is not None and first.language is Language.DA
    dialogue.text(DANE, "hvornår blev massbio grundlagt")
    again = storage.chat_language(DANE.chat_id)
    assert again is not None and again.ts == first.ts  # no write
    storage.db.execute(
        "UPDATE chat_languages SET ts = ts - 90000 WHERE chat_id = ?", [DANE.chat_id]
    )
    dialogue.text(DANE, "hvad laver massbio")
    later = storage.chat_language(DANE.chat_id)
    assert later is not None and later.ts > first.ts  # a day on: written again
    dialogue.text(DANE, "When was MassBio founded?")
    changed = storage.chat_language(DANE.chat_id)
    assert changed is not None and changed.language is Language.EN


# -- /language ------------------------------------------------------------------------------


def test_language_offers_each_language_in_its_own_name(services: Services) -> None:
    [menu] = services.dialogue.command(DANE, "language")
    da = kb_in(services, Language.DA)
    assert menu.reply.text == da.message("language_prompt")
    assert labels(menu) == [
        "English",
        "Dansk",
        "Svenska",
        "✓ " + da.message("button_language_auto"),
    ]
    assert [o.value for o in menu.reply.options] == ["en", "da", "sv", AUTOMATIC]
    assert {o.action for o in menu.reply.options} == {Action.LANGUAGE}


def test_a_chosen_language_wins_and_can_be_undone(services: Services) -> None:
    dialogue = services.dialogue
    sv = kb_in(services, Language.SV)
    [menu] = dialogue.command(DANE, "language")
    [chosen] = dialogue.choose(DANE, language_option(menu, Language.SV))
    assert chosen.reply.text == sv.message("language_chosen")
    assert chosen.reply.lang is Language.SV
    assert services.storage.chat_language(DANE.chat_id) == ChatLanguage(Language.SV, chosen=True)
    # Everything is Swedish now, whatever the client's language.
    [welcome] = dialogue.command(DANE, "start")
    assert welcome.reply.text == sv.message("welcome")
    [answer] = dialogue.text(DANE, "När grundades MassBio?")
    assert answer.reply.lang is Language.SV
    assert answer.reply.entry_id == "massbio-founded"
    assert sv.entries["massbio-founded"].answer in answer.reply.text
    # The menu ticks the choice; the last button goes back to each message's language.
    [menu] = dialogue.command(DANE, "language")
    assert "✓ Svenska" in labels(menu) and not labels(menu)[-1].startswith("✓")
    [undone] = dialogue.choose(DANE, language_option(menu, None))
    assert undone.reply.text == sv.message("language_automatic")
    assert services.storage.chat_language(DANE.chat_id) == ChatLanguage(Language.SV, chosen=False)


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("da", Language.DA),
        ("Dansk", Language.DA),
        ("danish", Language.DA),
        ("SV", Language.SV),
        ("svenska", Language.SV),
        ("sv-FI", Language.SV),
        ("English", Language.EN),
    ],
)
def test_language_takes_its_choice_typed_after_it(
    services: Services, argument: str, expected: Language
) -> None:
    [turn] = services.dialogue.command(NO_CLIENT, "language", argument)
    assert turn.reply.text == kb_in(services, expected).message("language_chosen")
    assert services.storage.chat_language(NO_CLIENT.chat_id) == ChatLanguage(expected, True)


@pytest.mark.parametrize("argument", ["klingon", "de", "norsk", "1"])
def test_a_language_the_bot_does_not_speak_shows_the_menu(
    services: Services, argument: str
) -> None:
    [turn] = services.dialogue.command(DANE, "language", argument)
    assert turn.reply.text == kb_in(services, Language.DA).message("language_prompt")
    assert services.storage.chat_language(DANE.chat_id) is None


def test_a_forged_language_choice_shows_the_menu_again(services: Services) -> None:
    [turn] = services.dialogue.choose(DANE, Option(Action.LANGUAGE, "", "xx"))
    assert turn.reply.text == kb_in(services, Language.DA).message("language_prompt")


# -- the contact form, tickets and staff ------------------------------------------------


def test_the_contact_form_speaks_danish_and_staff_read_english(services: Services) -> None:
    dialogue, da = services.dialogue, kb_in(services, Language.DA)
    [notice] = dialogue.command(DANE, "contact")
    assert notice.reply.text == da.message("contact_privacy", retention_days=180)
    assert labels(notice) == [da.message("button_agree"), da.message("button_decline")]
    [name] = dialogue.text(DANE, "ja")  # typed instead of pressed
    assert name.reply.text == da.message("form_name")
    [organisation] = dialogue.text(DANE, "Mette Hansen")
    assert organisation.reply.text == da.message("form_organisation")
    [reply_via] = dialogue.text(DANE, "Hansen Bio ApS")
    assert labels(reply_via) == [
        da.message("button_reply_telegram"),
        da.message("button_reply_email"),
    ]
    [email] = dialogue.text(DANE, "på mail")
    assert email.reply.text == da.message("form_email")
    [bad] = dialogue.text(DANE, "mette@")
    assert bad.reply.text == da.message("form_bad_email")
    [topic] = dialogue.text(DANE, "mette@hansen.example")
    assert labels(topic) == [t.label for t in da.topics]
    assert labels(topic) != [t.label for t in services.kb.topics]
    [message] = choose(dialogue, DANE, "topic:investment")
    assert message.reply.text == da.message("form_message")
    [too_long, again] = dialogue.text(DANE, "x" * 2501)
    assert too_long.reply.text == da.message("form_too_long", limit=2500)
    [summary] = dialogue.text(DANE, "Vi søger amerikanske investorer.")
    assert summary.reply.text.startswith(da.message("form_summary").split("\n")[0])
    assert labels(summary)[0] == da.message("button_send")
    [received] = dialogue.text(DANE, "send")
    assert {again.reply.lang, summary.reply.lang, received.reply.lang} == {Language.DA}

    ticket = services.store.open_ticket_of(DANE.user_id)
    assert ticket is not None and ticket.language is Language.DA
    expectation = da.message(
        "ticket_expect_closed", copenhagen="mandag kl. 09:00", new_york="mandag kl. 03:00"
    )
    assert services.desk.received_text(ticket, now=SATURDAY_NOON) == da.message(
        "ticket_received", name="Mette Hansen", ref=ticket.ref, expectation=expectation
    )
    # The card is English around the enquirer's words, and names the language.
    card, _ = services.desk.card(ticket)
    assert "Language: Danish" in card
    assert "Vi søger amerikanske investorer." in card
    assert services.kb.message("staff_status_open") in card
    assert {t.id: t.label for t in services.kb.topics}["investment"] in card


def test_the_confirmation_names_weekdays_in_the_enquirers_language(services: Services) -> None:
    for user_id, lang, monday in (
        (6001, Language.EN, "on Monday at 09:00"),
        (6002, Language.SV, "på måndag kl. 09:00"),
    ):
        who = Person(user_id, user_id, "Al", client=lang)
        ticket = submit_request(
            services.dialogue,
            who,
            name="Al Andersson",
            organisation="Lund Bio",
            email=None,
            topic="investment",
            message="Hej",
        )
        assert ticket.language is lang
        assert monday in services.desk.received_text(ticket, now=SATURDAY_NOON)


def test_a_staff_reply_reaches_the_enquirer_under_a_header_in_their_language(
    services: Services,
) -> None:
    ticket = dane_request(services)
    deliver_outbox(services.store)
    assert services.desk.staff_reply(fresh(services.store, ticket), "Anna", "Hi Mette!").delivered
    [relay] = outbox_rows(services.storage, "chat_id = ?", [DANE.chat_id])
    da = kb_in(services, Language.DA)
    header = da.message("staff_reply_header", signature="Anna", ref=ticket.ref)
    assert relay["text"] == f"{header}\n\nHi Mette!"
    # What staff are told stays English.
    cards = outbox_rows(services.storage, "chat_id = ? AND action != 'send'", [STAFF_CHAT])
    assert cards and all("Language: Danish" in card["text"] for card in cards)


def test_choosing_a_language_with_a_request_open_shows_on_the_card(services: Services) -> None:
    ticket = dane_request(services)
    deliver_outbox(services.store)
    services.dialogue.command(DANE, "language", "svenska")
    changed = fresh(services.store, ticket)
    assert changed.language is Language.SV
    [edit] = outbox_rows(services.storage, "action = 'edit_card'")
    assert "Language: Swedish" in edit["text"] and edit["ticket_id"] == ticket.id


def test_attachments_mydata_and_forget_speak_the_chats_language(services: Services) -> None:
    dialogue, da = services.dialogue, kb_in(services, Language.DA)
    ticket = dane_request(services)
    deliver_outbox(services.store)
    [sent] = dialogue.attachment(DANE, "voice", 17, "")
    assert sent.reply.text == da.message(
        "attachment_forwarded", kind=da.message("attachment_voice"), ref=ticket.ref
    )
    [mydata] = dialogue.command(DANE, "mydata")
    assert mydata.reply.text.startswith(da.message("mydata_intro"))
    assert mydata.reply.lang is Language.DA
    [asked] = dialogue.command(DANE, "forget")
    assert labels(asked) == [da.message("button_erase"), da.message("button_keep")]
    [done] = dialogue.choose(DANE, asked.reply.options[0])
    assert done.reply.text == da.message("forget_done")
    assert services.storage.chat_language(DANE.chat_id) is None  # erased with the rest


def test_a_goodbye_while_a_request_is_open_in_the_chosen_language(services: Services) -> None:
    ticket = dane_request(services)
    services.dialogue.command(DANE, "language", "da")
    [turn] = services.dialogue.text(DANE, "Vi sender præsentationen i morgen.")
    da = kb_in(services, Language.DA)
    assert turn.reply.text == da.message("ticket_forwarded", ref=ticket.ref)
    assert turn.reply.kind is Kind.NOTICE and turn.reply.lang is Language.DA


def test_a_danish_answer_carries_one_date_where_it_belongs(services: Services) -> None:
    [turn] = services.dialogue.text(DANE, "Hvornår blev MassBio grundlagt?")
    assert turn.reply.lang is Language.DA and turn.reply.entry_id == "massbio-founded"
    body, source = turn.reply.text.rsplit("\n\n", 1)
    assert "1985" in body and "2011" in body  # the answer dates itself ...
    assert source.startswith("Kilde:") and "2011" not in source  # ... so the source does not


def test_a_danish_question_mid_form_is_answered_and_the_form_resumes(services: Services) -> None:
    dialogue, da = services.dialogue, kb_in(services, Language.DA)
    dialogue.command(DANE, "contact")
    choose(dialogue, DANE, "agree")  # the form asks for a name now
    answer, resume = dialogue.text(DANE, "hvornår blev massbio grundlagt")  # no "?"
    assert answer.reply.entry_id == "massbio-founded" and answer.reply.lang is Language.DA
    assert resume.reply.text == f"{da.message('form_resume')}\n{da.message('form_name')}"
    saved = services.store.form(DANE.user_id)
    assert saved is not None and "name" not in saved.data


def test_staff_read_the_bots_danish_answer_in_english(services: Services) -> None:
    ticket = dane_request(services)
    deliver_outbox(services.store)
    [turn] = services.dialogue.text(DANE, "hvornår blev massbio grundlagt")
    da = kb_in(services, Language.DA)
    assert da.entries["massbio-founded"].answer in turn.reply.text
    assert turn.reply.text.endswith(da.message("ticket_answered_note", ref=ticket.ref))
    [notice] = outbox_rows(services.storage, "chat_id = ? AND action = 'send'", [STAFF_CHAT])
    assert "hvornår blev massbio grundlagt" in notice["text"]  # the enquirer's own words
    assert services.kb.entries["massbio-founded"].answer in notice["text"]  # the bot's, English
    assert da.entries["massbio-founded"].answer not in notice["text"]
    # The enquirer's thread (their /mydata) keeps what they were told.
    thread = services.store.ticket_messages(ticket.id)
    assert any(da.entries["massbio-founded"].answer in text for _, _, _, text, _ in thread)


def test_each_question_is_logged_with_the_language_it_was_answered_in(
    services: Services,
) -> None:
    [danish] = services.dialogue.text(DANE, "hvornår blev massbio grundlagt")
    [english] = services.dialogue.text(DANE, "when was massbio founded")
    ids = [turn.question_id for turn in (danish, english)]
    assert all(i is not None for i in ids)
    logged = [services.storage.question(i) for i in ids if i is not None]
    assert [q.language for q in logged if q is not None] == ["da", "en"]
