"""Embed building blocks so every reply looks like it came from the same calm voice."""

from __future__ import annotations

from typing import Any

import discord

CALM_TEAL = discord.Colour(0x3A9D8F)


def calm_embed(title: str, description: str | None = None) -> discord.Embed:
    """Make an embed in the bot's colour; keep titles short, they are read on phones."""
    return discord.Embed(title=title, description=description, colour=CALM_TEAL)


def button_row(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """Make a view of buttons answered by their custom id (`PressRouter`), already stopped.

    The view itself needs no memory in the bot. Left running, discord.py would
    keep every ephemeral view alive for 15 minutes, which grows the heap with
    each reply.
    """
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    view.stop()
    return view
