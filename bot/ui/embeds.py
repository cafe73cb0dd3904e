"""Embed building blocks so every reply looks like it came from the same calm voice."""

from __future__ import annotations

import discord

from bot.ui.buttons import Button, ButtonRows

CALM_TEAL = discord.Colour(0x3A9D8F)


def calm_embed(title: str, description: str | None = None) -> discord.Embed:
    """Make an embed in the bot's colour; keep titles short, they are read on phones."""
    return discord.Embed(title=title, description=description, colour=CALM_TEAL)


def button_row(*buttons: Button) -> discord.ui.View:
    """Make the buttons of a reply, answered by their custom id (`PressRouter`)."""
    return ButtonRows(buttons)
