"""Typed errors raised by the core; adapters (CLI, Telegram) translate them for people."""

from __future__ import annotations

from dataclasses import dataclass


class BotError(Exception):
    """Base class of every error the core raises on purpose."""


class ConfigError(BotError):
    """A setting is missing or malformed. The message names the setting."""


class CurationError(BotError):
    """A draft cannot be accepted or rejected as asked; the message says why."""


@dataclass(frozen=True, order=True)
class KbIssue:
    """One problem in the knowledge base, located by file and line (1-based)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class KnowledgeError(BotError):
    """The knowledge base could not be loaded; ``issues`` says where and why."""

    def __init__(self, issues: list[KbIssue]) -> None:
        self.issues = sorted(issues)
        first = self.issues[0] if self.issues else "unknown problem"
        more = f" (and {len(self.issues) - 1} more)" if len(self.issues) > 1 else ""
        super().__init__(f"{first}{more}")


class BotApiUnreachable(BotError):
    """The Bot API did not answer at start-up, however long the bot waited."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"cannot reach the Bot API at {url}: {reason}")
        self.url = url
        self.reason = reason
