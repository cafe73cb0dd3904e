"""Buttons that keep working after a restart: ui draws them, the feature's extension answers them.

A button's custom id carries everything a press needs (the tip, the owner, the
week), so a press is answered by the handler whose template matches that id,
whatever message it came from. ui/ draws plain buttons from plain data, and each
extension binds its templates to its own callbacks with `on_press` when it is set
up, where it has its services: nothing in ui/ calls a service, and nothing
reaches one through `interaction.client`.

Presses reach the handlers through `PressRouter`, not discord.py's dynamic items:
those rebuild a whole `View` from the pressed message (every row, every button)
before calling back, which was a tenth of a press's time and bought nothing, since
the custom id alone says what to do. The bot hands the router every interaction
as discord.py dispatches it (`Bounceback.dispatch`), and the router starts a task
only for a press it answers: an event listener would cost a task per slash
command too.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord

from bot.ui.incidents import guarded

log = logging.getLogger(__name__)

Press = Callable[[discord.Interaction[Any], re.Match[str]], Awaitable[None]]
_BUTTON = discord.ComponentType.button.value
_ROW = discord.ComponentType.action_row.value
_PER_ROW = 5  # Discord's limit; discord.py's View lays buttons out the same way


@dataclass(frozen=True, slots=True)
class Button:
    """A button as Discord receives it: its words, its look, and the id a press brings back."""

    label: str
    custom_id: str
    style: discord.ButtonStyle = discord.ButtonStyle.secondary

    def component(self) -> dict[str, Any]:
        """Return the button as it is sent, exactly as discord.py writes its own buttons."""
        return {
            "type": _BUTTON,
            "style": self.style.value,
            "disabled": False,
            "label": self.label,
            "custom_id": self.custom_id,
        }


class ButtonRows(discord.ui.View):
    """Buttons sent as plain components, the view already stopped.

    Every press is answered by its custom id (`PressRouter`), so nothing needs
    discord.py's `Button` items: building them was 12 us for one button and 23 us
    for three, on every reply. A stopped view is not kept by discord.py either;
    left running, it would hold every ephemeral reply's view for 15 minutes.
    """

    def __init__(self, buttons: tuple[Button, ...]) -> None:
        super().__init__(timeout=None)
        self._rows = [
            {"type": _ROW, "components": [b.component() for b in buttons[at : at + _PER_ROW]]}
            for at in range(0, len(buttons), _PER_ROW)
        ]
        self.stop()

    def to_components(self) -> list[dict[str, Any]]:
        """Return the rows as they are sent."""
        return self._rows


def button_row(*buttons: Button) -> discord.ui.View:
    """Make the buttons of a reply, answered by their custom id (`PressRouter`)."""
    return ButtonRows(buttons)


@dataclass(frozen=True)
class PressHandler:
    """One kind of button: the custom ids it answers, and what a press does."""

    pattern: re.Pattern[str]
    where: str
    press: Press


def on_press(template: str, where: str, press: Press) -> PressHandler:
    """Answer every button whose custom id matches `template` with `press`.

    `press` gets the interaction and the template's match (its named groups are
    the button's data); any failure reaches the central handler as `where`.
    """
    return PressHandler(re.compile(template), where, press)


class PressRouter:
    """Hands each button press to the handler whose template matches its custom id."""

    def __init__(self) -> None:
        self._handlers: list[PressHandler] = []
        self._answering: set[asyncio.Task[None]] = set()  # held, so none is collected midway

    def add(self, *handlers: PressHandler) -> None:
        """Answer these kinds of button from now on (extensions call it when they load)."""
        self._handlers.extend(handlers)

    def route(self, interaction: discord.Interaction[Any]) -> None:
        """Start answering a press of one of our buttons; ignore every other interaction."""
        found = self._handler_for(interaction)
        if found is None:
            return
        handler, match = found
        task = asyncio.create_task(
            guarded(interaction, handler.press(interaction, match), handler.where)
        )
        self._answering.add(task)
        task.add_done_callback(self._answered)

    def _handler_for(
        self, interaction: discord.Interaction[Any]
    ) -> tuple[PressHandler, re.Match[str]] | None:
        data = interaction.data
        if interaction.type is not discord.InteractionType.component or interaction.message is None:
            return None
        if data is None or data.get("component_type") != _BUTTON:
            return None
        custom_id = data.get("custom_id")
        if not isinstance(custom_id, str):
            return None
        for handler in self._handlers:
            match = handler.pattern.fullmatch(custom_id)
            if match is not None:
                return handler, match
        return None

    def _answered(self, task: asyncio.Task[None]) -> None:
        self._answering.discard(task)
        if not task.cancelled() and (failure := task.exception()) is not None:
            log.error("a button press failed outside the error handler", exc_info=failure)
