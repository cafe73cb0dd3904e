"""Where each member command spends the bot's time: ``python benchmarks/profile.py [/win ...]``.

Runs every measured command (or the ones named) against a fresh Bounceback process, as
``run.py`` does, and samples that process with ``py-spy`` while 50 interactions are in flight.
Prints, per command, the functions with the most samples on the stack (inclusive), limited to
frames worth acting on: Bounceback's own code, discord.py, aiosqlite and the event loop. The
notes in ``PROFILE.md`` come from this. py-spy is in the ``dev`` extra; it needs permission to
read the child's memory (the same user, and ptrace allowed).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
import re
import shutil
import tempfile
from collections import Counter

from benchmarks.measure import Plan, subject
from benchmarks.run import BOUNCEBACK_COMMANDS
from benchmarks.workloads import concurrent, prepare, sequential

PLAN = Plan(bench_guilds=5)
SAMPLES = 3000
RATE = 500  # samples per second
INTERESTING = re.compile(r"(^|/)(bot|discord|aiosqlite|aiohttp|sqlite3|yaml)/")
_FRAME = re.compile(r"^(?P<func>.+) \((?P<file>[^:]+):\d+\)$")


def _short(frame: str) -> str | None:
    """``func (path/to/pkg/mod.py:12)`` -> ``pkg/mod.py:func``, or None for frames of no interest."""
    match = _FRAME.match(frame)
    if match is None or not INTERESTING.search(match["file"]):
        return None
    parts = match["file"].split("/")
    return f"{'/'.join(parts[-2:])}:{match['func']}"


def _leaf(frame: str) -> str:
    match = _FRAME.match(frame)
    if match is None:
        return frame
    parts = match["file"].split("/")
    return f"{'/'.join(parts[-2:])}:{match['func']}"


Shares = list[tuple[str, float]]


def top_frames(collapsed: str, count: int = 12) -> tuple[int, Shares, Shares]:
    """Total samples; the most-sampled frames of interest (inclusive) and leaves (self time)."""
    inclusive: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack:
            continue
        samples = int(number)
        total += samples
        frames = stack.split(";")
        leaves[_leaf(frames[-1])] += samples
        for frame in {short for f in frames if (short := _short(f))}:
            inclusive[frame] += samples
    if not total:
        return 0, [], []
    return (
        total,
        [(f, n / total) for f, n in inclusive.most_common(count)],
        [(f, n / total) for f, n in leaves.most_common(count)],
    )


def _py_spy() -> str:
    """py-spy beside this interpreter (a venv's bin), else on PATH."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy") or "py-spy"


async def profile(label: str, out: Path) -> str:
    """Sample the bot while it answers one command's burst; return py-spy's collapsed stacks."""
    measured = next(m for m in BOUNCEBACK_COMMANDS if m.command.label == label)
    command = measured.command
    with tempfile.TemporaryDirectory(prefix="bounceback-profile-") as folder:
        invokers = PLAN.invokers_for(command)
        async with subject("bounceback", PLAN, Path(folder), invokers) as s:
            await prepare(s.sb, s.world, command)
            await sequential(s.sb, s.world, command, 100)
            spy = await asyncio.create_subprocess_exec(
                _py_spy(),
                *("record", "--pid", str(s.bot.pid), "--format", "raw", "--nonblocking"),
                *("--rate", str(RATE), "--output", str(out)),
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
            await concurrent(s.sb, s.world, command, SAMPLES, PLAN.in_flight)
            spy.send_signal(2)  # SIGINT: py-spy writes its output and exits
            await asyncio.wait_for(spy.wait(), 30)
    return await asyncio.to_thread(out.read_text)


def main(argv: list[str] | None = None) -> int:
    """Profile the commands named (all when none) and print their top frames."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commands", nargs="*", help="labels as in the table, e.g. '/win'")
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    labels = args.commands or [m.command.label for m in BOUNCEBACK_COMMANDS]
    with tempfile.TemporaryDirectory(prefix="bounceback-spy-") as folder:
        for label in labels:
            collapsed = asyncio.run(profile(label, Path(folder) / "stacks.txt"))
            total, frames, leaves = top_frames(collapsed, args.top)
            print(f"\n{label} ({total} samples); on the stack:")
            for frame, share in frames:
                print(f"  {share:6.1%}  {frame}")
            print("  self:")
            for frame, share in leaves:
                print(f"  {share:6.1%}  {frame}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
