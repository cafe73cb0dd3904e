"""How /rejection replies look: brief, private, effort-first."""

from __future__ import annotations

import discord

from bot.content.messages import Messages
from bot.domain.rejections import LogReceipt, RejectionStats
from bot.ui.embeds import calm_embed
from bot.ui.tips import TIP_FIELD_LIMIT, tip_reflect, tip_text


def receipt_embed(receipt: LogReceipt, messages: Messages) -> discord.Embed:
    """One embed: the acknowledgement with counts and any milestone, then a tip for the stage."""
    lines = [receipt.acknowledgement, receipt.counts]
    if receipt.milestone:
        lines.append(f"**{receipt.milestone}**")
    if receipt.support:
        lines.append(receipt.support)
    embed = calm_embed(messages.rejection_logged_title, "\n\n".join(lines))
    tip = receipt.tip
    if tip is not None:
        title = f"{tip.topic_emoji} {tip.topic_name}" if tip.topic_emoji else tip.topic_name
        embed.add_field(name=title, value=tip_text(tip, TIP_FIELD_LIMIT), inline=False)
        if tip.reflect:
            reflect = f"*{tip_reflect(tip)}*"
            embed.add_field(name=messages.tip_reflect_title, value=reflect, inline=False)
    return embed


def stats_embed(stats: RejectionStats, messages: Messages) -> discord.Embed:
    """Own numbers first, then group figures each shown only above the privacy threshold."""
    own = messages.pick(
        "rejection_stats_own",
        week=stats.week,
        month=stats.month,
        total=stats.total,
        sparkline=stats.sparkline,
    )
    own += "\n" + messages.pick("rejection_streak", streak=stats.streak)
    embed = calm_embed(messages.rejection_stats_title, own)
    if stats.by_stage:
        stages = ", ".join(
            f"{messages.stage_name(stage)}: {count}"
            for stage, count in sorted(stats.by_stage.items())
        )
        embed.add_field(name=messages.rejection_stats_by_stage, value=stages, inline=False)
    group = []
    hidden = False
    for line in stats.group:
        if line.figure is None:
            hidden = True
            group.append(messages.pick("rejection_group_not_shown", label=line.label))
        else:
            figure = line.figure
            group.append(
                messages.pick(
                    "rejection_group_figure",
                    label=line.label,
                    entries=figure.entries,
                    contributors=figure.contributors,
                )
            )
    if hidden:
        group.append(f"*{stats.hidden_note}*")
    embed.add_field(name=messages.rejection_stats_group, value="\n".join(group), inline=False)
    embed.set_footer(text=messages.pick("rejection_stats_footer"))
    return embed
