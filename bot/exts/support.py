"""/support: a calm first step for a hard moment, private to the member who asks.

A small step (a one-minute grounding exercise, the member's own plan) helps
more people than a long list of hotlines, so those come first; people to talk
to are one press away, the server's own first. Works in DMs too, where the plan
is kept apart from any server's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui.support import SUPPORT_BUTTONS, home_message

if TYPE_CHECKING:
    from bot.app import Bounceback


class Support(commands.Cog):
    """Care and safety."""

    help_section = "When it's a hard day"

    def __init__(self, bot: Bounceback) -> None:
        self.bot = bot

    @app_commands.command(
        name="support",
        description="A calm first step: a grounding exercise, your own plan, people to talk to",
    )
    @app_commands.describe(
        region="Where you are, for the right helplines (your Discord language picks one otherwise)"
    )
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def support(
        self, interaction: discord.Interaction[Bounceback], region: str | None = None
    ) -> None:
        service = self.bot.services.support
        lines = service.region(region, str(interaction.locale.value))
        note = service.messages.pick("talk_region_unknown") if lines.pick.unknown_option else None
        await interaction.response.send_message(
            **home_message(service, lines, interaction.user.id, note),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @support.autocomplete("region")
    async def _region_autocomplete(
        self, interaction: discord.Interaction[Bounceback], current: str
    ) -> list[app_commands.Choice[str]]:
        choices = self.bot.services.support.region_choices(current)
        return [app_commands.Choice(name=c.name, value=c.code) for c in choices]


async def setup(bot: Bounceback) -> None:
    """Entry point discord.py calls when loading this extension."""
    bot.add_dynamic_items(*SUPPORT_BUTTONS)
    await bot.add_cog(Support(bot))
