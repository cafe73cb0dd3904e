"""Fixtures: a fresh sandbox, a small world, and the test bot connected to it.

Each test gets its own sandbox and client (about 0.1 s to start) so faults never leak
between tests.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import discord
import pytest
from sandbox_testbot import ProbeBot, Scene, start_bot, stop_bot

from discord_sandbox import Sandbox, point_discord_at


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox() as sb:
        yield sb


@pytest.fixture
def world(sandbox: Sandbox) -> Scene:
    guild = sandbox.create_guild("Job Seekers", locale="en-US")
    mods = guild.create_role(
        "Moderators", permissions=discord.Permissions(manage_messages=True).value
    )
    return Scene(
        guild=guild,
        general=guild.create_text_channel("general"),
        wins=guild.create_text_channel("wins"),
        forum=guild.create_forum_channel("accountability", tags=["weekly"]),
        mods=mods,
        alice=guild.add_member("alice", roles=[mods], locale="es-ES"),
        bob=guild.add_member("bob"),
    )


@pytest.fixture
async def bot(sandbox: Sandbox, world: Scene) -> AsyncIterator[ProbeBot]:
    with point_discord_at(sandbox):
        client = ProbeBot()
        task = await start_bot(sandbox, client)
        yield client
        await stop_bot(client, task)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Missing optional voice libraries are an environment fact, not a payload problem.
        if "voice will NOT be supported" not in record.getMessage():
            self.records.append(record)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "discord_warnings: the test expects discord.py to log warnings"
    )


@pytest.fixture(autouse=True)
def no_discord_warnings(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test when discord.py logs a warning or error (a payload it did not like)."""
    handler = _Collect()
    logger = logging.getLogger("discord")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if request.node.get_closest_marker("discord_warnings") is None:
        assert [r.getMessage() for r in handler.records] == []
