"""A real cluster's start-up, memory and command latency: 2 bot processes, 4 shards, PostgreSQL.

Run: `python benchmarks/cluster_commands.py [--servers 10000] [--calls 200] [--json F]`. One
sandbox (4 shards, `max_concurrency` 4) holds `--servers` servers. First the bare discord.py bot
(`baseline_bot.py`, one connection) answers `/ping` `--calls` times, alone; then two Bounceback
processes start together (`python -m tests.e2e.bot_process`, shards {0,1} and {2,3} of 4, one
fresh PostgreSQL database) and each of `/tip` and `/rejection log` is invoked `--calls` times,
one at a time, round-robin over members in servers of every shard. Reported: seconds from
starting both processes to every shard READY, RSS of each process after the calls, p50/p99 of
each command and its ratio to the bare bot's `/ping`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script
    sys.path.insert(0, str(REPO))

from benchmarks.backends import _fresh_database, postgres_server  # noqa: E402
from benchmarks.harness import bot_process as baseline_process  # noqa: E402
from discord_sandbox import Member, Sandbox  # noqa: E402

SHARDS = 4
PROCESSES = ((0, 1), (2, 3))
INVOKERS = 40
START_WAIT = 300.0
REPLY_WAIT = 30.0


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _config(root: Path, url: str, ids: tuple[int, ...]) -> Path:
    path = root / f"shards-{'-'.join(map(str, ids))}.yaml"
    settings = {
        "database": {"url": url},
        "content": {"directory": str(root / "content"), "watch": False},
        "discord": {"shards": SHARDS, "shard_ids": list(ids)},
        "rejections": {"daily_limit": 1_000_000},  # measure logging, not refusing
    }
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


@asynccontextmanager
async def _bot(sb: Sandbox, config: Path) -> AsyncIterator[_Child]:
    """One cluster process, as the e2e tests start it; killed on leaving."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "tests.e2e.bot_process", "--config", str(config)),
        *("--api-base", sb.api_base, "--base-url", sb.base_url),
        *("--gateway-url", sb.gateway_url, "--token", sb.token),
        cwd=REPO,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    child = _Child(proc)
    try:
        yield child
    finally:
        if proc.returncode is None:
            proc.kill()
        await proc.wait()
        await child.reader


class _Child:
    """A running cluster process: set `ready` on its `ready:` log line (the catch-up follows)."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.ready = asyncio.Event()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        stdout = self.proc.stdout
        if stdout is None:
            return
        while line := await stdout.readline():
            if b"ready:" in line:
                self.ready.set()


async def _latencies(sb: Sandbox, members: list[Member], command: str, calls: int) -> list[float]:
    took = []
    for n in range(calls):
        started = time.perf_counter()
        invoked = await sb.invoke(members[n % len(members)], command)
        await invoked.response(timeout=REPLY_WAIT)
        took.append(time.perf_counter() - started)
    return took


def _summary(took: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(took, n=100)
    return {"p50_ms": 1000 * statistics.median(took), "p99_ms": 1000 * cuts[98]}


async def measure(servers: int, calls: int, server_url: str) -> dict[str, Any]:
    """Bare bot first, then the two-process cluster, on one sandbox of `servers` servers."""
    os.environ.setdefault("BOUNCEBACK_SECRET", os.urandom(32).hex())
    with tempfile.TemporaryDirectory(prefix="bounceback-cluster-") as folder:
        root = Path(folder)
        shutil.copytree(REPO / "content", root / "content")
        async with Sandbox(shards=SHARDS, max_concurrency=SHARDS) as sb:
            members = []
            for n in range(servers):
                guild = sb.create_guild(f"Circle {n}")
                guild.create_text_channel("general")
                member = guild.add_member(f"member{n}")
                if n < INVOKERS:
                    members.append(member)
            async with baseline_process(sb, "baseline", ready_timeout=0.1, workdir=root):
                ping = await _latencies(sb, members, "ping", calls)
            async with (
                _fresh_database(server_url, f"bounceback_cluster_{os.getpid()}") as url,
                AsyncExitStack() as stack,
            ):
                started = time.perf_counter()
                children = [
                    await stack.enter_async_context(_bot(sb, _config(root, url, ids)))
                    for ids in PROCESSES
                ]
                async with asyncio.timeout(START_WAIT):
                    await asyncio.gather(*(child.ready.wait() for child in children))
                await sb.wait_shards(*range(SHARDS), timeout=START_WAIT)
                ready_s = time.perf_counter() - started
                tip = await _latencies(sb, members, "tip", calls)
                logged = await _latencies(sb, members, "rejection log", calls)
                rss = [_rss_mib(child.proc.pid) for child in children]
    base = _summary(ping)
    result: dict[str, Any] = {
        "servers": servers,
        "calls": calls,
        "ready_s": ready_s,
        "rss_mib": rss,
        "ping (bare bot)": base,
    }
    for name, took in (("tip", tip), ("rejection log", logged)):
        found = _summary(took)
        found["p50_vs_ping"] = found["p50_ms"] / base["p50_ms"]
        found["p99_vs_ping"] = found["p99_ms"] / base["p99_ms"]
        result[name] = found
    return result


def main(argv: list[str] | None = None) -> int:
    """Measure and print the figures (none is a pass/fail target)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with postgres_server() as server:
        result = asyncio.run(measure(args.servers, args.calls, server))
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
