"""Calling the Bot API with the retry policy Telegram's errors call for.

- ``RetryAfter`` (429): wait as long as Telegram says, then retry.
- ``TimedOut`` and other ``NetworkError`` (5xx, connection trouble): retry with
  exponential backoff.
- ``Forbidden`` (the user blocked the bot): never retried; reported to the caller.
- ``BadRequest``: our mistake, not transient; raised at once. It subclasses
  ``NetworkError``, so it is caught before it.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import warnings
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

T = TypeVar("T")
log = logging.getLogger(__name__)


class Blocked(Exception):
    """The chat refused the message (Telegram answered 403 Forbidden)."""

    def __init__(self, chat_id: int | None, description: str) -> None:
        super().__init__(description)
        self.chat_id = chat_id


def retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22 warns that retry_after becomes a timedelta; accept either form.
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


async def deliver(
    call: Callable[[], Awaitable[T]],
    *,
    chat_id: int | None = None,
    attempts: int = 5,
    base_delay: float = 0.5,
    max_delay: float = 30.0,
) -> T:
    """Await ``call()`` with retries. Raises ``Blocked`` on 403 and re-raises the last
    error when the attempts run out."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except Forbidden as exc:
            raise Blocked(chat_id, exc.message) from exc
        except RetryAfter as exc:
            if attempt == attempts:
                raise
            delay = min(retry_seconds(exc), max_delay)
            log.warning("flood control: retrying in %.1fs (attempt %d)", delay, attempt)
        except BadRequest:
            raise
        except (TimedOut, NetworkError) as exc:
            if attempt == attempts:
                raise
            delay = min(base_delay * 2 ** (attempt - 1), max_delay)
            log.warning("%s: retrying in %.1fs (attempt %d)", type(exc).__name__, delay, attempt)
        await asyncio.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover
