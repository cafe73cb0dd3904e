"""Which shards a process runs, and which servers are therefore its own.

Discord sends a server's events and interactions to shard `(guild_id >> 22) % shard_count`.
A process that runs some of the shards owns exactly those servers: it schedules their
weekly posts and nobody else's (the claims in the database stay the last line of defence).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Which servers a process looks after: its shards' (`ShardPlan.owns`), or every one.
Owns = Callable[[int], bool]


def everyone(guild_id: int) -> bool:
    """Own every server: an unsharded process, or a caller with no shard plan (tests, demo)."""
    return True


def shard_of(guild_id: int, shard_count: int) -> int:
    """Return the shard Discord routes a server to."""
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True)
class ShardPlan:
    """Unsharded (the default), sharded with Discord's recommended count, or some of N shards."""

    sharded: bool = False
    count: int | None = None  # None while sharded: ask Discord (`auto`)
    ids: tuple[int, ...] | None = None  # None: every shard

    def owns(self, guild_id: int) -> bool:
        """Say whether this process serves (and schedules) the server."""
        if self.ids is None or self.count is None:
            return True
        return shard_of(guild_id, self.count) in self.ids

    @property
    def processes(self) -> int:
        """How many processes share the bot token, assuming each runs as many shards as this one."""
        if self.ids is None or self.count is None:
            return 1
        return -(-self.count // len(self.ids))


def plan_shards(shards: str | int, shard_ids: tuple[int, ...] | None) -> ShardPlan:
    """Turn `discord.shards` and `discord.shard_ids` into a plan; ValueError says what to fix."""
    if shards == "none":
        if shard_ids is not None:
            raise ValueError("discord.shard_ids needs discord.shards set to a number of shards")
        return ShardPlan()
    if shards == "auto":
        if shard_ids is not None:
            raise ValueError(
                "discord.shard_ids needs a fixed discord.shards count, not auto: every "
                "process of a cluster must agree on how many shards there are"
            )
        return ShardPlan(sharded=True)
    if not isinstance(shards, int) or isinstance(shards, bool) or shards < 1:
        raise ValueError(f"discord.shards must be none, auto or a number from 1, got {shards!r}")
    if shard_ids is not None:
        outside = sorted(i for i in shard_ids if not 0 <= i < shards)
        if outside:
            raise ValueError(
                f"discord.shard_ids must be between 0 and {shards - 1} for {shards} shards, "
                f"got {', '.join(str(i) for i in outside)}"
            )
        if not shard_ids or len(set(shard_ids)) != len(shard_ids):
            raise ValueError("discord.shard_ids must list each shard once, and at least one")
        shard_ids = tuple(sorted(shard_ids))
    return ShardPlan(sharded=True, count=shards, ids=shard_ids)
