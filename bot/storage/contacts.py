"""Contact requests in SQLite: forms in progress, tickets, their messages, the map from
staff-chat messages to tickets, and the outbox (``ContactStore``).

Methods that change several rows take the caller's transaction (``Storage.transaction``),
so a ticket and the messages it causes commit together.
"""

from __future__ import annotations

import json
import time
from typing import Any

from sqlite_utils import Database

from bot.common.languages import Language
from bot.storage.database import Storage
from bot.storage.outbox import OutboxAction, OutboxItem, OutboxStatus, Outgoing
from bot.storage.tickets import FormRow, Ticket, TicketStatus


def _ticket(row: dict[str, Any]) -> Ticket:
    row = dict(row)
    row["recent_questions"] = json.loads(row["recent_questions"] or "[]")
    row["enquirer_blocked"] = bool(row["enquirer_blocked"])
    row["closed_by_enquirer"] = bool(row.get("closed_by_enquirer"))
    known = row.get("language") in Language.__members__.values()
    row["language"] = Language(row["language"]) if known else Language.EN
    return Ticket(**row)


class ContactStore:
    """Forms, tickets and the outbox. Methods that change several rows take the caller's
    transaction (``Storage.transaction``) so a ticket and its messages commit together."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    @property
    def db(self) -> Database:
        return self.storage.db

    # -- forms ------------------------------------------------------------------------

    def form(self, user_id: int) -> FormRow | None:
        row = self.db.execute(
            "SELECT user_id, chat_id, step, data FROM forms WHERE user_id = ?", [user_id]
        ).fetchone()
        if row is None:
            return None
        return FormRow(row[0], row[1], row[2], json.loads(row[3]))

    def save_form(self, user_id: int, chat_id: int, step: str, data: dict[str, Any]) -> None:
        # One statement: sqlite-utils' upsert first reads the schema (about 6 queries).
        self.db.execute(
            "INSERT INTO forms (user_id, chat_id, step, data, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id,"
            " step = excluded.step, data = excluded.data, updated_at = excluded.updated_at",
            [user_id, chat_id, step, json.dumps(data, ensure_ascii=False), time.time()],
        )

    def clear_form(self, user_id: int) -> None:
        self.db.execute("DELETE FROM forms WHERE user_id = ?", [user_id])

    # -- tickets ----------------------------------------------------------------------

    def create_ticket(self, fields: dict[str, Any]) -> Ticket:
        table = self.db.table("tickets")
        table.insert(
            {
                **fields,
                "recent_questions": json.dumps(fields.get("recent_questions", [])),
                "status": "open",
                "created_at": time.time(),
            }
        )
        ticket_id = table.last_pk
        assert ticket_id is not None
        ticket = self.ticket(int(ticket_id))
        assert ticket is not None
        return ticket

    def ticket(self, ticket_id: int) -> Ticket | None:
        rows = list(self.db.table("tickets").rows_where("id = ?", [ticket_id]))
        return _ticket(rows[0]) if rows else None

    def update_ticket(self, ticket_id: int, **changes: Any) -> Ticket:
        self.db.table("tickets").update(ticket_id, changes)
        ticket = self.ticket(ticket_id)
        assert ticket is not None
        return ticket

    def open_ticket_of(self, user_id: int) -> Ticket | None:
        row = self.db.execute(
            "SELECT id FROM tickets WHERE user_id = ? AND status != 'resolved'"
            " ORDER BY id DESC LIMIT 1",
            [user_id],
        ).fetchone()
        return self.ticket(row[0]) if row else None

    def tickets_of(self, user_id: int) -> list[Ticket]:
        rows = self.db.table("tickets").rows_where("user_id = ?", [user_id], order_by="id")
        return [_ticket(row) for row in rows]

    def resolved_before(self, cutoff: float) -> list[Ticket]:
        """Tickets resolved before ``cutoff`` and not erased yet (the retention purge)."""
        rows = self.db.table("tickets").rows_where(
            "status = ? AND resolved_at < ? AND erased_at IS NULL",
            [TicketStatus.RESOLVED, cutoff],
            order_by="id",
        )
        return [_ticket(row) for row in rows]

    def ticket_counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, count(*) FROM tickets GROUP BY status").fetchall()
        return {status: n for status, n in rows}

    def first_reply_waits(self) -> list[float]:
        """Seconds from each ticket's creation to its first staff reply."""
        rows = self.db.execute(
            "SELECT first_reply_at - created_at FROM tickets WHERE first_reply_at IS NOT NULL"
        ).fetchall()
        return [row[0] for row in rows]

    def ticket_messages(self, ticket_id: int) -> list[tuple[float, str, str, str, str | None]]:
        """(time, direction, author, text, attachment) of a ticket's messages, in order."""
        return [
            tuple(row)
            for row in self.db.execute(
                "SELECT ts, direction, author, text, attachment FROM ticket_messages"
                " WHERE ticket_id = ? ORDER BY id",
                [ticket_id],
            ).fetchall()
        ]

    def erase_contact_data(self, user_id: int) -> None:
        """Messages still waiting for ``user_id``'s chat, pointers to their messages in
        relays, and their form in progress (their tickets are erased one by one)."""
        db = self.db
        db.execute("DELETE FROM outbox WHERE chat_id = ?", [user_id])
        db.execute(
            "UPDATE outbox SET from_chat_id = NULL, from_message_id = NULL WHERE from_chat_id = ?",
            [user_id],
        )
        self.clear_form(user_id)

    def purge_contact_data(self, cutoff: float) -> tuple[int, int]:
        """Finished outbox rows and forms untouched since before ``cutoff``; how many."""
        outbox = self.db.execute(
            "DELETE FROM outbox WHERE status != ? AND created_at < ?",
            [OutboxStatus.PENDING, cutoff],
        ).rowcount
        forms = self.db.execute("DELETE FROM forms WHERE updated_at < ?", [cutoff]).rowcount
        return outbox, forms

    def blocked_tickets_of(self, user_id: int) -> list[Ticket]:
        rows = self.db.table("tickets").rows_where(
            "user_id = ? AND enquirer_blocked = 1", [user_id], order_by="id"
        )
        return [_ticket(row) for row in rows]

    def tickets(self, statuses: tuple[str, ...] | None = None, limit: int = 50) -> list[Ticket]:
        table = self.db.table("tickets")
        if statuses:
            marks = ", ".join("?" for _ in statuses)
            rows = table.rows_where(f"status IN ({marks})", list(statuses), order_by="id")
        else:
            rows = table.rows_where(order_by="id desc", limit=limit)
        return [_ticket(row) for row in rows]

    def log_ticket_message(
        self,
        ticket_id: int,
        direction: str,
        author: str,
        text: str,
        attachment: str | None = None,
    ) -> int:
        """Record a message of a ticket's conversation; return its id."""
        cursor = self.db.execute(
            "INSERT INTO ticket_messages (ticket_id, direction, author, text, ts, attachment)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [ticket_id, direction, author, text, time.time(), attachment],
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def erase_ticket(self, ticket: Ticket) -> Ticket:
        """Empty a ticket's personal fields, its messages' texts and its outbox rows (a
        queued row is dropped; a delivered one keeps no text). Returns the erased ticket."""
        erased = self.update_ticket(
            ticket.id,
            user_id=None,
            chat_id=None,
            name="",
            organisation="",
            email=None,
            message="",
            recent_questions="[]",
            erased_at=time.time(),
            # A request the enquirer closed names them as its resolver.
            claimed_by=None if ticket.claimed_by == ticket.name else ticket.claimed_by,
        )
        db = self.db
        db.execute(
            "UPDATE ticket_messages SET text = '', author = '' WHERE ticket_id = ?", [ticket.id]
        )
        if ticket.card_message_id is None:  # the card itself is not out yet: drop it too
            db.execute(
                "DELETE FROM outbox WHERE ticket_id = ? AND status = ?",
                [ticket.id, OutboxStatus.PENDING],
            )
        else:
            db.execute(
                "DELETE FROM outbox WHERE ticket_id = ? AND action != ? AND status = ?",
                [ticket.id, OutboxAction.CARD, OutboxStatus.PENDING],
            )
        db.execute(
            "UPDATE outbox SET text = '', from_chat_id = NULL, from_message_id = NULL"
            " WHERE ticket_id = ?",
            [ticket.id],
        )
        return erased

    def map_staff_message(self, chat_id: int, message_id: int, ticket_id: int) -> None:
        self.db.table("staff_messages").upsert(
            {"chat_id": chat_id, "message_id": message_id, "ticket_id": ticket_id},
            pk=("chat_id", "message_id"),
        )

    def ticket_of_staff_message(self, chat_id: int, message_id: int) -> Ticket | None:
        row = self.db.execute(
            "SELECT ticket_id FROM staff_messages WHERE chat_id = ? AND message_id = ?",
            [chat_id, message_id],
        ).fetchone()
        return self.ticket(row[0]) if row else None

    def maps_pending(self, chat_id: int, ticket_id: int) -> bool:
        """Whether a message of ticket ``ticket_id`` to ``chat_id`` is still in the
        outbox, so that the message id Telegram gave it may not be recorded yet."""
        row = self.db.execute(
            "SELECT 1 FROM outbox WHERE chat_id = ? AND ticket_id = ? AND maps_to_ticket = 1"
            " AND status = ? LIMIT 1",
            [chat_id, ticket_id, OutboxStatus.PENDING],
        ).fetchone()
        return row is not None

    # -- outbox -----------------------------------------------------------------------

    def enqueue(self, *messages: Outgoing) -> None:
        """Queue ``messages`` (in the caller's transaction, if any). A file is refused,
        all of the call with it: the outbox has nowhere to keep one."""
        if any(m.file_name is not None for m in messages):
            raise ValueError("the outbox sends no files: send a document as a reply")
        now = time.time()
        self.db.table("outbox").insert_all(
            {
                "chat_id": m.chat_id,
                "action": m.action,
                "text": m.text,
                "keyboard": json.dumps(m.keyboard) if m.keyboard is not None else None,
                "ticket_id": m.ticket_id,
                "reply_to_message_id": m.reply_to_message_id,
                "maps_to_ticket": int(m.maps_to_ticket),
                "from_chat_id": m.from_chat_id,
                "from_message_id": m.from_message_id,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for m in messages
        )

    def due(self, now: float | None = None) -> list[OutboxItem]:
        """The oldest pending message of each chat, if it is due: delivery is in order
        per chat, and one chat waiting out a failure does not hold up the others."""
        now = time.time() if now is None else now
        rows = self.db.execute(
            """
            SELECT o.* FROM outbox o
            JOIN (SELECT chat_id, min(id) AS id FROM outbox WHERE status = 'pending'
                  GROUP BY chat_id) first ON first.id = o.id
            WHERE o.next_attempt_at <= ?
            ORDER BY o.id
            """,
            [now],
        ).fetchall()
        columns = [c.name for c in self.db.table("outbox").columns]
        items = []
        for values in rows:
            row = dict(zip(columns, values, strict=True))
            items.append(
                OutboxItem(
                    id=row["id"],
                    message=Outgoing(
                        chat_id=row["chat_id"],
                        text=row["text"],
                        keyboard=json.loads(row["keyboard"]) if row["keyboard"] else None,
                        ticket_id=row["ticket_id"],
                        action=OutboxAction(row["action"]),
                        reply_to_message_id=row["reply_to_message_id"],
                        maps_to_ticket=bool(row["maps_to_ticket"]),
                        from_chat_id=row["from_chat_id"],
                        from_message_id=row["from_message_id"],
                    ),
                    attempts=row["attempts"],
                    parts_sent=row["parts_sent"],
                    first_message_id=row["sent_message_id"],
                )
            )
        return items

    def next_due_at(self) -> float | None:
        row = self.db.execute(
            "SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending'"
        ).fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def mark_part_sent(self, item: OutboxItem, parts_sent: int, message_id: int) -> None:
        """Part ``parts_sent`` of a long message was delivered as ``message_id``: record
        it (and map it to its ticket, so staff can reply to any part) before the next."""
        with self.storage.transaction():
            self.db.execute(
                "UPDATE outbox SET parts_sent = ?, sent_message_id = coalesce(sent_message_id, ?)"
                " WHERE id = ? AND status = ?",
                [parts_sent, message_id, item.id, OutboxStatus.PENDING],
            )
            message = item.message
            if message.maps_to_ticket and message.ticket_id is not None:
                self.map_staff_message(message.chat_id, message_id, message.ticket_id)

    def mark_sent(self, item: OutboxItem, message_id: int | None) -> bool:
        """Record the delivery; False when the row was erased or cancelled meanwhile
        (/forget while Telegram was answering), in which case nothing is mapped."""
        with self.storage.transaction():
            changed = self.db.execute(
                "UPDATE outbox SET status = ?, sent_at = ?,"
                " sent_message_id = coalesce(sent_message_id, ?)"
                " WHERE id = ? AND status = ?",
                [OutboxStatus.SENT, time.time(), message_id, item.id, OutboxStatus.PENDING],
            ).rowcount
            message = item.message
            if changed and message.maps_to_ticket and message.ticket_id is not None and message_id:
                self.map_staff_message(message.chat_id, message_id, message.ticket_id)
            if message.action == OutboxAction.CARD and message.ticket_id is not None and message_id:
                # Recorded even when erased meanwhile: the card is in the chat, to be edited.
                self.update_ticket(message.ticket_id, card_message_id=message_id)
        return bool(changed)

    def mark_retry(self, item: OutboxItem, error: str, delay: float) -> None:
        self.db.execute(
            "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
            [item.attempts + 1, time.time() + delay, error[:500], item.id],
        )

    def mark_final(self, item: OutboxItem, status: OutboxStatus, error: str) -> None:
        """Give up on a message: ``failed`` (Telegram refused it) or ``blocked``."""
        self.db.execute(
            "UPDATE outbox SET status = ?, attempts = ?, last_error = ?"
            " WHERE id = ? AND status = ?",
            [status, item.attempts + 1, error[:500], item.id, OutboxStatus.PENDING],
        )

    def outbox_counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall()
        return {status: count for status, count in rows}
