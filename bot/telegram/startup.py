"""Reaching the Bot API at start-up: retried with backoff up to a deadline, then one line.

A bot started while the network or a self-hosted Bot API server is still coming up
should wait for it rather than die at once; one started against a wrong
``TELEGRAM_API_URL`` should say so in one line rather than in a traceback. Once the bot
runs, PTB's polling loop retries network errors without end (logged by the error
handler, one line each).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from telegram.error import BadRequest, InvalidToken, NetworkError

from bot.common.errors import BotApiUnreachable, ConfigError

log = logging.getLogger(__name__)

STARTUP_DEADLINE = 60.0  # seconds run waits for the Bot API before giving up
FIRST_DELAY = 1.0
MAX_DELAY = 10.0


async def wait_for_bot_api(
    call: Callable[[], Awaitable[object]],
    url: str,
    *,
    deadline: float = STARTUP_DEADLINE,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> None:
    """Await ``call()`` (getMe) until it succeeds, retrying network errors with
    exponential backoff for up to ``deadline`` seconds (one log line per retry).

    Raises ``BotApiUnreachable`` when the deadline passes and ``ConfigError`` when the
    Bot API refuses the token (retrying cannot help)."""
    started = clock()
    delay = FIRST_DELAY
    while True:
        try:
            await call()
            return
        except InvalidToken:
            # PTB's message quotes the token: name the setting instead.
            raise ConfigError(
                f"TELEGRAM_BOT_TOKEN was refused by the Bot API at {url} (check it with @BotFather)"
            ) from None
        except NetworkError as exc:  # TimedOut and 5xx included
            reason = exc.message
            remaining = deadline - (clock() - started)
            if remaining <= 0 or isinstance(exc, BadRequest):  # a 400 will not go away
                raise BotApiUnreachable(url, reason) from None
            wait = min(delay, remaining)
            log.warning(
                "cannot reach the Bot API at %s yet (%s); retrying in %.1fs", url, reason, wait
            )
            await sleep(wait)
            delay = min(delay * 2, MAX_DELAY)
