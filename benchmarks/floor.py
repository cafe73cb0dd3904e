"""The framework's own floor: ``python benchmarks/floor.py``.

Issue 16's ratios divide by a bare bot answering `/ping` with one word. Before asking how
close Bounceback can come, this asks how close discord.py itself comes when the bare bot
answers the way Bounceback has to: `/card` (a sentence, an embed and three buttons, nothing
computed) and a press of the card's "Again" button (the card edited in place). Both bots
here are the bare bot, in fresh processes, measured in alternating blocks in the same run;
the ratios are the bare bot's richer reply against its own `/ping`. Whatever they use of a
target is gone before Bounceback runs a line of its own code.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncio
import contextlib
import tempfile
from typing import Any

from benchmarks.harness import Kind
from benchmarks.measure import Plan, measure_speed, subject
from benchmarks.reply_shape import CARD_COMMAND, CARD_PRESS, pair_rows, plan_from
from benchmarks.report import Row, table
from benchmarks.run import BASELINE_COMMAND
from benchmarks.workloads import Command


async def against_ping(plan: Plan, rich: Command) -> dict[Kind, dict[str, Any]]:
    """Time the bare bot's `rich` reply against its own /ping, each in its own process."""
    with tempfile.TemporaryDirectory(prefix="bounceback-floor-") as folder:
        logs = Path(folder)
        invokers = plan.invokers_for(rich)
        async with contextlib.AsyncExitStack() as stack:
            ping = await stack.enter_async_context(subject("baseline", plan, logs, invokers))
            richer = await stack.enter_async_context(subject("baseline", plan, logs, invokers))
            speed = await measure_speed(
                plan,
                {"baseline": ping, "bounceback": richer},
                {"baseline": BASELINE_COMMAND, "bounceback": rich},
            )
    return speed


def rows(label: str, speed: dict[Kind, dict[str, Any]]) -> list[Row]:
    """p50, p99, throughput and CPU per interaction of the rich reply against /ping."""
    ping, rich = speed["baseline"], speed["bounceback"]
    cpu = f"{label} bot CPU (ms per interaction)"
    return [
        *pair_rows(label, ping, rich),
        Row(cpu, ping["bot_cpu_ms"], rich["bot_cpu_ms"], None, 3),
    ]


def main(argv: list[str] | None = None) -> int:
    """Measure /card and its press against /ping on the bare bot, and print the table."""
    plan = plan_from(argv, __doc__.splitlines()[0])
    measured: list[Row] = []
    for label, rich in (("/card", CARD_COMMAND), ("/card Again", CARD_PRESS)):
        measured += rows(label, asyncio.run(against_ping(plan, rich)))
        print(f"  {label} against /ping: done", flush=True)
    print("\nThe bare bot's own richer replies against its one-word /ping, alternating blocks;")
    print("ratio = richer reply / /ping, checked against issue 16's targets.\n")
    print(table(measured, reference="bare /ping", subject="bare, richer"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
