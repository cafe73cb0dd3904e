"""How a win looks before the celebration, and its Delete button (only the author can use it)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.celebration import WinLine, shown_win, win_line
from bot.domain.wins import Win
from bot.ui.embeds import button_row, calm_embed
from bot.ui.incidents import guarded, reply_privately

if TYPE_CHECKING:
    from bot.app import Bounceback

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
        *(DeleteWin(w.id, owner, label) for w, label in zip(wins[:25], labels, strict=False))
    )


class DeleteWin(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"win:del:(?P<win>\d{1,12}):(?P<owner>\d{1,20})",
):
    """Delete one of your own wins before it is celebrated."""

    def __init__(self, win_id: int, owner: int, label: str = "Delete") -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=label, style=discord.ButtonStyle.secondary, custom_id=f"win:del:{win_id}:{owner}"
        )
        super().__init__(button)
        self.win_id, self.owner = win_id, owner

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DeleteWin:
        return cls(int(match["win"]), int(match["owner"]), str(item.label or "Delete"))  # type: ignore[attr-defined]

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._delete(interaction), "button: delete win")

    async def _delete(self, interaction: discord.Interaction[Any]) -> None:
        bot: Bounceback = interaction.client
        wins = bot.services.wins
        if interaction.user.id != self.owner or interaction.guild_id is None:
            await reply_privately(interaction, wins.messages.pick("not_yours"))
            return
        await wins.delete(interaction.guild_id, self.owner, self.win_id)
        await reply_privately(interaction, wins.messages.pick("win_deleted"))
