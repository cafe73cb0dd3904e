"""/tip: a short, warm reframing tip, private by default, with buttons to go further."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui.prompts import SharePrompts
from bot.ui.tips import tip_buttons, tip_message

if TYPE_CHECKING:
    from bot.app import Bounceback


class Tips(commands.Cog):
    """Reframing tips."""

    help_section = "Tips"

    def __init__(self, bot: Bounceback) -> None:
        self.bot = bot
        self.share_prompts = SharePrompts()

    @app_commands.command(name="tip", description="Get a short reframing tip, just for you")
    @app_commands.describe(topic="A topic to draw from (leave empty for any)")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def tip(
        self, interaction: discord.Interaction[Bounceback], topic: str | None = None
    ) -> None:
        tips = self.bot.services.tips
        card = await tips.next_tip(
            interaction.guild_id, interaction.user.id, topic, str(interaction.locale.value)
        )
        await interaction.response.send_message(
            **tip_message(card, tips.library.messages),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @tip.autocomplete("topic")
    async def _topic_autocomplete(
        self, interaction: discord.Interaction[Bounceback], current: str
    ) -> list[app_commands.Choice[str]]:
        choices = await self.bot.services.tips.topic_choices(
            interaction.guild_id, str(interaction.locale.value), current
        )
        return [app_commands.Choice(name=c.name, value=c.id) for c in choices]


async def setup(bot: Bounceback) -> None:
    """Entry point discord.py calls when loading this extension."""
    cog = Tips(bot)
    bot.add_dynamic_items(*tip_buttons(cog.share_prompts))
    await bot.add_cog(cog)
