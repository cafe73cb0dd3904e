"""One gateway websocket connection and its ordered, optionally compressed, outgoing frames."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from discord_sandbox.compression import Compressor


@dataclass(eq=False)
class Connection:
    """One websocket: its frames go out in order through a single writer task."""

    ws: web.WebSocketResponse
    compressor: Compressor | None
    transport: asyncio.BaseTransport | None
    queue: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)

    def send(self, frame: dict[str, Any]) -> None:
        """Queue one frame as compact JSON."""
        self.queue.put_nowait(json.dumps(frame, separators=(",", ":")))

    async def write_forever(self) -> None:
        """Send queued frames in order; one writer keeps the compression stream consistent."""
        while (text := await self.queue.get()) is not None:
            if self.ws.closed:
                return
            if self.compressor is None:
                await self.ws.send_str(text)
            else:
                await self.ws.send_bytes(self.compressor.compress(text.encode()))
