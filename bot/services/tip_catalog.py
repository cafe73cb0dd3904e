"""Each server's view of the tip library, cached until the library or its edits change.

/tip is the hottest path in the bot; rebuilding a server's tip list from the
library and its edits on every call would cost a query and a rebuild each time.
The cache is keyed on the library snapshot itself, so a reload invalidates it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.content.library import Library
from bot.content.schema import Tip
from bot.content.store import ContentStore
from bot.domain.member_key import NO_GUILD
from bot.domain.tips import GuildEdits, ServedTip, TipTranslation, effective_tips
from bot.storage.tips import GuildTipsRepository


@dataclass(frozen=True)
class GuildCatalog:
    """One server's effective tips, indexed for /tip and the moderator commands."""

    library: Library
    edits: GuildEdits
    tips: Mapping[str, ServedTip]
    by_topic: Mapping[str, tuple[str, ...]]
    stage_cache: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    @classmethod
    def build(cls, library: Library, served: list[ServedTip], edits: GuildEdits) -> GuildCatalog:
        """Apply the server's edits to `served` and index the result by id and by topic."""
        tips = effective_tips(served, edits)
        by_topic: dict[str, list[str]] = {topic: [] for topic in library.topics}
        for tip in tips:
            by_topic.setdefault(tip.topic, []).append(tip.id)
        return cls(
            library=library,
            edits=edits,
            tips=MappingProxyType({t.id: t for t in tips}),
            by_topic=MappingProxyType({k: tuple(v) for k, v in by_topic.items()}),
        )

    def for_stage(self, stage: str) -> tuple[str, ...]:
        """Tips tagged for a rejection stage (or `any`), computed once per catalog."""
        found = self.stage_cache.get(stage)
        if found is None:
            found = tuple(t.id for t in self.tips.values() if stage in t.tags or "any" in t.tags)
            self.stage_cache[stage] = found
        return found

    @functools.cached_property
    def topics_with_tips(self) -> tuple[str, ...]:
        """Topics that have a visible tip, in library order; dropped topics are left out.

        Worked out once per catalog (it never changes): every /tip and press asks.
        """
        return tuple(
            topic for topic, ids in self.by_topic.items() if ids and topic in self.library.topics
        )


def served_from_library(tip: Tip) -> ServedTip:
    """Convert a library tip to the shape servers see."""
    translations = {
        code: TipTranslation(text.text, text.reflect) for code, text in tip.locales.items()
    }
    return ServedTip(tip.id, tip.topic, tip.text, tip.reflect, tuple(tip.tags), translations)


class TipCatalog:
    """Builds and caches `GuildCatalog`s; moderator changes call `invalidate`."""

    def __init__(self, store: ContentStore, repo: GuildTipsRepository) -> None:
        self._store = store
        self._repo = repo
        self._plain_catalog: GuildCatalog | None = None
        self._cache: dict[int, GuildCatalog] = {}

    @property
    def library(self) -> Library:
        """Return the live library snapshot (a reload swaps it)."""
        return self._store.library

    async def for_guild(self, guild_id: int | None) -> GuildCatalog:
        """Return the server's catalog, cached until a reload or edit; DMs see the plain library."""
        library = self._store.library
        key = guild_id or NO_GUILD
        cached = self._cache.get(key)
        if cached is not None and cached.library is library:
            return cached
        edits = await self._repo.edits(key) if key != NO_GUILD else GuildEdits()
        if edits.tips or edits.hidden:
            catalog = GuildCatalog.build(library, list(self._plain(library).tips.values()), edits)
        else:
            catalog = self._plain(library)  # most servers: share one catalog
        self._cache[key] = catalog
        return catalog

    def invalidate(self, guild_id: int) -> None:
        """Forget the server's cached catalog after a moderator changed its tips."""
        self._cache.pop(guild_id, None)

    def clear(self) -> None:
        """Forget every server's catalog: another process changed some server's tips."""
        self._cache.clear()

    def _plain(self, library: Library) -> GuildCatalog:
        """Return the unedited library as a catalog, built once per snapshot."""
        if self._plain_catalog is None or self._plain_catalog.library is not library:
            served = [served_from_library(t) for t in library.tips.values()]
            self._plain_catalog = GuildCatalog.build(library, served, GuildEdits())
        return self._plain_catalog
