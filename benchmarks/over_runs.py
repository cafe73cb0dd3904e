"""Median and spread of the ratios over several runs: ``python benchmarks/over_runs.py A.json B.json ...``.

One run on this shared 2-core machine moves by 10-30% from the next, so the README's table
is the median of at least three full runs, with the lowest and highest ratio beside it.
Prints a Markdown table: per command p50, p99 and throughput against the bare bot on the same
runtime, then p50 and p99 of shipped Bounceback against the stock bare bot, then memory.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import json
import statistics
from collections.abc import Sequence
from typing import Any


def _ratios(runs: Sequence[dict[str, Any]], key: str, metric: str) -> list[float]:
    found = []
    for run in runs:
        for row in run.get(key, []):
            if row["metric"].startswith(metric) and row["ratio"] is not None:
                found.append(row["ratio"])
                break
    return found


def cell(values: Sequence[float]) -> str:
    """``median (lowest-highest)``, or a dash when a run did not measure it."""
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def markdown(runs: Sequence[dict[str, Any]]) -> str:
    """Build the README's table for these runs."""
    commands = list(runs[0]["speed"])
    lines = [
        f"Median (lowest-highest) of {len(runs)} full runs; ratio = Bounceback / bare bot.",
        "",
        "| command | p50 | p99 | throughput | p50 vs stock | p99 vs stock |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name in commands:
        rate = "sustained writes" if name in _writes(runs[0]) else "throughput"
        lines.append(
            f"| `{name}` | "
            + " | ".join(
                cell(_ratios(runs, key, f"{name} {metric}"))
                for key, metric in (
                    ("rows", "p50 latency ("),
                    ("rows", "p99 latency ("),
                    ("rows", f"{rate} @"),
                    ("stock_rows", "p50 latency vs stock"),
                    ("stock_rows", "p99 latency vs stock"),
                )
            )
            + " |"
        )
    for guilds in runs[0]["plan"]["guild_counts"][-2:]:
        where = f"{guilds:,} guilds"
        memory = cell(_ratios(runs, "rows", f"memory after READY, {guilds} guild"))
        lines.append(f"| memory after READY, {where} | {memory} | | | | |")
    return "\n".join(lines)


def _writes(run: dict[str, Any]) -> set[str]:
    return {
        row["metric"].split(" sustained writes")[0]
        for row in run["rows"]
        if " sustained writes @" in row["metric"]
    }


def main(argv: list[str] | None = None) -> int:
    """Print the table for the result files given."""
    paths = [Path(p) for p in (sys.argv[1:] if argv is None else argv)]
    if not paths:
        print(__doc__.splitlines()[0])
        return 2
    runs = [json.loads(path.read_text(encoding="utf-8")) for path in paths]
    print(markdown(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
