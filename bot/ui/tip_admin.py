"""Moderator-side tip UI: the add/edit modal, the paged list, stats and audit lines."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.content.schema import REFLECT_MAX, TIP_TEXT_MAX
from bot.domain.moderation import AuditEntry
from bot.domain.tips import TipRow, TopicStats
from bot.ui.embeds import calm_embed
from bot.ui.formatting import safe_inline
from bot.ui.incidents import guarded

Submit = Callable[[discord.Interaction[Any], str, str | None], Awaitable[None]]
PAGE_SIZE = 10
PREVIEW_CHARS = 70
SLUG_MAX = 60
_TRAILING = " ,;:.!?-–—"


class TipModal(discord.ui.Modal):
    """Text and reflect question for a new or edited tip."""

    def __init__(
        self, title: str, submit: Submit, text: str | None = None, reflect: str | None = None
    ) -> None:
        super().__init__(title=title, timeout=900)
        self._submit = submit
        self.text: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="Tip",
            custom_id="text",
            style=discord.TextStyle.paragraph,
            max_length=TIP_TEXT_MAX,
            default=text,
            placeholder="Short, kind and specific: one thing to try or one way to see it.",
        )
        self.reflect: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="Question to sit with (optional)",
            custom_id="reflect",
            style=discord.TextStyle.short,
            max_length=REFLECT_MAX,
            required=False,
            default=reflect,
        )
        self.add_item(self.text)
        self.add_item(self.reflect)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        reflect = self.reflect.value or None
        await guarded(interaction, self._submit(interaction, self.text.value, reflect), "tip modal")


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """The tip's first words on one line, cut between words so the last one stays readable."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    room = limit - 1  # one character is left for the ellipsis
    head = words[:room]
    if words[room] != " " and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(_TRAILING) + "…"


def export_filename(server_name: str | None, server_id: int) -> str:
    """`tips-job-hunters-club.yaml`; the server's id when its name has no letters or digits."""
    plain = unicodedata.normalize("NFKD", server_name or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:SLUG_MAX].rstrip("-")
    return f"tips-{slug or server_id}.yaml"


def row_line(row: TipRow) -> str:
    """`id` · source · votes · first words (hidden ones struck through)."""
    # Escaping only adds characters, so the limit here never cuts the preview again.
    words = safe_inline(preview(row.tip.text), 4 * PREVIEW_CHARS)
    if row.hidden:
        words = f"~~{words}~~ (hidden)"
    mark = {"library": "", "override": " (edited)", "server": " (this server)"}[row.tip.source]
    return f"`{row.tip.id}`{mark} · {row.helped} helped · {words}"


def list_page(rows: list[TipRow], page: int, title: str) -> discord.Embed:
    """One page of /tips list."""
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    chunk = rows[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    body = "\n".join(row_line(r) for r in chunk) or "No tips here yet."
    embed = calm_embed(title, body)
    embed.set_footer(text=f"Page {page + 1} of {pages} · {len(rows)} tips")
    return embed


class TipListView(discord.ui.View):
    """Previous/Next paging that only the moderator who asked can use."""

    def __init__(self, rows: list[TipRow], title: str, owner: int) -> None:
        super().__init__(timeout=600)
        self.rows, self.title, self.owner, self.page = rows, title, owner, 0
        self.pages = max(1, -(-len(rows) // PAGE_SIZE))
        self._sync_buttons()

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id != self.owner:
            await interaction.response.send_message(
                "These buttons belong to the moderator who asked.", ephemeral=True
            )
            return False
        return True

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(
        self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]
    ) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, 1)

    async def _turn(self, interaction: discord.Interaction[Any], step: int) -> None:
        self.page = min(max(self.page + step, 0), self.pages - 1)
        self._sync_buttons()
        await interaction.response.edit_message(
            embed=list_page(self.rows, self.page, self.title), view=self
        )

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= self.pages - 1


def stats_embed(stats: list[TopicStats], topic_names: dict[str, str]) -> discord.Embed:
    """Most and least helpful tips per topic, by anonymous votes; quiet topics listed last."""
    embed = calm_embed("What members found helpful", "Anonymous “This helped” counts.")
    quiet = []
    for topic in stats:
        name = topic_names.get(topic.topic, topic.topic)
        voted = [r for r in topic.most if r.helped]
        if not voted:
            quiet.append(name)
            continue
        most = ", ".join(f"`{r.tip.id}` ({r.helped})" for r in voted)
        least = ", ".join(f"`{r.tip.id}` ({r.helped})" for r in topic.least)
        value = f"Most helpful: {most}\nLeast so far: {least}"
        if len(embed.fields) < 24:
            embed.add_field(name=name, value=value[:1024], inline=False)
    if quiet:
        embed.add_field(name="No votes yet", value=", ".join(quiet)[:1024], inline=False)
    return embed


def audit_line(entry: AuditEntry) -> str:
    """How a change reads in the moderator log channel (no pings: ids as <@id> never notify)."""
    return f"📝 <@{entry.actor_id}> {entry.action.replace('tip.', '')} tip `{entry.target}`."
