"""/privacy, /my-data and /forget-me: what is kept, a copy of it, and deleting it."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.content.messages import Messages
from bot.domain.member_key import NO_GUILD
from bot.ui.buttons import PressHandler, on_press
from bot.ui.embeds import calm_embed
from bot.ui.incidents import reply_privately
from bot.ui.privacy import FORGET, confirm_view

if TYPE_CHECKING:
    from bot.client import Bounceback

Interaction = discord.Interaction["Bounceback"]


class Privacy(commands.Cog):
    """Your data."""

    help_section = "help_privacy"

    def __init__(self, bot: Bounceback) -> None:
        self.bot = bot
        self.content = bot.services.content
        self.service = bot.services.privacy

    @property
    def _messages(self) -> Messages:
        return self.content.library.messages

    @staticmethod
    def _scope(interaction: Interaction) -> int:
        """Return the data scope: this server, or in a DM what was kept from DMs (a support plan)."""
        return interaction.guild_id or NO_GUILD

    def buttons(self) -> tuple[PressHandler, ...]:
        """Return the handler for the /forget-me confirmation buttons."""
        return (on_press(FORGET, "button: forget-me", self.forget_pressed),)

    async def forget_pressed(
        self, interaction: discord.Interaction[Any], press: re.Match[str]
    ) -> None:
        """Delete everything (or keep it), after checking who pressed and that it is not too late."""
        owner, messages = int(press["owner"]), self._messages
        if interaction.user.id != owner:
            await reply_privately(interaction, messages.pick("not_yours"))
            return
        if press["what"] == "no":
            text = messages.pick("forget_cancelled")
        elif self.service.expired(int(press["until"])):
            text = messages.pick("forget_expired")
        else:
            removed = await self.service.forget(interaction.guild_id or NO_GUILD, owner)
            text = messages.pick("forget_done", count=removed)
        await interaction.response.edit_message(content=text, view=None)

    @app_commands.command(
        name="privacy", description="What Bounceback stores about you, and what it never does"
    )
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def privacy(self, interaction: Interaction) -> None:
        """Explain what is kept, quoting the configured group-size threshold."""
        text = self._messages.pick("privacy", min=self.bot.config.privacy.min_group_size)
        await interaction.response.send_message(
            embed=calm_embed(self._messages.privacy_title, text), ephemeral=True
        )

    @app_commands.command(
        name="my-data", description="Get a file of everything Bounceback holds about you here"
    )
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def my_data(self, interaction: Interaction) -> None:
        """Send the member's data here as a JSON file, privately (a file, so nothing is cut)."""
        data = await self.service.export(self._scope(interaction), interaction.user.id)
        file = discord.File(io.BytesIO(data.encode("utf-8")), filename="my-bounceback-data.json")
        key = "my_data_ready" if interaction.guild_id else "my_data_ready_dm"
        await interaction.response.send_message(self._messages.pick(key), file=file, ephemeral=True)

    @app_commands.command(
        name="forget-me", description="Delete everything Bounceback holds about you here"
    )
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def forget_me(self, interaction: Interaction) -> None:
        """Ask first: nothing is deleted until the confirm button is pressed, before it expires."""
        privacy = self.service
        key = "forget_confirm" if interaction.guild_id else "forget_confirm_dm"
        text = self._messages.pick(key, minutes=privacy.confirm_minutes)
        deadline = privacy.confirmation_deadline()
        view = confirm_view(interaction.user.id, deadline, self._messages)
        await interaction.response.send_message(text, view=view, ephemeral=True)


async def setup(bot: Bounceback) -> None:
    """Entry point discord.py calls when loading this extension."""
    cog = Privacy(bot)
    bot.presses.add(*cog.buttons())
    await bot.add_cog(cog)
