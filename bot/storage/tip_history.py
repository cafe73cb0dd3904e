"""Which tips each member has seen: served from memory, written to the database in batches.

/tip is the hottest command. Reading the seen set from the database and
writing one row per call cost about six trips to the database thread and
doubled its latency, so the sets live in a bounded cache and shown tips are
queued and written together a moment later. Losing the queue in a crash only
means a tip might repeat; `flush` runs before export, deletion and shutdown.

/forget-me may run while tips are shown, in this process or in another one
running the same shard: a row shown before the deletion must never be written
after it. Deleting a member here drops their queued rows and cached sets at
once. Every deletion also leaves a forget mark for its server (`forget_marks.py`),
and each queued row carries the cluster's count of forgets as this process last
read it; a batch, in its own transaction, leaves out the rows of every server
forgotten since they were queued (and forgets the cached sets of those members),
so neither a batch already on its way nor another process's queue writes a
forgotten member back. The count is learnt from each batch and from the cluster's
poll, which also reads it at start-up. A read of the seen set that a deletion
overtook is not cached.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from dataclasses import dataclass
from functools import partial
from typing import Any

from bot.domain.member_key import MemberRef
from bot.domain.tips import SeenOp
from bot.storage.forget_marks import ForgetMarks
from bot.storage.port import StorageError, Transaction
from bot.storage.tips import TipHistoryRepository

log = logging.getLogger(__name__)

CACHE_ENTRIES = 20_000
# How long shown tips wait to be written together; at most this much history is
# lost if the process dies, which only means a tip may repeat.
WRITE_DELAY_SECONDS = 0.25
Key = tuple[int, str, str]
Member = tuple[int, str]


@dataclass(frozen=True, slots=True)
class _Queued:
    op: SeenOp
    forgets: int  # the cluster's count of forgets as last read before the tip was shown


class SeenTracker:
    """The cache and the write-behind queue; also the member-data holder for `tip_seen`."""

    section: str = "tips_seen"
    tables: tuple[str, ...] = ("tip_seen",)

    def __init__(
        self, repo: TipHistoryRepository, marks: ForgetMarks, entries: int = CACHE_ENTRIES
    ) -> None:
        self._repo = repo
        self._marks = marks
        self._entries = entries
        self._cache: OrderedDict[Key, set[str]] = OrderedDict()
        self._last: dict[Key, str] = {}  # the tip shown most recently, so a new round skips it
        self._pending: list[_Queued] = []
        self._writer: asyncio.Task[None] | None = None
        self._flushing = asyncio.Lock()  # one batch at a time: a flush waits for one in flight
        self._forgets = 0  # the cluster's count of forgets, as read by the last batch
        self._drops = 0  # cached sets dropped so far (deletions, other processes' changes)

    async def seen(self, guild_id: int, member_key: str, topic: str) -> frozenset[str]:
        """Return the tips this member saw in the current round of `topic`."""
        key = (guild_id, member_key, topic)
        found = self._cache.get(key)
        if found is None:
            drops = self._drops
            found = await self._repo.seen(guild_id, member_key, topic)
            if drops != self._drops:  # someone was forgotten meanwhile: maybe this member
                return frozenset()
            for queued in self._pending:  # rows queued but not yet written
                op = queued.op
                if (op.guild_id, op.member_key, op.topic) == key:
                    found = {op.tip_id} if op.new_round else found | {op.tip_id}
            self._remember(key, found)
        self._cache.move_to_end(key)
        return frozenset(found)

    def last_shown(self, guild_id: int, member_key: str, topic: str) -> str | None:
        """Return the tip this member saw last in `topic`, while it is remembered."""
        return self._last.get((guild_id, member_key, topic))

    def record(self, op: SeenOp) -> None:
        """Update the cache now and queue the row for the next batch."""
        key = (op.guild_id, op.member_key, op.topic)
        current = set() if op.new_round else set(self._cache.get(key, set()))
        self._last[key] = op.tip_id
        self._remember(key, current | {op.tip_id})
        self._pending.append(_Queued(op, self._forgets))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_soon())

    def forgets_seen(self, count: int) -> None:
        """Take the cluster's count of forgets as read now (by the cluster's poll)."""
        self._forgets = max(self._forgets, count)

    def drop_cached(self) -> None:
        """Forget the cached sets and last tips; the queued rows respect the forget marks."""
        self._drops += 1  # a read in flight may predate another process's deletion
        self._cache.clear()
        self._last.clear()

    async def flush(self) -> None:
        """Write everything queued so far, and any batch in flight (before export and deletion)."""
        async with self._flushing:
            while self._pending:
                batch, self._pending = self._pending, []
                await self._repo.apply(partial(self._still_wanted, batch))

    async def _still_wanted(self, batch: list[_Queued], tx: Transaction) -> list[SeenOp]:
        """Leave out the rows of servers forgotten since they were queued (inside the write)."""
        forgets = await self._marks.count(tx)
        self._forgets = max(self._forgets, forgets)
        oldest = min(q.forgets for q in batch)  # rows queued later carry no older count
        if forgets <= oldest:
            return [q.op for q in batch]
        marks = await self._marks.since(tx, oldest)

        def wanted(queued: _Queued) -> bool:
            return marks.get(queued.op.guild_id, 0) <= queued.forgets

        outdated = [q for q in (*batch, *self._pending) if not wanted(q)]
        self._pending = [q for q in self._pending if wanted(q)]
        self._uncache({(q.op.guild_id, q.op.member_key) for q in outdated})
        return [q.op for q in batch if wanted(q)]

    async def close(self) -> None:
        """Write what is queued now instead of waiting for the next batch."""
        writer = self._writer
        if writer is not None and not writer.done():
            if not self._flushing.locked():  # still gathering its batch: write it here instead
                writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer  # a batch already being written is let finish, not cut off
        await self.flush()

    async def export(self, member: MemberRef) -> list[dict[str, Any]]:
        """Write the queued rows first, so the export includes the tips just shown."""
        await self.flush()
        return await self._repo.export(member)

    async def delete(self, tx: Transaction, member: MemberRef) -> int:
        """Delete the rows, the cached sets and the queued rows, and outdate any batch in flight.

        Runs inside the deletion's transaction, so no batch of this process is being
        written now; the forget mark makes every other process's batch leave them out.
        """
        await self._marks.mark(tx, member.guild_id)  # first: a batch elsewhere waits or drops
        who = (member.guild_id, member.member_key)
        self._pending = [q for q in self._pending if (q.op.guild_id, q.op.member_key) != who]
        self._uncache({who})
        return await self._repo.delete(tx, member)

    def _uncache(self, members: set[Member]) -> None:
        """Forget these members' cached sets and last tips (a read in flight is not cached)."""
        self._drops += 1
        for key in [k for k in self._cache if k[:2] in members]:
            del self._cache[key]
        for key in [k for k in self._last if k[:2] in members]:
            del self._last[key]

    async def _write_soon(self) -> None:
        await asyncio.sleep(WRITE_DELAY_SECONDS)  # batch what arrives meanwhile
        try:
            await self.flush()
        except StorageError:
            log.exception("could not save tip history; members may see a tip again")

    def _remember(self, key: Key, seen: set[str]) -> None:
        self._cache[key] = seen
        self._cache.move_to_end(key)
        while len(self._cache) > self._entries:
            evicted, _ = self._cache.popitem(last=False)
            self._last.pop(evicted, None)
