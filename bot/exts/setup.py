"""/setup ...: server admins tailor Bounceback to their server (more settings join this group).

Only people with Manage Server may change these. Discord hides the group from
everyone else by default, and the check is repeated in code on every call
because a server can change who sees a command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import WEEKDAYS
from bot.domain.support import NOTE_MAX
from bot.errors import NotAllowed, NotInServer
from bot.services.guild_setup import matching_timezones
from bot.ui.formatting import NO_PINGS
from bot.ui.setup import schedule_line, setup_embed, support_line_text

if TYPE_CHECKING:
    from bot.client import Bounceback

Interaction = discord.Interaction["Bounceback"]
SERVER_LANGUAGE = "server"  # the /setup language value that follows the server's own setting
DAY_CHOICES = [app_commands.Choice(name=d.capitalize(), value=d) for d in WEEKDAYS]


@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
@app_commands.default_permissions(manage_guild=True)
class Setup(
    commands.GroupCog,
    group_name="setup",
    group_description="Server admins: set Bounceback up for this server",
):
    """For server admins."""

    help_section = "help_setup"

    def __init__(self, bot: Bounceback) -> None:
        self.bot = bot
        self.weekly_jobs = bot.weekly_jobs
        super().__init__()

    def _guild_id(self, interaction: Interaction) -> int:
        """Refuse DMs and anyone without Manage Server, whatever Discord's settings say."""
        if interaction.guild_id is None:
            raise NotInServer(self.bot.services.setup.messages.pick("server_only"))
        if not interaction.permissions.manage_guild:
            raise NotAllowed(self.bot.services.support.messages.pick("setup_not_admin"))
        return interaction.guild_id

    @app_commands.command(
        name="support", description="Set the channel or role members see first in /support"
    )
    @app_commands.describe(
        channel="A channel where members can ask for support",
        role="A role members can reach out to, such as your moderators",
        note="A short line shown with it, such as when someone is around",
    )
    async def support(
        self,
        interaction: Interaction,
        channel: discord.TextChannel | None = None,
        role: discord.Role | None = None,
        note: app_commands.Range[str, 1, NOTE_MAX] | None = None,
    ) -> None:
        """Save the server's support line; with no options at all it is cleared."""
        guild_id = self._guild_id(interaction)
        service = self.bot.services.support
        line = await service.set_support_line(
            guild_id,
            interaction.user.id,
            channel.id if channel else None,
            role.id if role else None,
            note,
        )
        key = "setup_cleared" if line.is_empty else "setup_saved"
        await interaction.response.send_message(
            service.messages.pick(key), ephemeral=True, allowed_mentions=NO_PINGS
        )

    @app_commands.command(
        name="celebrations",
        description="Choose where and when the weekly celebration of wins is posted",
    )
    @app_commands.describe(
        channel="The channel for the weekly celebration",
        weekday="Day of the week (default: Friday, or what was set before)",
        time="Local time, 24-hour, like 17:00",
        timezone="Your server's timezone, like Europe/Madrid (start typing a city)",
    )
    @app_commands.choices(weekday=DAY_CHOICES)
    async def celebrations(
        self,
        interaction: Interaction,
        channel: discord.TextChannel,
        weekday: app_commands.Choice[str] | None = None,
        time: app_commands.Range[str, 1, 5] | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
    ) -> None:
        """Save the celebration slot and reschedule at once, so the next one uses it."""
        guild_id = self._guild_id(interaction)
        setup = self.bot.services.setup
        slot = await setup.set_celebrations(
            guild_id,
            interaction.user.id,
            channel.id,
            weekday.value if weekday else None,
            time,
            timezone,
        )
        await self.weekly_jobs.schedule(guild_id)
        text = setup.messages.pick(
            "setup_celebrations_saved",
            channel=channel.mention,
            weekday=setup.messages.weekday(slot.weekday),
            time=slot.time,
            timezone=slot.timezone,
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)

    @app_commands.command(
        name="accountability", description="Choose where and when the weekly goal thread opens"
    )
    @app_commands.describe(
        channel="A text channel (the bot opens a thread) or a forum (the bot makes a post)",
        weekday="Day the thread opens (default: Monday)",
        time="Local time, 24-hour, like 09:00",
        timezone="Your server's timezone, like Europe/Madrid (start typing a city)",
        checkin="Day of the mid-week check-in (default: Wednesday)",
        recap="Day of the recap (default: Sunday)",
    )
    @app_commands.choices(weekday=DAY_CHOICES, checkin=DAY_CHOICES, recap=DAY_CHOICES)
    async def accountability(
        self,
        interaction: Interaction,
        channel: discord.TextChannel | discord.ForumChannel,
        weekday: app_commands.Choice[str] | None = None,
        time: app_commands.Range[str, 1, 5] | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
        checkin: app_commands.Choice[str] | None = None,
        recap: app_commands.Choice[str] | None = None,
    ) -> None:
        """Save the weekly thread's channel and days, and reschedule its three jobs at once."""
        guild_id = self._guild_id(interaction)
        setup = self.bot.services.setup
        choices = {
            "weekday": weekday.value if weekday else None,
            "time": time,
            "timezone": timezone,
            "checkin": checkin.value if checkin else None,
            "recap": recap.value if recap else None,
        }
        saved = await setup.set_accountability(guild_id, interaction.user.id, channel.id, choices)
        await self.weekly_jobs.schedule(guild_id)
        text = setup.messages.pick(
            "setup_accountability_saved",
            channel=channel.mention,
            weekday=setup.messages.weekday(str(saved.weekday)),
            time=saved.time,
            timezone=saved.timezone,
            checkin=setup.messages.weekday(str(saved.checkin_weekday)),
            recap=setup.messages.weekday(str(saved.recap_weekday)),
        )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)

    @accountability.autocomplete("timezone")
    @celebrations.autocomplete("timezone")
    async def _timezones(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in matching_timezones(current)]

    @app_commands.command(
        name="language", description="Choose the language of the weekly posts in this server"
    )
    @app_commands.describe(language="A language Bounceback speaks, or the server's own")
    async def language(self, interaction: Interaction, language: str) -> None:
        """Save the posts' language; `server` follows the server's own Discord setting."""
        guild_id = self._guild_id(interaction)
        setup = self.bot.services.setup
        code = None if language == SERVER_LANGUAGE else language
        await setup.set_language(guild_id, interaction.user.id, code)
        if code is None:
            shown = setup.language_name(_server_locale(interaction))
            text = setup.messages.pick("setup_language_follows_server", language=shown)
        else:
            text = setup.messages.pick("setup_language_saved", language=setup.language_name(code))
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)

    @language.autocomplete("language")
    async def _languages(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        setup = self.bot.services.setup
        own = setup.language_name(_server_locale(interaction))
        server = setup.messages.pick("setup_language_server", language=own)
        offered = {SERVER_LANGUAGE: server, **setup.languages()}
        wanted = current.casefold()
        return [
            app_commands.Choice(name=name[:100], value=code)
            for code, name in offered.items()
            if wanted in name.casefold() or wanted in code.casefold()
        ][:25]

    @app_commands.command(name="show", description="See how Bounceback is set up in this server")
    async def show(self, interaction: Interaction) -> None:
        """Show the support line and every schedule with its next run, privately to the admin."""
        guild_id = self._guild_id(interaction)
        support = self.bot.services.support
        line = support_line_text(await support.support_line(guild_id), support.messages)
        setup = self.bot.services.setup
        words = setup.messages
        chosen = await setup.language(guild_id)
        own = setup.language_name(chosen or _server_locale(interaction))
        shown = own if chosen else words.pick("setup_language_server", language=own)
        fields = [(words.setup_language_label, shown)]
        fields += [
            (s.name, schedule_line(s.channel_id, s.slot, s.next_run, words))
            for s in await setup.schedules(guild_id)
        ]
        embed = setup_embed(support.messages, line, fields)
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=NO_PINGS
        )


def _server_locale(interaction: Interaction) -> str | None:
    """Return the server's own preferred locale, as Discord sends it with every interaction."""
    locale = interaction.guild_locale
    return locale.value if locale is not None else None


async def setup(bot: Bounceback) -> None:
    """Entry point discord.py calls when loading this extension."""
    await bot.add_cog(Setup(bot))
