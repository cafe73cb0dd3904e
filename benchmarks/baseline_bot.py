"""The bare discord.py bot Bounceback is measured against: one slash command, nothing else.

It uses the same intents as Bounceback (guilds only) and otherwise discord.py's defaults, so
the ratios in the benchmark show what Bounceback's own code costs on top of the library.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands


@app_commands.command(name="ping", description="Answer pong")
async def ping(interaction: discord.Interaction) -> None:
    """Answer "pong", ephemerally like the Bounceback commands measured against it."""
    # A public reply would make the sandbox store the message and build a MESSAGE_CREATE,
    # work it skips for ephemeral replies; the same kind of reply keeps that out of the ratio.
    await interaction.response.send_message("pong", ephemeral=True)


class BaselineBot(commands.Bot):
    """A ``commands.Bot`` (as Bounceback is) with Bounceback's intents and ``/ping``."""

    def __init__(self, **options: Any) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned, intents=intents, help_command=None, **options
        )

    async def setup_hook(self) -> None:
        """Sync /ping on every start: each run's sandbox is new, as Bounceback's database is."""
        self.tree.add_command(ping)
        await self.tree.sync()
