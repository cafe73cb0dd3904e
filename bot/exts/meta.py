"""/help and /about: what the bot does, every command, and how it treats data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

import bot as package
from bot.content.messages import Messages
from bot.content.translation_schema import Translation
from bot.ui.embeds import calm_embed
from bot.ui.picker import shown_command

if TYPE_CHECKING:
    from bot.client import Bounceback


def help_sections(
    bot: commands.Bot, words: Messages, translation: Translation | None = None
) -> list[tuple[str, list[str]]]:
    """Commands grouped by feature, in extension order, as `/name: description` lines.

    A cog's `help_section` names the messages.yaml heading of its section; names and
    descriptions are the ones the member's picker shows (commands.yaml of their language).
    """
    sections: list[tuple[str, list[str]]] = []
    for cog in bot.cogs.values():
        lines = [
            "`/{}`: {}".format(*shown_command(cmd.qualified_name, cmd.description, translation))
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
        self._help: dict[str, tuple[Messages, discord.Embed]] = {}

    @property
    def _words(self) -> Messages:
        return self.bot.services.content.library.messages

    def help_embed(self, locale: str) -> discord.Embed:
        """Built once per wording and language: the tree does not change while the bot runs."""
        words = self._words
        built = self._help.get(locale)
        if built is None or built[0] is not words:
            translation = self.bot.services.content.library.translation(locale)
            embed = calm_embed(words.help_title, words.pick("help_intro"))
            for title, lines in help_sections(self.bot, words, translation):
                embed.add_field(name=title, value="\n".join(lines)[:1024], inline=False)
            built = self._help[locale] = (words, embed)
        return built[1]

    @app_commands.command(name="help", description="See what Bounceback can do and every command")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def help(self, interaction: discord.Interaction[Bounceback]) -> None:
        """Show every command, grouped by feature; private so it never clutters a channel."""
        embed = self.help_embed(interaction.locale.value)
        await interaction.response.send_message(embed=embed, ephemeral=True)

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
