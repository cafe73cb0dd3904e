"""/privacy, /my-data and /forget-me: what is kept, a copy of it, and deleting it."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.content.messages import Messages
from bot.errors import NotInServer
from bot.ui.embeds import calm_embed
from bot.ui.privacy import ForgetButton, confirm_view

if TYPE_CHECKING:
    from bot.app import Bounceback

Interaction = discord.Interaction["Bounceback"]


class Privacy(commands.Cog):
    """Your data."""

    help_section = "Your data"

    def __init__(self, bot: Bounceback) -> None:
        self.bot = bot

    @property
    def _messages(self) -> Messages:
        return self.bot.services.content.library.messages

    def _guild(self, interaction: Interaction) -> int:
        if interaction.guild_id is None:
            raise NotInServer(self._messages.pick("guild_only"))
        return interaction.guild_id

    @app_commands.command(
        name="privacy", description="What Bounceback stores about you, and what it never does"
    )
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def privacy(self, interaction: Interaction) -> None:
        text = self._messages.pick("privacy", min=self.bot.config.privacy.min_group_size)
        await interaction.response.send_message(
            embed=calm_embed("Your privacy", text), ephemeral=True
        )

    @app_commands.command(
        name="my-data", description="Get a file of everything Bounceback holds about you here"
    )
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    async def my_data(self, interaction: Interaction) -> None:
        guild_id = self._guild(interaction)
        data = await self.bot.services.privacy.export(guild_id, interaction.user.id)
        file = discord.File(io.BytesIO(data.encode("utf-8")), filename="my-bounceback-data.json")
        await interaction.response.send_message(
            self._messages.pick("my_data_ready"), file=file, ephemeral=True
        )

    @app_commands.command(
        name="forget-me", description="Delete everything Bounceback holds about you here"
    )
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    async def forget_me(self, interaction: Interaction) -> None:
        self._guild(interaction)
        privacy = self.bot.services.privacy
        text = self._messages.pick("forget_confirm", minutes=privacy.confirm_minutes)
        view = confirm_view(interaction.user.id, privacy.confirmation_deadline())
        await interaction.response.send_message(text, view=view, ephemeral=True)


async def setup(bot: Bounceback) -> None:
    """Entry point discord.py calls when loading this extension."""
    bot.add_dynamic_items(ForgetButton)
    await bot.add_cog(Privacy(bot))
