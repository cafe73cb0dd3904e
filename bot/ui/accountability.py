"""Goal lists with progress bars, and the Carry button on recaps and in /goal list.

bot.exts.accountability answers the button; the publisher draws it under recaps.
"""

from __future__ import annotations

import discord

from bot.content.messages import Messages
from bot.domain.accountability import Goal, progress_bar
from bot.domain.text import public_text
from bot.ui.buttons import Button, button_row
from bot.ui.embeds import calm_embed

CARRY_GOALS = r"goal:carry:(?P<week>\d{4}-W\d{2})"
GOAL_SHOWN_LIMIT = 400  # a goal of 200 characters still fits after escaping


def goal_label(goal: Goal, words: Messages) -> str:
    """Render the goal as plain text plus its progress, for lists and thread posts."""
    text = public_text(goal.text, GOAL_SHOWN_LIMIT)
    if goal.target is not None:
        return f"{text} ({progress_bar(goal.progress, goal.target, goal.done)})"
    return f"{text} ({words.goal_status_done if goal.done else words.goal_status_open})"


def goals_embed(goals: list[Goal], words: Messages) -> discord.Embed:
    """List a member's own goals, ticked when finished, private ones marked."""
    lines = []
    for goal in goals:
        mark = "✓" if goal.finished else "•"
        private = f" {words.goal_private_note}" if goal.private else ""
        lines.append(f"{mark} {goal_label(goal, words)}{private}")
    return calm_embed(words.goals_title, "\n".join(lines))


def carry_view(week: str, label: str) -> discord.ui.View:
    """Whoever presses it carries their own unfinished goals of that week into the next one."""
    return button_row(Button(label, f"goal:carry:{week}"))
