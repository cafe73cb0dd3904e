"""A reply's buttons reach Discord exactly as discord.py would send them, in rows of five.

What a member would notice if it broke: a reply whose buttons are missing, styled wrong or
refused by Discord, or a list of wins whose Delete buttons no longer fit in their rows.
"""

from __future__ import annotations

import discord
import pytest

from bot.ui.buttons import Button, button_row

STYLES = (discord.ButtonStyle.secondary, discord.ButtonStyle.primary, discord.ButtonStyle.danger)


@pytest.mark.parametrize("count", [1, 3, 5, 6, 25])
async def test_buttons_are_sent_as_discord_py_sends_its_own(count: int) -> None:
    wanted = [(f"Delete {n}", f"win:del:{n}:42", STYLES[n % len(STYLES)]) for n in range(count)]
    reference = discord.ui.View(timeout=None)
    for label, custom_id, style in wanted:
        reference.add_item(discord.ui.Button(label=label, custom_id=custom_id, style=style))
    row = button_row(*(Button(*spec) for spec in wanted))
    assert row.to_components() == reference.to_components()
    assert row.is_finished()  # discord.py keeps no stopped view in memory
