"""Settings from the environment: defaults, validation, and one-line errors with exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.common.errors import ConfigError
from bot.operations.config import DEFAULT_API_URL, Settings

pytestmark = pytest.mark.unit

TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ"


def test_defaults() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert settings.api_url == DEFAULT_API_URL
    assert settings.base_url == f"{DEFAULT_API_URL}/bot"
    assert settings.base_file_url == f"{DEFAULT_API_URL}/file/bot"
    assert settings.staff_chat_id is None
    assert settings.data_dir == Path("data")
    assert settings.log_level == "INFO"
    assert TOKEN not in repr(settings)  # secrets stay out of logs


def test_all_settings_read() -> None:
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": "http://127.0.0.1:8081/",
            "STAFF_CHAT_ID": "-100123",
            "BOT_DATA_DIR": "/tmp/x",
            "LOG_LEVEL": "debug",
        }
    )
    assert settings.base_url == "http://127.0.0.1:8081/bot"
    assert settings.staff_chat_id == -100123
    assert settings.database_path == Path("/tmp/x/bot.sqlite3")
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": "not a token"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "STAFF_CHAT_ID": "staff"}, "STAFF_CHAT_ID"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
    ],
)
def test_bad_settings_name_the_setting(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        Settings.from_env(env)


def test_bad_setting_exits_2_with_one_line(tmp_path: Path) -> None:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "STAFF_CHAT_ID": "the staff", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "STAFF_CHAT_ID" in result.stderr
    assert "Traceback" not in result.stderr
