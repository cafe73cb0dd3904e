"""Holds the live content and swaps it atomically when a reload is valid.

A moderator's bad edit must never take the bot down: reloads validate the
whole folder first and only then replace the snapshot in one assignment; on
errors the last good library stays live and the errors go back to the caller.

Parsing a large library takes a good part of a second, so it runs in a worker
thread while the event loop keeps answering members. The file watcher is
supervised: whatever goes wrong in one poll (Discord failing while the bot
reports a broken edit, say) is logged under an incident id and the next poll
runs as usual.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bot.content.commands import Registered
from bot.content.library import Library
from bot.content.loader import load_library
from bot.content.source import SourceError, SourceErrors
from bot.incidents import log_incident

log = logging.getLogger(__name__)

Fingerprint = tuple[tuple[str, int, int], ...]
FailureReport = Callable[[list[SourceError]], Awaitable[None]]

# Telling moderators about a broken edit may wait on Discord (which retries 5xx for
# about 25 s); the watcher gives up after this long so later edits still go live.
REPORT_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class ReloadResult:
    """What a reload did: the library now live, and any errors that blocked it."""

    library: Library
    errors: tuple[SourceError, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the reload found no errors and its library is now live."""
        return not self.errors


class ContentStore:
    """The current library plus safe reloading and an optional file watcher."""

    def __init__(self, directory: Path, library: Library) -> None:
        self.directory = directory
        self._library = library
        self._fingerprint = fingerprint(directory)
        self._watcher: asyncio.Task[None] | None = None
        self._reloads = 0
        self._reloaded = asyncio.Condition()
        self._reloading = asyncio.Lock()

    @classmethod
    def open(cls, directory: Path, commands: Registered = ()) -> ContentStore:
        """Load at start; invalid content at start raises SourceErrors (nothing to fall back on).

        `commands` (the registered tree) stays with every reload's library.
        """
        return cls(directory, load_library(directory, commands))

    @property
    def library(self) -> Library:
        """The last valid snapshot; a reload replaces it whole, never in part."""
        return self._library

    @property
    def reloads(self) -> int:
        """How many reloads the file watcher finished (valid or not)."""
        return self._reloads

    async def wait_for_reload(self, after: int, timeout: float) -> None:  # noqa: ASYNC109
        """Wait until more than `after` reloads have finished (tests, instead of sleeping)."""
        async with self._reloaded:
            await asyncio.wait_for(self._reloaded.wait_for(lambda: self._reloads > after), timeout)

    async def reload(self) -> ReloadResult:
        """Re-read the folder off the event loop; swap only when all of it is valid.

        One reload at a time (the watcher and /tips reload may meet), so the
        snapshot and the fingerprint always describe the same read.
        """
        async with self._reloading:
            self._fingerprint = fingerprint(self.directory)
            try:
                library = await asyncio.to_thread(
                    load_library, self.directory, self._library.commands
                )
            except SourceErrors as exc:
                count = len(exc.errors)
                log.warning("content reload refused, %d problem(s); keeping last good", count)
                return ReloadResult(self._library, tuple(exc.errors))
            self._library = library
        log.info("content reloaded: %d topics, %d tips", len(library.topics), len(library.tips))
        return ReloadResult(library)

    def changed_on_disk(self) -> bool:
        """Return True when a YAML file was saved, added or removed since the last read."""
        return fingerprint(self.directory) != self._fingerprint

    def watch(self, interval: float, on_failure: FailureReport) -> None:
        """Poll for saved edits and reload them; failed reloads are reported, not raised."""
        if self._watcher is None:
            self._watcher = asyncio.create_task(self._watch(interval, on_failure))

    async def stop(self) -> None:
        """Cancel the watcher, if any, and wait until it has ended."""
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None

    async def _watch(self, interval: float, on_failure: FailureReport) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                if not self.changed_on_disk():
                    continue
                await self._reload_and_report(on_failure)
            except Exception as error:  # noqa: BLE001 - supervision: log it, keep watching
                log_incident("content watcher", error)
            async with self._reloaded:
                self._reloads += 1
                self._reloaded.notify_all()

    async def _reload_and_report(self, on_failure: FailureReport) -> None:
        """Reload; a refused edit is reported, waiting on the report no longer than a limit."""
        result = await self.reload()
        if not result.ok:
            await asyncio.wait_for(on_failure(list(result.errors)), REPORT_TIMEOUT_S)


def fingerprint(directory: Path) -> Fingerprint:
    """Names, sizes and modification times of every content file: cheap change detection."""
    entries = []
    for path in sorted(directory.rglob("*.yaml")):
        with contextlib.suppress(OSError):
            stat = path.stat()
            entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)
