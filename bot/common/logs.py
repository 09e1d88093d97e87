"""Logging set-up: one line per event, with time, level and logger.

Tracebacks are folded onto the same line (" | " between their lines) so a log
collector sees one event per line. The HTTP client's request log is silenced below
WARNING because its URLs contain the bot token; message texts are only ever logged at
DEBUG.
"""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", "").replace("\n", " | ")


class _HandledElsewhere(logging.Filter):
    """PTB's rate limiter logs a 429 as an error with a traceback before re-raising it;
    bot.telegram.delivery and the outbox retry it, so it is not an error here."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Rate limit hit after maximum of 0 retries")


def configure_logging(level: int) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter(FORMAT))
    logging.getLogger("telegram.ext.AIORateLimiter").addFilter(_HandledElsewhere())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))
    logging.getLogger("httpcore").setLevel(max(level, logging.WARNING))
    # The JobQueue's scheduler logs every job it adds and runs at INFO.
    logging.getLogger("apscheduler").setLevel(max(level, logging.WARNING))
