"""How a tip looks, and its buttons: Another tip, Share with the channel, This helped.

The buttons' custom ids carry only the tip, so they keep working after a restart
and the same (stopped) view serves every member shown that tip; bot.exts.tips
answers them (and refuses anyone but the member the tip was shown to).
"""

from __future__ import annotations

import functools
from typing import Any

import discord

from bot.content.messages import Messages
from bot.domain.tips import TipCard
from bot.ui.buttons import Button, button_row
from bot.ui.embeds import calm_embed
from bot.ui.formatting import safe_inline

# Escaping can double a text's length; embed descriptions hold 4096 and fields 1024.
TIP_TEXT_LIMIT = 4096
TIP_FIELD_LIMIT = 1024
REFLECT_LIMIT = 1000
_TIP = r"(?P<tip>[a-z0-9-]{1,64})"
NEXT_TIP = rf"tip:next:{_TIP}"
SHARE_TIP = rf"tip:share:{_TIP}"
POST_TIP = rf"tip:post:{_TIP}:(?P<how>anon|named)"
HELPED_TIP = rf"tip:helped:{_TIP}"


def tip_text(card: TipCard, limit: int = TIP_TEXT_LIMIT) -> str:
    """Return the tip's words, escaped when a moderator typed them (library files are trusted).

    `limit` is where they are shown: a field (1,024) holds less than a description.
    """
    return safe_inline(card.text, limit) if card.tip.source != "library" else card.text


def tip_reflect(card: TipCard) -> str | None:
    """Return the reflect question, escaped like the text when a moderator typed it."""
    if card.reflect and card.tip.source != "library":
        return safe_inline(card.reflect, REFLECT_LIMIT)
    return card.reflect


def tip_embed(card: TipCard, footer: str | None, reflect_title: str) -> discord.Embed:
    """Render the tip as members see it: topic, text, and the reflect question if any.

    Library tips are reviewed files and may use markdown; words typed into a
    modal are escaped so a stray ``` or # cannot swallow the rest of the embed.
    """
    title = f"{card.topic_emoji} {card.topic_name}" if card.topic_emoji else card.topic_name
    return _built_embed(title, tip_text(card), tip_reflect(card), footer, reflect_title)


@functools.lru_cache(maxsize=8192)
def _built_embed(
    title: str, text: str, reflect: str | None, footer: str | None, reflect_title: str
) -> discord.Embed:
    """Embeds are rebuilt for the same few hundred tips all day; build each once (never mutated)."""
    embed = calm_embed(title, text)
    if reflect:
        embed.add_field(name=reflect_title, value=f"*{reflect}*", inline=False)
    if footer:
        embed.set_footer(text=footer)
    return embed


@functools.lru_cache(maxsize=4096)
def tip_view(tip_id: str, next_label: str, share_label: str, helped_label: str) -> discord.ui.View:
    """Make the three buttons under a private tip, once per tip (they hold no member data)."""
    return button_row(
        Button(next_label, f"tip:next:{tip_id}", discord.ButtonStyle.primary),
        Button(share_label, f"tip:share:{tip_id}"),
        Button(helped_label, f"tip:helped:{tip_id}", discord.ButtonStyle.success),
    )


def share_view(tip_id: str, words: Messages) -> discord.ui.View:
    """Post the tip in the channel, attributed to no one unless the member chose their name."""
    return _share_view(tip_id, words.button_share_anonymous, words.button_share_named)


@functools.lru_cache(maxsize=4096)
def _share_view(tip_id: str, anonymous_label: str, named_label: str) -> discord.ui.View:
    return button_row(
        Button(anonymous_label, f"tip:post:{tip_id}:anon"),
        Button(named_label, f"tip:post:{tip_id}:named"),
    )


def tip_message(card: TipCard, messages: Messages) -> dict[str, Any]:
    """Keyword arguments for sending or editing a private tip message."""
    note = messages.pick("tip_cycle_complete") if card.new_round else None
    return {
        "content": note,
        "embed": tip_embed(card, messages.pick("tip_footer"), messages.tip_reflect_title),
        "view": tip_view(
            card.tip.id, messages.button_next_tip, messages.button_share_tip, messages.button_helped
        ),
    }
