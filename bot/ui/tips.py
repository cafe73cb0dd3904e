"""How a tip looks, and its buttons: Another tip, Share with the channel, This helped.

The buttons are dynamic items whose custom ids carry only the tip, so they keep
working after a restart and the same (stopped) view serves every member shown
that tip. Who may press them comes from the message itself: Discord records
which member's interaction created it, and anyone else is kindly refused.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.content.messages import Messages
from bot.services.tips import TipCard
from bot.ui.embeds import button_row, calm_embed
from bot.ui.formatting import safe_inline, shown_name
from bot.ui.incidents import guarded, reply_privately
from bot.ui.prompts import SharePrompts

if TYPE_CHECKING:
    from bot.app import Bounceback

NO_PINGS = discord.AllowedMentions.none()
REFLECT_TITLE = "Something to sit with"
# Escaping can double a text's length; embed descriptions hold 4096 and fields 1024.
TIP_TEXT_LIMIT = 4096
REFLECT_LIMIT = 1000
_TIP = r"(?P<tip>[a-z0-9-]{1,64})"
_POST = rf"tip:post:{_TIP}:(?P<how>anon|named)"


def tip_text(card: TipCard) -> str:
    """The tip's words, escaped when a moderator typed them (library files are trusted)."""
    return safe_inline(card.text, TIP_TEXT_LIMIT) if card.tip.source != "library" else card.text


def tip_reflect(card: TipCard) -> str | None:
    if card.reflect and card.tip.source != "library":
        return safe_inline(card.reflect, REFLECT_LIMIT)
    return card.reflect


def tip_embed(card: TipCard, footer: str | None) -> discord.Embed:
    """The tip as members see it: topic, text, and the reflect question if any.

    Library tips are reviewed files and may use markdown; words typed into a
    modal are escaped so a stray ``` or # cannot swallow the rest of the embed.
    """
    title = f"{card.topic_emoji} {card.topic_name}" if card.topic_emoji else card.topic_name
    return _built_embed(title, tip_text(card), tip_reflect(card), footer)


@functools.lru_cache(maxsize=8192)
def _built_embed(title: str, text: str, reflect: str | None, footer: str | None) -> discord.Embed:
    """Embeds are rebuilt for the same few hundred tips all day; build each once (never mutated)."""
    embed = calm_embed(title, text)
    if reflect:
        embed.add_field(name=REFLECT_TITLE, value=f"*{reflect}*", inline=False)
    if footer:
        embed.set_footer(text=footer)
    return embed


@functools.lru_cache(maxsize=4096)
def tip_view(tip_id: str) -> discord.ui.View:
    """The three buttons under a private tip; built once per tip (they hold no member data)."""
    return button_row(NextTip(tip_id), ShareTip(tip_id), HelpedTip(tip_id))


@functools.lru_cache(maxsize=4096)
def share_view(tip_id: str) -> discord.ui.View:
    return button_row(PostTip(tip_id, named=False), PostTip(tip_id, named=True))


def tip_message(card: TipCard, messages: Messages) -> dict[str, Any]:
    """Keyword arguments for sending or editing a private tip message."""
    note = messages.pick("tip_cycle_complete") if card.new_round else None
    return {
        "content": note,
        "embed": tip_embed(card, messages.pick("tip_footer")),
        "view": tip_view(card.tip.id),
    }


def _bot(interaction: discord.Interaction[Any]) -> Bounceback:
    return interaction.client  # type: ignore[no-any-return]


def _locale(interaction: discord.Interaction[Any]) -> str:
    return str(interaction.locale.value)


def message_owner(interaction: discord.Interaction[Any]) -> int | None:
    """The member whose command (or button press) created the message being clicked."""
    message = interaction.message
    metadata = message.interaction_metadata if message is not None else None
    return metadata.user.id if metadata is not None else None


def _button(label: str, style: discord.ButtonStyle, custom_id: str) -> discord.ui.Button[Any]:
    return discord.ui.Button(label=label, style=style, custom_id=custom_id)


class _TipAction:
    """What every tip button shares: the owner check and the central error handling."""

    tip_id: str
    where = "tip button"

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._checked(interaction), self.where)

    async def _checked(self, interaction: discord.Interaction[Any]) -> None:
        if message_owner(interaction) != interaction.user.id:
            messages = _bot(interaction).services.tips.library.messages
            await reply_privately(interaction, messages.pick("tip_not_yours"))
            return
        await self.act(interaction)

    async def act(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError


class NextTip(
    _TipAction, discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"tip:next:{_TIP}"
):
    """Another tip from the same topic, in place of this one."""

    where = "button: another tip"

    def __init__(self, tip_id: str) -> None:
        super().__init__(_button("Another tip", discord.ButtonStyle.primary, f"tip:next:{tip_id}"))
        self.tip_id = tip_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> NextTip:
        return cls(match["tip"])

    async def act(self, interaction: discord.Interaction[Any]) -> None:
        tips = _bot(interaction).services.tips
        current = await tips.tip_card(interaction.guild_id, self.tip_id, _locale(interaction))
        card = await tips.next_tip(
            interaction.guild_id,
            interaction.user.id,
            current.tip.topic,
            _locale(interaction),
            self.tip_id,
        )
        await interaction.response.edit_message(**tip_message(card, tips.library.messages))


class ShareTip(
    _TipAction, discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"tip:share:{_TIP}"
):
    """Offer to post the tip publicly, with or without the member's name."""

    where = "button: share tip"

    def __init__(self, tip_id: str) -> None:
        super().__init__(
            _button("Share with the channel", discord.ButtonStyle.secondary, f"tip:share:{tip_id}")
        )
        self.tip_id = tip_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ShareTip:
        return cls(match["tip"])

    async def act(self, interaction: discord.Interaction[Any]) -> None:
        messages = _bot(interaction).services.tips.library.messages
        await interaction.response.send_message(
            messages.pick("tip_share_choice"),
            view=share_view(self.tip_id),
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )


class PostTip(
    _TipAction,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=_POST,
):
    """Post the tip in the channel, attributed to no one unless the member chose their name.

    Both buttons of a prompt share one claim: whichever press comes first posts.
    """

    where = "button: post tip"
    prompts: SharePrompts  # bound per process by `tip_buttons`

    def __init__(self, tip_id: str, *, named: bool) -> None:
        how = "named" if named else "anon"
        label = "Share with my name" if named else "Share without my name"
        super().__init__(_button(label, discord.ButtonStyle.secondary, f"tip:post:{tip_id}:{how}"))
        self.tip_id, self.named = tip_id, named

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PostTip:
        return cls(match["tip"], named=match["how"] == "named")

    async def act(self, interaction: discord.Interaction[Any]) -> None:
        tips = _bot(interaction).services.tips
        messages = tips.library.messages
        prompt = interaction.message
        if prompt is not None and not self.prompts.claim(prompt.id):  # before any await
            await reply_privately(interaction, messages.pick("tip_already_shared"))
            return
        audience = interaction.guild_locale and str(interaction.guild_locale.value)
        card = await tips.tip_card(interaction.guild_id, self.tip_id, audience)
        if self.named:
            intro = messages.pick("tip_share_named", name=shown_name(interaction.user))
        else:
            intro = messages.pick("tip_share_anonymous")
        await interaction.response.edit_message(content=messages.pick("tip_shared"), view=None)
        await interaction.followup.send(
            intro, embed=tip_embed(card, None), allowed_mentions=NO_PINGS
        )


class HelpedTip(
    _TipAction, discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"tip:helped:{_TIP}"
):
    """Count an anonymous "this helped" vote, once per member per tip."""

    where = "button: this helped"

    def __init__(self, tip_id: str) -> None:
        super().__init__(
            _button("This helped", discord.ButtonStyle.success, f"tip:helped:{tip_id}")
        )
        self.tip_id = tip_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> HelpedTip:
        return cls(match["tip"])

    async def act(self, interaction: discord.Interaction[Any]) -> None:
        tips = _bot(interaction).services.tips
        counted = await tips.mark_helped(interaction.guild_id, interaction.user.id, self.tip_id)
        key = "tip_helped_thanks" if counted else "tip_helped_already"
        await reply_privately(interaction, tips.library.messages.pick(key))


def tip_buttons(prompts: SharePrompts) -> tuple[type[discord.ui.DynamicItem[Any]], ...]:
    """The tip buttons to register, with sharing bound to this process's prompt claims."""

    class PostTipOnce(PostTip, template=_POST):
        pass

    PostTipOnce.prompts = prompts
    return (NextTip, ShareTip, PostTipOnce, HelpedTip)
