"""A weekly fan-out: every server's job due at the same minute, Discord's rate limits enforced.

Bounceback runs in this process (memory is not measured here) against a sandbox that enforces
the global limit (50 requests/s) and the per-channel one (5 messages per 5 s). Each server gets
one text channel and whatever the fan-out's per-guild setup configures; the scheduler's jobs are
rebuilt, the fake clock is set to the due minute, and every job is fired at once, as APScheduler
would at that minute. Only the fan-out is timed and counted: the bot's login, command sync and
the setup requests happen before the 429 count and the request log are read.

A fan-out is described by a ``Fanout`` (job-id prefix, per-guild setup, what counts as a
delivery; the ones measured are in ``weekly_fanouts.py``), so the weekly accountability threads
are measured the same way as celebrations.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.app import App
from bot.clock import FakeClock
from bot.config import Config, ContentConfig, DatabaseConfig
from bot.offline import offline_bot
from bot.sandbox import Channel, Guild, Member, Sandbox
from bot.sandbox.ratelimit import RateLimitPolicy

REPO = Path(__file__).resolve().parents[1]
START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday morning, before every due time
RATE_LIMITS = RateLimitPolicy()  # Discord's: 50 requests/s, 5 messages per 5 s per channel
GLOBAL_WINDOW_S = 1.0  # the sandbox's global limit counts requests in fixed 1-second windows
QUIET_MARGIN_S = 0.05
FIRE_TIMEOUT_S = 30.0  # on top of five times the floor
SETUP_CONCURRENCY = 20  # per-guild setups in flight (database writes, no Discord requests)


@dataclass(frozen=True)
class Server:
    """One server taking part: its number (from 0), the sandbox guild, its channel, members."""

    number: int
    guild: Guild
    channel: Channel
    members: list[Member]


GuildSetup = Callable[[App, Server], Awaitable[None]]
Counted = Callable[[Sandbox, Sequence[Server]], int]


@dataclass(frozen=True)
class Fanout:
    """One weekly fan-out to measure: which jobs, how each server is set up, what is delivered."""

    name: str  # how the report names it, e.g. "celebration"
    job_prefix: str  # the scheduler's job ids start with this, e.g. "celebration:"
    setup: GuildSetup  # configures one server through the bot's services (after READY)
    schedule: Callable[[App], Awaitable[None]]  # (re)builds the jobs from the settings
    delivered: Counted  # what the fan-out is for (posts, threads...), counted in the sandbox
    per_server: int  # deliveries expected from each server
    due: datetime  # the minute every job is due (the fake clock is set to it)
    unit: str = "posts"  # what the report calls the deliveries
    channel_name: str = "wins"
    members_per_server: int = 1  # real sandbox members in each guild (the first runs /setup)


@dataclass(frozen=True)
class FanoutResult:
    """What one fan-out did, with its floor under Discord's global limit."""

    name: str
    unit: str
    servers: int
    delivered: int
    expected: int
    seconds: float
    rate_limited: int
    global_rate_limited: int
    requests: dict[str, int]  # "METHOD route status" -> count, during the fan-out only
    outcomes: dict[str, int]  # what the jobs returned (their status), counted
    setup_s: float
    logged: list[str]  # warnings and errors the bot (or discord.py) logged meanwhile

    @property
    def floor_s(self) -> float:
        """The least time the global limit allows for the deliveries (N / 50 per second)."""
        return self.delivered / RATE_LIMITS.global_per_second

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor_s if self.floor_s else float("inf")

    def as_json(self) -> dict[str, Any]:
        """Everything measured, plus the floor and the ratio."""
        return {
            "unit": self.unit,
            "servers": self.servers,
            "delivered": self.delivered,
            "expected": self.expected,
            "seconds": self.seconds,
            "floor_s": self.floor_s,
            "ratio": self.ratio,
            "rate_limited": self.rate_limited,
            "global_rate_limited": self.global_rate_limited,
            "requests": self.requests,
            "outcomes": self.outcomes,
            "setup_s": self.setup_s,
            "logged": self.logged,
        }


def _config(root: Path) -> Config:
    shutil.copytree(REPO / "content", root / "content")
    return replace(
        Config(),
        database=DatabaseConfig(path=str(root / "data" / "bounceback.db")),
        content=ContentConfig(directory=str(root / "content"), watch=False),
        base_dir=str(root),
    )


def _build_servers(sb: Sandbox, fanout: Fanout, count: int) -> list[Server]:
    servers = []
    for number in range(count):
        guild = sb.create_guild(f"Fan-out {number + 1}")
        channel = guild.create_text_channel(fanout.channel_name)
        members = guild.add_members(fanout.members_per_server)
        servers.append(Server(number, guild, channel, members))
    return servers


async def _set_up(app: App, fanout: Fanout, servers: Sequence[Server]) -> None:
    """Run the per-guild setup for every server, a few at a time, then rebuild the jobs."""
    gate = asyncio.Semaphore(SETUP_CONCURRENCY)

    async def one(server: Server) -> None:
        async with gate:
            await fanout.setup(app, server)

    await asyncio.gather(*(one(server) for server in servers))
    await fanout.schedule(app)


async def measure_fanout(fanout: Fanout, servers: int) -> FanoutResult:
    """Set up ``servers`` servers, fire all their jobs at once, and time the whole fan-out."""
    with (
        tempfile.TemporaryDirectory(prefix="bounceback-fanout-") as folder,
        _warnings() as logged,
    ):
        config = _config(Path(folder))
        async with Sandbox(enforce_rate_limits=True, rate_limits=RATE_LIMITS) as sb:
            world = _build_servers(sb, fanout, servers)
            clock = FakeClock(START)
            async with offline_bot(sb, config, clock=clock) as app:
                started = time.perf_counter()
                await _set_up(app, fanout, world)
                setup_s = time.perf_counter() - started
                jobs = [j for j in app.bot.scheduler.job_ids() if j.startswith(fanout.job_prefix)]
                if len(jobs) != servers:
                    raise RuntimeError(f"{len(jobs)} {fanout.job_prefix}* jobs, wanted {servers}")
                clock.set(fanout.due)
                await _quiet(sb)
                result = await _fire_all(app, sb, fanout, world, jobs, setup_s)
    return replace(result, logged=logged)


@contextlib.contextmanager
def _warnings() -> Iterator[list[str]]:
    """Collect WARNING and above from the bot and discord.py (a 429 is logged as a warning)."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            found.append(f"{record.levelname} {record.name}: {record.getMessage()}")

    handler = Collect(logging.WARNING)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield found
    finally:
        root.removeHandler(handler)


async def _quiet(sb: Sandbox) -> None:
    """Wait until the global window holding the bot's last request (login, sync) has closed.

    The pacer assumes the whole 50/s budget is its own: start-up requests less than a second
    before the burst would share its first window and draw a 429 that is not the fan-out's.
    """
    entries = sb.requests.all
    if entries:
        wait = entries[-1].at + GLOBAL_WINDOW_S + QUIET_MARGIN_S - time.time()
        if wait > 0:
            await asyncio.sleep(wait)


async def _fire_all(
    app: App,
    sb: Sandbox,
    fanout: Fanout,
    world: Sequence[Server],
    jobs: Sequence[str],
    setup_s: float,
) -> FanoutResult:
    """Fire every job concurrently (as cron at the due minute); count only what they did."""
    before = len(sb.requests.all)
    limited, limited_global = sb.stats.rate_limited, sb.stats.global_rate_limited
    scheduler = app.bot.scheduler
    # A stuck fan-out should fail the run, not hang it: allow far more than the floor.
    limit = FIRE_TIMEOUT_S + 5 * len(jobs) * fanout.per_server / RATE_LIMITS.global_per_second
    started = time.perf_counter()
    async with asyncio.timeout(limit):
        outcomes = await asyncio.gather(*(scheduler.fire(job) for job in jobs))
    seconds = time.perf_counter() - started
    requests = Counter(f"{r.method} {r.route} {r.status}" for r in sb.requests.all[before:])
    statuses = Counter(str(getattr(o, "status", o)) for o in outcomes)
    return FanoutResult(
        name=fanout.name,
        unit=fanout.unit,
        servers=len(world),
        delivered=fanout.delivered(sb, world),
        expected=fanout.per_server * len(world),
        seconds=seconds,
        rate_limited=sb.stats.rate_limited - limited,
        global_rate_limited=sb.stats.global_rate_limited - limited_global,
        requests=dict(requests.most_common()),
        outcomes=dict(statuses.most_common()),
        setup_s=setup_s,
        logged=[],
    )
