"""Personal data, transport-neutral (bot/conversation/privacy.py driven through
bot/conversation/dialogue.py and bot/operations/services.py): /privacy, /mydata (a
readable summary with the whole of it as a JSON file), /forget (asked first, with Erase
/ Keep) and the daily retention purge.

Erasure is checked against the whole database: every value of every column of every
table is read, and none may hold the enquirer's name, organisation, e-mail address,
message texts, question texts or Telegram id. A bystander's data must survive
untouched, and the /stats numbers (questions by kind, feedback, tickets by status,
median time to first reply) must be the same before and after.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.answering.answerer import Action, Kind, Option
from bot.conversation.dialogue import Dialogue, Person, Turn
from bot.conversation.privacy import DAY, Privacy, Purged
from bot.curation.staff_reports import stats
from bot.knowledge.base import DEFAULT_KNOWLEDGE_DIR
from bot.operations.config import Settings
from bot.operations.services import Services, build_services
from bot.storage.contacts import ContactStore
from bot.storage.database import Storage
from bot.storage.journal import UpdateJournal
from bot.storage.tickets import Ticket

pytestmark = pytest.mark.unit

STAFF_CHAT = -100500
RETENTION_DAYS = 180
STAFF = "Sven"
MAX_MESSAGE = 4096
# /stats numbers that erasure and the purge must keep.
STAT_KEYS = (
    "questions",
    "answered_share",
    "by_kind",
    "feedback",
    "helpful",
    "tickets",
    "median_first_reply_seconds",
)
# Tables that hold the victim's data once the history below is built.
PERSONAL_TABLES = {
    "questions",
    "conversation_context",  # the previous answer, for follow-ups
    "chat_languages",  # the language of the last message (or the one chosen)
    "feedback",
    "users",
    "forms",
    "tickets",
    "ticket_messages",
    "outbox",
    "updates",
}

# -- the victim: everything about them must go -----------------------------------------

VICTIM = Person(424242, 424242, "Zelda")
V_NAME = "Zelda Quux"
V_ORG = "Quuxcorp"
V_EMAIL = "zelda@quux.example"
V_MESSAGE = "secret plan xyz"
V_FOLLOW_UP = "More on the secret plan xyz: we start in May."
V_FOLLOW_UP_2 = "And the budget for the plan is 2 million."
V_STAFF_REPLY = "Dear Zelda, thank you. Let us talk about it next week."
V_LATE_REPLY = "P.S. Zelda, I have sent the forms to your e-mail."
V_JOURNALED = "Did my last message about Quuxcorp arrive?"
V_QUESTIONS = (
    "When was MassBio founded, asks zelda?",  # lower case: a name would make it a fallback
    "What does the ambassador do for Quuxcorp?",
    "Does Quuxcorp qualify for the zorblax grant?",
)
V_TEXTS = (
    V_NAME,
    "Zelda",
    "Quux",
    V_ORG,
    V_EMAIL,
    V_MESSAGE,
    V_FOLLOW_UP,
    V_FOLLOW_UP_2,
    V_STAFF_REPLY,
    V_LATE_REPLY,
    V_JOURNALED,
    *V_QUESTIONS,
)

# -- the bystander: nothing about them may change ---------------------------------------

BYSTANDER = Person(777001, 777001, "Bruno")
B_NAME = "Bruno Bystander"
B_ORG = "Bystander Ltd"
B_MESSAGE = "We are looking for a university partner."
B_FOLLOW_UP = "Any university in Copenhagen would do."
B_STAFF_REPLY = "Hello Bruno, I will introduce you to two groups."
B_QUESTIONS = ("Who is the ambassador?", "hello there!")


# -- helpers -------------------------------------------------------------------------------


def forget(dialogue: Dialogue, who: Person) -> Turn:
    """/forget, then Erase under its question; the reply to the press."""
    [asked] = dialogue.command(who, "forget")
    [erase] = [o for o in asked.reply.options if o.label == dialogue.kb.message("button_erase")]
    [done] = dialogue.choose(who, erase)
    return done


def make_services(data_dir: Path, retention_days: int = RETENTION_DAYS) -> Services:
    return build_services(
        Settings(
            token="",
            data_dir=data_dir,
            knowledge_dir=DEFAULT_KNOWLEDGE_DIR,
            staff_chat_id=STAFF_CHAT,
            retention_days=retention_days,
        )
    )


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = make_services(tmp_path)
    with built.storage:
        yield built


def privacy_of(services: Services) -> Privacy:
    return services.dialogue.privacy


def choose(dialogue: Dialogue, who: Person, value: str) -> list[Turn]:
    """A contact form button."""
    return dialogue.choose(who, Option(Action.FORM, "", value))


def start_request(
    dialogue: Dialogue, who: Person, *, name: str, organisation: str, email: str | None
) -> None:
    """/contact, consent, name, organisation and how to reply: the form waits for a topic."""
    dialogue.command(who, "contact")
    choose(dialogue, who, "agree")
    dialogue.text(who, name)
    dialogue.text(who, organisation)
    if email is None:
        choose(dialogue, who, "via:telegram")
    else:
        choose(dialogue, who, "via:email")
        dialogue.text(who, email)
    saved = dialogue.store.form(who.user_id)
    assert saved is not None and saved.step == "topic"


def submit_request(
    dialogue: Dialogue,
    who: Person,
    *,
    name: str,
    organisation: str,
    email: str | None,
    topic: str,
    message: str,
) -> Ticket:
    """A whole contact form, sent: the open ticket it made."""
    start_request(dialogue, who, name=name, organisation=organisation, email=email)
    choose(dialogue, who, f"topic:{topic}")
    dialogue.text(who, message)
    [turn] = choose(dialogue, who, "send")
    ticket = dialogue.store.open_ticket_of(who.user_id)
    assert ticket is not None and ticket.ref in turn.reply.text
    return ticket


def ask(dialogue: Dialogue, who: Person, text: str) -> int:
    [turn] = dialogue.text(who, text)
    assert turn.question_id is not None
    return turn.question_id


def deliver_outbox(store: ContactStore) -> int:
    """Mark every pending outbox message sent, as the Telegram sender does."""
    delivered = 0
    while items := store.due(now=time.time() + 1):
        for item in items:
            store.mark_sent(item, None if item.message.action == "edit_card" else 1000 + item.id)
            delivered += 1
    return delivered


def fresh(store: ContactStore, ticket: Ticket) -> Ticket:
    reloaded = store.ticket(ticket.id)
    assert reloaded is not None
    return reloaded


def update_payload(update_id: int, who: Person, text: str) -> dict[str, Any]:
    """A private text message as Telegram sends it (with a fixed date)."""
    user = {"id": who.user_id, "is_bot": False, "first_name": who.first_name}
    chat = {"id": who.chat_id, "type": "private", "first_name": who.first_name}
    message = {"message_id": update_id, "date": 1700000000, "chat": chat, "from": user}
    return {"update_id": update_id, "message": {**message, "text": text}}


def cells(storage: Storage) -> list[tuple[str, str, object]]:
    """(table, column, value) for every value of every column of every table."""
    db = storage.db
    tables = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name != '_sqlite_migrations' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
    ]
    assert PERSONAL_TABLES | {"staff_messages"} <= set(tables)
    found: list[tuple[str, str, object]] = []
    for table in tables:
        cursor = db.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
        columns = [d[0] for d in cursor.description]
        for row in cursor.fetchall():
            found.extend((table, column, value) for column, value in zip(columns, row, strict=True))
    return found


def traces(storage: Storage, texts: Iterable[str], ids: Iterable[int]) -> list[tuple[str, str]]:
    """(table.column, what) for every stored value that holds one of ``texts`` (a
    case-insensitive substring) or one of ``ids`` (an equal number, or the digits on
    their own inside a text such as a JSON payload)."""
    texts, ids = list(texts), list(ids)
    found: list[tuple[str, str]] = []
    for table, column, value in cells(storage):
        hits: list[str] = []
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str):
            folded = value.casefold()
            hits += [t for t in texts if t.casefold() in folded]
            hits += [str(i) for i in ids if re.search(rf"(?<!\d){i}(?!\d)", value)]
        elif isinstance(value, int | float):
            hits += [str(i) for i in ids if value == i]
        found.extend((f"{table}.{column}", hit) for hit in hits)
    return found


def victim_traces(storage: Storage) -> list[tuple[str, str]]:
    return traces(storage, V_TEXTS, [VICTIM.user_id])


def stat_numbers(services: Services) -> dict[str, object]:
    numbers = stats(services.storage, services.store)
    return {key: numbers[key] for key in STAT_KEYS}


def rows_of(storage: Storage, user_id: int, ticket_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row that belongs to one enquirer and their ticket."""
    queries = {
        "questions": ("SELECT * FROM questions WHERE user_id = ? ORDER BY id", [user_id]),
        "feedback": ("SELECT * FROM feedback WHERE user_id = ? ORDER BY question_id", [user_id]),
        "users": ("SELECT * FROM users WHERE user_id = ?", [user_id]),
        "forms": ("SELECT * FROM forms WHERE user_id = ?", [user_id]),
        "tickets": ("SELECT * FROM tickets WHERE id = ?", [ticket_id]),
        "ticket_messages": (
            "SELECT * FROM ticket_messages WHERE ticket_id = ? ORDER BY id",
            [ticket_id],
        ),
        "staff_messages": (
            "SELECT * FROM staff_messages WHERE ticket_id = ? ORDER BY message_id",
            [ticket_id],
        ),
        "outbox": (
            "SELECT * FROM outbox WHERE chat_id = ? OR ticket_id = ? ORDER BY id",
            [user_id, ticket_id],
        ),
        "updates": ("SELECT * FROM updates WHERE user_id = ? ORDER BY update_id", [user_id]),
    }
    return {
        table: [tuple(row) for row in storage.db.execute(sql, params).fetchall()]
        for table, (sql, params) in queries.items()
    }


def outbox_rows(
    storage: Storage, where: str = "1", params: Iterable[Any] = ()
) -> list[dict[str, Any]]:
    return list(storage.db.table("outbox").rows_where(where, list(params), order_by="id"))


def backdate(storage: Storage, days: float, *, user_id: int, ticket_id: int | None = None) -> None:
    """Move everything of ``user_id`` (and their ticket) ``days`` into the past."""
    shift = days * DAY
    db = storage.db
    with storage.transaction():
        for table, columns in (
            ("questions", ["ts"]),
            ("feedback", ["ts"]),
            ("users", ["first_seen"]),
            ("forms", ["updated_at"]),
            ("updates", ["received_at"]),
            ("chat_languages", ["ts"]),
        ):
            assignments = ", ".join(f"{c} = {c} - ?" for c in columns)
            db.execute(
                f"UPDATE {table} SET {assignments} WHERE user_id = ?",
                [shift] * len(columns) + [user_id],
            )
        outbox = ["created_at", "next_attempt_at", "sent_at"]
        db.execute(
            "UPDATE outbox SET " + ", ".join(f"{c} = {c} - ?" for c in outbox) + " WHERE "
            "chat_id = ? OR ticket_id = ?",
            [shift] * 3 + [user_id, ticket_id],
        )
        if ticket_id is not None:
            db.execute(
                "UPDATE tickets SET created_at = created_at - ?,"
                " first_reply_at = first_reply_at - ?, resolved_at = resolved_at - ?"
                " WHERE id = ?",
                [shift, shift, shift, ticket_id],
            )
            db.execute(
                "UPDATE ticket_messages SET ts = ts - ? WHERE ticket_id = ?", [shift, ticket_id]
            )


# -- a realistic history ---------------------------------------------------------------------


@dataclass(frozen=True)
class History:
    victim_ticket: Ticket  # resolved by staff
    bystander_ticket: Ticket  # claimed, still open
    victim_questions: list[int]


def build_history(services: Services) -> History:
    dialogue, store, desk, storage = (
        services.dialogue,
        services.store,
        services.desk,
        services.storage,
    )
    bystander_questions = [ask(dialogue, BYSTANDER, q) for q in B_QUESTIONS]
    victim_questions = [ask(dialogue, VICTIM, q) for q in V_QUESTIONS]
    assert dialogue.feedback(VICTIM.user_id, victim_questions[0], True)
    assert dialogue.feedback(VICTIM.user_id, victim_questions[1], False)
    assert dialogue.feedback(BYSTANDER.user_id, bystander_questions[0], True)

    victim_ticket = submit_request(
        dialogue,
        VICTIM,
        name=V_NAME,
        organisation=V_ORG,
        email=V_EMAIL,
        topic="investment",
        message=V_MESSAGE,
    )
    bystander_ticket = submit_request(
        dialogue,
        BYSTANDER,
        name=B_NAME,
        organisation=B_ORG,
        email=None,
        topic="partnering",
        message=B_MESSAGE,
    )
    assert deliver_outbox(store) == 2  # both staff cards

    [forwarded] = dialogue.text(VICTIM, V_FOLLOW_UP)
    assert forwarded.reply.text == services.kb.message("ticket_forwarded", ref=victim_ticket.ref)
    assert desk.staff_reply(fresh(store, victim_ticket), STAFF, V_STAFF_REPLY).delivered
    assert desk.staff_reply(fresh(store, bystander_ticket), STAFF, B_STAFF_REPLY).delivered
    deliver_outbox(store)  # the follow-up, the relays, the "claimed" card edits

    # Not delivered yet when the victim asks to be forgotten: a second follow-up, the
    # card edit for "resolved", and a late staff reply waiting for the victim's chat.
    dialogue.text(VICTIM, V_FOLLOW_UP_2)
    desk.act(victim_ticket.id, "resolve", STAFF)
    assert desk.staff_reply(fresh(store, victim_ticket), STAFF, V_LATE_REPLY).delivered
    dialogue.text(BYSTANDER, B_FOLLOW_UP)

    # A second request, left half-way; the update journal; a blocked bot.
    start_request(dialogue, VICTIM, name=V_NAME, organisation=V_ORG, email=V_EMAIL)
    journal = UpdateJournal(storage)
    assert journal.record(9000, update_payload(9000, VICTIM, V_QUESTIONS[0]), VICTIM.user_id)
    journal.done(9000)
    assert journal.record(9001, update_payload(9001, VICTIM, V_JOURNALED), VICTIM.user_id)
    assert journal.record(9002, update_payload(9002, VICTIM, "/start"), VICTIM.user_id)
    journal.answered(9002, [{"chat_id": VICTIM.chat_id, "text": V_STAFF_REPLY}])
    assert journal.record(9101, update_payload(9101, BYSTANDER, "thanks"), BYSTANDER.user_id)
    storage.mark_blocked(VICTIM.user_id)
    return History(fresh(store, victim_ticket), fresh(store, bystander_ticket), victim_questions)


@pytest.fixture
def history(services: Services) -> History:
    return build_history(services)


# -- /privacy ----------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [180, 45])
def test_privacy_says_what_is_kept_how_long_and_how_to_see_or_erase_it(
    tmp_path: Path, days: int
) -> None:
    services = make_services(tmp_path, retention_days=days)
    with services.storage:
        [turn] = services.dialogue.command(VICTIM, "privacy")
        stored = [value for _, _, value in cells(services.storage) if value is not None]
    text = turn.reply.text
    assert text == services.kb.message("privacy", retention_days=days)
    assert f"{days} days" in text
    assert "/mydata" in text and "/forget" in text
    assert "staff" in text  # who sees it
    assert turn.file_name is None
    assert stored == []  # asking what is stored stores nothing


# -- /mydata -----------------------------------------------------------------------------------


def test_mydata_with_nothing_stored(services: Services) -> None:
    [turn] = services.dialogue.command(VICTIM, "mydata")
    assert turn.reply.text == services.kb.message("mydata_none")
    assert turn.file_name is None


def test_mydata_shows_everything_stored_about_the_enquirer(
    services: Services, history: History
) -> None:
    data = privacy_of(services).data_of(VICTIM.user_id)
    assert set(data) == {
        "questions",
        "feedback",
        "contact_requests",
        "contact_request_in_progress",
        "telegram_user_id",
        "blocked_the_bot_at",
        "language_of_replies",
    }
    assert [q["question"] for q in data["questions"]] == list(V_QUESTIONS)
    [language] = data["language_of_replies"]
    assert language["language"] == "en" and not language["chosen_with_language_command"]
    logged = [services.storage.question(qid) for qid in history.victim_questions]
    assert [q["answered_as"] for q in data["questions"]] == [q.kind for q in logged if q]
    assert all(q["time"].endswith("UTC") for q in data["questions"])
    asked = services.storage.question(history.victim_questions[0])
    assert asked is not None
    assert sorted((f["entry"] or "", f["helpful"]) for f in data["feedback"]) == sorted(
        [(asked.entry_id or "", True), ("", False)]
    )
    [request] = data["contact_requests"]
    ticket = history.victim_ticket
    assert {k: v for k, v in request.items() if k not in ("created", "messages")} == {
        "reference": ticket.ref,
        "status": "resolved",
        "name": V_NAME,
        "organisation": V_ORG,
        "reply_via": "email",
        "email": V_EMAIL,
        "topic": "investment",
        "message": V_MESSAGE,
        "recent_questions_shared_with_staff": list(V_QUESTIONS),
    }
    assert [(m["from"], m["text"]) for m in request["messages"]] == [
        ("you", V_MESSAGE),
        ("you", V_FOLLOW_UP),
        (STAFF, V_STAFF_REPLY),
        ("you", V_FOLLOW_UP_2),
        (STAFF, V_LATE_REPLY),
    ]
    assert data["contact_request_in_progress"] == {
        "name": V_NAME,
        "organisation": V_ORG,
        "reply_via": "email",
        "email": V_EMAIL,
    }
    assert data["telegram_user_id"] == VICTIM.user_id
    assert data["blocked_the_bot_at"].endswith("UTC")
    # Only the victim's own data: nothing of the bystander.
    assert B_NAME not in json.dumps(data) and B_QUESTIONS[0] not in json.dumps(data)

    # What /mydata says is a readable summary; the attached file is exactly that data.
    [turn] = services.dialogue.command(VICTIM, "mydata")
    assert turn.reply.kind is Kind.NOTICE and turn.file_name == "mydata.json"
    assert json.loads(turn.file_text) == data
    kb = services.kb
    lines = turn.reply.text.split("\n")
    assert lines[0] == kb.message("mydata_intro") and lines[-1] == kb.message("mydata_file")
    last = data["questions"][-1]["time"]
    assert lines[1:-1] == [
        "• " + kb.message("mydata_questions", count=len(V_QUESTIONS), last=last),
        "• " + kb.message("mydata_feedback", count=2),
        "• " + kb.message("mydata_requests", refs=history.victim_ticket.ref),
        "• " + kb.message("mydata_form"),
        "• " + kb.message("mydata_blocked", time=data["blocked_the_bot_at"]),
        "• " + kb.message("mydata_language"),
    ]
    assert "{" not in turn.reply.text  # no raw JSON in the chat


def test_long_mydata_is_a_short_summary_with_everything_in_the_file(services: Services) -> None:
    questions = [
        f"Question {i}: how does the ambassador programme work for a start-up " * 12
        for i in range(8)
    ]
    for question in questions:
        services.dialogue.ask(BYSTANDER, question)
    [turn] = services.dialogue.command(BYSTANDER, "mydata")
    assert turn.file_name == "mydata.json"
    assert len(turn.reply.text) <= MAX_MESSAGE and questions[0] not in turn.reply.text
    assert turn.reply.text.startswith(services.kb.message("mydata_intro"))
    assert [q["question"] for q in json.loads(turn.file_text)["questions"]] == questions


# -- /forget -----------------------------------------------------------------------------------


def test_history_puts_the_victims_data_in_every_personal_table(
    services: Services, history: History
) -> None:
    """The erasure test below would prove nothing if the data were never there."""
    found = victim_traces(services.storage)
    assert {where.split(".")[0] for where, _ in found} == PERSONAL_TABLES
    assert {what for _, what in found} == {*V_TEXTS, str(VICTIM.user_id)}
    assert services.store.form(VICTIM.user_id) is not None


def test_forget_erases_the_enquirer_everywhere_and_keeps_the_rest(
    services: Services, history: History
) -> None:
    storage, store, kb = services.storage, services.store, services.kb
    privacy = privacy_of(services)
    ticket, other = history.victim_ticket, history.bystander_ticket
    stats_before = stat_numbers(services)
    bystander_before = rows_of(storage, BYSTANDER.user_id, other.id)
    bystander_data = privacy.data_of(BYSTANDER.user_id)
    # The bystander has no form in progress and never blocked the bot (no users row).
    assert all(bystander_before[t] for t in bystander_before if t not in ("forms", "users"))
    outbox_before = {row["id"] for row in outbox_rows(storage)}

    # Asked first: nothing is erased until Erase is pressed, and Keep keeps it all.
    cells_before = cells(storage)
    [asked] = services.dialogue.command(VICTIM, "forget")
    assert [o.label for o in asked.reply.options] == [
        kb.message("button_erase"),
        kb.message("button_keep"),
    ]
    assert kb.message("mydata_form") in asked.reply.text  # says what will be erased
    assert history.victim_ticket.ref in asked.reply.text
    assert cells(storage) == cells_before
    [keep] = [o for o in asked.reply.options if o.label == kb.message("button_keep")]
    [kept] = services.dialogue.choose(VICTIM, keep)
    assert kept.reply.text == kb.message("forget_kept")
    assert cells(storage) == cells_before

    turn = forget(services.dialogue, VICTIM)

    assert turn.reply.text == kb.message("forget_done")
    assert victim_traces(storage) == []
    # The bystander is untouched, row for row.
    assert rows_of(storage, BYSTANDER.user_id, other.id) == bystander_before
    assert privacy.data_of(BYSTANDER.user_id) == bystander_data
    # Statistics add up as before.
    assert stat_numbers(services) == stats_before
    # The form in progress is gone, and /mydata has nothing left to show.
    assert store.form(VICTIM.user_id) is None
    assert privacy.data_of(VICTIM.user_id) == {}
    [after] = services.dialogue.command(VICTIM, "mydata")
    assert after.reply.text == kb.message("mydata_none")

    # The ticket keeps what counts (status, topic, times), not who it was.
    erased = fresh(store, ticket)
    assert (erased.user_id, erased.chat_id, erased.email) == (None, None, None)
    assert (erased.name, erased.organisation, erased.message) == ("", "", "")
    assert erased.recent_questions == []
    assert erased.erased_at is not None
    assert (erased.status, erased.topic, erased.created_at, erased.first_reply_at) == (
        "resolved",
        "investment",
        ticket.created_at,
        ticket.first_reply_at,
    )

    # Staff: the card is edited to show the erasure, and a notice is threaded on it.
    new = [row for row in outbox_rows(storage) if row["id"] not in outbox_before]
    edit, notice = new
    assert edit["action"] == "edit_card"
    assert (edit["chat_id"], edit["ticket_id"]) == (STAFF_CHAT, ticket.id)
    assert edit["text"] == services.desk.card(erased)[0]
    assert kb.message("staff_status_erased") in edit["text"]
    assert kb.message("staff_status_resolved", who=STAFF) in edit["text"]
    assert (notice["action"], notice["chat_id"]) == ("send", STAFF_CHAT)
    assert notice["text"] == kb.message("staff_data_erased", ref=ticket.ref)
    assert ticket.card_message_id is not None
    assert notice["reply_to_message_id"] == ticket.card_message_id
    # Nothing is left to be sent to the victim's chat.
    assert outbox_rows(storage, "chat_id = ?", [VICTIM.chat_id]) == []


def test_forget_an_open_request_cuts_the_line_to_the_enquirer(services: Services) -> None:
    dialogue, store, desk, kb = services.dialogue, services.store, services.desk, services.kb
    ticket = submit_request(
        dialogue,
        VICTIM,
        name=V_NAME,
        organisation=V_ORG,
        email=None,
        topic="investment",
        message=V_MESSAGE,
    )
    deliver_outbox(store)
    card_id = fresh(store, ticket).card_message_id
    assert card_id is not None

    forget(dialogue, VICTIM)

    erased = fresh(store, ticket)
    assert erased.status == "open" and erased.erased_at is not None
    assert victim_traces(services.storage) == []
    *_, edit, notice = outbox_rows(services.storage)
    assert edit["action"] == "edit_card" and edit["text"] == desk.card(erased)[0]
    assert kb.message("staff_status_open") in edit["text"]
    assert kb.message("staff_status_erased") in edit["text"]
    assert notice["reply_to_message_id"] == card_id
    assert notice["text"] == kb.message("staff_data_erased", ref=ticket.ref)

    # A staff reply has nowhere to go, and nothing is stored for it.
    before = cells(services.storage)
    assert not desk.staff_reply(erased, STAFF, "Are you still there?").delivered
    assert cells(services.storage) == before
    # Writing again, the enquirer is a new person: answered, not routed to the old ticket.
    [turn] = dialogue.text(VICTIM, "When was MassBio founded?")
    assert turn.reply.kind is Kind.ANSWER and turn.question_id is not None
    assert store.open_ticket_of(VICTIM.user_id) is None


def test_forget_with_nothing_stored_changes_nothing(services: Services, history: History) -> None:
    before = cells(services.storage)
    stranger = Person(31337, 31337, "Nobody")
    [turn] = services.dialogue.command(stranger, "forget")
    assert turn.reply.text == services.kb.message("mydata_none")  # nothing to ask about
    assert not turn.reply.options
    assert cells(services.storage) == before


def test_forget_after_closing_the_request_oneself(services: Services) -> None:
    dialogue = services.dialogue
    submit_request(
        dialogue,
        VICTIM,
        name=V_NAME,
        organisation=V_ORG,
        email=V_EMAIL,
        topic="investment",
        message=V_MESSAGE,
    )
    dialogue.command(VICTIM, "close")
    forget(dialogue, VICTIM)
    assert victim_traces(services.storage) == []


# -- retention -----------------------------------------------------------------------------------

OLD = Person(515151, 515151, "Olga")
O_NAME = "Olga Oldfield"
O_ORG = "Oldfield Bio"
O_EMAIL = "olga@oldfield.example"
O_MESSAGE = "An ancient enquiry about licensing."
O_FOLLOW_UP = "The licence is for the peptide library."
O_STAFF_REPLY = "Dear Olga, the licensing office will call you."
O_QUESTIONS = ("Who is the ambassador, Olga wonders?", "Is Oldfield Bio too small?")
O_TEXTS = (O_NAME, "Olga", "Oldfield", O_EMAIL, O_MESSAGE, O_FOLLOW_UP, O_STAFF_REPLY, *O_QUESTIONS)

STALE = Person(616161, 616161, "Otto")  # an old request still open: kept
S_NAME = "Otto Openfield"
S_MESSAGE = "A request that is still being worked on."
S_QUESTIONS = ("What does the ambassador do, asks Otto?",)

RECENT = BYSTANDER  # recent data: kept; one question of theirs is old
R_OLD_QUESTION = "Is the programme still running this year?"
R_QUESTIONS = ("When was MassBio founded?", "hello there!")
OLD_DAYS = 400


@dataclass(frozen=True)
class RetentionHistory:
    old_ticket: Ticket
    stale_ticket: Ticket
    recent_ticket: Ticket


def build_retention_history(services: Services) -> RetentionHistory:
    dialogue, store, desk, storage = (
        services.dialogue,
        services.store,
        services.desk,
        services.storage,
    )
    # Olga, 400 days ago: questions, feedback, a request answered and resolved, and a
    # second request abandoned half-way.
    old_questions = [ask(dialogue, OLD, q) for q in O_QUESTIONS]
    assert dialogue.feedback(OLD.user_id, old_questions[0], False)
    old_ticket = submit_request(
        dialogue,
        OLD,
        name=O_NAME,
        organisation=O_ORG,
        email=O_EMAIL,
        topic="partnering",
        message=O_MESSAGE,
    )
    deliver_outbox(store)
    dialogue.text(OLD, O_FOLLOW_UP)
    desk.staff_reply(fresh(store, old_ticket), STAFF, O_STAFF_REPLY)
    desk.act(old_ticket.id, "resolve", STAFF)
    deliver_outbox(store)
    start_request(dialogue, OLD, name=O_NAME, organisation=O_ORG, email=None)
    backdate(storage, OLD_DAYS, user_id=OLD.user_id, ticket_id=old_ticket.id)

    # Otto, 400 days ago: a request claimed by staff and never resolved.
    for q in S_QUESTIONS:
        ask(dialogue, STALE, q)
    stale_ticket = submit_request(
        dialogue,
        STALE,
        name=S_NAME,
        organisation="Openfield Labs",
        email=None,
        topic="policy",
        message=S_MESSAGE,
    )
    deliver_outbox(store)
    desk.staff_reply(fresh(store, stale_ticket), STAFF, "We are on it, Otto.")
    deliver_outbox(store)
    backdate(storage, OLD_DAYS, user_id=STALE.user_id, ticket_id=stale_ticket.id)

    # The recent enquirer: one question 400 days ago, the rest now, a request resolved
    # today, and a new request in progress.
    old_id = ask(dialogue, RECENT, R_OLD_QUESTION)
    storage.db.execute("UPDATE questions SET ts = ts - ? WHERE id = ?", [OLD_DAYS * DAY, old_id])
    storage.db.execute(
        "UPDATE users SET first_seen = first_seen - ? WHERE user_id = ?",
        [OLD_DAYS * DAY, RECENT.user_id],
    )
    recent_ids = [ask(dialogue, RECENT, q) for q in R_QUESTIONS]
    assert dialogue.feedback(RECENT.user_id, recent_ids[0], True)
    recent_ticket = submit_request(
        dialogue,
        RECENT,
        name=B_NAME,
        organisation=B_ORG,
        email=None,
        topic="massbio",
        message=B_MESSAGE,
    )
    deliver_outbox(store)
    desk.staff_reply(fresh(store, recent_ticket), STAFF, B_STAFF_REPLY)
    desk.act(recent_ticket.id, "resolve", STAFF)
    deliver_outbox(store)
    start_request(dialogue, RECENT, name=B_NAME, organisation=B_ORG, email=None)
    return RetentionHistory(
        fresh(store, old_ticket), fresh(store, stale_ticket), fresh(store, recent_ticket)
    )


def old_traces(storage: Storage) -> list[tuple[str, str]]:
    return traces(storage, O_TEXTS, [OLD.user_id])


def test_purge_removes_old_personal_data_only(services: Services) -> None:
    history = build_retention_history(services)
    storage, store, kb = services.storage, services.store, services.kb
    privacy = privacy_of(services)
    found = old_traces(storage)
    # The old enquirer never blocked the bot, so has no users row; a follow-up context
    # lives 30 minutes, and is tested on its own.
    assert {where.split(".")[0] for where, _ in found} == PERSONAL_TABLES - {
        "updates",
        "users",
        "conversation_context",
    }
    assert {what for _, what in found} == {*O_TEXTS, str(OLD.user_id)}
    stats_before = stat_numbers(services)
    stale_before = fresh(store, history.stale_ticket)
    stale_messages = rows_of(storage, STALE.user_id, stale_before.id)["ticket_messages"]
    recent_data = privacy.data_of(RECENT.user_id)
    outbox_before = {row["id"] for row in outbox_rows(storage)}

    purged = privacy.purge(RETENTION_DAYS)

    old_count = len(O_QUESTIONS) + len(S_QUESTIONS) + 1
    # No users row to remove: the old enquirer never blocked the bot.
    assert (purged.tickets, purged.questions, purged.forms, purged.users) == (1, old_count, 1, 0)
    assert purged.outbox > 0
    # Olga is gone from every table.
    assert old_traces(storage) == []
    assert privacy.data_of(OLD.user_id) == {}
    erased = fresh(store, history.old_ticket)
    assert erased.erased_at is not None and erased.status == "resolved"
    # Her staff card is edited to show it, without a notice to staff.
    new = [row for row in outbox_rows(storage) if row["id"] not in outbox_before]
    [edit] = new
    assert (edit["action"], edit["ticket_id"]) == ("edit_card", erased.id)
    assert edit["text"] == services.desk.card(erased)[0]
    assert kb.message("staff_status_erased") in edit["text"]

    # An old request that is still open keeps its personal fields and messages; only
    # Otto's old conversation log loses its text.
    assert fresh(store, history.stale_ticket) == stale_before
    assert stale_before.name == S_NAME and stale_before.erased_at is None
    assert rows_of(storage, STALE.user_id, stale_before.id)["ticket_messages"] == stale_messages
    stale_data = privacy.data_of(STALE.user_id)
    assert "questions" not in stale_data
    assert stale_data["contact_requests"][0]["message"] == S_MESSAGE
    assert stale_data["telegram_user_id"] == STALE.user_id

    # Recent data is untouched; only the recent enquirer's old question lost its text.
    recent_after = privacy.data_of(RECENT.user_id)
    assert recent_after == {
        **recent_data,
        "questions": [q for q in recent_data["questions"] if q["question"] != R_OLD_QUESTION],
    }
    assert [q["question"] for q in recent_after["questions"]] == list(R_QUESTIONS)
    assert recent_after["contact_requests"][0]["name"] == B_NAME
    assert store.form(RECENT.user_id) is not None

    # Statistics still add up.
    assert stat_numbers(services) == stats_before


def test_purge_is_idempotent(services: Services) -> None:
    build_retention_history(services)
    privacy = privacy_of(services)
    assert privacy.purge(RETENTION_DAYS).tickets == 1
    after_first = cells(services.storage)
    assert privacy.purge(RETENTION_DAYS) == Purged(0, 0, 0, 0, 0)
    assert cells(services.storage) == after_first


def test_purge_keeps_everything_within_the_retention_period(
    services: Services, history: History
) -> None:
    before = cells(services.storage)
    assert privacy_of(services).purge(RETENTION_DAYS) == Purged(0, 0, 0, 0, 0)
    assert cells(services.storage) == before


def test_purge_with_a_later_clock_erases_a_resolved_request(
    services: Services, history: History
) -> None:
    """The same purge, run 181 days from now instead of moving the data into the past."""
    stats_before = stat_numbers(services)
    later = time.time() + (RETENTION_DAYS + 1) * DAY
    purged = privacy_of(services).purge(RETENTION_DAYS, now=later)
    assert purged.tickets == 1  # the victim's resolved ticket; the bystander's is open
    assert fresh(services.store, history.victim_ticket).erased_at is not None
    assert fresh(services.store, history.bystander_ticket).name == B_NAME
    assert stat_numbers(services) == stats_before


def test_purge_of_a_request_the_enquirer_closed(services: Services) -> None:
    dialogue = services.dialogue
    ticket = submit_request(
        dialogue,
        OLD,
        name=O_NAME,
        organisation=O_ORG,
        email=O_EMAIL,
        topic="partnering",
        message=O_MESSAGE,
    )
    dialogue.command(OLD, "close")
    backdate(services.storage, OLD_DAYS, user_id=OLD.user_id, ticket_id=ticket.id)
    assert privacy_of(services).purge(RETENTION_DAYS).tickets == 1
    assert old_traces(services.storage) == []


def test_purge_removes_old_update_journal_rows(services: Services) -> None:
    journal = UpdateJournal(services.storage)
    ask(services.dialogue, OLD, O_QUESTIONS[0])
    assert journal.record(8000, update_payload(8000, OLD, O_QUESTIONS[0]), OLD.user_id)
    journal.done(8000)
    backdate(services.storage, OLD_DAYS, user_id=OLD.user_id)
    privacy_of(services).purge(RETENTION_DAYS)
    assert old_traces(services.storage) == []


# -- the raw files ---------------------------------------------------------------------------


def raw_bytes(storage: Storage) -> bytes:
    """The database file and its write-ahead log as they lie on disk."""
    base = Path(str(storage.path))
    return b"".join(path.read_bytes() for path in (base, Path(f"{base}-wal")) if path.exists())


def on_disk(storage: Storage, texts: Iterable[str]) -> list[str]:
    data = raw_bytes(storage)
    return [text for text in texts if text.encode("utf-8") in data]


def test_forget_leaves_no_erased_bytes_in_the_database_or_its_wal(
    services: Services, history: History
) -> None:
    storage = services.storage
    written = [V_NAME, V_ORG, V_EMAIL, V_MESSAGE, V_FOLLOW_UP, V_STAFF_REPLY, V_JOURNALED]
    assert on_disk(storage, written) == written  # they were there
    forget(services.dialogue, VICTIM)
    assert on_disk(storage, written) == []
    assert str(VICTIM.user_id).encode() not in raw_bytes(storage)  # journaled JSON held it


def test_retention_purge_leaves_no_purged_bytes_on_disk(services: Services) -> None:
    build_retention_history(services)
    storage = services.storage
    written = [O_NAME, O_ORG, O_EMAIL, O_MESSAGE, O_FOLLOW_UP, O_STAFF_REPLY]
    assert on_disk(storage, written) == written
    services.dialogue.privacy.purge(RETENTION_DAYS)
    assert on_disk(storage, written) == []
