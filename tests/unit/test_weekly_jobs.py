"""The weekly-job registry: a job never waits forever, and one failing feature stops no other."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pytest

from bot.domain.schedule import Weekly
from bot.domain.shards import Owns
from bot.scheduling import Scheduler, WeeklyJobs

FRIDAY = Weekly("friday", "17:00", "Europe/Berlin")


@dataclass(frozen=True)
class Ran:
    guild_id: int
    kind: str
    status: str = "sent"


class Feature:
    """A feature with one weekly post in each of its servers; records what it was asked to do."""

    def __init__(
        self, kind: str, servers: Sequence[int], *, broken: bool = False, lapsed: Sequence[int] = ()
    ) -> None:
        self.kind, self.servers, self.broken, self.lapsed = kind, servers, broken, lapsed
        self.runs: list[tuple[int, str]] = []

    async def weekly_slots(self, guild_id: int | None = None) -> Mapping[int, Mapping[str, Weekly]]:
        return {s: {self.kind: FRIDAY} for s in self.servers if guild_id in (None, s)}

    async def run(self, guild_id: int, kind: str) -> Ran:
        self.runs.append((guild_id, kind))
        return Ran(guild_id, kind)

    async def catch_up(self, owns: Owns) -> Sequence[Ran]:
        if self.broken:
            raise RuntimeError("the database went away")
        return [await self.run(s, self.kind) for s in self.servers if owns(s)]

    async def resume_lapsed(self, owns: Owns) -> Sequence[Ran]:
        if self.broken:
            raise RuntimeError("the database went away")
        return [await self.run(s, self.kind) for s in self.lapsed if owns(s)]


async def connected() -> None:
    """Return at once: the bot is already connected, nothing to wait for."""


async def test_every_declared_feature_gets_one_job_per_server_and_kind() -> None:
    scheduler = Scheduler()
    jobs = WeeklyJobs(scheduler, connected, ready_timeout=1)
    jobs.declare(Feature("celebration", [1, 2]))
    jobs.declare(Feature("recap", [2]))
    await jobs.schedule()
    assert scheduler.job_ids() == ["celebration:1", "celebration:2", "leases", "recap:2"]


async def test_a_job_fired_before_the_bot_connects_is_left_to_the_catch_up(
    caplog: pytest.LogCaptureFixture,
) -> None:
    never = asyncio.Event()
    feature = Feature("celebration", [1])
    scheduler = Scheduler()
    jobs = WeeklyJobs(scheduler, never.wait, ready_timeout=0.01)
    jobs.declare(feature)
    await jobs.schedule()
    with caplog.at_level(logging.WARNING, logger="bot.scheduling"):
        outcome = await scheduler.fire("celebration:1")
    assert outcome is None
    assert feature.runs == []
    assert any("not connected" in r.getMessage() for r in caplog.records)


async def test_a_connected_bot_runs_the_job() -> None:
    feature = Feature("checkin", [7])
    scheduler = Scheduler()
    jobs = WeeklyJobs(scheduler, connected, ready_timeout=1)
    jobs.declare(feature)
    await jobs.schedule(7)
    outcome = await scheduler.fire("checkin:7")
    assert outcome == Ran(7, "checkin")
    assert feature.runs == [(7, "checkin")]


async def test_one_feature_failing_its_catch_up_does_not_stop_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken, fine = Feature("celebration", [1], broken=True), Feature("accountability", [1])
    jobs = WeeklyJobs(Scheduler(), connected, ready_timeout=1)
    jobs.declare(broken)
    jobs.declare(fine)
    with caplog.at_level(logging.ERROR, logger="bot.incidents"):
        await jobs.catch_up()
    assert fine.runs == [(1, "accountability")]
    assert any("incident BB-" in r.getMessage() for r in caplog.records)


async def test_the_lease_sweep_finishes_lapsed_posts_of_every_feature_even_if_one_fails(
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken = Feature("celebration", [1], broken=True)
    fine = Feature("recap", [1, 2, 3], lapsed=[2])
    scheduler = Scheduler()
    jobs = WeeklyJobs(scheduler, connected, ready_timeout=1, sweep_seconds=1)
    jobs.declare(broken)
    jobs.declare(fine)
    await jobs.schedule()
    with caplog.at_level(logging.INFO):
        await scheduler.fire("leases")
    assert fine.runs == [(2, "recap")]
    assert any("lapsed lease weekly recap for 2: sent" in r.getMessage() for r in caplog.records)
    assert any("incident BB-" in r.getMessage() for r in caplog.records)
