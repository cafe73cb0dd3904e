"""/rejection log | stats | undo: count the tries privately, see the group only in aggregate."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.rejections import STAGES
from bot.errors import NotInServer
from bot.ui.formatting import NO_PINGS
from bot.ui.rejections import receipt_embed, stats_embed

if TYPE_CHECKING:
    from bot.client import Bounceback

Interaction = discord.Interaction["Bounceback"]
# Choice names are command-tree text, like descriptions: Discord keeps them from the last sync,
# so they cannot follow a messages.yaml reload (a Translator localizes them in their own issue).
# Replies name the stages from messages.yaml (`stage_*`).
STAGE_CHOICES = [
    app_commands.Choice(name=s.replace("-", " ").capitalize(), value=s) for s in STAGES
]


@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
class Rejections(
    commands.GroupCog,
    group_name="rejection",
    group_description="Count rejections privately; the group sees only totals",
):
    """Rejection counts."""

    help_section = "help_rejections"

    def __init__(self, bot: Bounceback) -> None:
        self.bot = bot
        self.service = bot.services.rejections
        super().__init__()

    def _guild(self, interaction: Interaction) -> int:
        if interaction.guild_id is None:
            raise NotInServer(self.service.messages.pick("guild_only"))
        return interaction.guild_id

    @app_commands.command(
        name="log", description="Log a rejection in two seconds (only you see the reply)"
    )
    @app_commands.describe(stage="How far it got (default: application)")
    @app_commands.choices(stage=STAGE_CHOICES)
    async def log(
        self, interaction: Interaction, stage: app_commands.Choice[str] | None = None
    ) -> None:
        """Log one rejection (application stage by default) and answer privately."""
        guild_id = self._guild(interaction)
        value = stage.value if stage else "application"
        receipt = await self.service.log(
            guild_id, interaction.user.id, value, str(interaction.locale.value)
        )
        await interaction.response.send_message(
            embed=receipt_embed(receipt, self.service.messages),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    @app_commands.command(
        name="stats", description="Your numbers, and the group's once enough people take part"
    )
    async def stats(self, interaction: Interaction) -> None:
        """Show the member's own numbers, and group figures only above the privacy threshold."""
        stats = await self.service.stats(self._guild(interaction), interaction.user.id)
        embed = stats_embed(stats, self.service.messages)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="undo", description="Remove your last entry if you logged it today")
    async def undo(self, interaction: Interaction) -> None:
        """Take back the latest entry if it was logged today; the reply names what went."""
        text = await self.service.undo(self._guild(interaction), interaction.user.id)
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)


async def setup(bot: Bounceback) -> None:
    """Entry point discord.py calls when loading this extension."""
    await bot.add_cog(Rejections(bot))
