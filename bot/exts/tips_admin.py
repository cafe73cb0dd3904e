"""/tips ...: moderators shape this server's tips without touching the library files."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.content.speaking import language
from bot.domain.moderation import AuditEntry, is_moderator
from bot.domain.tips import TipCard
from bot.errors import NotAllowed, NotInServer
from bot.ui.formatting import NO_PINGS
from bot.ui.tip_admin import (
    TipListView,
    TipModal,
    audit_line,
    export_filename,
    list_page,
    preview,
    stats_embed,
)
from bot.ui.tips import tip_embed

if TYPE_CHECKING:
    from bot.client import Bounceback

Interaction = discord.Interaction["Bounceback"]
ERRORS_SHOWN = 15


@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
class TipsAdmin(
    commands.GroupCog, group_name="tips", group_description="Moderators: shape this server's tips"
):
    """For moderators."""

    help_section = "help_moderators"

    def __init__(self, bot: Bounceback) -> None:
        self.bot = bot
        self.admin = bot.services.content_admin
        super().__init__()

    def _guild_id(self, interaction: Interaction) -> int:
        """Refuse DMs and non-moderators, every time, whatever Discord's settings say."""
        messages = self.admin.messages
        if interaction.guild_id is None or not isinstance(interaction.user, discord.Member):
            raise NotInServer(messages.pick("guild_only"))
        roles = [role.id for role in interaction.user.roles]
        allowed = is_moderator(
            interaction.permissions.manage_guild, roles, self.bot.config.moderation.role_id
        )
        if not allowed:
            raise NotAllowed(messages.pick("not_moderator"))
        return interaction.guild_id

    @app_commands.command(name="add", description="Add a tip of this server's own to a topic")
    @app_commands.describe(topic="The topic the new tip belongs to")
    async def add(self, interaction: Interaction, topic: str) -> None:
        """Check the topic before opening the form, so a typo is not found after the writing."""
        guild_id = self._guild_id(interaction)
        await self.admin.find_topic(topic)

        async def save(
            modal_interaction: discord.Interaction[Any], text: str, reflect: str | None
        ) -> None:
            entry = await self.admin.add(guild_id, interaction.user.id, topic, text, reflect)
            await self._done(modal_interaction, entry, "tips_added")

        words = self.admin.messages
        await interaction.response.send_modal(TipModal(words.tip_form_new_title, words, save))

    @app_commands.command(
        name="edit", description="Edit a tip for this server (the library file stays as it is)"
    )
    @app_commands.describe(tip="The tip to edit (type its id or first words)")
    async def edit(self, interaction: Interaction, tip: str) -> None:
        """Open the form filled with the tip as this server has it; library files never change."""
        guild_id = self._guild_id(interaction)
        current = await self.admin.find(guild_id, tip)

        async def save(
            modal_interaction: discord.Interaction[Any], text: str, reflect: str | None
        ) -> None:
            entry = await self.admin.edit(guild_id, interaction.user.id, tip, text, reflect)
            await self._done(modal_interaction, entry, "tips_edited")

        words = self.admin.messages
        title = words.pick("tip_form_edit_title", tip=tip)
        modal = TipModal(title, words, save, current.text, current.reflect)
        await interaction.response.send_modal(modal)

    @app_commands.command(
        name="remove", description="Delete a server tip, or hide a library tip here"
    )
    @app_commands.describe(tip="The tip to remove (type its id or first words)")
    async def remove(self, interaction: Interaction, tip: str) -> None:
        """Delete a server tip, or hide a library tip (restorable); the reply says which."""
        entry = await self.admin.remove(self._guild_id(interaction), interaction.user.id, tip)
        key = "tips_deleted" if entry.action == "tip.delete" else "tips_hidden"
        await self._done(interaction, entry, key)

    @app_commands.command(
        name="restore", description="Bring back a hidden or edited library tip as written"
    )
    @app_commands.describe(tip="The hidden or edited library tip to restore")
    async def restore(self, interaction: Interaction, tip: str) -> None:
        """Unhide a library tip and drop this server's edit of it."""
        entry = await self.admin.restore(self._guild_id(interaction), interaction.user.id, tip)
        await self._done(interaction, entry, "tips_restored")

    @app_commands.command(name="list", description="Browse this server's tips, page by page")
    @app_commands.describe(topic="Only this topic (leave empty for all)")
    async def list_tips(self, interaction: Interaction, topic: str | None = None) -> None:
        """Page through this server's tips, hidden and edited ones included, privately."""
        guild_id = self._guild_id(interaction)
        if topic is not None:
            await self.admin.find_topic(topic)
        rows = await self.admin.rows(guild_id, topic)
        words = self.admin.messages
        title = (
            words.pick("tips_list_topic_title", topic=self._topic_names().get(topic, topic))
            if topic
            else words.tips_list_title
        )
        view = TipListView(rows, title, interaction.user.id, words)
        await interaction.response.send_message(
            embed=list_page(rows, 0, title, words), view=view, ephemeral=True
        )

    @app_commands.command(name="preview", description="See a tip exactly as members would")
    @app_commands.describe(tip="The tip to preview")
    async def preview(self, interaction: Interaction, tip: str) -> None:
        """Render the tip with the member-facing card, in the moderator's language."""
        guild_id = self._guild_id(interaction)
        card = await self.bot.services.tips.tip_card(guild_id, tip, str(interaction.locale.value))
        await self._show_card(interaction, card)

    @app_commands.command(
        name="stats", description="Most and least helpful tips, by anonymous votes"
    )
    async def stats(self, interaction: Interaction) -> None:
        """Rank this server's tips by "this helped" votes, which are anonymous."""
        stats = await self.admin.stats(self._guild_id(interaction))
        await interaction.response.send_message(
            embed=stats_embed(stats, self._topic_names(), self.admin.messages), ephemeral=True
        )

    @app_commands.command(
        name="reload", description="Re-read the tip files now; a broken edit changes nothing"
    )
    async def reload(self, interaction: Interaction) -> None:
        """Re-read the content files; on errors, list the first few and keep the old library."""
        self._guild_id(interaction)
        result = await self.admin.reload()
        messages = result.library.messages
        if result.ok:
            text = messages.pick(
                "content_reloaded", topics=len(result.library.topics), tips=len(result.library.tips)
            )
        else:
            lines = [f"`{error}`" for error in result.errors[:ERRORS_SHOWN]]
            more = len(result.errors) - ERRORS_SHOWN
            if more > 0:
                lines.append(messages.pick("content_reload_more", count=more))
            text = (
                messages.pick("content_reload_failed", count=len(result.errors))
                + "\n"
                + "\n".join(lines)
            )
        await interaction.response.send_message(
            text[:2000], ephemeral=True, allowed_mentions=NO_PINGS
        )

    @app_commands.command(
        name="export", description="Download this server's own tips as a library YAML file"
    )
    async def export(self, interaction: Interaction) -> None:
        """Send the server's own tips as a library YAML file, ready to contribute upstream."""
        guild_id = self._guild_id(interaction)
        rows = [r for r in await self.admin.rows(guild_id) if r.tip.source == "server"]
        if not rows:
            await interaction.response.send_message(
                self.admin.messages.pick("tips_export_empty"), ephemeral=True
            )
            return
        data = (await self.admin.export(guild_id)).encode("utf-8")
        name = interaction.guild.name if interaction.guild else None
        file = discord.File(io.BytesIO(data), filename=export_filename(name, guild_id))
        await interaction.response.send_message(
            self.admin.messages.pick("tips_export_ready", count=len(rows)),
            file=file,
            ephemeral=True,
        )

    @add.autocomplete("topic")
    @list_tips.autocomplete("topic")
    async def _topics(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        names = self._topic_names(str(interaction.locale.value))
        wanted = current.casefold()
        return [
            app_commands.Choice(name=n, value=i)
            for i, n in names.items()
            if wanted in n.casefold() or wanted in i
        ][:25]

    @edit.autocomplete("tip")
    @remove.autocomplete("tip")
    @preview.autocomplete("tip")
    async def _visible_tips(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._tip_choices(interaction, current, hidden=False)

    @restore.autocomplete("tip")
    async def _restorable_tips(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._tip_choices(interaction, current, hidden=True)

    async def _tip_choices(
        self, interaction: Interaction, current: str, *, hidden: bool
    ) -> list[app_commands.Choice[str]]:
        try:
            guild_id = self._guild_id(interaction)
        except (NotAllowed, NotInServer):
            return []
        wanted = current.casefold()
        choices = []
        for row in await self.admin.rows(guild_id):
            restorable = row.hidden or row.tip.source == "override"
            if restorable if hidden else not row.hidden:
                label = f"{row.tip.id}: {preview(row.tip.text)}"
                if wanted in label.casefold():
                    choices.append(app_commands.Choice(name=label[:100], value=row.tip.id))
        return choices[:25]

    def _topic_names(self, locale: str | None = None) -> dict[str, str]:
        library = self.bot.services.content.library
        locale = locale or language()  # the moderator's, while answering them
        return {t.id: library.topic_text(t, locale).name for t in library.topics.values()}

    async def _show_card(
        self, interaction: discord.Interaction[Any], card: TipCard, note: str | None = None
    ) -> None:
        words = self.admin.messages
        embed = tip_embed(card, words.pick("tip_footer"), words.tip_reflect_title)
        await interaction.response.send_message(
            note, embed=embed, ephemeral=True, allowed_mentions=NO_PINGS
        )

    async def _done(
        self, interaction: discord.Interaction[Any], entry: AuditEntry, key: str
    ) -> None:
        """Confirm privately (with a preview when the tip is visible) and tell the log channel."""
        note = self.admin.messages.pick(key, tip=entry.target, topic=self._topic_of(entry))
        if entry.after is not None:
            card = await self.bot.services.tips.tip_card(
                entry.guild_id, entry.target, str(interaction.locale.value)
            )
            await self._show_card(interaction, card, note)
        else:
            await interaction.response.send_message(note, ephemeral=True, allowed_mentions=NO_PINGS)
        await self.bot.publisher.moderator_log(audit_line(entry, self.admin.messages))

    def _topic_of(self, entry: AuditEntry) -> str:
        tip = self.bot.services.content.library.tips.get(entry.target)
        topic_id = tip.topic if tip else None
        if topic_id is None and entry.after:
            topic_id = json.loads(entry.after).get("topic")
        return self._topic_names().get(topic_id or "", topic_id or "")


async def setup(bot: Bounceback) -> None:
    """Entry point discord.py calls when loading this extension."""
    await bot.add_cog(TipsAdmin(bot))
