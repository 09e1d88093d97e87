"""Shared fixtures: the shipped knowledge base and answerer are built once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.answering import Answerer
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.storage import ContactStore, Storage


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
