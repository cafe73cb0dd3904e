"""/win and /wins for members (the weekly celebration itself is a job in bot.scheduling)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import NotInServer
from bot.services.wins import WIN_MAX
from bot.ui.buttons import PressHandler, on_press
from bot.ui.embeds import calm_embed
from bot.ui.formatting import NO_PINGS
from bot.ui.incidents import reply_privately
from bot.ui.wins import DELETE_WIN, delete_view, preview_line, win_preview

if TYPE_CHECKING:
    from bot.client import Bounceback

Interaction = discord.Interaction["Bounceback"]


class Wins(commands.Cog):
    """Small wins."""

    help_section = "help_wins"

    def __init__(self, bot: Bounceback) -> None:
        self.bot = bot
        self.wins = bot.services.wins

    def buttons(self) -> tuple[PressHandler, ...]:
        """Return the handler for the Delete buttons under win previews."""
        return (on_press(DELETE_WIN, "button: delete win", self.delete_pressed),)

    async def delete_pressed(
        self, interaction: discord.Interaction[Any], press: re.Match[str]
    ) -> None:
        """Delete one of your own wins before it is celebrated; anyone else is kindly refused."""
        owner = int(press["owner"])
        if interaction.user.id != owner or interaction.guild_id is None:
            await reply_privately(interaction, self.wins.messages.pick("not_yours"))
            return
        await self.wins.delete(interaction.guild_id, owner, int(press["win"]))
        await reply_privately(interaction, self.wins.messages.pick("win_deleted"))

    def _guild(self, interaction: Interaction) -> int:
        if interaction.guild_id is None:
            raise NotInServer(self.wins.messages.pick("guild_only"))
        return interaction.guild_id

    @app_commands.command(name="win", description="Share a small win for this week's celebration")
    @app_commands.describe(
        text=f"What went even a little right (up to {WIN_MAX} characters)",
        anonymous="Leave your name off in the celebration (default: no)",
    )
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    async def win(
        self,
        interaction: Interaction,
        text: app_commands.Range[str, 1, WIN_MAX],
        anonymous: bool = False,
    ) -> None:
        """Save the win and show a private preview with a Delete button, before it is celebrated."""
        guild_id = self._guild(interaction)
        receipt = await self.wins.add(guild_id, interaction.user.id, text, anonymous)
        key = "win_saved" if receipt.celebrated else "win_saved_no_channel"
        messages = self.wins.messages
        await interaction.response.send_message(
            messages.pick(key),
            embed=win_preview(receipt.win, messages),
            view=delete_view([receipt.win], interaction.user.id, messages),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    @app_commands.command(
        name="wins", description="See (and delete) your wins waiting for this week's celebration"
    )
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    async def list_wins(self, interaction: Interaction) -> None:
        """List the member's wins still waiting for the celebration, each with a Delete button."""
        own = await self.wins.own(self._guild(interaction), interaction.user.id)
        if not own:
            await interaction.response.send_message(
                self.wins.messages.pick("wins_none"), ephemeral=True
            )
            return
        body = "\n".join(f"{n}. {preview_line(w)[2:]}" for n, w in enumerate(own, start=1))
        messages = self.wins.messages
        embed = calm_embed(messages.wins_title, body[:4096])
        await interaction.response.send_message(
            embed=embed,
            view=delete_view(own, interaction.user.id, messages),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )


async def setup(bot: Bounceback) -> None:
    """Entry point discord.py calls when loading this extension."""
    cog = Wins(bot)
    bot.presses.add(*cog.buttons())
    await bot.add_cog(cog)
