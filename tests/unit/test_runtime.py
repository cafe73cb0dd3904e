"""`bounceback run` serves on uvloop when it is installed (it is a default dependency on Linux)."""

from __future__ import annotations

import asyncio

import pytest

from bot import runtime


async def _loop_kind() -> str:
    return type(asyncio.get_running_loop()).__module__


def test_the_bot_runs_on_uvloop_when_installed() -> None:
    pytest.importorskip("uvloop")
    assert runtime.run(_loop_kind()).startswith("uvloop")
