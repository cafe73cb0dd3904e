"""Moderator-side tip UI: the add/edit modal, the paged list, stats and audit lines."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.content.messages import Messages
from bot.content.schema import REFLECT_MAX, TIP_TEXT_MAX
from bot.domain.locales import pick_locale
from bot.domain.moderation import AuditEntry
from bot.domain.tips import ServedTip, TipRow, TopicStats
from bot.ui.embeds import calm_embed
from bot.ui.formatting import safe_inline
from bot.ui.incidents import guarded, speak_to

Submit = Callable[[discord.Interaction[Any], str, str | None], Awaitable[None]]
PAGE_SIZE = 10
PREVIEW_CHARS = 70
SLUG_MAX = 60
_TRAILING = " ,;:.!?-–—"


class TipModal(discord.ui.Modal):
    """Text and reflect question for a new or edited tip."""

    def __init__(
        self,
        title: str,
        words: Messages,
        submit: Submit,
        text: str | None = None,
        reflect: str | None = None,
    ) -> None:
        super().__init__(title=title[:45], timeout=900)
        self._submit = submit
        self.text: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=words.tip_form_text,
            custom_id="text",
            style=discord.TextStyle.paragraph,
            max_length=TIP_TEXT_MAX,
            default=text,
            placeholder=words.tip_form_text_hint,
        )
        self.reflect: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=words.tip_form_reflect,
            custom_id="reflect",
            style=discord.TextStyle.short,
            max_length=REFLECT_MAX,
            required=False,
            default=reflect,
        )
        self.add_item(self.text)
        self.add_item(self.reflect)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Hand the typed tip to the caller; a failure reaches the central handler."""
        reflect = self.reflect.value or None
        await guarded(interaction, self._submit(interaction, self.text.value, reflect), "tip modal")


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """Cut the tip to its first words on one line, between words so the last stays readable."""
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


def shown_text(tip: ServedTip, locale: str) -> str:
    """Return the tip's words in the reader's language when the library translates it."""
    code = pick_locale(tip.translations.keys(), locale)
    return tip.translations[code].text if code else tip.text


def row_line(row: TipRow, words: Messages) -> str:
    """`id` · source · votes · first words (hidden ones struck through)."""
    # Escaping only adds characters, so the limit here never cuts the preview again.
    text = safe_inline(preview(shown_text(row.tip, words.locale)), 4 * PREVIEW_CHARS)
    if row.hidden:
        text = f"~~{text}~~ {words.tips_row_hidden}"
    marks = {"library": "", "override": words.tips_row_edited, "server": words.tips_row_server}
    mark = marks[row.tip.source]
    helped = words.pick("tips_row_helped", count=row.helped)
    return f"`{row.tip.id}`{' ' if mark else ''}{mark} · {helped} · {text}"


def list_page(rows: list[TipRow], page: int, title: str, words: Messages) -> discord.Embed:
    """One page of /tips list."""
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    chunk = rows[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    body = "\n".join(row_line(r, words) for r in chunk) or words.pick("tips_list_empty")
    embed = calm_embed(title, body)
    footer = words.pick("tips_list_footer", page=page + 1, pages=pages, count=len(rows))
    embed.set_footer(text=footer)
    return embed


class TipListView(discord.ui.View):
    """Previous/Next paging that only the moderator who asked can use."""

    def __init__(self, rows: list[TipRow], title: str, owner: int, words: Messages) -> None:
        super().__init__(timeout=600)
        self.rows, self.title, self.owner, self.page = rows, title, owner, 0
        self.words = words
        self.pages = max(1, -(-len(rows) // PAGE_SIZE))
        self.previous.label = words.button_previous
        self.next.label = words.button_next
        self._sync_buttons()

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        """Let only the moderator who asked turn pages; tell anyone else kindly."""
        speak_to(interaction)
        if interaction.user.id != self.owner:
            await interaction.response.send_message(
                self.words.pick("tips_list_not_yours"), ephemeral=True
            )
            return False
        return True

    @discord.ui.button(style=discord.ButtonStyle.secondary)
    async def previous(
        self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]
    ) -> None:
        """Turn back a page (the button is disabled on the first)."""
        await self._turn(interaction, -1)

    @discord.ui.button(style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]) -> None:
        """Turn forward a page (the button is disabled on the last)."""
        await self._turn(interaction, 1)

    async def _turn(self, interaction: discord.Interaction[Any], step: int) -> None:
        self.page = min(max(self.page + step, 0), self.pages - 1)
        self._sync_buttons()
        await interaction.response.edit_message(
            embed=list_page(self.rows, self.page, self.title, self.words), view=self
        )

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= self.pages - 1


def stats_embed(
    stats: list[TopicStats], topic_names: dict[str, str], words: Messages
) -> discord.Embed:
    """Most and least helpful tips per topic, by anonymous votes; quiet topics listed last."""
    embed = calm_embed(words.tips_stats_title, words.pick("tips_stats_intro"))
    quiet = []
    for topic in stats:
        name = topic_names.get(topic.topic, topic.topic)
        voted = [r for r in topic.most if r.helped]
        if not voted:
            quiet.append(name)
            continue
        most = ", ".join(f"`{r.tip.id}` ({r.helped})" for r in voted)
        least = ", ".join(f"`{r.tip.id}` ({r.helped})" for r in topic.least)
        value = words.pick("tips_stats_line", most=most, least=least)
        if len(embed.fields) < 24:
            embed.add_field(name=name, value=value[:1024], inline=False)
    if quiet:
        embed.add_field(name=words.tips_stats_quiet, value=", ".join(quiet)[:1024], inline=False)
    return embed


def audit_line(entry: AuditEntry, words: Messages) -> str:
    """How a change reads in the moderator log channel (no pings: ids as <@id> never notify)."""
    verb = entry.action.replace("tip.", "")
    action = getattr(words, f"tips_action_{verb}", verb)
    return words.pick(
        "tips_audit", actor=f"<@{entry.actor_id}>", action=action, target=entry.target
    )
