"""Languages through the Telegram handlers (``Application.process_update``): the client's
language for /start, /language with its buttons (callback data ``l:``), and toasts and
buttons in the chat's language."""

from __future__ import annotations

import pytest

from bot.common.languages import Language
from bot.storage.database import ChatLanguage
from bot.telegram.render import label
from tests.support.telegram_rules import visible_text
from tests.test_telegram_handlers import USER, Harness
from tests.test_telegram_handlers import bot as bot  # the fixture, re-exported

pytestmark = pytest.mark.handlers


async def test_a_danish_client_gets_start_in_danish(bot: Harness) -> None:
    await bot.send("/start", language_code="da")
    [call] = bot.sent()
    da = bot.kb().translated(Language.DA)
    assert visible_text(call.params["text"], "HTML") == da.message("welcome")
    labels = [text for text, _ in bot.buttons(call)]
    assert labels == [label(da.entries[e].question) for e in da.start_topics]
    assert bot.rejected() == []


async def test_a_client_language_the_bot_does_not_speak_gets_english(bot: Harness) -> None:
    await bot.send("/start", language_code="nb")
    [call] = bot.sent()
    assert visible_text(call.params["text"], "HTML") == bot.kb().message("welcome")


async def test_language_buttons_switch_the_chat_and_its_buttons(bot: Harness) -> None:
    await bot.send("/language", language_code="en")
    [menu] = bot.sent()
    assert bot.buttons(menu) == [
        ("English", "l:en"),
        ("Dansk", "l:da"),
        ("Svenska", "l:sv"),
        ("✓ " + bot.kb().message("button_language_auto"), "l:auto"),
    ]
    await bot.press("l:sv", language_code="en")
    sv = bot.kb().translated(Language.SV)
    assert bot.request.last("answerCallbackQuery").status == 200
    assert visible_text(bot.sent()[-1].params["text"], "HTML") == sv.message("language_chosen")
    with bot.storage() as storage:
        assert storage.chat_language(USER) == ChatLanguage(Language.SV, chosen=True)
    # A button press takes the chat's language too: the follow-up is answered in Swedish,
    # under Swedish buttons.
    await bot.press("e:massbio-founded", language_code="en")
    answer = bot.sent()[-1]
    assert sv.entries["massbio-founded"].answer[:30] in visible_text(answer.params["text"], "HTML")
    labels = [text for text, _ in bot.buttons(answer)]
    assert sv.message("button_helpful") in labels and sv.message("button_not_helpful") in labels
    assert sv.message("button_talk_to_person") in labels
    await bot.press("l:auto", language_code="en")
    assert visible_text(bot.sent()[-1].params["text"], "HTML") == sv.message("language_automatic")
    assert bot.rejected() == []


async def test_language_typed_with_its_choice(bot: Harness) -> None:
    await bot.send("/language dansk")
    da = bot.kb().translated(Language.DA)
    assert visible_text(bot.sent()[-1].params["text"], "HTML") == da.message("language_chosen")


@pytest.mark.parametrize("data", ["l:xx", "l:", "l:DA", "l:auto:1"])
async def test_a_forged_language_button_gets_a_toast_in_the_chats_language(
    bot: Harness, data: str
) -> None:
    await bot.press(data, language_code="da")
    [ack] = bot.request.calls_to("answerCallbackQuery")
    assert ack.params["text"] == bot.kb().translated(Language.DA).message("button_unknown")
    assert bot.sent() == []
    with bot.storage() as storage:
        assert storage.chat_language(USER) is None


async def test_feedback_is_thanked_in_the_chats_language(bot: Harness) -> None:
    await bot.send("/language sv")
    await bot.press("e:massbio-founded")
    answer = bot.sent()[-1]
    helpful = next(data for _, data in bot.buttons(answer) if data.startswith("f:+"))
    await bot.press(helpful)
    ack = bot.request.last("answerCallbackQuery")
    assert ack.params["text"] == bot.kb().translated(Language.SV).message("feedback_thanks")
