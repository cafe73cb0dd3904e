"""/help and /about: what the bot does, every command, and how it treats data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

import bot as package
from bot.ui.embeds import calm_embed

if TYPE_CHECKING:
    from bot.app import Bounceback

ABOUT_PRIVACY = (
    "Rejection counts are stored under a one-way code, never with your Discord id or name. "
    "The group only sees totals once enough people take part. "
    "`/privacy` explains it all; `/forget-me` deletes everything about you."
)
HELP_INTRO = (
    "Job searches come with a lot of 'no'. Bounceback is here for the in-between moments: "
    "a tip when you need one, a private place to count the tries, and a group to share small wins with."
)


def help_sections(bot: commands.Bot) -> list[tuple[str, list[str]]]:
    """Commands grouped by feature, in extension order, as `/name: description` lines."""
    sections: list[tuple[str, list[str]]] = []
    for cog in bot.cogs.values():
        lines = [
            f"`/{cmd.qualified_name}`: {cmd.description}"
            for cmd in cog.walk_app_commands()
            if isinstance(cmd, app_commands.Command)
        ]
        if lines:
            sections.append((getattr(cog, "help_section", cog.qualified_name), lines))
    return sections


class Meta(commands.Cog):
    """Getting started."""

    help_section = "Getting started"

    def __init__(self, bot: Bounceback) -> None:
        self.bot = bot
        self._help: discord.Embed | None = None

    def help_embed(self) -> discord.Embed:
        """Built on first use: the command tree does not change while the bot runs."""
        if self._help is None:
            embed = calm_embed("Bounceback", HELP_INTRO)
            for title, lines in help_sections(self.bot):
                embed.add_field(name=title, value="\n".join(lines)[:1024], inline=False)
            self._help = embed
        return self._help

    @app_commands.command(name="help", description="See what Bounceback can do and every command")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def help(self, interaction: discord.Interaction[Bounceback]) -> None:
        await interaction.response.send_message(embed=self.help_embed(), ephemeral=True)

    @app_commands.command(
        name="about", description="Version, privacy in brief, and the source code"
    )
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def about(self, interaction: discord.Interaction[Bounceback]) -> None:
        embed = calm_embed("About Bounceback", "Peer support for job seekers, self-hosted.")
        embed.add_field(name="Version", value=package.__version__, inline=True)
        embed.add_field(name="Source", value=self.bot.config.source_url, inline=True)
        embed.add_field(name="Privacy", value=ABOUT_PRIVACY, inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: Bounceback) -> None:
    """Entry point discord.py calls when loading this extension."""
    await bot.add_cog(Meta(bot))
