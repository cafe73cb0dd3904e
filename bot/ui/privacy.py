"""The /forget-me confirmation: two buttons that only the member can press, valid for minutes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.member_key import NO_GUILD
from bot.ui.embeds import button_row
from bot.ui.incidents import guarded, reply_privately

if TYPE_CHECKING:
    from bot.app import Bounceback

_OWNER = r"(?P<owner>\d{1,20})"
_UNTIL = r"(?P<until>\d{1,12})"


def confirm_view(owner: int, deadline: int) -> discord.ui.View:
    return button_row(
        ForgetButton(owner, deadline, confirm=True), ForgetButton(owner, deadline, confirm=False)
    )


class ForgetButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"forget:(?P<what>yes|no):{_OWNER}:{_UNTIL}",
):
    """Delete everything (or keep it), after checking who pressed and that it is not too late."""

    def __init__(self, owner: int, deadline: int, *, confirm: bool) -> None:
        what = "yes" if confirm else "no"
        button: discord.ui.Button[Any] = discord.ui.Button(
            label="Delete everything" if confirm else "Keep my data",
            style=discord.ButtonStyle.danger if confirm else discord.ButtonStyle.secondary,
            custom_id=f"forget:{what}:{owner}:{deadline}",
        )
        super().__init__(button)
        self.owner, self.deadline, self.confirm = owner, deadline, confirm

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ForgetButton:
        return cls(int(match["owner"]), int(match["until"]), confirm=match["what"] == "yes")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._press(interaction), "button: forget-me")

    async def _press(self, interaction: discord.Interaction[Any]) -> None:
        bot: Bounceback = interaction.client
        messages = bot.services.content.library.messages
        privacy = bot.services.privacy
        if interaction.user.id != self.owner:
            await reply_privately(interaction, messages.pick("not_yours"))
            return
        if not self.confirm:
            text = messages.pick("forget_cancelled")
        elif privacy.expired(self.deadline):
            text = messages.pick("forget_expired")
        else:
            removed = await privacy.forget(interaction.guild_id or NO_GUILD, self.owner)
            text = messages.pick("forget_done", count=removed)
        await interaction.response.edit_message(content=text, view=None)
