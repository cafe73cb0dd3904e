"""/privacy, /my-data and /forget-me: what is kept, a copy of it, and deleting it."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.content.messages import Messages
from bot.domain.member_key import NO_GUILD
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

    @staticmethod
    def _scope(interaction: Interaction) -> int:
        """This server, or (in a DM) what was kept from DMs, such as a support plan."""
        return interaction.guild_id or NO_GUILD

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
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def my_data(self, interaction: Interaction) -> None:
        data = await self.bot.services.privacy.export(self._scope(interaction), interaction.user.id)
        file = discord.File(io.BytesIO(data.encode("utf-8")), filename="my-bounceback-data.json")
        key = "my_data_ready" if interaction.guild_id else "my_data_ready_dm"
        await interaction.response.send_message(self._messages.pick(key), file=file, ephemeral=True)

    @app_commands.command(
        name="forget-me", description="Delete everything Bounceback holds about you here"
    )
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def forget_me(self, interaction: Interaction) -> None:
        privacy = self.bot.services.privacy
        key = "forget_confirm" if interaction.guild_id else "forget_confirm_dm"
        text = self._messages.pick(key, minutes=privacy.confirm_minutes)
        view = confirm_view(interaction.user.id, privacy.confirmation_deadline())
        await interaction.response.send_message(text, view=view, ephemeral=True)


async def setup(bot: Bounceback) -> None:
    """Entry point discord.py calls when loading this extension."""
    bot.add_dynamic_items(ForgetButton)
    await bot.add_cog(Privacy(bot))
