"""End to end: a staff answer becomes knowledge, real bot process over HTTP.

An enquirer's question the bot cannot answer goes to staff as a contact request; a
staff member replies; the bot's acknowledgement carries Save as answer; pressed, the
reply is a draft that ``kb drafts --json`` lists without the enquirer's personal data;
``kb accept`` writes it into the knowledge folder, ``kb check`` is clean, and after
/reload the bot answers the question with the staff answer and its source line.
"""

# ruff: noqa: F811 (test arguments named ``api`` and ``staff`` are the imported fixtures)
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.knowledge.base import DEFAULT_KNOWLEDGE_DIR, load_knowledge
from tests.support.botapi_server import FakeBotApi, SimChat, SimUser
from tests.test_e2e_contact_routing import (  # the api and staff fixtures: a staff group
    STAFF_WAIT,
    api,  # noqa: F401
    card_of,
    staff,  # noqa: F401
    submit_ticket,
)
from tests.test_e2e_telegram_front import ROOT, STAFF_CHAT, BotProcess

pytestmark = pytest.mark.e2e

QUESTION = "Does the programme offer travel grants for founders?"
SHIPPED_ENTRIES = len(load_knowledge(DEFAULT_KNOWLEDGE_DIR).entries)
REPLY = (
    "Hi Alice, the programme has no travel grants of its own: founders pay their own "
    "way. Acme Bio could mail alice@acme.example."
)
PERSONAL = ("Alice", "Andersen", "Acme", "alice@acme.example", "+45 20 30 40 50")


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the data folder, a knowledge folder of its own that curators write to)"""
    root = tmp_path_factory.mktemp("curation")
    knowledge = Path(shutil.copytree(DEFAULT_KNOWLEDGE_DIR, root / "knowledge"))
    return root / "data", knowledge


@pytest.fixture(scope="module")
def bot(api: FakeBotApi, staff: object, folders: tuple[Path, Path]) -> Iterator[BotProcess]:
    data, knowledge = folders
    process = BotProcess(api, data, KNOWLEDGE_DIR=str(knowledge))
    try:
        process.wait_ready(api)
        yield process
    finally:
        process.stop()


def card_recorded(data: Path, message_id: int) -> bool:
    with sqlite3.connect(data / "bot.sqlite3") as db:
        row = db.execute(
            "SELECT 1 FROM staff_messages WHERE chat_id = ? AND message_id = ?",
            [STAFF_CHAT, message_id],
        ).fetchone()
    return row is not None


def curator(folders: tuple[Path, Path], *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m bot kb ...`` as a curator runs it beside the bot."""
    data, knowledge = folders
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "BOT_DATA_DIR": str(data),
        "KNOWLEDGE_DIR": str(knowledge),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "kb", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_a_staff_answer_becomes_an_entry_the_bot_answers(
    api: FakeBotApi,
    bot: BotProcess,
    staff: tuple[SimChat, SimUser],
    folders: tuple[Path, Path],
) -> None:
    group, bob = staff
    alice = api.user("Alice")
    alice.send_text(QUESTION)
    alice.wait_for_message("don't have an answer")
    ref = submit_ticket(
        alice,
        name="Alice Andersen",
        organisation="Acme Bio",
        message="Please help, or call me on +45 20 30 40 50.",
        topic="Something else",
        email="alice@acme.example",
    )
    card = card_of(api, ref)
    # The card is in the chat a moment before the bot has recorded which ticket it
    # belongs to; a reply in between would be "not a ticket" (no person is that fast).
    api.wait_for(lambda: card_recorded(folders[0], card.message_id), STAFF_WAIT)
    bob.send_text(REPLY, chat=group, reply_to_message_id=card.message_id)
    ack = api.wait_for_message(STAFF_CHAT, f"Reply to {ref} queued", timeout=STAFF_WAIT)
    assert [label for label, _ in ack.buttons] == ["Save as answer"]

    query = bob.press(ack, button_text="Save as answer")
    [toast] = api.wait_for(
        lambda: [a for a in api.callback_answers if a["callback_query_id"] == query] or None
    )
    assert toast["text"].startswith("Saved as draft 1.")

    listed = curator(folders, "drafts", "--json")
    assert listed.returncode == 0, listed.stderr
    [draft] = json.loads(listed.stdout)
    assert set(draft) == {"id", "question", "answer", "topic", "ticket", "staff", "date"}
    assert (draft["id"], draft["question"], draft["ticket"], draft["staff"]) == (
        1,
        QUESTION,
        ref,
        "Bob",
    )
    assert draft["answer"] == (
        "Hi [name], the programme has no travel grants of its own: founders pay their own "
        "way. [organisation] could mail [e-mail]."
    )
    assert not any(word in listed.stdout for word in PERSONAL)

    accepted = curator(folders, "accept", "1")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "draft 1 accepted as entry programme-offer-travel-grants-founders" in accepted.stdout
    checked = curator(folders, "check")
    assert checked.returncode == 0 and " 0 error(s)" in checked.stdout.splitlines()[-1]
    assert "is a draft (TODO:" in checked.stdout
    assert not any(word in checked.stdout for word in PERSONAL)

    # Not before /reload: the running bot still has the old knowledge base.
    carol = api.user("Carol")
    carol.send_text(QUESTION)
    before = carol.wait_for_message("don't have an answer")
    bob.send_text("/reload", chat=group)
    reloaded = f"Knowledge base reloaded: {SHIPPED_ENTRIES + 1} entries"  # with the draft
    api.wait_for_message(STAFF_CHAT, reloaded, timeout=STAFF_WAIT)
    carol.send_text(QUESTION)
    answer = carol.wait_for_message("no travel grants of its own", after=before)
    assert "Source: “Answer from the programme staff”" in answer.visible_text
    assert not any(word in answer.visible_text for word in PERSONAL)
