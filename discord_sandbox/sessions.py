"""The gateway's sessions: several may identify as the same shard, as Discord allows.

Discord documents that ``num_shards`` only routes traffic and that several sessions may
identify with the same ``[shard_id, num_shards]`` (for deploys without downtime, a new
process connects before the old one leaves). Each session gets a guild's dispatches when
its own pair routes the guild to it, so every session of a shard receives the shard's
events and interactions: two overlapping bot processes both see an interaction, and the
slower one's callback is refused with 40060, the error bots hit when run twice.

A session whose websocket is gone stays resumable until an IDENTIFY for its shard comes in:
the client that owned it started afresh instead of resuming, so the sandbox forgets it then.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from discord_sandbox.connection import Connection


@dataclass(eq=False)
class Session:
    """One identified session: its shard, its numbered dispatch history, its websocket if open."""

    session_id: str
    intents: int
    shard: tuple[int, int]
    history: deque[tuple[int, str]]
    seq: int = 0
    connection: Connection | None = None
    guild_ids: list[int] = field(default_factory=list)  # GUILD_CREATEs since READY


class Sessions:
    """Every live session, in the order they identified."""

    def __init__(self) -> None:
        self._by_id: dict[str, Session] = {}

    def __bool__(self) -> bool:
        return bool(self._by_id)

    def __iter__(self) -> Iterator[Session]:
        return iter(list(self._by_id.values()))

    def add(self, session: Session) -> None:
        """Add a new session; its shard's sessions without a websocket are forgotten."""
        for old in self.of_shard(session.shard[0]):
            if old.connection is None:
                del self._by_id[old.session_id]
        self._by_id[session.session_id] = session

    def remove(self, session: Session) -> None:
        """End a session: it can no longer be resumed."""
        self._by_id.pop(session.session_id, None)

    def get(self, session_id: object) -> Session | None:
        """Return the session with this id, if it is still live."""
        return self._by_id.get(str(session_id))

    def of_shard(self, shard_id: int) -> list[Session]:
        """Return the sessions that identified as ``shard_id``, oldest first."""
        return [s for s in self._by_id.values() if s.shard[0] == shard_id]

    def shard_ids(self) -> set[int]:
        """Return every shard with a session."""
        return {s.shard[0] for s in self._by_id.values()}

    def connected_shards(self) -> list[int]:
        """Return the shards with at least one open, READY or RESUMED websocket."""
        return sorted({s.shard[0] for s in self._by_id.values() if s.connection is not None})
