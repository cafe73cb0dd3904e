"""E2E harness: the real bot, started in-process against the sandbox, on a fresh database.

Each test gets its own sandbox, database and content copy, so nothing leaks
between tests; starting all of it takes a fraction of a second.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import pytest
from _pytest.terminal import TerminalReporter

from bot.app import App
from bot.clock import FakeClock
from bot.config import Config, ContentConfig, DatabaseConfig, ModerationConfig
from bot.offline import offline_bot
from bot.services.weekly_runs import Sleep
from discord_sandbox import Channel, Guild, InteractionResponse, Member, Sandbox
from tests.conftest import REPO, SEED

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday morning


@dataclass
class Server:
    """One sandbox server with the people and channels most tests need."""

    guild: Guild
    general: Channel
    modlog: Channel
    mod_role_id: int
    alice: Member  # a member
    bob: Member  # another member
    mo: Member  # a moderator through the configured role
    owner: Member  # has Manage Server


@dataclass
class Bot:
    """The running bot plus handles to drive and observe it."""

    sb: Sandbox
    app: App
    server: Server
    clock: FakeClock
    content: Path
    slept: list[float] = field(default_factory=list)  # every pause a weekly post's retry took

    async def say(
        self,
        who: Member,
        command: str,
        in_channel: Channel | None = None,
        locale: str = "en-US",
        **options: object,
    ) -> InteractionResponse:
        """Type a slash command as `who` (in #general unless `in_channel`) and wait for the answer."""
        where = in_channel or self.server.general
        result = await self.sb.invoke(who, command, options=options, channel=where, locale=locale)
        return await result.response(timeout=5)

    async def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        """Read the bot's own database, whichever backend it runs on, as plain tuples."""
        return [tuple(row) for row in await self.app.db.fetch_all(sql, params)]


def clock_sleep(clock: FakeClock, slept: list[float]) -> Sleep:
    """Pause by moving the fake clock, not by waiting: retries cost no real time in tests."""

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(timedelta(seconds=seconds))
        await asyncio.sleep(0)

    return sleep


def build_server(sb: Sandbox) -> Server:
    guild = sb.create_guild("Job Seekers", locale="en-US")
    mods = guild.create_role("Moderators")
    return Server(
        guild=guild,
        general=guild.create_text_channel("general"),
        modlog=guild.create_text_channel("mod-log"),
        mod_role_id=mods.id,
        alice=guild.add_member("alice"),
        bob=guild.add_member("bob"),
        mo=guild.add_member("mo", roles=[mods]),
        owner=guild.add_member("olivia", permissions=discord.Permissions(manage_guild=True).value),
    )


def e2e_config(
    tmp_path: Path, server: Server, database_url: str | None = None
) -> tuple[Config, Path]:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    config = replace(
        Config(),
        database=DatabaseConfig(url=database_url, path=str(tmp_path / "data" / "bounceback.db")),
        content=ContentConfig(directory=str(content), watch=True),
        moderation=ModerationConfig(role_id=server.mod_role_id, log_channel_id=server.modlog.id),
        base_dir=str(tmp_path),
    )
    return config, content


@dataclass
class CrashTally:
    """What the SIGKILL tests did and found, printed at the end of the run for issue 13."""

    kills: int = 0
    weeks: int = 0  # weekly posts (of any kind) due in the tests that killed or raced
    lost: int = 0  # of those, posts missing at the end
    duplicates: int = 0  # and posts made more than once

    def record(self, kills: int, expected: int, made: int) -> None:
        """Count one test's kills and compare the posts it made with those it should have."""
        self.kills += kills
        self.weeks += expected
        self.lost += max(0, expected - made)
        self.duplicates += max(0, made - expected)


CRASH_TALLY = pytest.StashKey[CrashTally]()


@pytest.fixture
def crash_tally(request: pytest.FixtureRequest) -> CrashTally:
    """Share one tally of kills, lost weeks and duplicate posts across the run."""
    return request.config.stash.setdefault(CRASH_TALLY, CrashTally())


def pytest_terminal_summary(terminalreporter: TerminalReporter, config: pytest.Config) -> None:
    """Print the crash tally, when SIGKILL tests ran."""
    tally = config.stash.get(CRASH_TALLY, None)
    if tally is not None and tally.kills:
        terminalreporter.write_line(
            f"exactly once under SIGKILL: {tally.kills} kills, {tally.weeks} weekly posts "
            f"checked, {tally.lost} lost weeks, {tally.duplicates} duplicate posts"
        )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder `e2e`, so `-m "not e2e"` runs the fast layers alone."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox() as sb:
        yield sb


@pytest.fixture
def server(sandbox: Sandbox) -> Server:
    return build_server(sandbox)


@pytest.fixture
def e2e_database_url() -> str | None:
    """Choose the bot's database: None is the SQLite file; a module overrides it to run on both.

    To run a module on SQLite and PostgreSQL, define in it
    `e2e_database_url = pytest.fixture(both_backends, name="e2e_database_url")`.
    """
    return None


def both_backends(database_url: str) -> str:
    """Fixture body for modules that run on every backend (`database_url` is parametrized)."""
    return database_url


@pytest.fixture
async def bot(
    sandbox: Sandbox, server: Server, tmp_path: Path, e2e_database_url: str | None
) -> AsyncIterator[Bot]:
    config, content = e2e_config(tmp_path, server, e2e_database_url)
    clock, slept = FakeClock(START), list[float]()
    sleep = clock_sleep(clock, slept)
    async with offline_bot(sandbox, config, clock=clock, seed=SEED, sleep=sleep) as app:
        yield Bot(sandbox, app, server, clock, content, slept)
