"""How a win looks before the celebration, and its Delete buttons (bot.exts.wins answers them)."""

from __future__ import annotations

import discord

from bot.domain.celebration import WinLine, shown_win, win_line
from bot.domain.wins import Win
from bot.ui.buttons import button
from bot.ui.embeds import button_row, calm_embed

DELETE_WIN = r"win:del:(?P<win>\d{1,12}):(?P<owner>\d{1,20})"
PREVIEW_TITLE = "This week's small wins (preview)"


def preview_line(win: Win) -> str:
    """The win exactly as the celebration will show it (a mention there never pings)."""
    return win_line(WinLine(shown_win(win.text), f"<@{win.user_id}>" if win.user_id else None))


def win_preview(win: Win) -> discord.Embed:
    embed = calm_embed(PREVIEW_TITLE, preview_line(win))
    embed.set_footer(text="Anonymous" if win.user_id is None else "Shown with your name")
    return embed


def delete_view(wins: list[Win], owner: int) -> discord.ui.View:
    labels = ["Delete"] if len(wins) == 1 else [f"Delete {n}" for n in range(1, len(wins) + 1)]
    return button_row(
        *(
            button(label, f"win:del:{w.id}:{owner}")
            for w, label in zip(wins[:25], labels, strict=False)
        )
    )
