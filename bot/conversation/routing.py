"""Which staff chat receives which topic, and who counts as staff."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from bot.knowledge.base import KnowledgeBase


class RouteSettings(Protocol):
    """What routing reads of the settings: ``bot.operations.config.Settings`` has it,
    from a layer above this one, so routing names only what it reads."""

    @property
    def staff_chat_id(self) -> int | None: ...
    @property
    def topic_chats(self) -> Mapping[str, int]: ...
    @property
    def staff_user_ids(self) -> frozenset[int]: ...


@dataclass(frozen=True)
class Routes:
    default_chat: int | None
    by_topic: dict[str, int]
    staff_user_ids: frozenset[int] = frozenset()

    def chat_for(self, topic: str) -> int | None:
        return self.by_topic.get(topic, self.default_chat)

    @property
    def staff_chats(self) -> frozenset[int]:
        chats = set(self.by_topic.values())
        if self.default_chat is not None:
            chats.add(self.default_chat)
        return frozenset(chats)

    def is_staff_chat(self, chat_id: int) -> bool:
        return chat_id in self.staff_chats

    @classmethod
    def from_settings(cls, kb: KnowledgeBase, settings: RouteSettings) -> Routes:
        by_topic = {
            topic.id: settings.topic_chats[topic.staff_chat_env]
            for topic in kb.topics
            if topic.staff_chat_env and topic.staff_chat_env in settings.topic_chats
        }
        return cls(settings.staff_chat_id, by_topic, settings.staff_user_ids)
