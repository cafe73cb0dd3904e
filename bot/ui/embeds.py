"""Embed building blocks so every reply looks like it came from the same calm voice."""

from __future__ import annotations

import discord

CALM_TEAL = discord.Colour(0x3A9D8F)


def calm_embed(title: str, description: str | None = None) -> discord.Embed:
    """Make an embed in the bot's colour; keep titles short, they are read on phones."""
    return discord.Embed(title=title, description=description, colour=CALM_TEAL)
