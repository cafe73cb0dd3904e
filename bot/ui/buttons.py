"""Buttons that keep working after a restart: ui draws them, the feature's extension answers them.

A button's custom id carries everything a press needs (the tip, the owner, the
week), and discord.py hands a press to the dynamic item whose template matches
that id, whatever view the message was sent with. So ui/ draws plain buttons
from plain data, and each extension binds its templates to its own callbacks
with `on_press` when it is set up, where it has its services: nothing in ui/
calls a service, and nothing reaches one through `interaction.client`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any, cast

import discord

from bot.ui.incidents import guarded

Press = Callable[[discord.Interaction[Any], re.Match[str]], Awaitable[None]]
Button = discord.ui.Button[Any]
PressHandler = type[discord.ui.DynamicItem[Button]]


def button(
    label: str, custom_id: str, style: discord.ButtonStyle = discord.ButtonStyle.secondary
) -> Button:
    """Make a button whose custom id is all a later press needs."""
    return discord.ui.Button(label=label, style=style, custom_id=custom_id)


def on_press(template: str, where: str, press: Press) -> PressHandler:
    """Make the dynamic item answering every button whose custom id matches `template`.

    `press` gets the interaction and the template's match (its named groups are
    the button's data); any failure reaches the central handler as `where`.
    """

    class Pressed(discord.ui.DynamicItem[Button], template=template):
        def __init__(self, item: Button, match: re.Match[str]) -> None:
            super().__init__(item)
            self.match = match

        @classmethod
        async def from_custom_id(
            cls,
            interaction: discord.Interaction[Any],
            item: discord.ui.Item[Any],
            match: re.Match[str],
        ) -> Pressed:
            return cls(cast(Button, item), match)

        async def callback(self, interaction: discord.Interaction[Any]) -> None:
            await guarded(interaction, press(interaction, self.match), where)

    Pressed.__qualname__ = Pressed.__name__ = f"Pressed({where})"
    return Pressed
