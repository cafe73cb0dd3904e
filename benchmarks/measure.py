"""The measurement phases that need the bots: speed (latency, throughput) and footprint.

Every phase alternates between the two bots round by round, swapping which goes first, so
CPU drift on this 2-core machine lands on both alike. For speed both bots stay connected,
each to its own sandbox (a sandbox serves one bot session); for footprint each start is a
fresh sandbox and a fresh process, so start-up time and memory include everything up to READY.
"""

from __future__ import annotations

import contextlib
import gc
import math
import statistics
import tempfile
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from benchmarks.harness import KINDS, Kind, RunningBot, Runtime, World, bot_process, build_world
from benchmarks.workloads import Command, concurrent, prepare, sequential, summary_ms
from discord_sandbox import Sandbox

Work = Mapping[Kind, Command]
T = TypeVar("T")


@dataclass(frozen=True)
class Plan:
    """How much to measure (the defaults are the full run)."""

    warmup: int = 100
    sequential: int = 2000
    latency_blocks: int = 20
    throughput: int = 3000
    throughput_rounds: int = 10
    in_flight: int = 50
    guild_counts: tuple[int, ...] = (1, 100, 1000, 10_000)
    memory_target_guilds: int = 1000  # the guild count the memory target applies to
    members_per_guild: int = 50
    start_repeats: int = 3
    library: tuple[int, int] = (20, 500)  # topics, tips per topic
    ready_timeout: float = 0.1  # guild_ready_timeout, the same for both bots
    runtime: Runtime = "shipped"  # the runtime both bots share in the main table
    stock_reference: bool = True  # also time the bare bot on stock discord.py
    bench_guilds: int = 5  # guilds of real members invoking during the speed runs
    invokers_per_guild: int = 10  # members invoking in each of those guilds, round-robin

    @property
    def calls(self) -> int:
        """Interactions each bot answers for one command: warm-up, latency and throughput."""
        return self.warmup + self.sequential + self.throughput

    @property
    def speed_kinds(self) -> tuple[Kind, ...]:
        """The bots timed on every command: the pair, and the stock bare bot when it differs."""
        stock = self.stock_reference and self.runtime != "stock"
        return (*KINDS, "stock") if stock else KINDS

    def invokers_for(self, command: Command) -> int:
        """Members per guild, enough that none invokes ``command`` past its per-member cap."""
        cap = command.uses_per_member
        if cap is None:
            return self.invokers_per_guild
        return max(self.invokers_per_guild, math.ceil(self.calls / (cap * self.bench_guilds)))

    fanout_servers: int = 1000  # servers due at the same minute in the celebration fan-out
    thread_servers: int = 1000  # servers opening their weekly accountability thread at once
    thread_members: int = 20  # joined members added to each of those threads


@dataclass
class Subject:
    """One bot ready to be measured: its sandbox, its world, its process."""

    kind: Kind
    sb: Sandbox
    world: World
    bot: RunningBot


def order(round_number: int, kinds: tuple[Kind, ...] = KINDS) -> tuple[Kind, ...]:
    """Rotate which bot goes first, so none always gets the cooler minute."""
    shift = round_number % len(kinds)
    return kinds[shift:] + kinds[:shift]


async def measure_bots(
    plan: Plan, baseline: Command, commands: Sequence[Command]
) -> dict[str, Any]:
    """Speed of each command against the baseline's, then footprint, then logged errors.

    Each Bounceback command is paired with the baseline in fresh processes: what one command
    leaves behind (a /tip keeps a view alive for 15 minutes, say) would otherwise be billed
    to the next command measured in the same process.
    """
    with tempfile.TemporaryDirectory(prefix="bounceback-bench-logs-") as folder:
        logs = Path(folder)
        speed: dict[str, dict[Kind, dict[str, Any]]] = {}
        for command in commands:
            work: Work = {"baseline": baseline, "bounceback": command, "stock": baseline}
            invokers = plan.invokers_for(command)
            async with contextlib.AsyncExitStack() as stack:
                subjects = {
                    k: await stack.enter_async_context(subject(k, plan, logs, invokers))
                    for k in plan.speed_kinds
                }
                speed[command.label] = await measure_speed(plan, subjects, work)
            print(f"  {command.label} against {baseline.label}: done", flush=True)
        footprint = await measure_footprint(plan, logs)
        errors = logged_errors(logs)
    bots: dict[Kind, dict[str, Any]] = {
        kind: {**footprint.get(kind, {}), "logged_errors": errors[kind]} for kind in errors
    }
    return {"speed": speed, "bots": bots}


@contextlib.asynccontextmanager
async def subject(kind: Kind, plan: Plan, logs: Path, invokers: int) -> AsyncIterator[Subject]:
    """Yield a sandbox with a few guilds of ``invokers`` members, and the bot connected to it."""
    async with Sandbox() as sb:
        world = build_world(
            sb,
            plan.bench_guilds,
            member_count=plan.members_per_guild,
            invoking_guilds=plan.bench_guilds,
            invokers=invokers,
        )
        async with bot_process(
            sb, kind, ready_timeout=plan.ready_timeout, workdir=logs, runtime=plan.runtime
        ) as bot:
            yield Subject(kind, sb, world, bot)


@dataclass
class Tally:
    """What one bot's command accumulated over all its measured blocks."""

    latencies: list[float] = field(default_factory=list)
    throughput_s: float = 0.0  # wall time of the throughput blocks
    throughput_sent: int = 0
    cpu_s: float = 0.0  # the bot process's CPU time over every measured block
    answered: int = 0

    def result(self) -> dict[str, Any]:
        """Latency summary, interactions per second, bot CPU per interaction."""
        return {
            "latency_ms": summary_ms(self.latencies),
            "throughput_per_s": self.throughput_sent / self.throughput_s,
            "bot_cpu_ms": self.cpu_s / self.answered * 1000,
        }


@contextlib.contextmanager
def sandbox_gc_paused() -> Iterator[None]:
    """Keep this process's garbage collector out of the timings.

    The sandbox keeps every interaction, message and request it saw, so a full collection in
    this process grows slower as the run goes on and would land, at random, on either bot's
    block. Collecting between blocks and freezing the survivors keeps the timings about the
    bots; the bots' own collectors run as usual (they are part of what is measured).
    """
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def _timed(subject: Subject, tally: Tally, count: int, run: Awaitable[T]) -> T:
    """Run one measured block, adding the bot's CPU time for it to ``tally``."""
    with sandbox_gc_paused():
        cpu = subject.bot.cpu_seconds()
        result = await run
        tally.cpu_s += subject.bot.cpu_seconds() - cpu
    tally.answered += count
    return result


async def measure_speed(
    plan: Plan, subjects: Mapping[Kind, Subject], work: Work
) -> dict[Kind, dict[str, Any]]:
    """Sequential latency, then throughput at ``in_flight``, in alternating blocks."""
    kinds = tuple(subjects)
    tallies = {kind: Tally() for kind in kinds}
    for kind in kinds:
        await prepare(subjects[kind].sb, subjects[kind].world, work[kind])
        await sequential(subjects[kind].sb, subjects[kind].world, work[kind], plan.warmup)
    per_block = plan.sequential // plan.latency_blocks
    for block in range(plan.latency_blocks):
        for kind in order(block, kinds):
            s, tally = subjects[kind], tallies[kind]
            answers = sequential(s.sb, s.world, work[kind], per_block)
            tally.latencies += await _timed(s, tally, per_block, answers)
    per_round = plan.throughput // plan.throughput_rounds
    for number in range(plan.throughput_rounds):
        for kind in order(number, kinds):
            s, tally = subjects[kind], tallies[kind]
            burst = concurrent(s.sb, s.world, work[kind], per_round, plan.in_flight)
            tally.throughput_s += await _timed(s, tally, per_round, burst)
            tally.throughput_sent += per_round
    return {kind: _speed_result(plan, work[kind], tallies[kind]) for kind in kinds}


def _speed_result(plan: Plan, command: Command, tally: Tally) -> dict[str, Any]:
    """Return the tally's figures, and how many replies were checked to be the real thing."""
    checked = plan.warmup + tally.answered if command.checked else 0
    return {
        "command": command.label,
        **tally.result(),
        "expected_title": command.expect_title,
        "expected_text": command.expect_text,
        "expected_button": command.expect_button or command.press,
        "verified_replies": checked,
    }


async def measure_footprint(plan: Plan, logs: Path) -> dict[Kind, dict[str, dict[str, float]]]:
    """Start-up time and resident memory after READY for each guild count (medians)."""
    startup: dict[Kind, dict[int, list[float]]] = {k: defaultdict(list) for k in KINDS}
    rss: dict[Kind, dict[int, list[float]]] = {k: defaultdict(list) for k in KINDS}
    for guilds in plan.guild_counts:
        for repeat in range(plan.start_repeats):
            for kind in order(repeat):
                async with Sandbox() as sb:
                    build_world(sb, guilds, member_count=plan.members_per_guild)
                    async with bot_process(
                        sb,
                        kind,
                        ready_timeout=plan.ready_timeout,
                        workdir=logs,
                        runtime=plan.runtime,
                    ) as bot:
                        startup[kind][guilds].append(bot.startup_s)
                        rss[kind][guilds].append(bot.rss_mib())
        print(f"  start-up and memory with {guilds} guild(s): done", flush=True)
    return {
        kind: {
            "startup_s": {str(g): statistics.median(v) for g, v in startup[kind].items()},
            "rss_mib": {str(g): statistics.median(v) for g, v in rss[kind].items()},
        }
        for kind in KINDS
    }


def logged_errors(logs: Path) -> dict[Kind, list[str]]:
    """ERROR/CRITICAL lines and tracebacks the bots wrote: timing failures would be no use."""
    found: dict[Kind, list[str]] = {k: [] for k in (*KINDS, "stock")}
    for kind in found:
        for log in sorted(logs.glob(f"{kind}-*.log")):
            for line in log.read_text(errors="replace").splitlines():
                if line.startswith(("ERROR", "CRITICAL", "Traceback")):
                    found[kind].append(line)
    return found
