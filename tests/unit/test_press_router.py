"""The button router: a press reaches the handler its custom id names, and nothing else does.

What a member would notice if it broke: a button that does nothing, a button answered by the
wrong feature, or a select menu that happens to share a prefix answered as a button.
"""

from __future__ import annotations

import asyncio
import logging
import re
from types import SimpleNamespace
from typing import Any, cast

import discord
import pytest

from bot.ui.buttons import PressRouter, on_press

BUTTON = discord.ComponentType.button.value
SELECT = discord.ComponentType.string_select.value


def _interaction(custom_id: str, component_type: int = BUTTON) -> discord.Interaction[Any]:
    """Build what the router reads of a press: its type, the pressed message and the data."""
    return cast(
        discord.Interaction[Any],
        SimpleNamespace(
            type=discord.InteractionType.component,
            message=object(),
            data={"custom_id": custom_id, "component_type": component_type},
            locale=discord.Locale.american_english,
            client=None,
        ),
    )


async def _route(router: PressRouter, interaction: discord.Interaction[Any]) -> None:
    router.route(interaction)
    await asyncio.gather(*router._answering)


async def test_a_press_reaches_the_handler_its_custom_id_names_with_its_data() -> None:
    seen: list[tuple[str, str]] = []

    async def tip(_: discord.Interaction[Any], press: re.Match[str]) -> None:
        seen.append(("tip", press["tip"]))

    async def win(_: discord.Interaction[Any], press: re.Match[str]) -> None:
        seen.append(("win", press["win"]))

    router = PressRouter()
    router.add(on_press(r"tip:next:(?P<tip>[a-z-]+)", "tip", tip))
    router.add(on_press(r"win:del:(?P<win>\d+)", "win", win))
    await _route(router, _interaction("win:del:42"))
    await _route(router, _interaction("tip:next:breathe-out"))
    assert seen == [("win", "42"), ("tip", "breathe-out")]


async def test_unknown_ids_select_menus_and_slash_commands_start_nothing() -> None:
    async def never(_: discord.Interaction[Any], __: re.Match[str]) -> None:
        raise AssertionError("answered something that is not its button")

    router = PressRouter()
    router.add(on_press(r"tip:next:(?P<tip>\w+)", "tip", never))
    slash = SimpleNamespace(type=discord.InteractionType.application_command, data={}, message=None)
    for interaction in (
        _interaction("tip:next:a:b"),  # the whole id must match, not a prefix
        _interaction("tip:next:a", SELECT),
        cast(discord.Interaction[Any], slash),
    ):
        router.route(interaction)
    assert not router._answering


async def test_a_press_that_fails_outside_the_error_handler_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(_: discord.Interaction[Any], __: re.Match[str]) -> None:
        raise RuntimeError("the database went away")

    router = PressRouter()
    router.add(on_press(r"tip:next:(?P<tip>\w+)", "tip", broken))
    with caplog.at_level(logging.ERROR, logger="bot.ui.buttons"):
        router.route(_interaction("tip:next:a"))
        await asyncio.gather(*router._answering, return_exceptions=True)
    assert "a button press failed" in caplog.text
    assert "the database went away" in caplog.text
