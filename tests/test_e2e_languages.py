"""End to end: the bot in three languages, the real ``python -m bot run`` process against
the local Bot API server over HTTP (issue 11).

A user whose client is Danish gets /start and the command menu in Danish; a Swedish
question from a user whose client is English is answered in Swedish, and their contact
request goes through in Swedish while staff read an English card that says
"Language: Swedish", and the staff reply comes back under a Swedish header.
"""

from __future__ import annotations

import pytest

from bot.common.languages import Language
from bot.knowledge.base import KnowledgeBase, load_knowledge
from tests.support.botapi_server import FakeBotApi, SimChat, SimUser
from tests.test_e2e_contact_routing import REF, STAFF_WAIT
from tests.test_e2e_contact_routing import api as api  # the fixtures, re-exported
from tests.test_e2e_contact_routing import bot as bot
from tests.test_e2e_contact_routing import data_dir as data_dir
from tests.test_e2e_contact_routing import staff as staff
from tests.test_e2e_telegram_front import STAFF_CHAT, BotProcess

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def test_a_danish_client_gets_start_and_the_menu_in_danish(
    api: FakeBotApi, bot: BotProcess, kb: KnowledgeBase
) -> None:
    da = kb.translated(Language.DA)
    menu = api.commands(language_code="da")
    assert [c["description"] for c in menu] == [da.message(f"command_{c['command']}") for c in menu]
    assert menu[0]["description"] != api.commands()[0]["description"]  # not the English one
    mette = api.user("Mette", language_code="da")
    mette.send_text("/start")
    welcome = mette.wait_for_message("Velkommen")
    assert welcome.visible_text == da.message("welcome")
    assert welcome.buttons[0][0] == da.entries[da.start_topics[0]].question


def test_a_swedish_question_from_an_english_client_is_answered_in_swedish(
    api: FakeBotApi, bot: BotProcess, staff: tuple[SimChat, SimUser], kb: KnowledgeBase
) -> None:
    sv = kb.translated(Language.SV)
    sven = api.user("Sven", language_code="en")
    sven.send_text("Vem är ambassadör i Boston?")
    answer = sven.wait_for_message("Torsten Jepsen")
    assert sv.entries["ambassador-who"].answer.split(".")[0] in answer.visible_text
    labels = [label for label, _ in answer.buttons]
    assert sv.message("button_helpful") in labels
    assert sv.message("button_talk_to_person") in labels

    # The contact request, in Swedish all the way.
    sven.press(answer, button_text=sv.message("button_talk_to_person"))
    notice = sven.wait_for_message("/forget", after=answer)
    assert notice.visible_text == sv.message("contact_privacy", retention_days=180)
    sven.press(notice, button_text=sv.message("button_agree"))
    asked = sven.wait_for_message(sv.message("form_name"), after=notice)
    sven.send_text("Sven Svensson")
    asked = sven.wait_for_message(sv.message("form_organisation")[:20], after=asked)
    sven.send_text("Lund Bio AB")
    how = sven.wait_for_message(sv.message("form_reply_via"), after=asked)
    sven.press(how, button_text=sv.message("button_reply_telegram"))
    # The topic is the answer's (its "talk to a person" button carries it): no question.
    asked = sven.wait_for_message(sv.message("form_message")[:20], after=how)
    topic = kb.entries["ambassador-who"].contact_topic
    sven.send_text("Vi söker amerikanska investerare.")
    summary = sven.wait_for_message("Sven Svensson", after=asked)
    sven.press(summary, button_text=sv.message("button_send"))
    received = sven.wait_for_message("Sven Svensson", after=summary)
    found = REF.search(received.visible_text)
    assert found is not None
    ref = found.group(0)

    # Staff read English around the enquirer's words, and see the language.
    card = api.wait_for_message(STAFF_CHAT, f"🎫 {ref}", timeout=STAFF_WAIT)
    assert "Language: Swedish" in card.visible_text
    assert "Status: open" in card.visible_text
    assert "Vi söker amerikanska investerare." in card.visible_text
    assert {t.id: t.label for t in kb.topics}[topic] in card.visible_text  # in English

    group, bob = staff
    bob.send_text("Hej Sven, we will write soon.", chat=group, reply_to_message_id=card.message_id)
    header = sv.message("staff_reply_header", signature="Bob", ref=ref)
    relay = sven.wait_for_message(header, after=received, timeout=STAFF_WAIT)
    assert relay.visible_text == f"{header}\n\nHej Sven, we will write soon."
