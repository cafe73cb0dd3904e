"""The benchmark suite still runs end to end (``run.py --quick``) and reports every metric.

Speed goals are measurements, not timed tests: this test checks that the benchmark works and
that its table and JSON are complete, never how fast anything was.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from benchmarks.fanout_report import THREADS_FLAG, planned
from benchmarks.fanout_result import peak_per_second
from benchmarks.measure import Plan
from bot.config import RejectionsConfig
from tests.benchmark_runs import run_benchmark

KINDS = ("baseline", "bounceback")
# Every member-facing command issue 16 lists, and the writes among them.
MEMBER_COMMANDS = (
    "/help",
    "/tip",
    "/tip Another tip",
    "/rejection log",
    "/rejection stats",
    "/win",
    "/wins",
    "/goal set",
    "/goal list",
    "/accountability join",
    "/support",
    "/support Ground me",
    "/help (es-ES)",
    "/tip (es-ES)",
)
WRITES = ("/rejection log", "/win", "/goal set")
COMMAND_ROWS = tuple(
    row
    for name in MEMBER_COMMANDS
    for row in (
        f"{name} p50 latency",
        f"{name} p99 latency",
        f"{name} {'sustained writes' if name in WRITES else 'throughput'} @50 in flight",
    )
)
# Rows comparing the two bots: each must show a numeric ratio.
RATIO_ROWS = (
    *COMMAND_ROWS,
    "start-up to READY, 1 guild (s)",
    "memory after READY, 10 guilds",
)
# Rows with a target: each must end in a verdict.
TARGET_ROWS = (
    *COMMAND_ROWS,
    "memory after READY, 10 guilds",
    "load 1,000-tip library",
    "celebration posts made",
    "celebration total time (s)",
    "celebration 429s received",
    "accountability threads made",
    "accountability members added",
    "accountability total time (s)",
    "accountability 429s received",
)
POST_MESSAGE = "POST /channels/{channel_id}/messages"
THREAD_CALLS = {
    "POST /channels/{channel_id}/messages 200",
    "POST /channels/{channel_id}/messages/{message_id}/threads 200",
    "PUT /channels/{channel_id}/thread-members/{user_id} 204",
}


def _cells(stdout: str, metric: str) -> list[str]:
    """Return the table row starting with ``metric``, split into its columns."""
    line = next((line for line in stdout.splitlines() if line.startswith(metric)), None)
    assert line is not None, f"no table row for {metric!r} in:\n{stdout}"
    return re.split(r"\s{2,}", line.strip())


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    results = tmp_path_factory.mktemp("bench") / "results.json"
    stdout = run_benchmark("run.py", "--quick", "--json", results)
    return stdout, json.loads(results.read_text())


def test_every_metric_is_measured_for_both_bots(quick_run: tuple[str, dict[str, Any]]) -> None:
    _, results = quick_run
    assert set(results["speed"]) == set(MEMBER_COMMANDS)
    for command, pair in results["speed"].items():
        for kind in KINDS:
            measured = pair[kind]
            assert measured["latency_ms"]["p50"] > 0, (command, kind)
            assert measured["latency_ms"]["p99"] >= measured["latency_ms"]["p50"], (command, kind)
            assert measured["throughput_per_s"] > 0, (command, kind)
            assert measured["bot_cpu_ms"] >= 0, (command, kind)
        assert pair["baseline"]["command"] == "/ping"
        assert pair["bounceback"]["command"] == command
    guilds = sorted(str(count) for count in results["plan"]["guild_counts"])
    for kind in KINDS:
        bot = results["bots"][kind]
        assert sorted(bot["startup_s"]) == guilds, kind
        assert sorted(bot["rss_mib"]) == guilds, kind
        assert all(value > 0 for value in bot["rss_mib"].values()), kind
    assert results["content_load"]["median_s"] > 0


def test_the_table_prints_ratios_and_verdicts(quick_run: tuple[str, dict[str, Any]]) -> None:
    stdout, results = quick_run
    assert _cells(stdout, "metric") == [
        "metric",
        "baseline",
        "Bounceback",
        "ratio",
        "target",
        "result",
    ]
    for metric in RATIO_ROWS:
        float(_cells(stdout, metric)[3])
    for metric in TARGET_ROWS:
        assert _cells(stdout, metric)[-1] in ("PASS", "FAIL"), metric
    for row in results["rows"]:
        if row["baseline"] is not None:
            assert row["ratio"] == pytest.approx(row["bounceback"] / row["baseline"])
    assert "Results written to" in stdout


def test_the_bots_logged_no_errors(quick_run: tuple[str, dict[str, Any]]) -> None:
    _, results = quick_run
    for kind in KINDS:
        assert results["bots"][kind]["logged_errors"] == [], kind


def test_rejection_log_was_measured_logging_not_refusing(
    quick_run: tuple[str, dict[str, Any]],
) -> None:
    _, results = quick_run
    plan = results["plan"]
    ours = results["speed"]["/rejection log"]["bounceback"]
    # The run checks every reply's embed title and stops at the first refusal, so every call
    # (warm-up included) was a real log; and each member logged past the default daily limit.
    calls = plan["warmup"] + plan["sequential"] + plan["throughput"]
    assert ours["expected_title"] == "Logged, privately"
    assert ours["verified_replies"] == calls
    invokers = plan["bench_guilds"] * plan["invokers_per_guild"]
    assert calls / invokers > RejectionsConfig().daily_limit


def test_every_command_was_measured_answering_not_refusing(
    quick_run: tuple[str, dict[str, Any]],
) -> None:
    _, results = quick_run
    plan = results["plan"]
    calls = plan["warmup"] + plan["sequential"] + plan["throughput"]
    for command in MEMBER_COMMANDS:
        ours = results["speed"][command]["bounceback"]
        # Each reply was checked (title, opening words or button) before it was timed.
        assert ours["verified_replies"] == calls, command
    assert results["speed"]["/goal set"]["bounceback"]["expected_text"] == "Goal saved for this"
    assert results["speed"]["/support Ground me"]["bounceback"]["expected_button"] == "support:"


def test_the_celebration_fanout_posts_once_per_server(
    quick_run: tuple[str, dict[str, Any]],
) -> None:
    stdout, results = quick_run
    servers = results["plan"]["fanout_servers"]
    fanout = results["fanout"]["celebration"]
    assert fanout["servers"] == servers
    assert fanout["expected"] == fanout["delivered"] == {"posts made": servers}
    assert fanout["outcomes"] == {"sent": servers}
    assert all(call.startswith(POST_MESSAGE) for call in fanout["requests"]), fanout["requests"]
    assert fanout["seconds"] > 0
    assert fanout["floor_s"] == pytest.approx(servers / 50)
    assert fanout["rate_limited"] >= 0
    assert not [line for line in fanout["logged"] if line.startswith(("ERROR", "CRITICAL"))]
    assert float(_cells(stdout, "celebration total time (s)")[3]) == pytest.approx(
        fanout["ratio"], abs=0.01
    )
    assert "REST calls during the celebration fan-out: POST" in stdout


def test_the_quick_run_opens_a_few_weekly_threads_with_their_members(
    quick_run: tuple[str, dict[str, Any]],
) -> None:
    stdout, results = quick_run
    plan = results["plan"]
    servers, members = plan["thread_servers"], plan["thread_members"]
    fanout = results["fanout"]["accountability"]
    assert (fanout["servers"], fanout["members_per_server"]) == (servers, members)
    made = {"threads made": servers, "members added": servers * members}
    assert fanout["expected"] == fanout["delivered"] == made
    assert fanout["outcomes"] == {"sent": servers}
    # The starter message, the thread on it, one add per member: nothing else, nothing refused.
    assert set(fanout["requests"]) == THREAD_CALLS, fanout["requests"]
    assert sum(fanout["requests"].values()) == fanout["needed_requests"] == servers * (2 + members)
    assert fanout["floor_s"] == pytest.approx(servers * (2 + members) / 50)
    assert 0 < fanout["peak_per_second"] <= fanout["needed_requests"]
    assert not [line for line in fanout["logged"] if line.startswith(("ERROR", "CRITICAL"))]
    assert float(_cells(stdout, "accountability total time (s)")[3]) == pytest.approx(
        fanout["ratio"], abs=0.01
    )
    assert "REST calls during the accountability fan-out: P" in stdout
    assert results["fanout_not_run"] == []


def test_a_full_run_measures_the_thread_fanout_only_when_asked() -> None:
    runs, skipped = planned(Plan(), quick=False, threads=False)
    assert [run.fanout.name for run in runs] == ["celebration"]
    assert len(skipped) == 1
    assert THREADS_FLAG in skipped[0]
    assert "1,000 servers x 20 joined members" in skipped[0]
    runs, skipped = planned(Plan(), quick=False, threads=True)
    assert skipped == []
    threads = runs[-1]
    assert (threads.fanout.name, threads.servers) == ("accountability", 1000)
    assert threads.servers * threads.fanout.requests_per_server == 22_000


def test_the_peak_counts_requests_within_any_one_second() -> None:
    assert peak_per_second([]) == 0
    assert peak_per_second([0.0, 0.5, 0.99, 1.0, 1.5]) == 3
    assert peak_per_second([3.0, 0.0, 0.2]) == 2


def test_the_reply_shape_run_reports_every_command_against_the_bare_card() -> None:
    """`reply_shape.py --quick` runs and prints each member command against the bare /card."""
    stdout = run_benchmark("reply_shape.py", "--quick")
    for name in MEMBER_COMMANDS:
        for metric in ("p50 (ms)", "p99 (ms)", "throughput (/s)"):
            row = next(line for line in stdout.splitlines() if line.startswith(f"{name} {metric}"))
            assert re.search(r"\s\d+\.\d\d\s+ratio", row), row


def test_the_floor_run_reports_the_bare_bots_rich_replies_against_its_ping() -> None:
    """`floor.py --quick` runs and prints the bare /card and its press against the bare /ping."""
    stdout = run_benchmark("floor.py", "--quick")
    assert "bare, richer" in stdout
    for name in ("/card", "/card Again"):
        for metric in ("p50 (ms)", "p99 (ms)", "throughput (/s)"):
            row = next(line for line in stdout.splitlines() if line.startswith(f"{name} {metric}"))
            assert re.search(r"\s\d+\.\d\d\s+ratio", row), row
