"""Attachments through the Telegram handlers and the outbox (copyMessage).

An enquirer's photo, document or voice note sent while a contact request is open is
copied to the staff chat, threaded on the card with the ticket's reference; outside a
request it gets the polite text-only reply. A staff member's photo or document sent as
a reply to a card or ticket message is copied to the enquirer, with or without a
caption. Both go through the outbox, so they survive a restart, and /forget erases what
is stored of them. Real PTB objects against the validating ``RecordingRequest``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.knowledge.base import KnowledgeBase
from bot.operations.config import Settings
from bot.storage.contacts import ContactStore
from bot.storage.database import Storage
from tests.support.telegram_rules import Call
from tests.support.updates import (
    TOKEN,
    make_photo_update,
    make_sticker_update,
    make_text_update,
    make_voice_update,
)
from tests.test_privacy_handlers import (
    ENQUIRER,
    FIRST_NAME,
    STAFF_USER,
    handle,
    pending,
    press,
    submit_request,
    texts,
    ticket_of,
    until,
)
from tests.test_telegram_handlers import STAFF_CHAT, Harness, start_app, stop_app
from tests.test_telegram_handlers import bot as bot  # the fixture, re-exported

pytestmark = pytest.mark.handlers


def copies(bot: Harness, chat_id: int) -> list[Call]:
    return [
        c
        for c in bot.request.calls_to("copyMessage")
        if c.status == 200 and int(c.params["chat_id"]) == chat_id
    ]


async def card_id(bot: Harness) -> int:
    with bot.storage() as storage:
        await until(lambda: ticket_of(storage).card_message_id, "the card")
        found = ticket_of(storage).card_message_id
    assert found is not None
    return found


async def test_a_photo_outside_a_request_gets_the_polite_reply(
    bot: Harness, shipped_kb: KnowledgeBase
) -> None:
    await handle(bot, make_photo_update(bot.app.bot, user_id=ENQUIRER, first_name=FIRST_NAME))
    assert texts(bot) == [shipped_kb.message("non_text")]
    assert bot.request.calls_to("copyMessage") == []


async def test_enquirer_attachments_reach_the_staff_chat_threaded_on_the_card(
    bot: Harness, shipped_kb: KnowledgeBase
) -> None:
    await submit_request(bot)
    card = await card_id(bot)
    photo = make_photo_update(
        bot.app.bot, caption="our <lab>", user_id=ENQUIRER, first_name=FIRST_NAME, message_id=77
    )
    await handle(bot, photo)
    assert texts(bot)[-1] == shipped_kb.message("attachment_forwarded", kind="photo", ref="#A-0001")
    await handle(
        bot, make_voice_update(bot.app.bot, user_id=ENQUIRER, first_name=FIRST_NAME, message_id=78)
    )
    await until(lambda: len(copies(bot, STAFF_CHAT)) == 2, "both copies")
    first, second = copies(bot, STAFF_CHAT)
    assert (first.params["from_chat_id"], first.params["message_id"]) == (ENQUIRER, 77)
    assert first.params["reply_parameters"]["message_id"] == card
    assert first.params["caption"] == "📎 #A-0001 · Zelda Quux sent a photo:\n\nour &lt;lab&gt;"
    assert second.params["message_id"] == 78 and "sent a voice" in second.params["caption"]
    assert bot.rejected() == []
    # Staff can reply to a copy as to the card: it belongs to the ticket.
    with bot.storage() as storage:
        copied_id = storage.db.execute(
            "SELECT sent_message_id FROM outbox WHERE action = 'copy' ORDER BY id LIMIT 1"
        ).fetchone()[0]
        assert ContactStore(storage).ticket_of_staff_message(STAFF_CHAT, copied_id) is not None


async def test_a_sticker_in_a_request_is_not_relayed(
    bot: Harness, shipped_kb: KnowledgeBase
) -> None:
    await submit_request(bot)
    await handle(bot, make_sticker_update(bot.app.bot, user_id=ENQUIRER, first_name=FIRST_NAME))
    assert texts(bot)[-1] == shipped_kb.message("non_text")
    assert bot.request.calls_to("copyMessage") == []


async def test_a_staff_photo_reply_reaches_the_enquirer_with_or_without_a_caption(
    bot: Harness, shipped_kb: KnowledgeBase
) -> None:
    await submit_request(bot)
    card = await card_id(bot)
    for message_id, caption in ((501, None), (502, "The floor plan")):
        reply = make_photo_update(
            bot.app.bot,
            caption=caption,
            user_id=STAFF_USER,
            first_name="Sven",
            chat_id=STAFF_CHAT,
            chat_type="supergroup",
            message_id=message_id,
            reply_to_message_id=card,
        )
        await handle(bot, reply)
    await until(lambda: len(copies(bot, ENQUIRER)) == 2, "both staff photos")
    plain, captioned = copies(bot, ENQUIRER)
    header = shipped_kb.message("staff_reply_header", signature="Sven", ref="#A-0001")
    assert (plain.params["from_chat_id"], plain.params["message_id"]) == (STAFF_CHAT, 501)
    assert plain.params["caption"] == header  # no caption: dropped silently before
    assert captioned.params["caption"] == f"{header}\n\nThe floor plan"
    delivered = shipped_kb.message("staff_reply_delivered", ref="#A-0001")
    # The staff group's notices go through the outbox after each copy: the second may
    # still be on its way when the second copy has arrived.
    await until(lambda: bot.texts(STAFF_CHAT).count(delivered) >= 2, "both notices")
    assert bot.texts(STAFF_CHAT).count(delivered) == 2
    assert bot.rejected() == []


async def test_a_staff_sticker_reply_is_refused_aloud(
    bot: Harness, shipped_kb: KnowledgeBase
) -> None:
    await submit_request(bot)
    card = await card_id(bot)
    staff: dict[str, Any] = {"user_id": STAFF_USER, "first_name": "Sven", "chat_id": STAFF_CHAT}
    sticker = make_sticker_update(bot.app.bot, chat_type="supergroup", **staff)
    # The sticker as a reply to the card: a text reply's message with the sticker instead.
    reply = make_text_update(
        bot.app.bot, "x", chat_type="supergroup", reply_to_message_id=card, **staff
    ).to_dict()
    reply["message"].pop("text")
    reply["message"]["sticker"] = sticker.to_dict()["message"]["sticker"]
    await handle(bot, Update.de_json(reply, bot.app.bot))
    refused = shipped_kb.message("staff_reply_unsupported", ref="#A-0001")
    await until(lambda: bot.texts(STAFF_CHAT)[-1] == refused, "the refusal")
    assert copies(bot, ENQUIRER) == []


async def test_attachment_relays_survive_a_restart(tmp_path: Path) -> None:
    settings = Settings(
        token=TOKEN,
        staff_chat_id=STAFF_CHAT,
        data_dir=tmp_path,
        knowledge_dir=Path("knowledge"),
        health_port=None,
    )
    app, request = await start_app(settings)
    first = Harness(app, request, settings)
    await submit_request(first)
    await card_id(first)
    request.fail("copyMessage", status=502, times=1000)  # the staff chat is away
    await handle(
        first,
        make_photo_update(app.bot, user_id=ENQUIRER, first_name=FIRST_NAME, message_id=90),
    )
    await until(lambda: request.calls_to("copyMessage"), "a first attempt")
    await stop_app(app)  # the bot stops with the copy still in the outbox

    app, request = await start_app(settings)
    second = Harness(app, request, settings)
    try:
        await until(lambda: copies(second, STAFF_CHAT), "the copy after the restart")
        [copied] = copies(second, STAFF_CHAT)
        assert copied.params["message_id"] == 90
        with Storage(settings.database_path) as storage:
            await until(lambda: pending(storage) == 0, "the outbox to empty")
    finally:
        await stop_app(app)


async def test_forget_erases_what_is_stored_of_attachments(bot: Harness) -> None:
    await submit_request(bot)
    await card_id(bot)
    await handle(
        bot,
        make_photo_update(
            bot.app.bot, caption="our lab", user_id=ENQUIRER, first_name=FIRST_NAME, message_id=91
        ),
    )
    with bot.storage() as storage:
        await until(lambda: pending(storage) == 0, "the copy")
    await handle(bot, make_text_update(bot.app.bot, "/forget", user_id=ENQUIRER))
    await press(bot, "k:forget:erase")
    with bot.storage() as storage:
        rows = storage.db.execute(
            "SELECT from_chat_id, from_message_id, text FROM outbox WHERE action = 'copy'"
        ).fetchall()
        assert rows == [(None, None, "")]
        kept = storage.db.execute(
            "SELECT text, attachment FROM ticket_messages WHERE attachment IS NOT NULL"
        ).fetchall()
        assert kept == [("", "photo")]  # the kind stays for the record, the caption goes
