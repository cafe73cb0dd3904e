"""A weekly fan-out: every server's job due at the same minute, Discord's rate limits enforced.

Bounceback runs in this process (memory is not measured here) against a sandbox that enforces
the global limit (50 requests/s) and the per-channel one (5 messages per 5 s). Each server gets
one text channel and whatever the fan-out's per-guild setup configures; the scheduler's jobs are
rebuilt, the fake clock is set to the due minute, and every job is fired at once, as APScheduler
would at that minute. Only the fan-out is timed and counted: the bot's login, command sync and
the setup requests happen before the 429 count and the request log are read.

A fan-out is described by a ``Fanout`` (job-id prefix, per-guild setup, what counts as a
delivery and how many requests each costs; the ones measured are in ``weekly_fanouts.py``): the
celebration posts and the accountability threads with their member adds are measured alike.
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

from benchmarks.fanout_result import GLOBAL_WINDOW_S, RATE_LIMITS, FanoutResult, peak_per_second
from bot.app import App
from bot.clock import FakeClock
from bot.config import Config, ContentConfig, DatabaseConfig
from bot.offline import offline_bot
from discord_sandbox import Channel, Guild, Member, Sandbox

REPO = Path(__file__).resolve().parents[1]
START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday morning, before every due time
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
class Delivery:
    """One kind of thing a fan-out delivers, counted in the sandbox afterwards."""

    label: str  # how the report names the count, e.g. "posts made", "members added"
    count: Counted
    per_server: int  # expected from each server
    requests: int = 1  # REST requests each one costs (a thread on a new message: 2)


@dataclass(frozen=True)
class Fanout:
    """One weekly fan-out to measure: which jobs, how each server is set up, what is delivered."""

    name: str  # how the report names it, e.g. "celebration"
    job_prefix: str  # the scheduler's job ids start with this, e.g. "celebration:"
    setup: GuildSetup  # configures one server through the bot's services (after READY)
    schedule: Callable[[App], Awaitable[None]]  # (re)builds the jobs from the settings
    deliveries: tuple[Delivery, ...]  # what the fan-out is for (posts; threads, member adds)
    due: datetime  # the minute every job is due (the fake clock is set to it)
    channel_name: str = "wins"
    members_per_server: int = 1  # real sandbox members in each guild (the first runs /setup)

    @property
    def requests_per_server(self) -> int:
        """REST requests one server's job needs when everything is delivered."""
        return sum(d.per_server * d.requests for d in self.deliveries)


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
    since = time.time()  # the request log is bounded: select the fan-out's entries by time
    limited, limited_global = sb.stats.rate_limited, sb.stats.global_rate_limited
    scheduler = app.bot.scheduler
    # A stuck fan-out should fail the run, not hang it: allow far more than the floor.
    limit = (
        FIRE_TIMEOUT_S + 5 * len(jobs) * fanout.requests_per_server / RATE_LIMITS.global_per_second
    )
    started = time.perf_counter()
    async with asyncio.timeout(limit):
        outcomes = await asyncio.gather(*(scheduler.fire(job) for job in jobs))
    seconds = time.perf_counter() - started
    made = [r for r in sb.requests.all if r.at >= since]
    requests = Counter(f"{r.method} {r.route} {r.status}" for r in made)
    statuses = Counter(str(getattr(o, "status", o)) for o in outcomes)
    delivered = {d.label: d.count(sb, world) for d in fanout.deliveries}
    return FanoutResult(
        name=fanout.name,
        servers=len(world),
        members_per_server=fanout.members_per_server,
        delivered=delivered,
        expected={d.label: d.per_server * len(world) for d in fanout.deliveries},
        needed_requests=sum(delivered[d.label] * d.requests for d in fanout.deliveries),
        seconds=seconds,
        rate_limited=sb.stats.rate_limited - limited,
        global_rate_limited=sb.stats.global_rate_limited - limited_global,
        requests=dict(requests.most_common()),
        peak_per_second=peak_per_second([r.at for r in made if r.status != 429]),
        outcomes=dict(statuses.most_common()),
        setup_s=setup_s,
        logged=[],
    )
