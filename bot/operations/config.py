"""Settings: one frozen dataclass read from the environment and validated at start-up.

A missing or malformed setting raises ``ConfigError`` whose message names it; the CLI
prints that one line and exits with code 2. Secrets and chat ids never live in code.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot.common.errors import ConfigError
from bot.conversation.office_hours import OfficeHours

DEFAULT_API_URL = "https://api.telegram.org"
_TOKEN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,}$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@dataclass(frozen=True)
class Settings:
    token: str = field(repr=False)
    api_url: str = DEFAULT_API_URL
    staff_chat_id: int | None = None
    data_dir: Path = Path("data")
    log_level: str = "INFO"
    knowledge_dir: Path = Path("knowledge")
    # Staff chats per topic, from STAFF_CHAT_ID_<NAME> variables (named in routing.yaml).
    topic_chats: Mapping[str, int] = field(default_factory=dict)
    staff_user_ids: frozenset[int] = frozenset()
    staff_signature: str | None = None  # a team name to sign replies with
    office_hours: OfficeHours = field(default_factory=OfficeHours)
    retention_days: int = 180
    # Webhook mode when webhook_url is set; long polling otherwise.
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    listen_port: int = 8443
    health_port: int | None = 8080  # None: no health endpoint

    @property
    def webhook_path(self) -> str:
        """The path the webhook server answers on: the path of WEBHOOK_URL."""
        return urlparse(self.webhook_url or "").path.lstrip("/")

    @property
    def base_url(self) -> str:
        return f"{self.api_url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.api_url}/file/bot"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "bot.sqlite3"

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        knowledge_dir: Path | None = None,
        require_token: bool = True,
    ) -> Settings:
        """Read and check every setting. The terminal commands need no token."""
        env = os.environ if env is None else env
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token and require_token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set (get one from @BotFather)")
        if token and not _TOKEN.match(token):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is malformed (expected digits, a colon and the secret)"
            )
        api_url = env.get("TELEGRAM_API_URL", "").strip().rstrip("/") or DEFAULT_API_URL
        parsed = urlparse(api_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ConfigError(f"TELEGRAM_API_URL is not an http(s) URL: {api_url!r}")
        staff_chat_id = _optional_int(env, "STAFF_CHAT_ID")
        log_level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
        if log_level not in _LOG_LEVELS:
            raise ConfigError(f"LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}: {log_level!r}")
        data_dir = Path(env.get("BOT_DATA_DIR", "").strip() or "data")
        if data_dir.exists() and not data_dir.is_dir():
            raise ConfigError(f"BOT_DATA_DIR is not a folder: {str(data_dir)!r}")
        topic_chats = {
            name: chat
            for name in sorted(env)
            if name.startswith("STAFF_CHAT_ID_") and (chat := _optional_int(env, name)) is not None
        }
        return cls(
            token=token,
            api_url=api_url,
            staff_chat_id=staff_chat_id,
            data_dir=data_dir,
            log_level=log_level,
            knowledge_dir=knowledge_dir or Path(env.get("KNOWLEDGE_DIR", "") or "knowledge"),
            topic_chats=topic_chats,
            staff_user_ids=_int_set(env, "STAFF_USER_IDS"),
            staff_signature=env.get("STAFF_SIGNATURE", "").strip() or None,
            office_hours=OfficeHours.parse(env.get("OFFICE_HOURS", "") or "09:00-17:00"),
            retention_days=_positive_int(env, "RETENTION_DAYS", 180),
            **_webhook(env),
            health_port=_port(env, "HEALTH_PORT", 8080, allow_zero=True) or None,
        )

    @property
    def log_level_number(self) -> int:
        return int(getattr(logging, self.log_level))


def _webhook(env: Mapping[str, str]) -> dict[str, Any]:
    url = env.get("WEBHOOK_URL", "").strip()
    secret = env.get("WEBHOOK_SECRET", "").strip()
    port = _port(env, "LISTEN_PORT", 8443)
    if not url:
        return {"listen_port": port}
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"WEBHOOK_URL is not an http(s) URL: {url!r}")
    if not secret:
        raise ConfigError("WEBHOOK_SECRET is not set (it is required with WEBHOOK_URL)")
    if not _SECRET.match(secret):
        raise ConfigError("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    return {"webhook_url": url, "webhook_secret": secret, "listen_port": port}


def _port(env: Mapping[str, str], name: str, default: int, allow_zero: bool = False) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    lowest = 0 if allow_zero else 1
    if not raw.isdigit() or not lowest <= int(raw) <= 65535:
        raise ConfigError(f"{name} must be a port number ({lowest}-65535): {raw!r}")
    return int(raw)


def _int_set(env: Mapping[str, str], name: str) -> frozenset[int]:
    raw = env.get(name, "").replace(" ", "")
    try:
        return frozenset(int(part) for part in raw.split(",") if part)
    except ValueError:
        raise ConfigError(f"{name} must be comma-separated Telegram user ids: {raw!r}") from None


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name} must be a whole number of days, 1 or more: {raw!r}")
    return int(raw)


def _optional_int(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a Telegram chat id (an integer): {raw!r}") from None
