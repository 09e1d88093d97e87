"""End to end: contact requests from enquirer to staff group and back, real bot process.

An enquirer and a staff group talk to ``python -m bot run`` through the local Bot API
server: question -> fallback -> form -> ticket -> card -> claim -> staff reply ->
enquirer -> follow-up -> resolve; a restart (kill -9) mid-form; the staff chat failing
and recovering with everything delivered exactly once; a blocked enquirer; a non-staff
user trying staff commands and forged buttons; hostile input in every field.
"""

from __future__ import annotations

import re
import signal
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.botapi_server import FakeBotApi, SimChat, SimUser, StoredMessage
from tests.support.updates import TOKEN
from tests.test_e2e_telegram_front import STAFF_CHAT, BotProcess

pytestmark = pytest.mark.e2e

REF = re.compile(r"#A-\d{4}")
# The bot keeps to Telegram's 20 messages a minute per group, so the staff chat of a
# busy test module is served slowly on purpose.
STAFF_WAIT = 90.0


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi(token=TOKEN) as server:
        yield server


@pytest.fixture(scope="module")
def staff(api: FakeBotApi) -> tuple[SimChat, SimUser]:
    bob = api.user("Bob", started=True)
    return api.group("Staff", members=[bob], chat_id=STAFF_CHAT), bob


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def bot(api: FakeBotApi, staff: object, data_dir: Path) -> Iterator[BotProcess]:
    process = BotProcess(api, data_dir)
    try:
        process.wait_ready(api)
        yield process
    finally:
        process.stop()


def last_from_bot(user: SimUser) -> StoredMessage:
    return user.messages()[-1]


def submit_ticket(
    user: SimUser,
    *,
    name: str = "Alice Andersen",
    organisation: str = "Acme Bio",
    message: str = "We look for US investors for our series A.",
    topic: str = "Investment and venture capital",
    email: str | None = None,
) -> str:
    """Walk the whole form from /contact; return the ticket reference."""
    user.send_text("/contact")
    notice = user.wait_for_message("/forget")
    user.press(notice, button_text="I agree")
    user.wait_for_message("What is your name?", after=notice)
    user.send_text(name)
    asked = user.wait_for_message("organisation", after=notice)
    user.send_text(organisation)
    how = user.wait_for_message("How would you like staff to reply?", after=asked)
    if email is None:
        user.press(how, button_text="In this chat")
    else:
        user.press(how, button_text="By e-mail")
        user.wait_for_message("Which e-mail address", after=how)
        user.send_text(email)
    topics = user.wait_for_message("What is your request about?", after=how)
    user.press(topics, button_text=topic)
    asked = user.wait_for_message("write your message", after=topics)
    user.send_text(message)
    summary = user.wait_for_message("Please check your request", after=asked)
    user.press(summary, button_text="Send")
    received = user.wait_for_message("has been received", after=summary)
    found = REF.search(received.visible_text)
    assert found is not None
    return found.group(0)


def card_of(api: FakeBotApi, ref: str) -> StoredMessage:
    return api.wait_for_message(STAFF_CHAT, f"🎫 {ref}", timeout=STAFF_WAIT)


def current(api: FakeBotApi, message: StoredMessage) -> StoredMessage:
    return next(m for m in api.messages(message.chat_id) if m.message_id == message.message_id)


def wait_card_contains(api: FakeBotApi, card: StoredMessage, text: str) -> StoredMessage:
    def found() -> StoredMessage | None:
        now = current(api, card)
        return now if text in now.visible_text else None

    return api.wait_for(found, STAFF_WAIT)


def test_question_fallback_form_ticket_card_claim_reply_followup_resolve(
    api: FakeBotApi, bot: BotProcess, staff: tuple[SimChat, SimUser]
) -> None:
    group, bob = staff
    alice = api.user("Alice")
    alice.send_text("who will win the football world cup")
    fallback = alice.wait_for_message("don't have an answer")
    alice.press(fallback, button_text="Talk to a person")
    notice = alice.wait_for_message("/forget", after=fallback)
    alice.press(notice, button_text="No, thanks")
    alice.wait_for_message("nothing has been stored", after=notice)
    ref = submit_ticket(alice)
    assert "#A-" in ref

    card = card_of(api, ref)
    text = card.visible_text
    assert "Investment and venture capital" in text and "Alice Andersen" in text
    assert "Acme Bio" in text and "series A" in text
    assert "who will win the football world cup" in text  # recent questions
    assert [label for label, _ in card.buttons] == ["Claim", "Resolve"]

    bob.press(card, button_text="Claim")
    card = wait_card_contains(api, card, "claimed by Bob")
    assert [label for label, _ in card.buttons] == ["Resolve"]

    bob.send_text(
        "Happy to help: which stage are you at?", chat=group, reply_to_message_id=card.message_id
    )
    relay = alice.wait_for_message("Happy to help")
    assert f"Bob from the programme staff replied to {ref}" in relay.visible_text
    api.wait_for_message(STAFF_CHAT, f"Reply to {ref} queued", timeout=STAFF_WAIT)

    # The enquirer's follow-up reaches the ticket in the staff chat, threaded on the card.
    alice.send_text("We are raising 5 million.")
    alice.wait_for_message("Sent to staff", after=relay)
    follow = api.wait_for_message(STAFF_CHAT, "We are raising 5 million.", timeout=STAFF_WAIT)
    assert follow.reply_to_message_id == card.message_id
    # A reply to that follow-up (not the card) also reaches the enquirer.
    bob.send_text("Noted, thanks.", chat=group, reply_to_message_id=follow.message_id)
    alice.wait_for_message("Noted, thanks.", after=relay)

    bob.press(current(api, card), button_text="Resolve")
    card = wait_card_contains(api, card, "resolved by Bob")
    assert [label for label, _ in card.buttons] == ["Reopen"]
    # Resolved: the enquirer's next message goes to the knowledge base again.
    before = last_from_bot(alice)
    alice.send_text("When was MassBio founded?")
    alice.wait_for_message("1985", after=before)
    assert len([m for m in api.messages(STAFF_CHAT) if ref in m.visible_text]) >= 1
    staff_texts = [m.visible_text for m in api.messages(STAFF_CHAT)]
    assert not any("When was MassBio founded?" in t for t in staff_texts)


def test_knowledge_question_mid_form_is_answered_and_form_resumes(
    api: FakeBotApi, bot: BotProcess
) -> None:
    carol = api.user("Carol")
    carol.send_text("/contact")
    notice = carol.wait_for_message("/forget")
    carol.press(notice, button_text="I agree")
    asked = carol.wait_for_message("What is your name?", after=notice)
    carol.send_text("When was MassBio founded?")
    carol.wait_for_message("1985", after=asked)
    resumed = carol.wait_for_message("Back to your contact request", after=asked)
    assert "What is your name?" in resumed.visible_text
    # Too long: a clear reply, and the same step is asked again.
    carol.send_text("x" * 5000)
    carol.wait_for_message("under 100 characters", after=resumed)
    carol.wait_for_message("What is your name?", after=resumed)
    carol.send_text("/cancel")
    carol.wait_for_message("cancelled", after=resumed)


def test_open_ticket_question_answered_and_photos_both_ways(
    api: FakeBotApi, bot: BotProcess, staff: tuple[SimChat, SimUser]
) -> None:
    """While a ticket is open, a question the knowledge base answers is answered (and
    staff see it in the thread); a photo from the enquirer reaches the staff chat on the
    card, and a staff photo reply reaches the enquirer, all over HTTP."""
    group, bob = staff
    erin = api.user("Erin")
    ref = submit_ticket(erin, name="Erin Eriksen")
    card = card_of(api, ref)

    sent = last_from_bot(erin)
    erin.send_text("When was MassBio founded?")
    answer = erin.wait_for_message("1985", after=sent)
    assert "Sent to staff" not in answer.visible_text
    asked = api.wait_for_message(STAFF_CHAT, "When was MassBio founded?", timeout=STAFF_WAIT)
    assert "answered" in asked.visible_text and "1985" in asked.visible_text
    assert asked.reply_to_message_id == card.message_id

    erin.send_photo(caption="Our lab in Lund")
    erin.wait_for_message(f"Your photo was sent to staff as part of your request {ref}")
    photo = api.wait_for_message(STAFF_CHAT, "Our lab in Lund", timeout=STAFF_WAIT)
    assert photo.kind == "photo" and photo.from_bot
    assert photo.visible_text.startswith(f"📎 {ref} · Erin Eriksen sent a photo:")
    assert photo.reply_to_message_id == card.message_id

    bob.send_photo(chat=group, reply_to_message_id=photo.message_id)  # no caption
    # The outbox serves one message per chat per round, and this module's staff chat is
    # busy at its 20 a minute: the relay can wait behind it.
    relayed = erin.wait_for_message(
        f"Bob from the programme staff replied to {ref}", timeout=STAFF_WAIT
    )
    assert relayed.kind == "photo"


def test_enquirer_closes_the_ticket(api: FakeBotApi, bot: BotProcess) -> None:
    dan = api.user("Dan")
    ref = submit_ticket(dan, topic="Press and media", message="Interview request")
    card = card_of(api, ref)
    dan.send_text("/close")
    dan.wait_for_message(f"Your request {ref} is closed")
    api.wait_for_message(STAFF_CHAT, f"{ref} was closed by the enquirer", timeout=STAFF_WAIT)
    wait_card_contains(api, card, "closed by the enquirer")


def test_staff_chat_failing_then_recovering_delivers_everything_once(
    api: FakeBotApi, bot: BotProcess, staff: tuple[SimChat, SimUser]
) -> None:
    group, bob = staff
    erin = api.user("Erin")
    api.fail("sendMessage", 502, chat_id=STAFF_CHAT, times=2)
    api.drop("sendMessage", chat_id=STAFF_CHAT)
    api.fail("sendMessage", 429, retry_after=1, chat_id=STAFF_CHAT)
    ref = submit_ticket(erin, message="Card through a bad connection")
    card = card_of(api, ref)
    failed = [
        c
        for c in api.calls_to("sendMessage")
        if c.params.get("chat_id") == STAFF_CHAT and c.status != 200
    ]
    assert len(failed) >= 4
    # The enquirer's messages while staff is unreachable keep their order.
    api.fail("sendMessage", 500, chat_id=STAFF_CHAT, times=2)
    api.drop("sendMessage", chat_id=STAFF_CHAT)
    for n in range(3):
        erin.send_text(f"follow-up number {n}")
    api.wait_for_message(STAFF_CHAT, "follow-up number 2", timeout=STAFF_WAIT)
    # A relay to the enquirer through failures as well.
    api.fail("sendMessage", 502, chat_id=erin.chat_id)
    api.drop("sendMessage", chat_id=erin.chat_id)
    bob.send_text("Answer through the storm", chat=group, reply_to_message_id=card.message_id)
    erin.wait_for_message("Answer through the storm", timeout=30)

    staff_texts = [m.visible_text for m in api.messages(STAFF_CHAT)]
    assert sum(f"🎫 {ref}" in t for t in staff_texts) == 1
    positions = [
        next(i for i, t in enumerate(staff_texts) if f"follow-up number {n}" in t) for n in range(3)
    ]
    assert positions == sorted(positions)
    assert all(sum(f"follow-up number {n}" in t for t in staff_texts) == 1 for n in range(3))
    assert sum("Answer through the storm" in m.visible_text for m in erin.messages()) == 1


def test_blocked_enquirer_is_shown_on_the_card(
    api: FakeBotApi, bot: BotProcess, staff: tuple[SimChat, SimUser]
) -> None:
    group, bob = staff
    frank = api.user("Frank")
    ref = submit_ticket(frank)
    card = card_of(api, ref)
    api.block(frank.chat_id)
    bob.send_text("Are you still there?", chat=group, reply_to_message_id=card.message_id)
    wait_card_contains(api, card, "has blocked the bot")
    attempts = [
        c
        for c in api.calls_to("sendMessage")
        if c.params.get("chat_id") == frank.chat_id and c.status == 403
    ]
    assert len(attempts) == 1  # never retried
    bob.send_text("Hello?", chat=group, reply_to_message_id=card.message_id)
    api.wait_for_message(STAFF_CHAT, f"{ref}: the enquirer has blocked the bot", timeout=STAFF_WAIT)


def test_non_staff_cannot_use_staff_commands_or_forge_buttons(
    api: FakeBotApi, bot: BotProcess, staff: tuple[SimChat, SimUser]
) -> None:
    group, bob = staff
    grace = api.user("Grace")
    ref = submit_ticket(grace, name="Grace Hopper", message="my private message")
    card = card_of(api, ref)
    mallory = api.user("Mallory")
    for n, command in enumerate(("/open", "/ticket 1", "/stats", "/gaps"), start=1):
        mallory.send_text(command)
        mallory.wait_for_message("for the programme staff", count=n)
    assert not any(
        "Grace" in m.visible_text or "private message" in m.visible_text for m in mallory.messages()
    )
    # A forged "resolve" on a message in Mallory's own chat.
    ticket_id = int(ref.removeprefix("#A-"))
    query = api.forge_press(mallory, mallory.messages()[-1], f"t:resolve:{ticket_id}")
    answer = api.wait_for(
        lambda: next((a for a in api.callback_answers if a["callback_query_id"] == query), None)
    )
    assert "for the programme staff" in answer.get("text", "")
    assert "resolved" not in current(api, card).visible_text
    assert "refused ticket button" in bot.output()
    # Staff commands work in the staff chat.
    bob.send_text("/open", chat=group)
    listing = api.wait_for_message(STAFF_CHAT, "Grace Hopper", after=card, timeout=STAFF_WAIT)
    assert ref in listing.visible_text
    bob.send_text("/stats", chat=group)
    api.wait_for_message(STAFF_CHAT, "Median time to first staff reply", timeout=STAFF_WAIT)
    # A question the knowledge base cannot answer, so that /gaps has something to list
    # whichever of this module's tests ran before this one on this worker.
    last = mallory.messages()[-1]
    mallory.send_text("What does parking at the Boston office cost per month?")
    mallory.wait_for_message("does not cover", after=last)
    bob.send_text("/gaps", chat=group)
    gaps = api.wait_for_message(STAFF_CHAT, "Unanswered or unhelpful questions", timeout=STAFF_WAIT)
    assert "parking at the Boston office" in gaps.visible_text


def test_hostile_input_in_every_field_is_stored_exactly_and_shown_escaped(
    api: FakeBotApi, bot: BotProcess, data_dir: Path
) -> None:
    heidi = api.user("<Heidi & co>")
    name = "<b>Heidi</b> & <3 \u202eobaH\u202c"
    organisation = "'; DROP TABLE tickets; -- 🧬\u200b"
    message = "<script>alert(1)</script> " + "😀" * 500 + " \u05e9\u05dc\u05d5\u05dd"
    ref = submit_ticket(
        heidi, name=name, organisation=organisation, message=message, email="heidi@example.org"
    )
    card = card_of(api, ref)
    assert name in card.visible_text and organisation in card.visible_text
    assert message in card.visible_text and "heidi@example.org" in card.visible_text
    rejected = [c for c in api.calls if c.status == 400]
    assert rejected == [], [getattr(c, "params", {}).get("text", "")[:80] for c in rejected]
    with sqlite3.connect(data_dir / "bot.sqlite3") as db:
        row = db.execute(
            "SELECT name, organisation, message, email FROM tickets WHERE id = ?",
            [int(ref.removeprefix("#A-"))],
        ).fetchone()
    assert row == (name, organisation, message, "heidi@example.org")
    # One open request at a time.
    heidi.send_text("/contact")
    heidi.wait_for_message("already have an open request")


def test_restart_mid_form_continues_the_same_step(tmp_path: Path) -> None:
    with FakeBotApi(token=TOKEN) as own:
        own.group("Staff", chat_id=STAFF_CHAT)
        ivan = own.user("Ivan")
        first = BotProcess(own, tmp_path)
        first.wait_ready(own)
        ivan.send_text("/contact")
        notice = ivan.wait_for_message("/forget")
        ivan.press(notice, button_text="I agree")
        ivan.wait_for_message("What is your name?", after=notice)
        ivan.send_text("Ivan Ivanov")
        asked = ivan.wait_for_message("organisation", after=notice)
        # Let the bot confirm the update (its next poll) before killing it.
        own.wait_for(lambda: own.pending_update_count == 0 or None)
        assert first.stop(signal.SIGKILL) == -signal.SIGKILL
        second = BotProcess(own, tmp_path)
        try:
            second.wait_ready(own)
            ivan.send_text("Ivan Industries")
            how = ivan.wait_for_message("How would you like staff to reply?", after=asked)
            assert how.buttons
        finally:
            second.stop()
