"""The database's schema, evolved by sqlite-utils' ``Migrations``: one function each, in
order, applied when ``Storage`` opens the database (each runs once, recorded in the
database itself). A change to the schema is a new migration, never an edit of one.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("enquiry-bot")


@migrations()
def m001_conversation_log(db: Database) -> None:
    db.table("questions").create(
        {
            "id": int,
            "ts": float,
            "user_id": int,
            "chat_id": int,
            "text": str,
            "kind": str,
            "entry_id": str,
            "score": float,
        },
        pk="id",
    )
    db.table("questions").create_index(["user_id", "ts"])
    db.table("questions").create_index(["kind", "ts"])
    db.table("feedback").create(
        {
            "question_id": int,
            "ts": float,
            "user_id": int,
            "entry_id": str,
            "helpful": int,
        },
        pk="question_id",
        foreign_keys=[("question_id", "questions", "id")],
    )
    db.table("users").create(
        {"user_id": int, "first_seen": float, "blocked_at": float},
        pk="user_id",
    )


@migrations()
def m002_contact_requests(db: Database) -> None:
    db.table("forms").create(
        {"user_id": int, "chat_id": int, "step": str, "data": str, "updated_at": float},
        pk="user_id",
    )
    db.table("tickets").create(
        {
            "id": int,
            "user_id": int,
            "chat_id": int,
            "name": str,
            "organisation": str,
            "reply_via": str,
            "email": str,
            "topic": str,
            "message": str,
            "recent_questions": str,  # JSON list, a snapshot for the staff card
            "status": str,
            "claimed_by": str,
            "created_at": float,
            "first_reply_at": float,
            "resolved_at": float,
            "staff_chat_id": int,
            "card_message_id": int,
            "enquirer_blocked": int,
        },
        pk="id",
        defaults={"status": "open", "enquirer_blocked": 0},
    )
    db.table("tickets").create_index(["user_id", "status"])
    db.table("tickets").create_index(["status"])
    db.table("ticket_messages").create(
        {
            "id": int,
            "ticket_id": int,
            "direction": str,  # "in": enquirer to staff, "out": staff to enquirer
            "author": str,
            "text": str,
            "ts": float,
        },
        pk="id",
        foreign_keys=[("ticket_id", "tickets", "id")],
    )
    db.table("ticket_messages").create_index(["ticket_id"])
    db.table("staff_messages").create(
        {"chat_id": int, "message_id": int, "ticket_id": int},
        pk=("chat_id", "message_id"),
        foreign_keys=[("ticket_id", "tickets", "id")],
    )
    db.table("outbox").create(
        {
            "id": int,
            "chat_id": int,
            "action": str,  # "card" (a ticket's first card), "send" or "edit_card"
            "text": str,  # plain text; escaped when sent
            "keyboard": str,  # JSON, or null
            "ticket_id": int,
            "reply_to_message_id": int,
            "maps_to_ticket": int,  # record the sent message as belonging to ticket_id
            "status": str,  # pending, sent, failed, blocked
            "attempts": int,
            "next_attempt_at": float,
            "last_error": str,
            "created_at": float,
            "sent_at": float,
            "sent_message_id": int,
        },
        pk="id",
        defaults={"status": "pending", "attempts": 0, "maps_to_ticket": 0},
    )
    db.table("outbox").create_index(["status", "chat_id", "id"])


@migrations()
def m003_update_journal(db: Database) -> None:
    db.table("updates").create(
        {
            "update_id": int,
            "received_at": float,
            "user_id": int,  # so /forget can find an enquirer's unprocessed updates
            "status": str,  # "pending", then "answered" (replies decided), then "done"
            "payload": str,  # the update's JSON until done; erased then
            "replies": str,  # JSON of the replies while "answered"
        },
        pk="update_id",
    )
    # No index on status: it would cost every update a write, to speed up one scan of a
    # week's ids at start-up.


@migrations()
def m004_erasure(db: Database) -> None:
    # When a ticket's personal fields were erased (/forget or the retention purge).
    db.table("tickets").add_column("erased_at", float)


@migrations()
def m005_conversation_context(db: Database) -> None:
    # The last answered entry of each chat, for follow-ups ("and when was it founded?").
    db.table("conversation_context").create(
        {"chat_id": int, "user_id": int, "entry_id": str, "question": str, "ts": float},
        pk="chat_id",
    )
    db.table("conversation_context").create_index(["user_id"])


@migrations()
def m006_drafts(db: Database) -> None:
    # Staff replies saved as draft entries (bot/curation/drafts.py), scrubbed of personal data;
    # user_id is the enquirer's, so that /forget can remove their questions.
    db.table("drafts").create(
        {
            "id": int,
            "ticket_id": int,
            "ticket_message_id": int,  # the staff reply (ticket_messages.id)
            "user_id": int,
            "questions": str,  # JSON list
            "answer": str,
            "topic": str,  # suggested entry topic
            "contact_topic": str,
            "subjects": str,  # JSON list of suggested subject ids
            "staff": str,  # first name
            "created_at": float,
            "status": str,  # DraftStatus
            "entry_id": str,  # once accepted
            "decided_at": float,
        },
        pk="id",
        defaults={"status": "pending"},
    )
    db.table("drafts").create_index(["ticket_message_id"], unique=True)
    db.table("drafts").create_index(["user_id"])
    # One monthly review notice per month, however often the bot restarts that day.
    db.table("review_notices").create({"month": str, "sent_at": float}, pk="month")


@migrations()
def m007_attachments(db: Database) -> None:
    # copyMessage relays (photos, documents, voice notes): the message copied. Personal
    # when it is the enquirer's chat; erased with the ticket.
    db.table("outbox").add_column("from_chat_id", int)
    db.table("outbox").add_column("from_message_id", int)
    # What kind of attachment a ticket message was ("photo", "document", ...), or null.
    db.table("ticket_messages").add_column("attachment", str)
    # A ticket the enquirer closed (/close), rather than staff resolving it.
    db.table("tickets").add_column("closed_by_enquirer", int, not_null_default=0)


@migrations()
def m008_outbox_parts(db: Database) -> None:
    # A message over Telegram's length goes out in parts, each recorded once Telegram
    # took it, so a retry sends only the rest.
    db.table("outbox").add_column("parts_sent", int, not_null_default=0)


@migrations()
def m009_languages(db: Database) -> None:
    # The language of each chat (issue 11): the one its enquirer picked with /language
    # (chosen = 1), which wins over detection, or else the language of their last
    # message, the prior for the next one and the language of commands and buttons.
    # Personal (user_id): erased by /forget, purged when not used for the retention period.
    db.table("chat_languages").create(
        {"chat_id": int, "user_id": int, "language": str, "chosen": int, "ts": float},
        pk="chat_id",
        not_null={"language"},
        defaults={"chosen": 0},
    )
    db.table("chat_languages").create_index(["user_id"])
    # The language of a contact request, its enquirer's: shown on the staff card, and
    # the language of what the enquirer is told about it (staff replies' headers).
    db.table("tickets").add_column("language", str, not_null_default="en")


@migrations()
def m010_question_languages(db: Database) -> None:
    # The language each question was answered in: kb suggest offers a question as an
    # alternate of the entry in that language only (a Danish question is no English
    # alternate). Questions logged before are English, as their replies were.
    db.table("questions").add_column("language", str, not_null_default="en")
