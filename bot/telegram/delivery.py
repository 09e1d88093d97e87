"""The one retry policy for Bot API calls, used by both send paths.

What an error from Telegram means (``judge``):

- ``RetryAfter`` (429): retry after as long as Telegram says;
- ``TimedOut`` and other ``NetworkError`` (5xx, connection trouble): retry with
  exponential backoff (``backoff``);
- ``Forbidden`` (403, the user blocked the bot): never retried;
- ``BadRequest`` (400): Telegram will never accept it ("message is not modified" on an
  edit means it already shows what was asked). It subclasses ``NetworkError``, so it is
  looked at first.

The two send paths apply it differently. Everything for staff, and every relay, goes
through the outbox (bot/telegram/outbox.py), which retries without end, one chat at a
time, and records each try. A reply to the person who wrote goes out at once with
``send_now``: a short retry, so one slow chat holds up the update's handler little;
a 429 is waited out (it does not count as a failed attempt) up to ``FLOOD_WAIT_LIMIT``
seconds in all.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

T = TypeVar("T")
log = logging.getLogger(__name__)

BASE_DELAY = 0.5  # seconds before the first retry after a network error
MAX_BACKOFF = 60.0
DIRECT_ATTEMPTS = 3  # network errors a reply to the writer survives
DIRECT_MAX_DELAY = 2.0  # the longest backoff of a reply to the writer
FLOOD_WAIT_LIMIT = 120.0  # seconds of 429s a reply to the writer waits out in all


class Verdict(StrEnum):
    RETRY = "retry"  # transient: try again after ``delay``
    BLOCKED = "blocked"  # 403: the chat refuses the bot
    REFUSED = "refused"  # 400: never acceptable
    UNCHANGED = "unchanged"  # an edit to what the message already shows


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    reason: str
    delay: float = 0.0
    flood: bool = False  # a 429: waiting is what Telegram asked, not a failure


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


def backoff(failures: int, max_delay: float = MAX_BACKOFF) -> float:
    """Seconds to wait after ``failures`` + 1 failed attempts in a row."""
    return float(min(BASE_DELAY * 2.0**failures, max_delay))


def judge(exc: TelegramError, failures: int = 0, max_delay: float = MAX_BACKOFF) -> Judgement:
    """What to do after ``exc``, the call having failed ``failures`` times before."""
    if isinstance(exc, RetryAfter):
        return Judgement(Verdict.RETRY, str(exc), retry_seconds(exc), flood=True)
    if isinstance(exc, Forbidden):
        return Judgement(Verdict.BLOCKED, exc.message)
    if isinstance(exc, BadRequest):
        if "not modified" in exc.message.lower():
            return Judgement(Verdict.UNCHANGED, exc.message)
        return Judgement(Verdict.REFUSED, exc.message)
    return Judgement(Verdict.RETRY, f"{type(exc).__name__}: {exc}", backoff(failures, max_delay))


async def send_now(
    call: Callable[[], Awaitable[T]],
    *,
    chat_id: int | None = None,
    attempts: int = DIRECT_ATTEMPTS,
    max_delay: float = DIRECT_MAX_DELAY,
) -> T:
    """Await ``call()`` under the policy, briefly. Raises ``Blocked`` on 403; re-raises a
    400 at once, and the last error when the attempts (or the flood wait) run out."""
    failures = 0
    waited = 0.0
    while True:
        try:
            return await call()
        except (NetworkError, Forbidden, RetryAfter) as exc:
            judgement = judge(exc, failures, max_delay)
            if judgement.verdict is Verdict.BLOCKED:
                raise Blocked(chat_id, judgement.reason) from exc
            if judgement.verdict is not Verdict.RETRY:
                raise
            if judgement.flood:
                waited += judgement.delay
                if waited > FLOOD_WAIT_LIMIT:
                    raise
            else:
                failures += 1
                if failures >= attempts:
                    raise
            log.warning(
                "%s: retrying in %.1fs (chat %s: %s)",
                type(exc).__name__,
                judgement.delay,
                chat_id,
                judgement.reason,
            )
            await asyncio.sleep(judgement.delay)
