"""The /forget-me confirmation: two buttons that only the member can press, valid for minutes.

The member and the deadline ride in the buttons' custom ids; bot.exts.privacy answers them.
"""

from __future__ import annotations

import discord

from bot.content.messages import Messages
from bot.ui.buttons import Button, button_row

FORGET = r"forget:(?P<what>yes|no):(?P<owner>\d{1,20}):(?P<until>\d{1,12})"


def confirm_view(owner: int, deadline: int, words: Messages) -> discord.ui.View:
    """Delete everything, or keep it."""
    yes = f"forget:yes:{owner}:{deadline}"
    return button_row(
        Button(words.button_forget, yes, discord.ButtonStyle.danger),
        Button(words.button_keep_data, f"forget:no:{owner}:{deadline}"),
    )
