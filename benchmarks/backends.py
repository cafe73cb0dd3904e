"""/rejection log and /tip on PostgreSQL against SQLite, both measured against the bare bot.

Issue 13's target: on PostgreSQL these two commands stay within 1.5x of their SQLite
figures. Absolute milliseconds drift with this machine's CPU, so each backend is measured
against the bare ``/ping`` bot in alternating rounds (as every other benchmark is), and the
comparison row divides PostgreSQL's ratio to ``/ping`` by SQLite's.

The celebration fan-out (every server due at the same minute, Discord's rate limits
enforced) also runs once on PostgreSQL: the bot there is in-process, pointed at a fresh
database through ``BOUNCEBACK_DATABASE_URL``, which wins over the fan-out's own config.

The PostgreSQL server comes from ``BOUNCEBACK_BENCH_POSTGRES_URL`` (or the tests'
``BOUNCEBACK_TEST_POSTGRES_URL``); without either, ``.ci/postgres.sh`` starts a throwaway one
for the run. Each Bounceback process gets a database of its own (see ``bot_process.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg

from benchmarks.fanout_report import Planned, fanout_rows, run_fanouts
from benchmarks.fanout_result import FanoutResult
from benchmarks.harness import KINDS, Kind
from benchmarks.measure import Plan, Work, measure_speed, subject
from benchmarks.report import Row, Target
from benchmarks.weekly_fanouts import CELEBRATION
from benchmarks.workloads import Command

BENCH_URL_ENV = "BOUNCEBACK_BENCH_POSTGRES_URL"  # read by bot_process.py in each child
BACKEND_RATIO = 1.5  # PostgreSQL's figures within 1.5x of SQLite's
REPO = Path(__file__).resolve().parents[1]
BACKENDS = ("sqlite", "postgres")


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Yield a server URL: the configured one, or a throwaway server for this run."""
    given = os.environ.get(BENCH_URL_ENV) or os.environ.get("BOUNCEBACK_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    script = str(REPO / ".ci" / "postgres.sh")
    started = subprocess.run([script, "start"], capture_output=True, text=True, check=True)  # noqa: S603 - our own script
    exports = dict(
        line.removeprefix("export ").replace("'", "").split("=", 1)
        for line in started.stdout.splitlines()
        if line.startswith("export ")
    )
    try:
        yield exports["BOUNCEBACK_TEST_POSTGRES_URL"]
    finally:
        subprocess.run([script, "stop"], env={**os.environ, **exports}, check=False)  # noqa: S603


@contextlib.contextmanager
def _children_on(url: str | None) -> Iterator[None]:
    """Point the Bounceback processes started inside at PostgreSQL (None: SQLite)."""
    before = os.environ.pop(BENCH_URL_ENV, None)
    if url is not None:
        os.environ[BENCH_URL_ENV] = url
    try:
        yield
    finally:
        os.environ.pop(BENCH_URL_ENV, None)
        if before is not None:
            os.environ[BENCH_URL_ENV] = before


async def _speed(plan: Plan, baseline: Command, command: Command) -> dict[Kind, dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="bounceback-bench-logs-") as folder:
        work: Work = {"baseline": baseline, "bounceback": command}
        async with contextlib.AsyncExitStack() as stack:
            subjects = {
                k: await stack.enter_async_context(
                    subject(k, plan, Path(folder), plan.invokers_for(command))
                )
                for k in KINDS
            }
            return await measure_speed(plan, subjects, work)


async def measure_backends(
    plan: Plan, baseline: Command, commands: Sequence[Command], server: str
) -> dict[str, dict[str, Any]]:
    """Each command on each backend, each against the baseline; {backend: {label: pair}}."""
    speed: dict[str, dict[str, Any]] = {backend: {} for backend in BACKENDS}
    for command in commands:
        for backend in BACKENDS:
            with _children_on(server if backend == "postgres" else None):
                speed[backend][command.label] = await _speed(plan, baseline, command)
            print(f"  {command.label} on {backend} against {baseline.label}: done", flush=True)
    return speed


def backend_rows(speed: dict[str, dict[str, Any]], in_flight: int) -> list[Row]:
    """Rows per command: PostgreSQL against /ping, then PostgreSQL's ratio over SQLite's."""
    rows: list[Row] = []
    for label, pair in speed["postgres"].items():
        lite, pg = speed["sqlite"][label], pair
        for pct in ("p50", "p99"):
            metric = f"{label} {pct} latency on PostgreSQL (ms)"
            ping = pg["baseline"]["latency_ms"][pct]
            rows.append(Row(metric, ping, pg["bounceback"]["latency_ms"][pct], None, 3))
            rows.append(
                Row(
                    f"{label} {pct}: PostgreSQL vs SQLite (each / ping)",
                    _ratio(lite, "latency_ms", pct),
                    _ratio(pg, "latency_ms", pct),
                    Target("<=", BACKEND_RATIO),
                    3,
                )
            )
        metric = f"{label} throughput on PostgreSQL @{in_flight} in flight (/s)"
        ping_rate = pg["baseline"]["throughput_per_s"]
        rows.append(Row(metric, ping_rate, pg["bounceback"]["throughput_per_s"], None, 0))
        rows.append(
            Row(
                f"{label} throughput: PostgreSQL vs SQLite (each / ping)",
                _ratio(lite, "throughput_per_s"),
                _ratio(pg, "throughput_per_s"),
                Target(">=", round(1 / BACKEND_RATIO, 2)),
                3,
            )
        )
    return rows


def _ratio(pair: dict[str, Any], key: str, pct: str | None = None) -> float:
    ours, ping = pair["bounceback"][key], pair["baseline"][key]
    if pct is not None:
        ours, ping = ours[pct], ping[pct]
    return float(ours) / float(ping)


@contextlib.asynccontextmanager
async def _fresh_database(server: str, name: str) -> AsyncIterator[str]:
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield urlsplit(server)._replace(path=f"/{name}").geturl()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def postgres_fanout(plan: Plan, server: str) -> FanoutResult:
    """Run the celebration fan-out to ``plan.fanout_servers`` servers on PostgreSQL."""
    async with _fresh_database(server, f"bounceback_fanout_{os.getpid()}") as url:
        os.environ["BOUNCEBACK_DATABASE_URL"] = url
        try:
            (result,) = await run_fanouts([Planned(CELEBRATION, plan.fanout_servers)])
        finally:
            del os.environ["BOUNCEBACK_DATABASE_URL"]
    return result


def fanout_rows_on_postgres(result: FanoutResult) -> list[Row]:
    """Mark the fan-out's usual rows (exact counts, time against the floor, 429s) as PostgreSQL."""
    return [replace(row, metric=f"{row.metric} on PostgreSQL") for row in fanout_rows(result)]


def run_backends(
    plan: Plan, baseline: Command, commands: Sequence[Command]
) -> tuple[dict[str, Any], FanoutResult]:
    """Measure on both backends, then the fan-out on PostgreSQL (starting a server if needed)."""
    with postgres_server() as server:
        speed = asyncio.run(measure_backends(plan, baseline, commands, server))
        fanout = asyncio.run(postgres_fanout(plan, server))
    return speed, fanout
