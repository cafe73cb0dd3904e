"""PostgreSQL restarts under a running bot: an outage is an apology, and nothing is lost.

The bot runs on the throwaway test server that `.ci/postgres.sh` started; the
test stops that server mid-run (`.ci/postgres.sh down`) and starts it again
(`up`). Commands during the outage get the kind error message with an incident
id; commands after it work on fresh pooled connections; what was written
before is all still there. `/healthz` says the database is down, then up again.
"""

from __future__ import annotations

import asyncio
import os
import re
from dataclasses import replace
from pathlib import Path

import aiohttp
import pytest

from bot.clock import FakeClock
from bot.config import MonitoringConfig
from bot.offline import offline_bot
from discord_sandbox import Sandbox
from tests.backends import postgres_server
from tests.conftest import REPO, SEED
from tests.e2e.conftest import START, Bot, Server, e2e_config

SCRIPT = REPO / ".ci" / "postgres.sh"
SERVER_TIMEOUT_S = 90


@pytest.fixture
def e2e_database_url(database_url: str) -> str:
    return database_url


@pytest.fixture(params=["postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    """Run on PostgreSQL alone, on a server this test may stop and start."""
    postgres_server()
    if not os.environ.get("BOUNCEBACK_PG_DIR"):
        reason = "restarting needs the server .ci/postgres.sh started (BOUNCEBACK_PG_DIR)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return str(request.param)


async def _server(action: str) -> None:
    process = await asyncio.create_subprocess_exec(
        str(SCRIPT),
        action,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), SERVER_TIMEOUT_S)
    assert process.returncode == 0, output.decode(errors="replace")


async def test_commands_during_an_outage_apologise_and_nothing_written_before_is_lost(
    bot: Bot,
) -> None:
    alice = bot.server.alice
    for stage in ("application", "interview"):
        assert (await bot.say(alice, "rejection log", stage=stage)).embeds
    await bot.say(alice, "win", text="Sent my portfolio to two studios")

    await _server("down")
    try:
        during = await bot.say(alice, "rejection log", stage="screening")
        assert during.ephemeral
        assert re.search(r"not your fault.*incident `BB-[0-9A-F]{6}`", during.content or "")
        stats = await bot.say(alice, "rejection stats")
        assert "incident `BB-" in (stats.content or "")
    finally:
        await _server("up")

    after = await bot.say(alice, "rejection log", stage="final-round")
    assert after.embeds
    assert "incident" not in (after.content or "")
    data = await bot.rows("SELECT stage FROM rejections ORDER BY id")
    assert [row[0] for row in data] == ["application", "interview", "final-round"]
    wins = await bot.rows("SELECT text FROM wins")
    assert wins == [("Sent my portfolio to two studios",)]


async def test_healthz_is_503_while_the_server_is_down_and_200_once_it_is_back(
    sandbox: Sandbox, server: Server, tmp_path: Path, database_url: str
) -> None:
    config, _ = e2e_config(tmp_path, server, database_url)
    config = replace(config, monitoring=MonitoringConfig(listen="127.0.0.1:0"))
    async with offline_bot(sandbox, config, clock=FakeClock(START), seed=SEED) as app:
        assert app.monitoring is not None
        base = f"http://127.0.0.1:{app.monitoring.port}"
        async with aiohttp.ClientSession() as http:
            await app.bot.monitor.shards.wait_for(lambda up: up == {0}, 5)
            async with http.get(f"{base}/healthz") as response:
                assert (response.status, (await response.json())["database"]) == (200, "ok")

            await _server("down")
            try:
                async with http.get(f"{base}/healthz") as response:
                    body = await response.json()
                assert response.status == 503
                assert body["shards"] == {"0": "connected"}  # the gateway is fine
                assert body["database"] != "ok"
                assert "the database does not answer" in body["reason"]
            finally:
                await _server("up")

            async with http.get(f"{base}/healthz") as response:
                assert response.status == 200
            async with http.get(f"{base}/metrics") as response:
                metrics = await response.text()
    # Fed by the adapter: the migrations, the catch-up's reads and the pings all count.
    count = metrics.split("bounceback_database_query_seconds_count ")[1].split()[0]
    assert float(count) > 3
