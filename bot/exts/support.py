"""/support: a calm first step for a hard moment, private to the member who asks.

A small step (a one-minute grounding exercise, the member's own plan) helps
more people than a long list of hotlines, so those come first; people to talk
to are one press away, the server's own first. Works in DMs too, where the plan
is kept apart from any server's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.support import RegionLines
from bot.ui.buttons import PressHandler, on_press
from bot.ui.formatting import NO_PINGS
from bot.ui.incidents import reply_privately
from bot.ui.support import (
    SUPPORT,
    Frame,
    Message,
    home_message,
    plan_message,
    step_message,
    talk_message,
)
from bot.ui.support_plan import PlanModal

if TYPE_CHECKING:
    from bot.client import Bounceback

Pressing = discord.Interaction[Any]


class Support(commands.Cog):
    """Care and safety."""

    help_section = "help_support"

    def __init__(self, bot: Bounceback) -> None:
        self.bot = bot
        self.service = bot.services.support

    def buttons(self) -> tuple[PressHandler, ...]:
        """Every /support button, answered here."""
        return (on_press(SUPPORT, "button: support", self.support_pressed),)

    def _frame(self, region: RegionLines, owner: int) -> Frame:
        service = self.service
        disclaimer = service.disclaimer(region)
        first = service.exercise(None).id
        return Frame(service.messages, owner, region.code, region.name, disclaimer, first)

    async def support_pressed(self, interaction: Pressing, press: re.Match[str]) -> None:
        """Move the member's /support message to the screen they chose (theirs only)."""
        service, owner, action = self.service, int(press["owner"]), press["action"]
        if interaction.user.id != owner:
            await reply_privately(interaction, service.messages.pick("not_yours"))
            return
        region = service.region_by_code(press["region"])
        frame = self._frame(region, owner)
        if action == "plan":
            await self._open_plan(interaction, frame)
            return
        if action == "talk":
            line = await service.support_line(interaction.guild_id)
            in_server = interaction.guild_id is not None
            message = talk_message(frame, region.lines, line, in_server=in_server)
        elif action == "ground":
            exercise = service.exercise(press["exercise"] or "")
            step = service.step(exercise, int(press["step"] or 0))
            after = service.next_exercise(exercise.id).id
            message = step_message(frame, exercise, step, after)
        else:
            done = service.messages.pick("home_after_grounding") if action == "done" else None
            message = home_message(frame, done)
        await interaction.response.edit_message(**message)

    async def _open_plan(self, interaction: Pressing, frame: Frame) -> None:
        service, owner = self.service, frame.owner
        plan = await service.plan(interaction.guild_id, owner)

        async def save(submitted: Pressing, values: dict[str, str]) -> None:
            saved = await service.save_plan(submitted.guild_id, owner, values)
            note = service.messages.pick("plan_saved" if saved else "plan_deleted")
            message: Message = plan_message(frame, saved, note)
            if submitted.message is not None:
                await submitted.response.edit_message(**message)
            else:
                await submitted.response.send_message(
                    **message, ephemeral=True, allowed_mentions=NO_PINGS
                )

        await interaction.response.send_modal(PlanModal(service.messages, owner, plan, save))

    @app_commands.command(
        name="support",
        description="A calm first step: a grounding exercise, your own plan, people to talk to",
    )
    @app_commands.describe(
        region="Where you are, for the right helplines (your Discord language picks one otherwise)"
    )
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def support(
        self, interaction: discord.Interaction[Bounceback], region: str | None = None
    ) -> None:
        """Open the private support home; the region (or the member's language) picks helplines."""
        service = self.service
        lines = service.region(region, str(interaction.locale.value))
        note = service.messages.pick("talk_region_unknown") if lines.pick.unknown_option else None
        await interaction.response.send_message(
            **home_message(self._frame(lines, interaction.user.id), note),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    @support.autocomplete("region")
    async def _region_autocomplete(
        self, interaction: discord.Interaction[Bounceback], current: str
    ) -> list[app_commands.Choice[str]]:
        choices = self.service.region_choices(current)
        return [app_commands.Choice(name=c.name, value=c.code) for c in choices]


async def setup(bot: Bounceback) -> None:
    """Entry point discord.py calls when loading this extension."""
    cog = Support(bot)
    bot.presses.add(*cog.buttons())
    await bot.add_cog(cog)
