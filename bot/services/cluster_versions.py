"""Carry a content reload or a cache-affecting change from one process to all of them.

A process that re-reads its content files or changes data other processes may hold in
memory bumps a counter in the database; every process polls the counters every few
seconds and, when one moved, re-reads its content files or drops its caches. One
process alone works the same: it sees its own bumps and does the (cheap) work again.
The content directory is assumed the same in every process (one image, one volume).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.storage.versions import CACHES, CONTENT, FORGETS, VersionsRepository

log = logging.getLogger(__name__)


def _ignore(count: int) -> None:
    del count


class ClusterVersions:
    """Bumps the counters for this process's changes and acts on everyone's."""

    def __init__(
        self,
        versions: VersionsRepository,
        reload_content: Callable[[], Awaitable[object]],
        drop_caches: Callable[[], None],
        forgets_seen: Callable[[int], None] = _ignore,
    ) -> None:
        self._versions = versions
        self._reload_content = reload_content
        self._drop_caches = drop_caches
        self._forgets_seen = forgets_seen  # the count of /forget-me, for queued writes to carry
        self._seen: dict[str, int] | None = None  # None until the first poll sets the baseline

    async def content_reloaded(self) -> None:
        """Tell every process to re-read the content files, as this one just did."""
        await self._versions.bump(CONTENT)

    async def caches_outdated(self) -> None:
        """Tell every process to drop what it holds in memory about servers and members."""
        await self._versions.bump(CACHES)

    async def poll(self) -> None:
        """Re-read the content or drop the caches if another process said so since the last poll."""
        now = await self._versions.read()
        self._forgets_seen(now[FORGETS])
        seen, self._seen = self._seen, now
        if seen is None:
            return
        if now[CACHES] != seen[CACHES]:
            self._drop_caches()
        if now[CONTENT] != seen[CONTENT]:
            log.info("content version %d: re-reading the content files", now[CONTENT])
            await self._reload_content()
