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
from discord_sandbox import InteractionResponse, InteractionResult, Member, Sandbox
from discord_sandbox.components import walk

RESPONSE_WAIT = 10.0
ANSWERED = ("message", "deferred")
PRESSED = ("update", "deferred_update")


@dataclass(frozen=True)
class Command:
    """A slash command to measure, as a member would type it.

    ``expect_title``, ``expect_text`` (how the reply's content starts) and ``expect_button``
    (the start of a button's custom id the reply must carry) are checked on every reply: a
    command that can refuse (a daily limit, three goals a week) must be measured doing its
    work, not refusing. ``press`` measures a button instead: each member opens ``path`` once
    (untimed) and every sample presses the button whose custom id starts with ``press`` on
    that member's message. ``setup`` runs once per member first (a /win before /wins);
    ``uses_per_member`` caps how often one member may invoke it (one /accountability join
    each, three goals a week), so the world gets enough members.
    """

    path: str
    options: Mapping[str, Any] = field(default_factory=dict)
    expect_title: str | None = None
    expect_text: str | None = None
    expect_button: str | None = None
    press: str | None = None
    button: str | None = None  # the button's name in tables (``Another tip``)
    setup: Command | None = None
    uses_per_member: int | None = None
    locale: str | None = None  # the invoker's Discord language (the sandbox's default: en-US)

    @property
    def label(self) -> str:
        """The command as a member types it (``/rejection log``), for tables and errors."""
        name = "/" + self.path + (f" {self.button}" if self.button else "")
        return f"{name} ({self.locale})" if self.locale else name

    @property
    def checked(self) -> bool:
        """Tell whether every reply is checked to be the real answer."""
        expected = (self.expect_title, self.expect_text, self.expect_button, self.press)
        return any(value is not None for value in expected)


class UnexpectedAnswer(RuntimeError):
    """The bot answered with something other than a message (a modal, choices...)."""


async def prepare(sb: Sandbox, world: World, command: Command) -> None:
    """Run the untimed per-member steps: ``setup``, and opening the message a press needs."""
    for member in world.members:
        channel = world.channels[member.guild_id]
        if command.setup is not None:
            done = await sb.invoke(
                member, command.setup.path, options=dict(command.setup.options), channel=channel
            )
            _check(command.setup, await done.response(timeout=RESPONSE_WAIT), ANSWERED)
        if command.press is not None:
            opened = await sb.invoke(
                member,
                command.path,
                options=dict(command.options),
                channel=channel,
                locale=command.locale,
            )
            await opened.response(timeout=RESPONSE_WAIT)
            message = opened.original
            if message is None:
                raise UnexpectedAnswer(f"/{command.path} left no message to press on")
            world.opened[member.id] = message


async def answer_time(sb: Sandbox, world: World, command: Command) -> float:
    """Seconds from dispatching one interaction to the bot's callback."""
    member, channel = world.next_invoker()
    started = time.perf_counter()
    if command.press is None:
        options = dict(command.options)
        result = await sb.invoke(
            member, command.path, options=options, channel=channel, locale=command.locale
        )
    else:
        result = await _press(sb, world, command, member)
    response = await result.response(timeout=RESPONSE_WAIT)
    elapsed = time.perf_counter() - started
    _check(command, response, ANSWERED if command.press is None else PRESSED)
    return elapsed


async def _press(sb: Sandbox, world: World, command: Command, member: Member) -> InteractionResult:
    """Press the member's button (its custom id changes as the message moves on)."""
    message = world.opened[member.id]
    prefix = command.press or ""
    found = (c["custom_id"] for c in walk(message.components) if "custom_id" in c)
    custom_id = next((cid for cid in found if cid.startswith(prefix)), None)
    if custom_id is None:
        raise UnexpectedAnswer(f"{command.label}: no {prefix!r} button on the member's message")
    return await sb.click(member, message, custom_id, locale=command.locale)


def _check(command: Command, response: InteractionResponse, kinds: tuple[str, ...]) -> None:
    """Raise unless the reply is the command's real answer (never a refusal)."""
    if response.kind not in kinds:
        raise UnexpectedAnswer(f"{command.label} answered with {response.kind!r}")
    data = response.data
    if command.expect_title is not None:
        _check_title(command, data)
    content = data.get("content") or ""
    if command.expect_text is not None and not content.startswith(command.expect_text):
        raise UnexpectedAnswer(f"{command.label} answered {content!r}")
    if command.expect_button is not None:
        ids = [c.get("custom_id", "") for c in walk(data.get("components") or [])]
        if not any(cid.startswith(command.expect_button) for cid in ids):
            raise UnexpectedAnswer(f"{command.label} answered without a button, {ids}")


def _check_title(command: Command, data: Mapping[str, Any]) -> None:
    """Raise unless the reply's first embed carries the expected title."""
    embeds = data.get("embeds") or [{}]
    title = embeds[0].get("title")
    if title != command.expect_title:
        shown = title if title is not None else data.get("content")
        raise UnexpectedAnswer(
            f"{command.label} answered {shown!r}, not an embed titled {command.expect_title!r}"
        )


async def sequential(sb: Sandbox, world: World, command: Command, count: int) -> list[float]:
    """Latencies of ``count`` interactions sent one after another."""
    return [await answer_time(sb, world, command) for _ in range(count)]


async def concurrent(
    sb: Sandbox, world: World, command: Command, count: int, in_flight: int
) -> float:
    """Seconds to get ``count`` answers with ``in_flight`` interactions outstanding."""
    indexes: Iterator[int] = iter(range(count))

    async def worker() -> None:
        # Workers share one iterator, so exactly `count` interactions are sent in total.
        for _ in indexes:
            await answer_time(sb, world, command)

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
