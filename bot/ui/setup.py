"""How `/setup show` looks: the server's support line, the posts' language and every schedule.

Drawn from plain data, privately for the admin who asked; the next run of each
weekly post is a Discord timestamp, so every reader sees it in their own time.
"""

from __future__ import annotations

from datetime import datetime

import discord

from bot.content.messages import Messages
from bot.content.support_schema import SupportMessages
from bot.domain.schedule import Weekly
from bot.domain.support import NOTE_MAX, SupportLine
from bot.ui.embeds import calm_embed
from bot.ui.formatting import safe_inline


def support_line_text(line: SupportLine | None, words: SupportMessages) -> str:
    """Channel, role and note of the server's support line, or that none is set."""
    parts = []
    if line is not None and line.channel_id is not None:
        parts.append(f"<#{line.channel_id}>")
    if line is not None and line.role_id is not None:
        parts.append(f"<@&{line.role_id}>")
    if line is not None and line.note:
        parts.append(safe_inline(line.note, NOTE_MAX * 2))
    return " · ".join(parts) or words.pick("setup_support_unset")


def schedule_line(channel_id: int, slot: Weekly, next_run: datetime, messages: Messages) -> str:
    """Channel, local rule, and the next run as Discord timestamps each reader sees locally."""
    stamp = int(next_run.timestamp())
    rule = messages.pick(
        "setup_schedule_rule",
        weekday=messages.weekday(slot.weekday),
        time=slot.time,
        timezone=slot.timezone,
    )
    after = messages.pick("setup_schedule_next", when=f"<t:{stamp}:F>", relative=f"<t:{stamp}:R>")
    return f"<#{channel_id}> · {rule}\n{after}"


def setup_embed(
    words: SupportMessages, support_line: str, fields: list[tuple[str, str]]
) -> discord.Embed:
    """Draw the /setup show card: the support line, then each (name, value) in `fields`."""
    embed = calm_embed(words.setup_show_title)
    embed.add_field(name=words.setup_support_label, value=support_line, inline=False)
    for name, value in fields:
        embed.add_field(name=name, value=value, inline=False)
    return embed
