"""How much of each ratio is the reply's shape: ``python benchmarks/reply_shape.py``.

`run.py` measures every command against a bare bot answering `/ping` with one word. Most
Bounceback replies carry a sentence, an embed and buttons, and discord.py builds that
payload, sends it and parses the message Discord returns (the sandbox stores it, too):
work a one-word answer never pays. This measures the same slash commands against a bare
bot answering `/card` (a sentence, an embed and three buttons, nothing computed), so the
ratio left is Bounceback's own code. The button presses (Another tip, Ground me) are measured
against the bare bot answering its card's "Again" button by editing the card, through a
persistent view.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
from typing import Any

from benchmarks.measure import Plan, measure_bots
from benchmarks.report import Row, Target, table
from benchmarks.run import BOUNCEBACK_COMMANDS, FULL, LATENCY_RATIO, QUICK, THROUGHPUT_RATIO
from benchmarks.workloads import Command

CARD_COMMAND = Command("card", expect_button="card:")
CARD_PRESS = Command("card", press="card:again", button="Again")


def pair_rows(label: str, reference: dict[str, Any], measured: dict[str, Any]) -> list[Row]:
    """p50, p99 and throughput of `measured` against `reference`, with issue 16's targets."""
    out = [
        Row(
            f"{label} {pct} (ms)",
            reference["latency_ms"][pct],
            measured["latency_ms"][pct],
            Target("<=", LATENCY_RATIO),
            3,
        )
        for pct in ("p50", "p99")
    ]
    throughput = Target(">=", THROUGHPUT_RATIO)
    rates = reference["throughput_per_s"], measured["throughput_per_s"]
    out.append(Row(f"{label} throughput (/s)", *rates, throughput, 0))
    return out


def rows(speed: dict[str, Any]) -> list[Row]:
    """p50, p99 and throughput of each command against /card."""
    return [
        row
        for label, pair in speed.items()
        for row in pair_rows(label, pair["baseline"], pair["bounceback"])
    ]


def plan_from(argv: list[str] | None, description: str) -> Plan:
    """Return the full plan, or the small one with `--quick` (what the smoke tests run)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="small counts")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    return QUICK if args.quick else FULL


def main(argv: list[str] | None = None) -> int:
    """Measure the slash commands against /card and print the table."""
    plan = plan_from(argv, __doc__.splitlines()[0])
    slash = [m.command for m in BOUNCEBACK_COMMANDS if m.command.press is None]
    presses = [m.command for m in BOUNCEBACK_COMMANDS if m.command.press is not None]
    measured = asyncio.run(measure_bots(plan, CARD_COMMAND, slash))
    pressed = asyncio.run(measure_bots(plan, CARD_PRESS, presses))
    print("\nEach command against a bare bot answering /card (a sentence, an embed, three")
    print("buttons), each press against a press of its Again button (the card edited in")
    print("place), in alternating rounds; ratio = Bounceback / bare bot.\n")
    speed = measured["speed"] | pressed["speed"]
    print(table(rows(speed), reference="bare /card"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
