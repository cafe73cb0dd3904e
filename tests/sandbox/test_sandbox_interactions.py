"""Interaction responses: modals, views, deferral, follow-ups, and Discord's ack rules."""

from __future__ import annotations

import aiohttp
import pytest
from sandbox_testbot import NOTES, ProbeBot, Scene

from discord_sandbox import Sandbox, SandboxError


async def test_modal_round_trip(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    res = await sandbox.invoke(world.alice, "feedback")
    modal = await res.modal(timeout=2)
    assert modal.custom_id == "feedback-modal"
    assert modal.input_ids == ["text", "mood"]
    assert [c["type"] for c in modal.components] == [18, 1]
    submitted = await sandbox.submit_modal(world.alice, modal, {"text": "mock interviews"})
    reply = await submitted.response(timeout=2)
    assert reply.content == "thanks: mock interviews / -"
    assert reply.ephemeral


async def test_button_click_and_select_on_a_view(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    res = await sandbox.invoke(world.alice, "menu")
    menu = await res.response(timeout=2)
    assert menu.ephemeral
    assert menu.message is not None
    clicked = await sandbox.click(world.alice, menu.message, "more")
    update = await clicked.response(timeout=2)
    assert update.kind == "update"
    assert menu.message.content == "more!"
    picked = await sandbox.select(world.alice, menu.message, "pick", ["rest"])
    assert (await picked.response(timeout=2)).content == "picked rest"


async def test_deferred_then_edit_original(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    res = await sandbox.invoke(world.bob, "slow")
    first = await res.response(timeout=2)
    assert first.kind == "deferred"
    final = await res.final(timeout=2)
    assert final.content == "done thinking"
    assert final.ephemeral
    assert res.edits[0]["content"] == "done thinking"


async def test_followup_with_embed_and_file(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    res = await sandbox.invoke(world.bob, "multi", channel=world.wins)
    first = await res.response(timeout=2)
    assert first.content == "first"
    assert first.embeds[0]["title"] == "One"
    second = await res.followup(0, timeout=2)
    assert second.content == "second"
    assert second.ephemeral
    assert [(a.filename, a.data) for a in second.attachments] == [("notes.txt", NOTES)]
    assert [m.content for m in world.wins.live_messages] == ["first"]


async def test_second_ack_is_rejected(sandbox: Sandbox, world: Scene, bot: ProbeBot) -> None:
    res = await sandbox.invoke(world.alice, "ping")
    await res.response(timeout=2)
    url = f"{sandbox.api_base}/interactions/{res.id}/{res.payload['token']}/callback"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json={"type": 4, "data": {"content": "again"}}) as resp,
    ):
        assert resp.status == 400
        assert (await resp.json())["code"] == 40060


@pytest.mark.discord_warnings  # discord.py logs the NotFound the late callback raised
async def test_late_callback_is_unknown_interaction(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    sandbox.ack_timeout = 0.0
    await sandbox.invoke(world.alice, "ping")
    late = await sandbox.wait_for_request(
        lambda r: r.route is not None and r.route.endswith("/callback")
    )
    assert (late.status, late.error_code) == (404, 10062)


async def test_modal_limits_are_the_clients_unless_disabled(
    sandbox: Sandbox, world: Scene, bot: ProbeBot
) -> None:
    modal = await (await sandbox.invoke(world.alice, "feedback")).modal(timeout=2)
    with pytest.raises(SandboxError, match="'text' is required"):
        await sandbox.submit_modal(world.alice, modal, {"mood": "ok"})
    with pytest.raises(SandboxError, match="no input"):
        await sandbox.submit_modal(world.alice, modal, {"txt": "typo"})
    forced = await sandbox.submit_modal(world.alice, modal, {"mood": "ok"}, enforce_limits=False)
    assert (await forced.response(timeout=2)).content == "thanks:  / ok"
