"""The discord side of monitoring: shard state from gateway events, command outcomes.

`MonitoredEvents` is mixed into the bot: discord.py calls its `on_*` methods like any
listener. An unsharded bot is shard 0; the sharded bot (`bot/sharding.py`) reports the
per-shard events instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.monitoring.health import ShardStates
from bot.monitoring.readings import Readings, ShardReading

Tree = app_commands.CommandTree[Any]


@dataclass(frozen=True)
class Monitor:
    """What the bot reports into: the metrics and which shards are up."""

    metrics: Readings
    shards: ShardStates


def expected_shards(client: discord.Client) -> Sequence[int]:
    """Return the shards this process runs (none yet while an `auto` bot asks Discord)."""
    if isinstance(client, discord.AutoShardedClient):
        return list(client.shard_ids or range(client.shard_count or 0))
    return [0]


def shard_readings(client: discord.Client, states: ShardStates) -> list[ShardReading]:
    """Each shard's id, whether it is up, and its heartbeat latency (NaN before the first)."""
    if isinstance(client, discord.AutoShardedClient):
        latency = dict(client.latencies)
    else:
        latency = {0: client.latency}
    nan = float("nan")
    return [(i, states.is_up(i), latency.get(i, nan)) for i in expected_shards(client)]


def _command_name(interaction: discord.Interaction) -> str:
    command = interaction.command
    return command.qualified_name if command is not None else "unknown"


def _waited(interaction: discord.Interaction) -> float:
    """Seconds since Discord created the interaction: what the member waited."""
    return (datetime.now(UTC) - interaction.created_at).total_seconds()


def metered_tree(base: type[Tree], metrics: Readings) -> type[Tree]:
    """Return `base` counting every failed command before its own error handling runs."""

    class MeteredTree(base):  # type: ignore[valid-type, misc]
        async def on_error(
            self, interaction: discord.Interaction, error: app_commands.AppCommandError
        ) -> None:
            metrics.interaction(_command_name(interaction), _waited(interaction), failed=True)
            await super().on_error(interaction, error)

    return MeteredTree


class MonitoredEvents:
    """Gateway and command events that feed the monitor (shard 0 for an unsharded bot)."""

    monitor: Monitor

    async def on_connect(self) -> None:
        """Mark the session up: READY arrived."""
        await self.monitor.shards.up(0)

    async def on_resumed(self) -> None:
        """Mark the session up again after a RESUME."""
        await self.monitor.shards.up(0)

    async def on_disconnect(self) -> None:
        """Mark the session down; discord.py reconnects on its own."""
        await self.monitor.shards.down(0)


def count_answered_commands(client: commands.Bot, metrics: Readings) -> None:
    """Count each answered command and how long the member waited.

    Only for a bot that keeps metrics: discord.py starts a task per listener for every
    event, so a bot without `/metrics` should not have one on every command.
    """

    async def answered(interaction: discord.Interaction, command: object) -> None:
        metrics.interaction(_command_name(interaction), _waited(interaction))

    client.add_listener(answered, "on_app_command_completion")
