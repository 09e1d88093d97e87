"""A Bot API answered in memory, for benchmarks and unit tests that need no validation.

``InMemoryRequest`` is a PTB request class whose calls never leave the process: each
one is answered by ``answer`` (override it), wrapped as Telegram wraps results. Unlike
``RecordingRequest`` it checks nothing and records only a count, so it costs next to
nothing.
"""

from __future__ import annotations

import json
from typing import Any

from telegram.request import BaseRequest, RequestData

from tests.support.updates import BOT_USER


class InMemoryRequest(BaseRequest):
    def __init__(self) -> None:
        self.total_calls = 0

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *timeouts: Any,
        **named_timeouts: Any,
    ) -> tuple[int, bytes]:
        self.total_calls += 1
        parameters = request_data.parameters if request_data is not None else {}
        result = await self.answer(url.rsplit("/", 1)[-1], parameters)
        if isinstance(result, bytes):  # a whole answer, encoded beforehand
            return 200, result
        return 200, json.dumps({"ok": True, "result": result}).encode()

    async def answer(self, endpoint: str, parameters: dict[str, Any]) -> object:
        """The result of one call: the bot's user for getMe, ``true`` otherwise."""
        return BOT_USER if endpoint == "getMe" else True
