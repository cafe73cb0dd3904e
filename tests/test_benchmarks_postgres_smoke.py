"""`benchmarks/run.py --quick --backend postgres` runs and reports both stores' figures.

Like the other benchmark smoke test, this checks that the measurement works and that every
row is present with a verdict, never how fast anything was.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.backends import postgres_server
from tests.benchmark_runs import POSTGRES_S, run_benchmark

ROWS = (
    *(
        f"{command} {part}"
        for command in ("/tip", "/rejection log")
        for part in (
            "p50: PostgreSQL vs SQLite",
            "p99: PostgreSQL vs SQLite",
            "throughput: PostgreSQL vs SQLite",
        )
    ),
    "celebration posts made on PostgreSQL",
    "celebration total time (s) on PostgreSQL",
    "celebration 429s received on PostgreSQL",
)


def test_the_postgres_benchmark_compares_both_stores_against_the_bare_bot(tmp_path: Path) -> None:
    server = postgres_server()
    out = tmp_path / "bench.json"
    stdout = run_benchmark(
        "run.py",
        "--quick",
        "--backend",
        "postgres",
        "--json",
        out,
        postgres=server,
        timeout=POSTGRES_S,
    )
    for row in ROWS:
        (line,) = [line for line in stdout.splitlines() if line.startswith(row)]
        assert line.rstrip().endswith(("PASS", "FAIL")), line
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["backends"]["fanout"]["delivered"]["posts made"] == 60
    for backend in ("sqlite", "postgres"):
        for command in ("/tip", "/rejection log"):
            pair = results["backends"][backend][command]
            assert pair["bounceback"]["verified_replies"] > 0  # every reply was the real answer
