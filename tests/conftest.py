"""Shared fixtures: the shipped knowledge base and answerer are built once per session."""

from __future__ import annotations

import pytest

from bot.answering import Answerer
from bot.knowledge import KnowledgeBase, load_knowledge


@pytest.fixture(scope="session")
def shipped_kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def answerer(shipped_kb: KnowledgeBase) -> Answerer:
    return Answerer(shipped_kb)
