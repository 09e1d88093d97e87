"""Shared fixtures: the shipped knowledge base and answerer are built once per session."""

from __future__ import annotations

import os

import pytest

from bot.answering import Answerer
from bot.knowledge import KnowledgeBase, load_knowledge

# Opt in to PTB 23's timedelta durations, as `python -m bot run` does.
os.environ.setdefault("PTB_TIMEDELTA", "1")


@pytest.fixture(scope="session")
def shipped_kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def answerer(shipped_kb: KnowledgeBase) -> Answerer:
    return Answerer(shipped_kb)
