"""The chat's language in SQLite (bot/storage/database.py): the language of the last
message, the enquirer's choice that wins over it, and its place among personal data."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.common.languages import Language
from bot.storage.database import ChatLanguage, Storage

pytestmark = pytest.mark.unit

ALICE = 5151
BRUNO = 6262


def test_a_chat_has_no_language_until_it_writes(storage: Storage) -> None:
    assert storage.chat_language(ALICE) is None
    storage.note_language(ALICE, ALICE, Language.SV)
    assert storage.chat_language(ALICE) == ChatLanguage(Language.SV, chosen=False)
    storage.note_language(ALICE, ALICE, Language.DA)  # the last message's language
    assert storage.chat_language(ALICE) == ChatLanguage(Language.DA, chosen=False)
    assert storage.chat_language(BRUNO) is None


def test_a_choice_wins_over_every_later_message_until_undone(storage: Storage) -> None:
    storage.note_language(ALICE, ALICE, Language.EN)
    storage.choose_language(ALICE, ALICE, Language.SV)
    storage.note_language(ALICE, ALICE, Language.DA)
    assert storage.chat_language(ALICE) == ChatLanguage(Language.SV, chosen=True)
    # Back to detection: the chosen language stays the prior until a message says more.
    storage.choose_language(ALICE, ALICE, None)
    assert storage.chat_language(ALICE) == ChatLanguage(Language.SV, chosen=False)
    storage.note_language(ALICE, ALICE, Language.DA)
    assert storage.chat_language(ALICE) == ChatLanguage(Language.DA, chosen=False)


def test_undoing_a_choice_never_made_stores_nothing(storage: Storage) -> None:
    storage.choose_language(ALICE, ALICE, None)
    assert storage.chat_language(ALICE) is None
    assert storage.languages_of(ALICE) == []


def test_the_language_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with Storage(path) as storage:
        storage.choose_language(ALICE, ALICE, Language.DA)
    with Storage(path) as storage:
        assert storage.chat_language(ALICE) == ChatLanguage(Language.DA, chosen=True)
        [(_, language, chosen)] = storage.languages_of(ALICE)
        assert (language, chosen) == ("da", True)


def test_a_language_the_bot_no_longer_speaks_is_no_language(storage: Storage) -> None:
    storage.note_language(ALICE, ALICE, Language.DA)
    storage.db.execute("UPDATE chat_languages SET language = 'nb' WHERE chat_id = ?", [ALICE])
    assert storage.chat_language(ALICE) is None


def test_erasing_a_user_forgets_their_language_and_no_one_elses(storage: Storage) -> None:
    storage.choose_language(ALICE, ALICE, Language.DA)
    storage.note_language(BRUNO, BRUNO, Language.SV)
    storage.erase_user(ALICE)
    assert storage.chat_language(ALICE) is None
    assert storage.languages_of(ALICE) == []
    assert storage.chat_language(BRUNO) == ChatLanguage(Language.SV, chosen=False)


def test_the_purge_drops_languages_not_used_for_the_retention_period(storage: Storage) -> None:
    storage.choose_language(ALICE, ALICE, Language.DA)
    storage.note_language(BRUNO, BRUNO, Language.SV)
    storage.db.execute("UPDATE chat_languages SET ts = ts - 100 WHERE chat_id = ?", [ALICE])
    now = time.time()
    storage.purge_personal(cutoff=now - 50, contexts_before=now)
    assert storage.chat_language(ALICE) is None
    assert storage.chat_language(BRUNO) == ChatLanguage(Language.SV, chosen=False)
    # A message keeps a chosen language in use: its time moves on, the choice stays.
    storage.choose_language(ALICE, ALICE, Language.DA)
    storage.db.execute("UPDATE chat_languages SET ts = ts - 100 WHERE chat_id = ?", [ALICE])
    storage.note_language(ALICE, ALICE, Language.EN)
    storage.purge_personal(cutoff=time.time() - 50, contexts_before=now)
    assert storage.chat_language(ALICE) == ChatLanguage(Language.DA, chosen=True)
