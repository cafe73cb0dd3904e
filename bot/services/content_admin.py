"""Moderator use cases for tips: add, edit, remove, restore, list, stats, reload, export.

Library files are never written by the bot: a server's changes live in the
database as its own tips, overrides and hidden ids, and every change is audited.
"""

from __future__ import annotations

import json
from datetime import datetime

import yaml

from bot.clock import Clock
from bot.content.messages import Messages
from bot.content.schema import REFLECT_MAX, TIP_TEXT_MAX
from bot.content.store import ContentStore, ReloadResult
from bot.domain.moderation import AuditEntry
from bot.domain.tips import ServedTip, TipRow, TipSource, TopicStats
from bot.errors import UserFacingError
from bot.services.cluster_versions import ClusterVersions
from bot.services.member_text import accepted_text
from bot.services.tip_catalog import GuildCatalog, TipCatalog
from bot.storage.audit import AuditRepository
from bot.storage.tips import GuildTipsRepository, TipVotesRepository


class ContentAdminService:
    """Everything a moderator can do to a server's tips."""

    def __init__(
        self,
        store: ContentStore,
        catalog: TipCatalog,
        repo: GuildTipsRepository,
        votes: TipVotesRepository,
        audit: AuditRepository,
        clock: Clock,
        cluster: ClusterVersions,
    ) -> None:
        self._cluster = cluster
        self._store = store
        self._catalog = catalog
        self._repo = repo
        self._votes = votes
        self._audit = audit
        self._clock = clock

    @property
    def messages(self) -> Messages:
        """Read the live wording, so a content reload reaches the next reply."""
        return self._store.library.messages

    async def add(
        self, guild_id: int, actor_id: int, topic: str, text: str, reflect: str | None
    ) -> AuditEntry:
        """Add a server tip to a library topic."""
        await self.find_topic(topic)
        body, question = self._clean(text, reflect)
        tip_id = await self._repo.add_custom(guild_id, topic, body, question, self._now())
        tip = ServedTip(tip_id, topic, body, question, source="server")
        return await self._changed(guild_id, actor_id, "tip.add", tip_id, None, tip)

    async def edit(
        self, guild_id: int, actor_id: int, tip_id: str, text: str, reflect: str | None
    ) -> AuditEntry:
        """Edit a server tip, or override a library tip for this server only."""
        before = await self.find(guild_id, tip_id)
        body, question = self._clean(text, reflect)
        source: TipSource = "server" if before.source == "server" else "override"
        after = ServedTip(tip_id, before.topic, body, question, before.tags, source=source)
        await self._repo.save(guild_id, after, self._now())
        return await self._changed(guild_id, actor_id, "tip.edit", tip_id, before, after)

    async def remove(self, guild_id: int, actor_id: int, tip_id: str) -> AuditEntry:
        """Delete a server tip; hide a library tip for this server only."""
        before = await self.find(guild_id, tip_id)
        if before.source == "server":
            await self._repo.delete(guild_id, tip_id)
            return await self._changed(guild_id, actor_id, "tip.delete", tip_id, before, None)
        await self._repo.set_hidden(guild_id, tip_id, hidden=True)
        return await self._changed(guild_id, actor_id, "tip.hide", tip_id, before, None)

    async def restore(self, guild_id: int, actor_id: int, tip_id: str) -> AuditEntry:
        """Bring a library tip back as the file has it: unhide it and drop any override."""
        original = self._store.library.tips.get(tip_id)
        catalog = await self._catalog.for_guild(guild_id)
        hidden = tip_id in catalog.edits.hidden
        override = catalog.edits.tips.get(tip_id)
        if original is None or not (hidden or override):
            raise UserFacingError(self.messages.pick("unknown_tip"))
        await self._repo.set_hidden(guild_id, tip_id, hidden=False)
        if override is not None:
            await self._repo.delete(guild_id, tip_id)
        restored = (await self._catalog_after(guild_id)).tips[tip_id]
        return await self._changed(guild_id, actor_id, "tip.restore", tip_id, override, restored)

    async def find_topic(self, topic: str) -> str:
        """Return `topic` if the library has it; else a kind refusal."""
        if topic not in self._store.library.topics:
            raise UserFacingError(self.messages.pick("tip_unknown_topic"))
        return topic

    async def find(self, guild_id: int, tip_id: str) -> ServedTip:
        """Return a tip this server can see; anything else (or another server's) is unknown."""
        catalog = await self._catalog.for_guild(guild_id)
        tip = catalog.tips.get(tip_id)
        if tip is None:
            raise UserFacingError(self.messages.pick("unknown_tip"))
        return tip

    async def rows(self, guild_id: int, topic: str | None = None) -> list[TipRow]:
        """Every tip of the server (hidden library tips too, marked), optionally one topic."""
        catalog = await self._catalog.for_guild(guild_id)
        counts = await self._votes.counts(guild_id)
        rows = [TipRow(t, False, counts.get(t.id, 0)) for t in catalog.tips.values()]
        for tip_id in sorted(catalog.edits.hidden):
            original = self._catalog_original(catalog, tip_id)
            if original is not None:
                rows.append(TipRow(original, True, counts.get(tip_id, 0)))
        return [r for r in rows if topic is None or r.tip.topic == topic]

    async def stats(self, guild_id: int, per_topic: int = 3) -> list[TopicStats]:
        """Per topic, the most and least helpful visible tips."""
        rows = [r for r in await self.rows(guild_id) if not r.hidden]
        result = []
        for topic in self._store.library.topics:
            ranked = sorted(
                (r for r in rows if r.tip.topic == topic), key=lambda r: (-r.helped, r.tip.id)
            )
            if ranked:
                least = sorted(ranked[-per_topic:], key=lambda r: (r.helped, r.tip.id))
                result.append(TopicStats(topic, ranked[:per_topic], least))
        return result

    async def reload(self) -> ReloadResult:
        """Re-read the content files now, in every process; a broken edit keeps the last good."""
        result = await self._store.reload()
        if result.ok:
            await self._cluster.content_reloaded()
        return result

    async def export(self, guild_id: int) -> str:
        """Render the server's own tips as YAML in library format, ready to contribute."""
        catalog = await self._catalog.for_guild(guild_id)
        own = [t for t in catalog.tips.values() if t.source == "server"]
        tips = [_as_library_entry(t) for t in own]
        words = self.messages.pick("tips_export_header")
        header = "".join(f"# {line}\n" for line in words.splitlines())
        return header + yaml.safe_dump({"tips": tips}, allow_unicode=True, sort_keys=False)

    def _clean(self, text: str, reflect: str | None) -> tuple[str, str | None]:
        body = accepted_text(text, TIP_TEXT_MAX, self.messages)
        question = (
            accepted_text(reflect, REFLECT_MAX, self.messages)
            if reflect and reflect.strip()
            else None
        )
        return body, question

    async def _catalog_after(self, guild_id: int) -> GuildCatalog:
        self._catalog.invalidate(guild_id)
        return await self._catalog.for_guild(guild_id)

    def _catalog_original(self, catalog: GuildCatalog, tip_id: str) -> ServedTip | None:
        tip = catalog.library.tips.get(tip_id)
        return ServedTip(tip.id, tip.topic, tip.text, tip.reflect, tuple(tip.tags)) if tip else None

    async def _changed(
        self,
        guild_id: int,
        actor_id: int,
        action: str,
        target: str,
        before: ServedTip | None,
        after: ServedTip | None,
    ) -> AuditEntry:
        self._catalog.invalidate(guild_id)
        await self._cluster.caches_outdated()
        entry = AuditEntry(
            guild_id, actor_id, action, target, _snapshot(before), _snapshot(after), self._now()
        )
        await self._audit.record(entry)
        return entry

    def _now(self) -> str:
        moment: datetime = self._clock.now()
        return moment.isoformat(timespec="seconds")


def _snapshot(tip: ServedTip | None) -> str | None:
    if tip is None:
        return None
    data = {"topic": tip.topic, "text": tip.text, "reflect": tip.reflect, "source": tip.source}
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _as_library_entry(tip: ServedTip) -> dict[str, object]:
    entry: dict[str, object] = {"id": tip.id, "topic": tip.topic, "text": tip.text}
    if tip.reflect:
        entry["reflect"] = tip.reflect
    return entry
