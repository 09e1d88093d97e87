"""Shared fixtures: the shipped knowledge base and answerer are built once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.answering.answerer import Answerer
from bot.knowledge.base import KnowledgeBase, load_knowledge
from bot.storage.contacts import ContactStore
from bot.storage.database import Storage


@pytest.fixture(scope="session", autouse=True)
def knowledge_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The knowledge cache of the commands tests run goes to a temporary folder, not ~/.cache."""
    home = tmp_path_factory.mktemp("cache-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(home))
        yield home


@pytest.fixture(scope="session")
def shipped_kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def answerer(shipped_kb: KnowledgeBase) -> Answerer:
    return Answerer(shipped_kb)


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    """An open, migrated database in a temporary folder."""
    with Storage(tmp_path / "db.sqlite3") as opened:
        yield opened


@pytest.fixture
def store(storage: Storage) -> ContactStore:
    return ContactStore(storage)
