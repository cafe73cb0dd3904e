"""/accountability, /goal and /break (the weekly thread itself is a job in bot.scheduling)."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.delivery import post_nonce
from bot.domain.accountability import (
    BREAK_DAYS_MAX,
    BREAK_DAYS_MIN,
    GOAL_TEXT_MAX,
    TARGET_MAX,
    TARGET_MIN,
)
from bot.errors import NotInServer
from bot.services.accountability import GoalChange
from bot.ui.accountability import CARRY_GOALS, carry_view, goal_label, goals_embed
from bot.ui.buttons import PressHandler, on_press
from bot.ui.formatting import NO_PINGS, first_words, shown_name
from bot.ui.incidents import reply_privately

if TYPE_CHECKING:
    from bot.client import Bounceback

log = logging.getLogger(__name__)
Interaction = discord.Interaction["Bounceback"]
GUILDS_ONLY = app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)


class Accountability(commands.Cog):
    """Weekly accountability."""

    help_section = "help_accountability"

    accountability = GUILDS_ONLY(
        app_commands.Group(
            name="accountability", description="Weekly goal threads: join, leave, see where you are"
        )
    )
    goal = GUILDS_ONLY(
        app_commands.Group(name="goal", description="One to three small goals for this week")
    )
    rest = GUILDS_ONLY(
        app_commands.Group(name="break", description="Pause thread adds and nudges while you rest")
    )

    def __init__(self, bot: Bounceback) -> None:
        self.bot = bot
        self.goals = bot.services.accountability
        self.publisher = bot.publisher

    def buttons(self) -> tuple[PressHandler, ...]:
        """Return the handler for the Carry button under recaps and /goal list."""
        return (on_press(CARRY_GOALS, "button: carry goals", self.carry_pressed),)

    async def carry_pressed(
        self, interaction: discord.Interaction[Any], press: re.Match[str]
    ) -> None:
        """Carry the presser's own unfinished goals of that week into the next one."""
        if interaction.guild_id is None:
            await reply_privately(interaction, self.goals.messages.pick("guild_only"))
            return
        count = await self.goals.carry_over(
            interaction.guild_id, interaction.user.id, press["week"]
        )
        await reply_privately(interaction, self.goals.messages.pick("goal_carried", count=count))

    def _guild(self, interaction: Interaction) -> int:
        if interaction.guild_id is None:
            raise NotInServer(self.goals.messages.pick("guild_only"))
        return interaction.guild_id

    async def _reply(
        self,
        interaction: Interaction,
        text: str,
        embed: discord.Embed | None = None,
        view: discord.ui.View | None = None,
    ) -> None:
        await interaction.response.send_message(
            text,
            embed=embed or discord.utils.MISSING,
            view=view or discord.utils.MISSING,
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    async def _share(self, interaction: Interaction, change: GoalChange, key: str) -> None:
        """Post to the week's thread as the member's own words (their name, never a ping).

        The goal is saved before this; when Discord will not take the post, the
        member's reply says so plainly (an outage is not a bug, so no incident).
        """
        if change.thread_id is None or change.goal.private:
            return
        name = shown_name(interaction.user)
        goal = goal_label(change.goal, self.goals.messages)
        text = self.goals.messages.pick(key, name=name, goal=goal)
        nonce = post_nonce(interaction.guild_id, change.goal.id, key, text)
        if await self.publisher.post_once(change.thread_id, text, nonce):
            return
        try:
            await interaction.edit_original_response(
                content=self.goals.messages.pick("goal_not_posted", goal=goal)
            )
        except discord.HTTPException:
            log.warning("could not tell a member their goal was not posted")

    @accountability.command(name="join", description="Be added to each week's goal thread")
    async def join(self, interaction: Interaction) -> None:
        """Join privately; joining twice is harmless and the reply says so."""
        await self._reply(
            interaction, await self.goals.join(self._guild(interaction), interaction.user.id)
        )

    @accountability.command(name="leave", description="Stop being added to the weekly threads")
    async def leave(self, interaction: Interaction) -> None:
        """Leave privately; leaving when not joined is harmless and the reply says so."""
        await self._reply(
            interaction, await self.goals.leave(self._guild(interaction), interaction.user.id)
        )

    @accountability.command(
        name="status", description="Joined or not, this week's thread, and your goals"
    )
    async def status(self, interaction: Interaction) -> None:
        """Show joined or not, the thread, any break and the week's goals, in one private reply."""
        guild_id = self._guild(interaction)
        joined = await self.goals.is_member(guild_id, interaction.user.id)
        thread = await self.goals.thread_id(guild_id, await self.goals.week(guild_id))
        resting = await self.goals.break_until(guild_id, interaction.user.id)
        messages = self.goals.messages
        lines = [
            messages.pick(
                "accountability_status_joined" if joined else "accountability_status_not_joined"
            ),
            messages.pick("accountability_status_thread", thread=f"<#{thread}>")
            if thread
            else messages.pick("accountability_status_no_thread"),
        ]
        if resting:
            lines.append(messages.pick("accountability_status_break", until=messages.day(resting)))
        own = await self.goals.own(guild_id, interaction.user.id)
        embed = goals_embed(own, messages) if own else None
        await self._reply(interaction, "\n".join(lines), embed)

    @goal.command(name="set", description="Add a small, reachable goal for this week (up to 3)")
    @app_commands.describe(
        text=f"The goal, in your words (up to {GOAL_TEXT_MAX} characters)",
        target="A number to reach, like 5 applications (optional)",
        private="Keep it to yourself instead of posting it in the thread",
    )
    async def set_goal(
        self,
        interaction: Interaction,
        text: app_commands.Range[str, 1, GOAL_TEXT_MAX],
        target: app_commands.Range[int, TARGET_MIN, TARGET_MAX] | None = None,
        private: bool = False,
    ) -> None:
        """Save the goal, confirm privately, then post it in the week's thread unless private."""
        change = await self.goals.set_goal(
            self._guild(interaction), interaction.user.id, text, target, private
        )
        await self._reply(
            interaction,
            self.goals.messages.pick("goal_set", goal=goal_label(change.goal, self.goals.messages)),
        )
        await self._share(interaction, change, "goal_commitment")

    @goal.command(name="progress", description="Note progress on one of your goals")
    @app_commands.describe(
        goal="Which goal",
        amount="How much to add (default 1)",
        share="Also post it in the week's thread",
    )
    async def progress(
        self,
        interaction: Interaction,
        goal: int,
        amount: app_commands.Range[int, -100, 100] = 1,
        share: bool = False,
    ) -> None:
        """Move a goal (a negative amount corrects a slip); post only when the member asks."""
        change = await self.goals.progress(
            self._guild(interaction), interaction.user.id, goal, amount
        )
        await self._reply(
            interaction,
            self.goals.messages.pick(
                "goal_progress", goal=goal_label(change.goal, self.goals.messages)
            ),
        )
        if share:
            await self._share(interaction, change, "goal_progress_posted")

    @goal.command(name="done", description="Mark one of your goals as done")
    @app_commands.describe(goal="Which goal", share="Also post it in the week's thread")
    async def done(self, interaction: Interaction, goal: int, share: bool = False) -> None:
        """Mark a goal done (its target filled up); post only when the member asks."""
        change = await self.goals.finish(self._guild(interaction), interaction.user.id, goal)
        await self._reply(
            interaction,
            self.goals.messages.pick(
                "goal_done", goal=goal_label(change.goal, self.goals.messages)
            ),
        )
        if share:
            await self._share(interaction, change, "goal_done_posted")

    @goal.command(name="list", description="Your goals this week, with progress")
    async def list_goals(self, interaction: Interaction) -> None:
        """List this week's goals privately, with a Carry button while any is unfinished."""
        guild_id = self._guild(interaction)
        own = await self.goals.own(guild_id, interaction.user.id)
        if not own:
            await self._reply(interaction, self.goals.messages.pick("goal_none"))
            return
        view = (
            carry_view(await self.goals.week(guild_id), self.goals.messages.button_carry_goals)
            if any(not g.finished for g in own)
            else None
        )
        await self._reply(interaction, "", goals_embed(own, self.goals.messages), view)

    @progress.autocomplete("goal")
    @done.autocomplete("goal")
    async def _own_goals(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        wanted = current.casefold()
        own = await self.goals.own(interaction.guild_id, interaction.user.id)
        return [
            app_commands.Choice(name=first_words(g.text, 90), value=g.id)
            for g in own
            if wanted in g.text.casefold()
        ][:25]

    @rest.command(name="start", description="Take a break: no thread adds or nudges for a while")
    @app_commands.describe(days=f"How many days ({BREAK_DAYS_MIN} to {BREAK_DAYS_MAX}, default 7)")
    async def break_start(
        self,
        interaction: Interaction,
        days: app_commands.Range[int, BREAK_DAYS_MIN, BREAK_DAYS_MAX] | None = None,
    ) -> None:
        """Start a break (or restart one, from today) and say the day it ends."""
        until = await self.goals.start_break(self._guild(interaction), interaction.user.id, days)
        await self._reply(
            interaction,
            self.goals.messages.pick("break_started", until=self.goals.messages.day(until)),
        )

    @rest.command(name="end", description="End your break early")
    async def break_end(self, interaction: Interaction) -> None:
        """End a running break now; without one, the service's refusal is the reply."""
        await self.goals.end_break(self._guild(interaction), interaction.user.id)
        await self._reply(interaction, self.goals.messages.pick("break_ended"))

    @rest.command(name="status", description="See whether you are on a break, and until when")
    async def break_status(self, interaction: Interaction) -> None:
        """Say privately whether a break is running and until which day."""
        until = await self.goals.break_until(self._guild(interaction), interaction.user.id)
        text = (
            self.goals.messages.pick("break_until", until=self.goals.messages.day(until))
            if until
            else self.goals.messages.pick("break_none")
        )
        await self._reply(interaction, text)


async def setup(bot: Bounceback) -> None:
    """Entry point discord.py calls when loading this extension."""
    cog = Accountability(bot)
    bot.presses.add(*cog.buttons())
    await bot.add_cog(cog)
