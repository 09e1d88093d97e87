"""The update journal's batching: a polled batch in one commit, done marks sharing commits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot, Update

from bot.storage.database import Storage
from bot.storage.journal import UpdateJournal
from bot.telegram.journal import JournalingRequest, JournalQueue
from tests.support.memory_request import InMemoryRequest
from tests.support.updates import BOT_USER, TOKEN

pytestmark = pytest.mark.unit

URL = f"https://api.telegram.org/bot{TOKEN}"


def raw_update(update_id: int, user_id: int = 42, text: str = "hello") -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Ada"}
    chat = {"id": user_id, "type": "private", "first_name": "Ada"}
    message = {"message_id": update_id, "date": 1700000000, "chat": chat, "from": user}
    return {"update_id": update_id, "message": {**message, "text": text}}


class Commits:
    """Counts the COMMITs the storage's connection runs."""

    def __init__(self, storage: Storage) -> None:
        self.count = 0
        storage.db.conn.set_trace_callback(self.seen)

    def seen(self, statement: str) -> None:
        if statement.strip().upper().startswith("COMMIT"):
            self.count += 1


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[UpdateJournal]:
    with Storage(tmp_path / "db.sqlite3") as storage:
        yield UpdateJournal(storage)


def statuses(journal: UpdateJournal) -> dict[int, str]:
    rows = journal.storage.db.execute("SELECT update_id, status FROM updates").fetchall()
    return dict(rows)


def test_a_batch_is_recorded_in_one_commit(journal: UpdateJournal) -> None:
    commits = Commits(journal.storage)
    rows = [(n, raw_update(n, user_id=n + 1), n + 1) for n in (10, 11, 12)]
    assert journal.record_batch(rows) == {10, 11, 12}
    assert commits.count == 1
    assert statuses(journal) == {10: "pending", 11: "pending", 12: "pending"}
    users = journal.storage.db.execute("SELECT user_id FROM updates ORDER BY update_id")
    assert [u for (u,) in users] == [11, 12, 13]
    assert [payload for payload, _ in journal.pending()] == [row[1] for row in rows]


def test_a_batch_skips_done_ids_and_keeps_what_was_saved(journal: UpdateJournal) -> None:
    assert journal.record(20, raw_update(20, text="first"), 42)
    journal.done(20)
    assert journal.record(21, raw_update(21, text="first"), 42)
    journal.answered(21, [{"chat_id": 42, "text": "reply"}])
    needed = journal.record_batch([(n, raw_update(n, text="again"), 42) for n in (20, 21, 22, 22)])
    assert needed == {21, 22}  # 20 was handled; 21 still has replies to send
    assert statuses(journal) == {20: "done", 21: "answered", 22: "pending"}
    assert journal.replies_of(21) == [{"chat_id": 42, "text": "reply"}]


def test_done_later_rides_on_the_next_commit_of_replies(journal: UpdateJournal) -> None:
    journal.record_batch([(n, raw_update(n), 42) for n in (30, 31)])
    journal.answered(30, [])
    journal.done_later(30)
    assert statuses(journal)[30] == "answered"
    commits = Commits(journal.storage)
    with journal.storage.transaction():
        journal.answered(31, [])
    assert commits.count == 1
    assert statuses(journal) == {30: "done", 31: "answered"}


def test_a_restart_before_the_done_mark_resends_replies_without_handling_again(
    tmp_path: Path,
) -> None:
    with Storage(tmp_path / "db.sqlite3") as storage:
        journal = UpdateJournal(storage)
        journal.record_batch([(40, raw_update(40), 42)])
        journal.answered(40, [{"chat_id": 42, "text": "reply"}])
        journal.done_later(40)  # the process dies before any commit writes it
    with Storage(tmp_path / "db.sqlite3") as storage:
        assert UpdateJournal(storage).pending() == [(raw_update(40), True)]


class FakeApi(InMemoryRequest):
    """Answers getUpdates with ``updates`` and any other call as InMemoryRequest does."""

    def __init__(self, updates: list[dict[str, Any]]) -> None:
        super().__init__()
        self.updates = updates

    async def answer(self, endpoint: str, parameters: dict[str, Any]) -> object:
        if endpoint == "getUpdates":
            return self.updates
        return await super().answer(endpoint, parameters)


async def test_polled_updates_are_journaled_before_ptb_reads_them(
    journal: UpdateJournal,
) -> None:
    queue = JournalQueue(journal)
    journal.record(50, raw_update(50), 42)
    journal.done(50)  # handled before a restart; Telegram delivers it again
    request = JournalingRequest(queue, FakeApi([raw_update(50), raw_update(51, user_id=7)]))
    commits = Commits(journal.storage)
    result = await request.post(f"{URL}/getUpdates")
    assert isinstance(result, list) and [u["update_id"] for u in result] == [50, 51]
    assert statuses(journal) == {50: "done", 51: "pending"}
    assert commits.count == 1
    assert journal.storage.db.execute(
        "SELECT user_id FROM updates WHERE update_id = 51"
    ).fetchone() == (7,)

    bot = Bot(TOKEN, request=FakeApi([]))
    for raw in result:
        await queue.put(Update.de_json(raw, bot))
    assert commits.count == 1  # put wrote nothing more
    queued = queue.get_nowait()
    assert isinstance(queued, Update) and queued.update_id == 51  # 50 was dropped
    assert queue.empty()

    assert await request.post(f"{URL}/getMe") == BOT_USER
    assert statuses(journal) == {50: "done", 51: "pending"}


async def test_handled_defers_the_done_mark_only_while_updates_wait(
    journal: UpdateJournal,
) -> None:
    queue = JournalQueue(journal)
    bot = Bot(TOKEN, request=FakeApi([]))
    for n in (60, 61):
        await queue.put(Update.de_json(raw_update(n), bot))
    first = queue.get_nowait()
    assert isinstance(first, Update)
    queue.handled(first.update_id)  # 61 waits: 60's mark waits for a commit
    assert statuses(journal) == {60: "pending", 61: "pending"}
    second = queue.get_nowait()
    assert isinstance(second, Update)
    queue.handled(second.update_id)  # nothing waits: both written now
    assert statuses(journal) == {60: "done", 61: "done"}


def test_flush_writes_the_waiting_done_marks(journal: UpdateJournal) -> None:
    journal.record_batch([(70, raw_update(70), 42)])
    journal.done_later(70)
    journal.flush()
    assert statuses(journal) == {70: "done"}
