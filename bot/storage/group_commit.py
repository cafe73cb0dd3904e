"""Group commit: writes that arrive together are committed together, each reply after its commit.

A member's /win, /goal set or /rejection log is one statement, and committing each in its
own transaction costs trips to the database thread and a commit per write: at 50 in flight
the commits, not the statements, were the limit. Here a write is queued and awaited; one
writer task takes everything queued so far and runs it in one transaction (`run_together`
on the port: one trip to the database thread on SQLite, one pooled connection on
PostgreSQL), then wakes each caller with its own rows.
Writes that arrive while a batch is being written form the next batch, so a lone write
waits for nobody and a burst shares its commits. A caller is answered only after the
transaction holding its write committed: what a member is told was saved, was saved.

/forget-me may run while writes are queued. A write queued before the deletion must never
be written after it: each queued write carries the count of deletions at the time it was
queued, a repository's `delete` (inside the deletion's transaction, under the write lock)
marks the member, and a batch, picked under that same lock, leaves out the writes of anyone
forgotten after they were queued; their callers get `Forgotten`.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from bot.storage.port import Row, Statement, Store

# Who a queued write belongs to, as the repository that queued it names them:
# (guild id, member key / wins owner key / user id as text).
Who = tuple[int, str]


class Forgotten(Exception):
    """The member asked to be forgotten after this write was queued; it was not written."""


@dataclass(frozen=True, slots=True)
class _Queued:
    statement: Statement
    who: Who
    forgets: int  # deletions so far when the write was queued
    done: asyncio.Future[list[Row]]


class GroupCommit:
    """The queue of single-statement writes and the one task that commits them in batches."""

    def __init__(self, db: Store) -> None:
        self._db = db
        self._queue: list[_Queued] = []
        self._writer: asyncio.Task[None] | None = None
        self._forgets = 0  # deletions so far; only ever grows
        self._forgotten: dict[Who, int] = {}  # who -> `_forgets` at their deletion

    async def write(self, statement: Statement, who: Who) -> list[Row]:
        """Queue one statement; return its rows once the transaction holding it committed.

        Raises the statement's own database error if it failed (the rest of its batch is
        unaffected), or `Forgotten` if `who` was forgotten before it could be written.
        """
        done: asyncio.Future[list[Row]] = asyncio.get_running_loop().create_future()
        self._queue.append(_Queued(statement, who, self._forgets, done))
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_all())
        return await done

    def forget(self, who: Who) -> None:
        """Drop `who`'s queued writes; call inside the deletion's transaction (lock held)."""
        self._forgets += 1
        self._forgotten[who] = self._forgets

    async def close(self) -> None:
        """Wait until everything queued so far is written (before the database closes)."""
        if self._writer is not None:
            with contextlib.suppress(Exception):
                await asyncio.shield(self._writer)

    async def _write_all(self) -> None:
        try:
            while self._queue:
                await self._write_batch()
        finally:
            self._writer = None
            if not self._queue:
                self._forgotten.clear()  # no write queued before a deletion is left to check

    async def _write_batch(self) -> None:
        picked: list[_Queued] = []

        def pick() -> list[Statement]:  # called under the write lock
            batch, self._queue = self._queue, []
            for queued in batch:
                if self._forgotten.get(queued.who, 0) > queued.forgets:
                    _fail(queued, Forgotten())
                else:
                    picked.append(queued)
            return [queued.statement for queued in picked]

        try:
            outcomes = await self._db.run_together(pick)
        except BaseException as exc:
            for queued in picked:
                _fail(queued, exc)
            if not isinstance(exc, Exception):
                raise
            return
        for queued, outcome in zip(picked, outcomes, strict=True):
            if isinstance(outcome, Exception):
                _fail(queued, outcome)
            elif not queued.done.done():
                queued.done.set_result(outcome)


def _fail(queued: _Queued, exc: BaseException) -> None:
    if queued.done.done():
        return  # the caller stopped waiting (its interaction was cancelled)
    if isinstance(exc, asyncio.CancelledError):
        queued.done.cancel()
    else:
        queued.done.set_exception(exc)
