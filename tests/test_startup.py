"""Start-up against an unreachable Bot API, and network errors once running.

At start-up ``run`` retries with backoff for up to ``STARTUP_DEADLINE`` (60 s) and then
prints one line, "cannot reach the Bot API at URL: reason", and exits 1. The unit test
runs the real PTB bot against a closed port on 127.0.0.1 with a clock that jumps by
each sleep, so a minute of retries takes no time; the process test shortens the
deadline. (Once running, a failed getUpdates is one log line: test_telegram_handlers.)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from telegram import Bot
from telegram.error import NetworkError

from bot.common.errors import BotApiUnreachable
from bot.telegram.startup import wait_for_bot_api
from tests.support.updates import TOKEN
from tests.test_e2e_telegram_front import ROOT

pytestmark = pytest.mark.unit


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class JumpingClock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


async def test_waits_a_minute_with_backoff_then_gives_up_with_the_reason() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    bot = Bot(TOKEN, base_url=f"{url}/bot")
    clock = JumpingClock()
    with pytest.raises(BotApiUnreachable) as raised:
        await wait_for_bot_api(bot.get_me, url, clock=clock, sleep=clock.sleep)
    assert str(raised.value).startswith(f"cannot reach the Bot API at {url}: ")
    assert raised.value.reason  # what httpx said, e.g. "All connection attempts failed"
    assert TOKEN not in str(raised.value)
    assert sum(clock.sleeps) == pytest.approx(60.0)
    assert clock.sleeps[:3] == [1.0, 2.0, 4.0]  # backoff
    assert max(clock.sleeps) <= 10.0


async def test_a_bot_api_that_comes_up_in_time_is_used() -> None:
    calls = 0

    async def flaky() -> None:
        nonlocal calls
        calls += 1
        if calls < 3:
            raise NetworkError("httpx.ConnectError: All connection attempts failed")

    clock = JumpingClock()
    await wait_for_bot_api(flaky, "http://x", clock=clock, sleep=clock.sleep)
    assert calls == 3 and clock.sleeps == [1.0, 2.0]


def test_run_prints_one_line_and_exits_1(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": url,
        "BOT_DATA_DIR": str(tmp_path),
        "HEALTH_PORT": "0",
    }
    # The real `python -m bot run`, with the minute shortened to a second.
    code = (
        "import bot.telegram.startup; bot.telegram.startup.STARTUP_DEADLINE = 1.0; "
        "from bot.cli import main; raise SystemExit(main(['run']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert lines[-1].startswith(f"cannot reach the Bot API at {url}: "), done.stderr
    assert "Traceback" not in done.stderr and TOKEN not in done.stderr
    # Before it: only the retries, one log line each.
    assert lines[:-1] and all("retrying in" in line for line in lines[:-1]), done.stderr
