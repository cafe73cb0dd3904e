"""`bounceback invite` asks Discord (here the sandbox) which application the token belongs to."""

from __future__ import annotations

import pytest

from bot import cli
from bot.invite import PERMISSIONS
from discord_sandbox import Sandbox
from discord_sandbox.redirect import point_discord_at


async def test_invite_finds_the_application_id_from_the_token(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    with point_discord_at(sandbox):
        assert await cli.invite(sandbox.token, None) == 0
    url = capsys.readouterr().out.strip()
    assert f"client_id={sandbox.application_id}&" in url
    assert url.endswith(f"permissions={PERMISSIONS.value}")


async def test_invite_with_a_rejected_token_says_so(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    with point_discord_at(sandbox):
        assert await cli.invite("not-the-token", None) == 1
    captured = capsys.readouterr()
    assert "rejected the token" in captured.err
    assert captured.out == ""
