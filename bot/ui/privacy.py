"""The /forget-me confirmation: two buttons that only the member can press, valid for minutes.

The member and the deadline ride in the buttons' custom ids; bot.exts.privacy answers them.
"""

from __future__ import annotations

import discord

from bot.ui.buttons import button
from bot.ui.embeds import button_row

FORGET = r"forget:(?P<what>yes|no):(?P<owner>\d{1,20}):(?P<until>\d{1,12})"


def confirm_view(owner: int, deadline: int) -> discord.ui.View:
    """Delete everything, or keep it."""
    return button_row(
        button("Delete everything", f"forget:yes:{owner}:{deadline}", discord.ButtonStyle.danger),
        button("Keep my data", f"forget:no:{owner}:{deadline}"),
    )
