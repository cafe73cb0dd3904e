"""The gateway websocket: HELLO, IDENTIFY/READY, heartbeats, RESUME with replay, dispatches.

Each session identifies as a shard (an unsharded bot is shard 0 of 1) and receives READY and
GUILD_CREATE for its own shard's guilds only; every later dispatch goes to the sessions of the
guild's shard (``shards.py``), as on Discord. Several sessions may identify as the same shard
(two overlapping processes of a deploy): each receives the shard's dispatches
(``sessions.py``). Every dispatch is numbered and kept in a bounded per-session history, so when a test drops a connection the bot can RESUME that shard
and receive exactly what it missed - the fast path discord.py takes, avoiding its 5 s wait
before a fresh IDENTIFY. A test can also *hold* a shard: its connection drops and every
IDENTIFY or RESUME for it waits unanswered until the test releases it (a shard that is down).
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from discord_sandbox import payloads, payloads_gateway
from discord_sandbox.compression import compressor_for
from discord_sandbox.connection import Connection
from discord_sandbox.intents import ALWAYS
from discord_sandbox.sessions import Session, Sessions
from discord_sandbox.shards import SessionStarts, guild_of, owns
from discord_sandbox.signals import Changes

if TYPE_CHECKING:
    from discord_sandbox.world import World

HELLO, HEARTBEAT, IDENTIFY, RESUME, HEARTBEAT_ACK, INVALID_SESSION = 10, 1, 2, 6, 11, 9


@dataclass(slots=True)
class GatewayStats:
    """Connection-level counters tests can assert on."""

    connections: int = 0
    identifies: int = 0
    resumes: int = 0
    heartbeats: int = 0
    dispatches: int = 0
    invalid_sessions: int = 0


Parked = tuple[Connection, int, dict[str, Any]]


class Gateway:
    """The websocket endpoint plus the sessions of every shard and their dispatch history."""

    def __init__(
        self,
        world: World,
        token: str,
        *,
        heartbeat_ms: int = 41_250,
        replay: int = 10_000,
        starts: SessionStarts | None = None,
    ) -> None:
        self.world = world
        self.token = token
        self.url = ""
        self.heartbeat_ms = heartbeat_ms
        self.stats = GatewayStats()
        self.starts = starts or SessionStarts()
        self.changes = Changes()
        self.last_compression: str | None = None
        self._replay = replay
        self._sessions = Sessions()
        self._held: dict[int, list[Parked]] = {}

    @property
    def active(self) -> bool:
        """True once the bot has identified (events are then delivered or buffered)."""
        return bool(self._sessions)

    @property
    def connected(self) -> bool:
        """True while every identified shard has an open websocket attached to a session."""
        return self.active and self._sessions.shard_ids() == set(self.connected_shards())

    @property
    def sent_guild_ids(self) -> list[int]:
        """Guilds sent as GUILD_CREATE since each session's READY, shard by shard."""
        ordered = sorted(self._sessions, key=lambda s: s.shard[0])
        return [g for s in ordered for g in s.guild_ids]

    def shard_count(self, shard_id: int) -> int | None:
        """Return the shard count ``shard_id``'s newest session identified with (None: none)."""
        sessions = self._sessions.of_shard(shard_id)
        return sessions[-1].shard[1] if sessions else None

    def connected_shards(self) -> list[int]:
        """Shard ids with a session that has an open, READY or RESUMED connection."""
        return self._sessions.connected_shards()

    def session_ids(self, shard_id: int) -> list[str]:
        """Return the ids of the sessions identified as ``shard_id``, oldest first."""
        return [s.session_id for s in self._sessions.of_shard(shard_id)]

    def dispatch(self, event: str, data: dict[str, Any], intent: int) -> None:
        """Send one dispatch to every session of its guild's shard (buffered until RESUME)."""
        guild_id = guild_of(event, data)
        for session in self._sessions:
            if owns(session.shard, guild_id) and (intent == ALWAYS or session.intents & intent):
                self._send(session, event, data)

    def _send(self, session: Session, event: str, data: dict[str, Any]) -> None:
        session.seq += 1
        text = json.dumps({"op": 0, "t": event, "s": session.seq, "d": data}, separators=(",", ":"))
        session.history.append((session.seq, text))
        self.stats.dispatches += 1
        if event == "GUILD_CREATE":
            session.guild_ids.append(int(data["id"]))
        if session.connection is not None:
            session.connection.queue.put_nowait(text)

    async def drop_connection(
        self, *, code: int = 4000, abrupt: bool = False, shard: int | None = None
    ) -> None:
        """Close the bot's socket(s) the way a network blip or Discord restart would."""
        for session in self._sessions:
            connection = session.connection
            if connection is None or shard not in (None, session.shard[0]):
                continue
            session.connection = None
            connection.queue.put_nowait(None)
            if abrupt:
                if isinstance(connection.transport, asyncio.Transport):
                    connection.transport.abort()
            else:
                await connection.ws.close(code=code, message=b"sandbox dropped the connection")
        self.changes.notify()

    async def invalidate(self, shard: int, session_id: str | None = None) -> None:
        """End a shard's sessions (or just ``session_id``), as when Discord expires one.

        Its websocket closes, its RESUME is refused and the client IDENTIFYs anew; the
        shard's other sessions carry on.
        """
        for session in self._sessions.of_shard(shard):
            if session_id not in (None, session.session_id):
                continue
            connection, session.connection = session.connection, None
            self._sessions.remove(session)
            if connection is not None:
                connection.queue.put_nowait(None)
                await connection.ws.close(code=4000, message=b"sandbox ended the session")
        self.changes.notify()

    async def hold(self, shard: int) -> None:
        """Take a shard down: drop its socket and leave its IDENTIFY/RESUME unanswered."""
        self._held.setdefault(shard, [])
        await self.drop_connection(shard=shard)

    async def release(self, shard: int) -> None:
        """Bring a held shard back: answer the IDENTIFY or RESUME it has been waiting on."""
        for connection, op, data in self._held.pop(shard, []):
            if not connection.ws.closed:
                await self._receive(connection, {"op": op, "d": data})

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """Serve ``GET /gateway``: upgrade to a websocket and run one gateway connection."""
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        self.last_compression = request.query.get("compress")
        connection = Connection(ws, compressor_for(self.last_compression), request.transport)
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
            for session in self._sessions:
                if session.connection is connection:
                    session.connection = None
            connection.queue.put_nowait(None)
            await asyncio.gather(writer, return_exceptions=True)
            self.changes.notify()
        return ws

    async def _receive(self, connection: Connection, frame: dict[str, Any]) -> None:
        op, data = frame.get("op"), frame.get("d") or {}
        if op == HEARTBEAT:
            self.stats.heartbeats += 1
            connection.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op in (IDENTIFY, RESUME):
            parked = self._held.get(self._shard_of_frame(op, data))
            if parked is not None:
                parked.append((connection, op, data))
            elif op == IDENTIFY:
                await self._identify(connection, data)
            else:
                await self._resume(connection, data)

    def _shard_of_frame(self, op: int, data: dict[str, Any]) -> int:
        if op == IDENTIFY:
            return int((data.get("shard") or [0, 1])[0])
        session = self._sessions.get(data.get("session_id"))
        return session.shard[0] if session is not None else -1

    async def _identify(self, connection: Connection, data: dict[str, Any]) -> None:
        if data.get("token") != self.token:
            await connection.ws.close(code=4004, message=b"Authentication failed.")
            return
        shard_id, count = (int(n) for n in data.get("shard") or (0, 1))
        if not self.starts.admit(shard_id):
            self._invalid_session(connection)
            return
        session = Session(
            secrets.token_hex(16),
            int(data.get("intents", 0)),
            (shard_id, count),
            deque(maxlen=self._replay),
        )
        self._sessions.add(session)
        session.connection = connection
        self.stats.identifies += 1
        guilds = [
            g
            for g in self.world.guilds.values()
            if owns(session.shard, g.id) and self.world.has_bot(g)
        ]
        ready = payloads_gateway.ready(self.world, guilds, session.session_id, self.url)
        if "shard" in data:
            ready["shard"] = [shard_id, count]
        self._send(session, "READY", ready)
        for guild in guilds:
            self._send(session, "GUILD_CREATE", payloads.guild_create(self.world, guild))
        self.changes.notify()

    def _invalid_session(self, connection: Connection) -> None:
        self.stats.invalid_sessions += 1
        connection.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})

    async def _resume(self, connection: Connection, data: dict[str, Any]) -> None:
        session = self._sessions.get(data.get("session_id"))
        seq = int(data.get("seq") or 0)
        oldest = session.history[0][0] if session is not None and session.history else None
        if (
            session is None
            or data.get("token") != self.token
            or (oldest is not None and seq < oldest - 1)
        ):
            self._invalid_session(connection)
            return
        for number, text in session.history:
            if number > seq:
                connection.queue.put_nowait(text)
        session.connection = connection
        self.stats.resumes += 1
        self._send(session, "RESUMED", {})
        self.changes.notify()
