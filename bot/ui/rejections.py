"""How /rejection replies look: brief, private, effort-first."""

from __future__ import annotations

import discord

from bot.domain.rejections import STAGE_NAMES, LogReceipt, RejectionStats
from bot.ui.embeds import calm_embed
from bot.ui.tips import REFLECT_TITLE, tip_reflect, tip_text


def receipt_embed(receipt: LogReceipt) -> discord.Embed:
    """One embed: the acknowledgement with counts and any milestone, then a tip for the stage."""
    lines = [receipt.acknowledgement, receipt.counts]
    if receipt.milestone:
        lines.append(f"**{receipt.milestone}**")
    if receipt.support:
        lines.append(receipt.support)
    embed = calm_embed("Logged, privately", "\n\n".join(lines))
    tip = receipt.tip
    if tip is not None:
        title = f"{tip.topic_emoji} {tip.topic_name}" if tip.topic_emoji else tip.topic_name
        embed.add_field(name=title, value=tip_text(tip), inline=False)
        if tip.reflect:
            embed.add_field(name=REFLECT_TITLE, value=f"*{tip_reflect(tip)}*", inline=False)
    return embed


def stats_embed(stats: RejectionStats) -> discord.Embed:
    """Own numbers first, then group figures each shown only above the privacy threshold."""
    own = (
        f"This week: **{stats.week}** · This month: **{stats.month}** · All time: **{stats.total}**\n"
        f"Last 8 weeks: `{stats.sparkline}`\n"
        f"Kept going: **{stats.streak}** week(s) in a row with at least one try"
    )
    embed = calm_embed("Your tries, counted", own)
    if stats.by_stage:
        stages = ", ".join(
            f"{STAGE_NAMES.get(stage, stage)}: {count}"
            for stage, count in sorted(stats.by_stage.items())
        )
        embed.add_field(name="By stage", value=stages, inline=False)
    group = []
    hidden = False
    for line in stats.group:
        if line.figure is None:
            hidden = True
            group.append(f"{line.label}: not shown yet")
        else:
            group.append(
                f"{line.label}: **{line.figure.entries}** from {line.figure.contributors} members"
            )
    if hidden:
        group.append(f"*{stats.hidden_note}*")
    embed.add_field(name="The group (finished days only)", value="\n".join(group), inline=False)
    embed.set_footer(text="Only you can see this.")
    return embed
