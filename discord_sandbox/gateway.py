"""The gateway websocket: HELLO, IDENTIFY/READY, heartbeats, RESUME with replay, dispatches.

One session at a time (the bot under test). Every dispatch is numbered and kept in a bounded
history, so when a test drops the connection the bot can RESUME and receive exactly what it
missed - the fast path discord.py takes, avoiding its 5 s wait before a fresh IDENTIFY.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from discord_sandbox import payloads
from discord_sandbox.compression import Compressor, compressor_for
from discord_sandbox.intents import ALWAYS
from discord_sandbox.signals import Changes

if TYPE_CHECKING:
    from discord_sandbox.world import World

HELLO, HEARTBEAT, IDENTIFY, RESUME, HEARTBEAT_ACK, INVALID_SESSION = 10, 1, 2, 6, 11, 9


@dataclass(eq=False)
class _Connection:
    ws: web.WebSocketResponse
    compressor: Compressor | None
    transport: asyncio.BaseTransport | None
    queue: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)

    def send(self, frame: dict[str, Any]) -> None:
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


@dataclass(eq=False)
class _Session:
    session_id: str
    intents: int
    history: deque[tuple[int, str]]
    seq: int = 0
    connection: _Connection | None = None


@dataclass(slots=True)
class GatewayStats:
    """Connection-level counters tests can assert on."""

    connections: int = 0
    identifies: int = 0
    resumes: int = 0
    heartbeats: int = 0
    dispatches: int = 0


class Gateway:
    """The websocket endpoint plus the session and its dispatch history."""

    def __init__(
        self, world: World, token: str, *, heartbeat_ms: int = 41_250, replay: int = 10_000
    ) -> None:
        self.world = world
        self.token = token
        self.url = ""
        self.heartbeat_ms = heartbeat_ms
        self.stats = GatewayStats()
        self.changes = Changes()
        self.sent_guild_ids: list[int] = []
        self.last_compression: str | None = None
        self._replay = replay
        self._session: _Session | None = None

    @property
    def active(self) -> bool:
        """True once the bot has identified (events are then delivered or buffered)."""
        return self._session is not None

    @property
    def connected(self) -> bool:
        """True while the bot's websocket is open and attached to the session."""
        return self._session is not None and self._session.connection is not None

    def dispatch(self, event: str, data: dict[str, Any], intent: int) -> None:
        """Send one dispatch with its sequence number, kept for replay (buffered until RESUME)."""
        session = self._session
        if session is None or (intent != ALWAYS and not session.intents & intent):
            return
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        text = json.dumps(frame, separators=(",", ":"))
        session.history.append((session.seq, text))
        self.stats.dispatches += 1
        if event == "GUILD_CREATE":
            self.sent_guild_ids.append(int(data["id"]))
        if session.connection is not None:
            session.connection.queue.put_nowait(text)

    async def drop_connection(self, *, code: int = 4000, abrupt: bool = False) -> None:
        """Close the bot's socket the way a network blip or Discord restart would."""
        session = self._session
        connection = session.connection if session is not None else None
        if session is None or connection is None:
            return
        session.connection = None
        connection.queue.put_nowait(None)
        if abrupt:
            if isinstance(connection.transport, asyncio.Transport):
                connection.transport.abort()
        else:
            await connection.ws.close(code=code, message=b"sandbox dropped the connection")
        self.changes.notify()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """Serve ``GET /gateway``: upgrade to a websocket and run one gateway connection."""
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        self.last_compression = request.query.get("compress")
        connection = _Connection(ws, compressor_for(self.last_compression), request.transport)
        writer = asyncio.create_task(connection.write_forever())
        self.stats.connections += 1
        connection.send(
            {"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_ms}, "s": None, "t": None}
        )
        try:
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    await self._receive(connection, json.loads(message.data))
        finally:
            if self._session is not None and self._session.connection is connection:
                self._session.connection = None
            connection.queue.put_nowait(None)
            await asyncio.gather(writer, return_exceptions=True)
            self.changes.notify()
        return ws

    async def _receive(self, connection: _Connection, frame: dict[str, Any]) -> None:
        op, data = frame.get("op"), frame.get("d")
        if op == HEARTBEAT:
            self.stats.heartbeats += 1
            connection.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            await self._identify(connection, data or {})
        elif op == RESUME:
            await self._resume(connection, data or {})

    async def _identify(self, connection: _Connection, data: dict[str, Any]) -> None:
        if data.get("token") != self.token:
            await connection.ws.close(code=4004, message=b"Authentication failed.")
            return
        session = _Session(
            secrets.token_hex(16), int(data.get("intents", 0)), deque(maxlen=self._replay)
        )
        self._session = session
        session.connection = connection
        self.stats.identifies += 1
        world = self.world
        guilds = list(world.guilds.values())
        ready: dict[str, Any] = {
            "v": 10,
            "user": payloads.user(world.bot_user)
            | {"verified": True, "mfa_enabled": False, "flags": 0, "email": None},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.url,
            "application": {"id": str(world.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["sandbox"],
            "user_settings": {},
            "auth": {},
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        self.sent_guild_ids = []
        self.dispatch("READY", ready, ALWAYS)
        for guild in guilds:
            self.dispatch("GUILD_CREATE", payloads.guild_create(world, guild), ALWAYS)
        self.changes.notify()

    async def _resume(self, connection: _Connection, data: dict[str, Any]) -> None:
        session = self._session
        seq = int(data.get("seq") or 0)
        oldest = session.history[0][0] if session is not None and session.history else None
        if (
            session is None
            or data.get("session_id") != session.session_id
            or data.get("token") != self.token
            or (oldest is not None and seq < oldest - 1)
        ):
            connection.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        for number, text in session.history:
            if number > seq:
                connection.queue.put_nowait(text)
        session.connection = connection
        self.stats.resumes += 1
        self.dispatch("RESUMED", {}, ALWAYS)
        self.changes.notify()
