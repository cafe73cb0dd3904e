"""How much of each ratio is the reply's shape: ``python benchmarks/reply_shape.py``.

`run.py` measures every command against a bare bot answering `/ping` with one word. Most
Bounceback replies carry a sentence, an embed and buttons, and discord.py builds that
payload, sends it and parses the message Discord returns (the sandbox stores it, too):
work a one-word answer never pays. This measures the same slash commands against a bare
bot answering `/card` (a sentence, an embed and three buttons, nothing computed), so the
ratio left is Bounceback's own code. Button presses are not measured here (they would need
a bare bot answering presses too).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
from typing import Any

from benchmarks.measure import measure_bots
from benchmarks.report import Row, Target, table
from benchmarks.run import BOUNCEBACK_COMMANDS, FULL, LATENCY_RATIO, QUICK, THROUGHPUT_RATIO
from benchmarks.workloads import Command

CARD_COMMAND = Command("card", expect_button="card:")


def rows(speed: dict[str, Any]) -> list[Row]:
    """p50, p99 and throughput of each command against /card."""
    out: list[Row] = []
    for label, pair in speed.items():
        card, ours = pair["baseline"], pair["bounceback"]
        for pct in ("p50", "p99"):
            target = Target("<=", LATENCY_RATIO)
            out.append(
                Row(
                    f"{label} {pct} (ms)",
                    card["latency_ms"][pct],
                    ours["latency_ms"][pct],
                    target,
                    3,
                )
            )
        target = Target(">=", THROUGHPUT_RATIO)
        metric = f"{label} throughput (/s)"
        out.append(Row(metric, card["throughput_per_s"], ours["throughput_per_s"], target, 0))
    return out


def main(argv: list[str] | None = None) -> int:
    """Measure the slash commands against /card and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small counts")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    plan = QUICK if args.quick else FULL
    commands = [m.command for m in BOUNCEBACK_COMMANDS if m.command.press is None]
    measured = asyncio.run(measure_bots(plan, CARD_COMMAND, commands))
    print("\nEach command against a bare bot answering /card (a sentence, an embed, three")
    print("buttons), in alternating rounds; ratio = Bounceback / bare bot.\n")
    print(table(rows(measured["speed"]), reference="bare /card"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
