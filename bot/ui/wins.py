"""How a win looks before the celebration, and its Delete buttons (bot.exts.wins answers them)."""

from __future__ import annotations

import discord

from bot.content.messages import Messages
from bot.domain.celebration import WinLine, shown_win, win_line
from bot.domain.wins import Win
from bot.ui.buttons import Button, button_row
from bot.ui.embeds import calm_embed

DELETE_WIN = r"win:del:(?P<win>\d{1,12}):(?P<owner>\d{1,20})"


def preview_line(win: Win) -> str:
    """Render the win exactly as the celebration will (a mention there never pings)."""
    return win_line(WinLine(shown_win(win.text), f"<@{win.user_id}>" if win.user_id else None))


def win_preview(win: Win, words: Messages) -> discord.Embed:
    """Preview the win as the celebration will show it, and whether the name comes with it."""
    embed = calm_embed(words.win_preview_title, preview_line(win))
    embed.set_footer(text=words.win_anonymous if win.user_id is None else words.win_named)
    return embed


def delete_view(wins: list[Win], owner: int, words: Messages) -> discord.ui.View:
    """One Delete button per win (numbered when there are several); only `owner` may press."""
    labels = (
        [words.button_delete_win]
        if len(wins) == 1
        else [words.pick("button_delete_win_numbered", number=n) for n in range(1, len(wins) + 1)]
    )
    return button_row(
        *(
            Button(label, f"win:del:{w.id}:{owner}")
            for w, label in zip(wins[:25], labels, strict=False)
        )
    )
