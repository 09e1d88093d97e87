"""The conversation log, feedback and blocked users in SQLite, across restarts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage.database import Storage
from bot.storage.migrations import migrations

pytestmark = pytest.mark.unit


def test_migrations_apply_once_and_survive_reopen(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    with Storage(path) as storage:
        qid = storage.log_question(
            user_id=7, chat_id=7, text="<b>hi</b>", kind="fallback", entry_id=None, score=0.1
        )
        assert migrations.pending(storage.db) == []
    with Storage(path) as storage:
        logged = storage.question(qid)
        assert logged is not None
        assert logged.text == "<b>hi</b>"  # stored exactly, escaped only when shown
        assert logged.kind == "fallback" and logged.entry_id is None
        applied = [m.name for m in migrations.applied(storage.db)]
        assert applied == [
            "m001_conversation_log",
            "m002_contact_requests",
            "m003_update_journal",
            "m004_erasure",
            "m005_conversation_context",
            "m006_drafts",
            "m007_attachments",
            "m008_outbox_parts",
            "m009_languages",
            "m010_question_languages",
        ]


def test_feedback_is_one_per_answer_and_only_by_its_asker(tmp_path: Path) -> None:
    with Storage(tmp_path / "db.sqlite3") as storage:
        qid = storage.log_question(
            user_id=1, chat_id=1, text="q", kind="answer", entry_id="e", score=0.9
        )
        assert storage.record_feedback(qid, 1, helpful=True)
        assert storage.record_feedback(qid, 1, helpful=False)  # changes its mind
        assert not storage.record_feedback(qid, 2, helpful=True)  # someone else's answer
        assert not storage.record_feedback(qid + 100, 1, helpful=True)
        counts = storage.counts()
        assert counts["feedback"] == 1 and counts["helpful"] == 0
        assert counts["questions"] == 1 and counts["by_kind"] == {"answer": 1}


def test_blocked_users(tmp_path: Path) -> None:
    with Storage(tmp_path / "db.sqlite3") as storage:
        assert not storage.is_blocked(5)
        storage.mark_blocked(5)
        assert storage.is_blocked(5)
        assert storage.counts()["blocked_users"] == 1
        storage.mark_blocked(5, blocked=False)
        assert not storage.is_blocked(5)


def test_recent_questions_newest_first(tmp_path: Path) -> None:
    with Storage(tmp_path / "db.sqlite3") as storage:
        for i in range(7):
            storage.log_question(
                user_id=3, chat_id=3, text=f"q{i}", kind="answer", entry_id="e", score=1.0, ts=i
            )
        assert [q.text for q in storage.recent_questions(3, limit=3)] == ["q6", "q5", "q4"]
