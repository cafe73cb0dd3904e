"""Latency and throughput workloads: the sandbox sends interactions, the bot answers them.

One interaction's latency is the time from the sandbox dispatching INTERACTION_CREATE to the
bot's callback arriving at the sandbox (``perf_counter`` around ``invoke`` and ``response``:
the payload is built and queued inside ``invoke``, and ``response`` wakes as soon as the
callback route has stored the answer). Both bots pay exactly the same sandbox overhead.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from benchmarks.harness import World
from discord_sandbox import Sandbox

RESPONSE_WAIT = 10.0
ANSWERED = ("message", "deferred")


@dataclass(frozen=True)
class Command:
    """A slash command to measure, as a member would type it.

    ``expect_title``, when set, is the title every reply's first embed must have: a command
    that can refuse (a daily limit, say) must be measured doing its work, not refusing.
    """

    path: str
    options: Mapping[str, Any] = field(default_factory=dict)
    expect_title: str | None = None

    @property
    def label(self) -> str:
        """The command as a member types it (``/rejection log``), for tables and errors."""
        return "/" + self.path


class UnexpectedAnswer(RuntimeError):
    """The bot answered with something other than a message (a modal, choices...)."""


async def answer_time(sb: Sandbox, world: World, command: Command, index: int) -> float:
    """Seconds from dispatching one interaction to the bot's callback."""
    member, channel = world.pick(index)
    options = dict(command.options)
    started = time.perf_counter()
    result = await sb.invoke(member, command.path, options=options, channel=channel)
    response = await result.response(timeout=RESPONSE_WAIT)
    elapsed = time.perf_counter() - started
    if response.kind not in ANSWERED:
        raise UnexpectedAnswer(f"{command.label} answered with {response.kind!r}")
    if command.expect_title is not None:
        _check_title(command, response.data)
    return elapsed


def _check_title(command: Command, data: Mapping[str, Any]) -> None:
    """Raise unless the reply's first embed carries the expected title."""
    embeds = data.get("embeds") or [{}]
    title = embeds[0].get("title")
    if title != command.expect_title:
        shown = title if title is not None else data.get("content")
        raise UnexpectedAnswer(
            f"{command.label} answered {shown!r}, not an embed titled {command.expect_title!r}"
        )


async def sequential(
    sb: Sandbox, world: World, command: Command, count: int, first: int = 0
) -> list[float]:
    """Latencies of ``count`` interactions sent one after another."""
    return [await answer_time(sb, world, command, first + i) for i in range(count)]


async def concurrent(
    sb: Sandbox, world: World, command: Command, count: int, in_flight: int
) -> float:
    """Seconds to get ``count`` answers with ``in_flight`` interactions outstanding."""
    indexes: Iterator[int] = iter(range(count))

    async def worker() -> None:
        # Workers share one iterator, so exactly `count` interactions are sent in total.
        for index in indexes:
            await answer_time(sb, world, command, index)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(in_flight)))
    return time.perf_counter() - started


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile (p50 is the median, p99 the 99th of 100)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def summary_ms(samples: list[float]) -> dict[str, float]:
    """p50, p99 and mean of latencies in milliseconds, plus the sample count."""
    return {
        "p50": percentile(samples, 50) * 1000,
        "p99": percentile(samples, 99) * 1000,
        "mean": statistics.fmean(samples) * 1000,
        "samples": len(samples),
    }
