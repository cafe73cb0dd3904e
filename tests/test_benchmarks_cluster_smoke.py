"""`benchmarks/cluster.py --servers 120`: two apps of a 4-shard cluster share the global budget.

Both apps fire every celebration at once against a sandbox enforcing Discord's limits, on
one PostgreSQL. Each server gets exactly one post and Discord answers no request with a 429:
the apps split the 50 requests/s a bot token has. The time is reported, never asserted.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.backends import postgres_server
from tests.benchmark_runs import POSTGRES_S, run_benchmark


def test_a_cluster_fan_out_posts_once_per_server_without_a_429(tmp_path: Path) -> None:
    server = postgres_server()
    out = tmp_path / "cluster.json"
    stdout = run_benchmark(
        "cluster.py", "--servers", "120", "--json", out, postgres=server, timeout=POSTGRES_S
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["posts"] == 120
    assert result["rate_limited"] == 0
    assert sum(result["jobs_per_app"]) == 120  # each server's job in exactly one app
    assert all(jobs > 0 for jobs in result["jobs_per_app"])
    assert "celebration total time (s)" in stdout


def test_a_real_two_process_cluster_reports_start_up_memory_and_latency(tmp_path: Path) -> None:
    server = postgres_server()
    out = tmp_path / "commands.json"
    run_benchmark(
        "cluster_commands.py",
        *("--servers", "40", "--calls", "10", "--json", out),
        postgres=server,
        timeout=POSTGRES_S,
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert len(result["rss_mib"]) == 2  # one figure per bot process
    assert all(mib > 0 for mib in result["rss_mib"])
    for command in ("tip", "rejection log"):
        assert {"p50_ms", "p99_ms", "p50_vs_ping", "p99_vs_ping"} <= set(result[command])
