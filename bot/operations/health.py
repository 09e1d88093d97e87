"""A small HTTP health endpoint: ``GET /health`` on HEALTH_PORT, in both polling and
webhook mode (the webhook server belongs to python-telegram-bot and takes no routes).

It answers 200 with a JSON report when the database answers and a knowledge base is
loaded, 503 otherwise. Only the loopback interface and the container's own address
are expected to ask (Docker's HEALTHCHECK); it serves nothing else.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Report = Callable[[], tuple[bool, dict[str, Any]]]


class HealthServer:
    def __init__(self, port: int, report: Report, host: str = "0.0.0.0") -> None:
        self.port = port
        self.host = host
        self.report = report
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, self.port)
        log.info("health endpoint on http://%s:%d/health", self.host, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readline(), 5)
            while (await asyncio.wait_for(reader.readline(), 5)) not in (b"\r\n", b"\n", b""):
                pass  # headers are not needed
            parts = request.decode("latin-1").split()
            if len(parts) >= 2 and parts[0] in ("GET", "HEAD") and parts[1] == "/health":
                ok, body = self.report()
                status = "200 OK" if ok else "503 Service Unavailable"
                payload = json.dumps(body).encode()
            else:
                status, payload = "404 Not Found", b'{"error": "not found"}'
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
                + (payload if parts[:1] != ["HEAD"] else b"")
            )
            await writer.drain()
        except (TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
