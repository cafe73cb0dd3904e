"""Is this process healthy? Every one of its shards connected and the database answering.

Shard state comes from gateway events (a shard is up from its READY or RESUMED until it
disconnects), not from whether a socket happens to be open: a socket that reconnected but
has not resumed yet serves nobody.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

PING_TIMEOUT_SECONDS = 2.0


class ShardStates:
    """Which shards are up, as the gateway events said."""

    def __init__(self) -> None:
        self._up: set[int] = set()
        self._changed = asyncio.Condition()

    async def up(self, shard: int) -> None:
        """Mark a shard connected (READY or RESUMED)."""
        async with self._changed:
            self._up.add(shard)
            self._changed.notify_all()

    async def down(self, shard: int) -> None:
        """Mark a shard disconnected."""
        async with self._changed:
            self._up.discard(shard)
            self._changed.notify_all()

    async def wait_for(self, check: Callable[[set[int]], bool], timeout: float) -> None:  # noqa: ASYNC109
        """Wait until `check(up shards)` holds (tests and orderly start-ups wait on this)."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: check(set(self._up)))

    def is_up(self, shard: int) -> bool:
        """Say whether the shard's session is up."""
        return shard in self._up


@dataclass(frozen=True)
class Health:
    """The verdict and what `/healthz` answers."""

    ok: bool
    shards: dict[str, str]
    database: str
    reasons: list[str] = field(default_factory=list)

    def body(self) -> dict[str, Any]:
        """Return the JSON body: status, per-shard state, database, and why it is not ok."""
        body: dict[str, Any] = {
            "status": "ok" if self.ok else "unavailable",
            "shards": self.shards,
            "database": self.database,
        }
        if self.reasons:
            body["reason"] = "; ".join(self.reasons)
        return body


class HealthCheck:
    """Combine shard state and a database ping into one verdict."""

    def __init__(
        self,
        states: ShardStates,
        expected: Callable[[], Sequence[int]],
        ping: Callable[[], Awaitable[object]],
    ) -> None:
        self._states = states
        self._expected = expected
        self._ping = ping

    async def check(self) -> Health:
        """Ask the database and look at every shard this process runs."""
        shards = {
            str(i): "connected" if self._states.is_up(i) else "disconnected"
            for i in self._expected()
        }
        reasons = [f"shard {i} is disconnected" for i, s in shards.items() if s != "connected"]
        if not shards:
            reasons.append("the gateway is not connected yet")
        database = await self._database()
        if database != "ok":
            reasons.append(f"the database does not answer: {database}")
        return Health(not reasons, shards, database, reasons)

    async def _database(self) -> str:
        """Ping through the port, whichever backend: its adapter times the query too."""
        try:
            await asyncio.wait_for(self._ping(), PING_TIMEOUT_SECONDS)
        except Exception as error:  # noqa: BLE001 - any failure is the answer, reported as text
            return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return "ok"
