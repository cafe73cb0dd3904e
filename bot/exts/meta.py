"""/help and /about: what the bot does, every command, and how it treats data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

import bot as package
from bot.content.messages import Messages
from bot.ui.embeds import calm_embed

if TYPE_CHECKING:
    from bot.app import Bounceback


def help_sections(bot: commands.Bot, words: Messages) -> list[tuple[str, list[str]]]:
    """Commands grouped by feature, in extension order, as `/name: description` lines.

    A cog's `help_section` names the messages.yaml heading of its section.
    """
    sections: list[tuple[str, list[str]]] = []
    for cog in bot.cogs.values():
        lines = [
            f"`/{cmd.qualified_name}`: {cmd.description}"
            for cmd in cog.walk_app_commands()
            if isinstance(cmd, app_commands.Command)
        ]
        if lines:
            heading = getattr(words, getattr(cog, "help_section", ""), cog.qualified_name)
            sections.append((str(heading), lines))
    return sections


class Meta(commands.Cog):
    """Getting started."""

    help_section = "help_getting_started"

    def __init__(self, bot: Bounceback) -> None:
        self.bot = bot
        self._help: tuple[Messages, discord.Embed] | None = None

    @property
    def _words(self) -> Messages:
        return self.bot.services.content.library.messages

    def help_embed(self) -> discord.Embed:
        """Built once per wording: the command tree does not change while the bot runs."""
        words = self._words
        if self._help is None or self._help[0] is not words:
            embed = calm_embed(words.help_title, words.pick("help_intro"))
            for title, lines in help_sections(self.bot, words):
                embed.add_field(name=title, value="\n".join(lines)[:1024], inline=False)
            self._help = (words, embed)
        return self._help[1]

    @app_commands.command(name="help", description="See what Bounceback can do and every command")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def help(self, interaction: discord.Interaction[Bounceback]) -> None:
        """Show every command, grouped by feature; private so it never clutters a channel."""
        await interaction.response.send_message(embed=self.help_embed(), ephemeral=True)

    @app_commands.command(
        name="about", description="Version, privacy in brief, and the source code"
    )
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def about(self, interaction: discord.Interaction[Bounceback]) -> None:
        """Show the version and this deployment's source link (from config), privately."""
        words = self._words
        embed = calm_embed(words.about_title, words.pick("about_intro"))
        embed.add_field(name=words.about_version, value=package.__version__, inline=True)
        embed.add_field(name=words.about_source, value=self.bot.config.source_url, inline=True)
        embed.add_field(
            name=words.about_privacy_title, value=words.pick("about_privacy"), inline=False
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: Bounceback) -> None:
    """Entry point discord.py calls when loading this extension."""
    await bot.add_cog(Meta(bot))
