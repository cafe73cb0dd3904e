"""Sharding settings and what a process owns: config, CLI flags, weekly jobs, IDENTIFY pacing."""

from __future__ import annotations

import socket
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml

from bot import cli
from bot.__main__ import build_parser
from bot.cluster import pacing_share
from bot.config import Config, load_config
from bot.content.source import SourceErrors
from bot.delivery import PACING_SLOTS
from bot.domain.schedule import Weekly
from bot.domain.shards import Owns, ShardPlan, plan_shards, shard_of
from bot.scheduling import Scheduler, WeeklyJobs
from bot.sharding import IdentifyPacer, describe_shards, with_shards
from tests.conftest import REPO

FRIDAY = Weekly("friday", "17:00", "UTC")
# Guild ids whose timestamp bits put them on shards 0, 1, 2 and 3 of 4.
GUILDS = [(4_000 + n) << 22 for n in range(4)]


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    return path


def test_the_shard_of_a_server_comes_from_its_id_timestamp() -> None:
    assert [shard_of(g, 4) for g in GUILDS] == [0, 1, 2, 3]
    assert [shard_of(g, 2) for g in GUILDS] == [0, 1, 0, 1]


def test_the_processes_of_a_cluster_split_the_tokens_global_budget() -> None:
    assert [plan_shards(4, ids).processes for ids in ((0, 1), (2,), (0, 1, 2, 3))] == [2, 4, 1]
    assert pacing_share(plan_shards(4, (2, 3))) == PACING_SLOTS // 2
    assert pacing_share(ShardPlan()) == pacing_share(plan_shards("auto", None)) == PACING_SLOTS
    assert pacing_share(plan_shards(200, (7,))) == 1  # never none at all


def test_a_process_owns_only_its_shards_servers() -> None:
    half = plan_shards(4, (2, 3))
    assert [half.owns(g) for g in GUILDS] == [False, False, True, True]
    assert plan_shards(4, (1, 0)).ids == (0, 1)
    assert all(ShardPlan().owns(g) and plan_shards("auto", None).owns(g) for g in GUILDS)
    assert plan_shards("none", None) == ShardPlan()


@pytest.mark.parametrize(
    ("shards", "ids", "problem"),
    [
        ("none", (0,), "needs discord.shards set to a number"),
        ("auto", (0,), "not auto"),
        (2, (0, 2), "between 0 and 1 for 2 shards, got 2"),
        (2, (1, 1), "each shard once"),
        (0, None, "a number from 1"),
    ],
)
def test_shard_settings_that_cannot_work_say_why(
    shards: str | int, ids: tuple[int, ...] | None, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        plan_shards(shards, ids)


def test_config_reads_shards_and_monitoring(tmp_path: Path) -> None:
    text = "discord:\n  shards: 4\n  shard_ids: [2, 3]\nmonitoring:\n  listen: 0.0.0.0:9464\n"
    config = load_config(_config(tmp_path, text))
    assert config.discord.plan == ShardPlan(sharded=True, count=4, ids=(2, 3))
    assert config.monitoring.listen == "0.0.0.0:9464"
    assert load_config(_config(tmp_path, "discord:\n  shards: auto\n")).discord.plan.sharded
    assert Config().monitoring.listen is None
    assert not Config().discord.plan.sharded


def test_bad_shard_config_names_the_line(tmp_path: Path) -> None:
    text = "discord:\n  shards: lots\nmonitoring:\n  listen: everywhere\n"
    with pytest.raises(SourceErrors) as caught:
        load_config(_config(tmp_path, text))
    shown = [str(e).split(": ", 1)[1] for e in caught.value.errors]
    assert shown == [
        "key 'discord.shards' must be one of: none, auto or a whole number",
        "key 'monitoring.listen' must be host:port, such as 127.0.0.1:9464, got 'everywhere'",
    ]
    with pytest.raises(SourceErrors, match=r"config.yaml:2:3: .*between 0 and 1 for 2 shards"):
        load_config(_config(tmp_path, "discord:\n  shards: 2\n  shard_ids: [5]\n"))


def test_run_flags_override_the_config() -> None:
    args = build_parser().parse_args(["run", "--shards", "4", "--shard-ids", "0,1"])
    config = with_shards(Config(), args.shards, args.shard_ids)
    assert config.discord.plan == ShardPlan(sharded=True, count=4, ids=(0, 1))
    assert describe_shards(config.discord.plan) == "shards 0, 1 of 4"
    with pytest.raises(ValueError, match="between 0 and 3"):
        with_shards(config, None, (4,))
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--shard-ids", "zero"])


class _Feature:
    async def weekly_slots(self, guild_id: int | None = None) -> Mapping[int, Mapping[str, Weekly]]:
        return {g: {"celebration": FRIDAY} for g in GUILDS if guild_id in (None, g)}

    async def run(self, guild_id: int, kind: str) -> object:
        raise AssertionError("not fired in these tests")

    async def catch_up(self, owns: Owns) -> list[object]:
        return []


async def _ready() -> None:
    """Return at once: the bot is connected already."""


async def test_weekly_jobs_cover_only_own_servers_and_drop_a_server_that_left() -> None:
    scheduler = Scheduler()
    jobs = WeeklyJobs(scheduler, _ready, owns=plan_shards(4, (1, 3)).owns)
    jobs.declare(_Feature())  # type: ignore[arg-type]
    await jobs.schedule()
    own = sorted(f"celebration:{g}" for g in (GUILDS[1], GUILDS[3]))
    assert scheduler.job_ids() == [*own, "leases"]  # the lease sweep runs in every process
    await jobs.schedule(GUILDS[0])  # a server of another process: still not scheduled here
    jobs.unschedule(GUILDS[1])
    assert scheduler.job_ids() == [f"celebration:{GUILDS[3]}", "leases"]


async def test_identify_waits_only_for_its_own_concurrency_bucket() -> None:
    clock = [100.0]
    slept: list[float] = []

    async def concurrency() -> int:
        return 2

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    pacer = IdentifyPacer(concurrency, now=lambda: clock[0], sleep=sleep)
    for shard in (0, 1):  # two buckets: both start at once
        await pacer.wait(shard)
    assert slept == []
    clock[0] += 1.0
    await pacer.wait(2)  # bucket 0 again, 1 s later: waits out the rest of Discord's 5 s
    assert slept == [4.0]


def test_the_cluster_compose_file_runs_every_shard_once_with_health_checks() -> None:
    compose = yaml.safe_load((REPO / "compose.cluster.yaml").read_text())
    bots = [s for name, s in compose["services"].items() if name.startswith("bounceback")]
    owned: list[int] = []
    for service in bots:
        args = build_parser().parse_args(service["command"][1:])
        assert args.shards == 4
        owned += args.shard_ids
        assert "/healthz" in " ".join(service["healthcheck"]["test"])
        assert "BOUNCEBACK_SECRET" in service["environment"]  # one secret for every process
    assert sorted(owned) == [0, 1, 2, 3]
    assert "postgres" in compose["services"]
    assert "listen: 0.0.0.0:9464" in compose["configs"]["bounceback"]["content"]


async def test_a_taken_monitoring_port_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        text = (
            f"database:\n  path: {tmp_path / 'bot.db'}\nmonitoring:\n  listen: 127.0.0.1:{port}\n"
        )
        config = load_config(_config(tmp_path, text))
        assert await cli.start_app(config) is None
    assert f"Cannot serve health and metrics on 127.0.0.1:{port}" in capsys.readouterr().err
