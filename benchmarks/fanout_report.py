"""Which weekly fan-outs a run measures, and their section of the report (against the floor).

The celebration fan-out always runs. The accountability one (a thread plus 20 member adds in
each of 1,000 servers: 22,000 requests, a 440 s floor) takes about eight minutes, so a full run
measures it only with ``--accountability-fanout``; ``--quick`` runs a tiny version of it so the
smoke test covers its code path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.fanout import Fanout, measure_fanout
from benchmarks.fanout_result import RATE_LIMITS, FanoutResult
from benchmarks.measure import Plan
from benchmarks.report import Row, Target, table
from benchmarks.weekly_fanouts import CELEBRATION, accountability

FANOUT_RATIO = 1.2  # total time against the floor the global limit allows
THREADS_FLAG = "--accountability-fanout"


@dataclass(frozen=True)
class Planned:
    """A fan-out to run, with how many servers take part."""

    fanout: Fanout
    servers: int
    each: str = ""  # what each server has, when it matters: "20 joined members"

    def describe(self) -> str:
        """E.g. "1,000 servers x 20 joined members"."""
        return f"{self.servers:,} servers" + (f" x {self.each}" if self.each else "")


def planned(plan: Plan, *, quick: bool, threads: bool) -> tuple[list[Planned], list[str]]:
    """Return the fan-outs this run measures, and a line for each one it leaves out."""
    runs = [Planned(CELEBRATION, plan.fanout_servers)]
    members = plan.thread_members
    weekly = Planned(accountability(members), plan.thread_servers, f"{members} joined members")
    if quick or threads:
        return [*runs, weekly], []
    minutes = 1.1 * weekly.servers * weekly.fanout.requests_per_server
    minutes /= RATE_LIMITS.global_per_second * 60
    skipped = (
        f"accountability fan-out ({weekly.describe()}, about {minutes:.0f} min): not run; "
        f"`python benchmarks/run.py {THREADS_FLAG}` adds it"
    )
    return runs, [skipped]


async def run_fanouts(runs: Sequence[Planned]) -> list[FanoutResult]:
    """Each weekly fan-out in turn, with its own sandbox and bot."""
    results = []
    for run in runs:
        results.append(await measure_fanout(run.fanout, run.servers))
        print(f"  {run.fanout.name} fan-out to {run.describe()}: done", flush=True)
    return results


def fanout_rows(result: FanoutResult) -> list[Row]:
    """Return a fan-out's rows: each delivery (exact counts), time against the floor, 429s."""
    name = result.name
    rows = [
        Row(f"{name} {label}", None, count, Target("==", result.expected[label], absolute=True), 0)
        for label, count in result.delivered.items()
    ]
    return [
        *rows,
        Row(f"{name} total time (s)", result.floor_s, result.seconds, Target("<=", FANOUT_RATIO)),
        Row(f"{name} 429s received", None, result.rate_limited, Target("==", 0, absolute=True), 0),
    ]


def print_fanouts(
    runs: Sequence[Planned], results: Sequence[FanoutResult], rows: list[Row], skipped: list[str]
) -> None:
    """Print the fan-out table, then each fan-out's REST calls and anything it logged."""
    limits = RATE_LIMITS
    who = "; ".join(f"{run.fanout.name}: {run.describe()}" for run in runs)
    print(f"\nweekly fan-outs, every server due at the same minute ({who}),")
    print(
        f"the sandbox enforcing Discord's limits ({limits.global_per_second} requests/s, "
        f"{limits.messages_per_channel} messages per {limits.message_window:g} s per channel);"
    )
    print(
        f"floor = REST requests needed / {limits.global_per_second} per second (a post or a "
        "member add: 1, a thread on its starter message: 2), ratio = time / floor.\n"
    )
    print(table(rows, reference="floor"))
    for line in skipped:
        print(line)
    for result in results:
        calls = ", ".join(f"{call} x{count}" for call, count in result.requests.items())
        print(f"REST calls during the {result.name} fan-out: {calls or 'none'}")
        print(f"  at most {result.peak_per_second} requests answered in any one second")
        if set(result.outcomes) != {"sent"}:
            print(f"WARNING: {result.name} jobs returned {result.outcomes}")
        for line in result.logged[:5]:
            print(f"WARNING: during the {result.name} fan-out the bot logged: {line}")
