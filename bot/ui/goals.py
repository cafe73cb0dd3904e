"""Goal lists with progress bars, and the Carry button on recaps and in /goal list."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.goals import Goal, progress_bar
from bot.domain.text import public_text
from bot.ui.embeds import button_row, calm_embed
from bot.ui.incidents import guarded, reply_privately

if TYPE_CHECKING:
    from bot.app import Bounceback

GOAL_SHOWN_LIMIT = 400  # a goal of 200 characters still fits after escaping


def goal_label(goal: Goal) -> str:
    """The goal as plain text plus its progress, for lists and thread posts."""
    text = public_text(goal.text, GOAL_SHOWN_LIMIT)
    return f"{text} ({progress_bar(goal.progress, goal.target, goal.done)})"


def goals_embed(goals: list[Goal], title: str = "Your goals this week") -> discord.Embed:
    lines = []
    for goal in goals:
        mark = "✓" if goal.finished else "•"
        private = " (private)" if goal.private else ""
        lines.append(f"{mark} {goal_label(goal)}{private}")
    return calm_embed(title, "\n".join(lines))


def carry_view(week: str) -> discord.ui.View:
    return button_row(CarryGoals(week))


class CarryGoals(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"goal:carry:(?P<week>\d{4}-W\d{2})"
):
    """Whoever presses it carries their own unfinished goals of that week into the next one."""

    def __init__(self, week: str) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label="Carry my unfinished goals to next week",
            style=discord.ButtonStyle.secondary,
            custom_id=f"goal:carry:{week}",
        )
        super().__init__(button)
        self.week = week

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CarryGoals:
        return cls(match["week"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._carry(interaction), "button: carry goals")

    async def _carry(self, interaction: discord.Interaction[Any]) -> None:
        bot: Bounceback = interaction.client
        goals = bot.services.goals
        if interaction.guild_id is None:
            await reply_privately(interaction, goals.messages.pick("guild_only"))
            return
        count = await goals.carry_over(interaction.guild_id, interaction.user.id, self.week)
        await reply_privately(interaction, goals.messages.pick("goal_carried", count=count))
