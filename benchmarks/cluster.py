"""The weekly celebration fan-out across a cluster: 4 shards in 2 bot instances, one PostgreSQL.

Run: `python benchmarks/cluster.py [--servers 10000] [--json out.json]`. The PostgreSQL server
comes from `BOUNCEBACK_BENCH_POSTGRES_URL` or `BOUNCEBACK_TEST_POSTGRES_URL` (else
`.ci/postgres.sh` starts one). Two Bounceback apps, shards {0,1} and {2,3} of 4, each with
its own publisher and pacer, share one sandbox that enforces Discord's limits (50 requests/s
per bot token, 5 messages per 5 s per channel) and one database. Every server's celebration
is due at the same minute; both apps fire all their own jobs at once, as their schedulers
would. Counted: posts (exactly one per server), 429s (none), time against the floor
(servers / 50 s). Also timed: from starting both apps to every shard READY.

The two apps share this process's event loop, so they also share one CPU: a harder test of
the pacing than two processes would be, and RSS per process is not measured here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections import Counter
from contextlib import AsyncExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: `python benchmarks/cluster.py`
    sys.path.insert(0, str(REPO))

from benchmarks.backends import _fresh_database, postgres_server  # noqa: E402
from benchmarks.fanout import START, _build_servers, _config, _quiet, _set_up  # noqa: E402
from benchmarks.fanout_result import RATE_LIMITS, peak_per_second  # noqa: E402
from benchmarks.weekly_fanouts import CELEBRATION  # noqa: E402
from bot.app import App  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.config import Config, DatabaseConfig, DiscordConfig  # noqa: E402
from bot.offline import offline_bot  # noqa: E402
from discord_sandbox import Sandbox  # noqa: E402

SHARDS = 4
PROCESSES = ((0, 1), (2, 3))
TARGET_RATIO = 1.1


async def _start_cluster(
    sb: Sandbox, config: Config, clock: FakeClock, stack: AsyncExitStack
) -> tuple[list[App], float]:
    """Start both apps at once; return them and the seconds until every shard was READY."""
    started = time.perf_counter()
    apps = await asyncio.gather(
        *(
            stack.enter_async_context(
                offline_bot(
                    sb,
                    replace(config, discord=DiscordConfig(shards=SHARDS, shard_ids=ids)),
                    clock=clock,
                )
            )
            for ids in PROCESSES
        )
    )
    await sb.wait_shards(*range(SHARDS), timeout=60)
    return list(apps), time.perf_counter() - started


async def _fire(apps: list[App], sb: Sandbox) -> dict[str, Any]:
    """Fire every celebration job of both apps at once; count what the fan-out did."""
    jobs = [
        (app, job)
        for app in apps
        for job in app.bot.scheduler.job_ids()
        if job.startswith(CELEBRATION.job_prefix)
    ]
    since = time.time()
    limited, limited_global = sb.stats.rate_limited, sb.stats.global_rate_limited
    started = time.perf_counter()
    outcomes = await asyncio.gather(*(app.bot.scheduler.fire(job) for app, job in jobs))
    seconds = time.perf_counter() - started
    made = [r for r in sb.requests.all if r.at >= since]
    return {
        "jobs_per_app": [sum(1 for a, _ in jobs if a is app) for app in apps],
        "seconds": seconds,
        "rate_limited": sb.stats.rate_limited - limited,
        "global_rate_limited": sb.stats.global_rate_limited - limited_global,
        "peak_per_second": peak_per_second([r.at for r in made if r.status != 429]),
        "outcomes": dict(Counter(str(getattr(o, "status", o)) for o in outcomes)),
    }


async def measure(servers: int, url: str) -> dict[str, Any]:
    """Build `servers` servers, start the cluster, set every server up, then fan out."""
    with tempfile.TemporaryDirectory(prefix="bounceback-cluster-") as folder:
        config = _config(Path(folder))
        config = replace(config, database=DatabaseConfig(url=url, path=str(config.database_path)))
        clock = FakeClock(START)
        async with (
            Sandbox(
                shards=SHARDS,
                max_concurrency=SHARDS,
                enforce_rate_limits=True,
                rate_limits=RATE_LIMITS,
            ) as sb,
            AsyncExitStack() as stack,
        ):
            world = _build_servers(sb, CELEBRATION, servers)
            apps, ready_s = await _start_cluster(sb, config, clock, stack)
            await _set_up(apps[0], CELEBRATION, world)  # settings live in the shared database
            for app in apps[1:]:
                await CELEBRATION.schedule(app)
            clock.set(CELEBRATION.due)
            await _quiet(sb)
            fired = await _fire(apps, sb)
            posts = CELEBRATION.deliveries[0].count(sb, world)
    floor = servers / RATE_LIMITS.global_per_second
    return {
        "servers": servers,
        "shards": SHARDS,
        "processes": len(PROCESSES),
        "ready_s": ready_s,
        "posts": posts,
        "floor_s": floor,
        "ratio": fired["seconds"] / floor,
        **fired,
    }


def report(result: dict[str, Any]) -> list[str]:
    """Say each figure with its target; a FAIL marks a missed one."""

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    servers = result["servers"]
    return [
        f"time to every shard READY (s)      {result['ready_s']:8.1f}",
        f"jobs per app                       {result['jobs_per_app']}",
        f"celebration posts made             {result['posts']:8d}  "
        f"(want {servers})  {verdict(result['posts'] == servers)}",
        f"celebration 429s received          {result['rate_limited']:8d}  "
        f"(want 0)  {verdict(result['rate_limited'] == 0)}",
        f"celebration total time (s)         {result['seconds']:8.1f}  "
        f"(floor {result['floor_s']:.1f}, ratio {result['ratio']:.2f}, want <= {TARGET_RATIO})  "
        f"{verdict(result['ratio'] <= TARGET_RATIO)}",
        f"peak requests in any second        {result['peak_per_second']:8d}  (limit 50)",
    ]


def main(argv: list[str] | None = None) -> int:
    """Measure and print; exit 1 when posts or 429s miss (the time is reported, not enforced)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=10_000)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    with postgres_server() as server:

        async def run() -> dict[str, Any]:
            async with _fresh_database(server, f"bounceback_cluster_{os.getpid()}") as url:
                return await measure(args.servers, url)

        result = asyncio.run(run())
    print("\n".join(report(result)))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    exact = result["posts"] == args.servers and result["rate_limited"] == 0
    return 0 if exact else 1


if __name__ == "__main__":
    raise SystemExit(main())
