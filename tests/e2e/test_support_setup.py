"""/setup support end to end, and the promise that nothing from /support is ever public."""

from __future__ import annotations

import sqlite3

from tests.e2e.conftest import Bot
from tests.e2e.test_support import (
    PLAN,
    ask_support,
    press,
    run_setup,
    save_plan,
)

NOT_ADMIN = (
    "Setting this up needs the Manage Server permission. "
    "If you think you should have it, ask a server admin."
)
CALLBACK = "/interactions/{interaction_id}/{token}/callback"
FOLLOWUP = "/webhooks/{application_id}/{token}"


async def test_the_servers_own_line_comes_first(bot: Bot) -> None:
    server = bot.server
    saved = await run_setup(
        bot,
        server.owner,
        "support",
        channel=server.general,
        role=server.guild.roles[server.mod_role_id],
        note="Someone from the mod team checks in every evening.",
    )
    assert saved.ephemeral
    assert saved.content == "Saved. Members will see this first under Talk to someone in /support."
    talk = await press(bot, await ask_support(bot), "Talk to someone")
    first = talk.embeds[0]["fields"][0]
    assert first["name"] == "In this server"
    assert f"<#{server.general.id}>" in first["value"]
    assert f"<@&{server.mod_role_id}>" in first["value"]
    assert "checks in every evening" in first["value"]
    assert talk.embeds[0]["fields"][1]["name"] == "988 Suicide & Crisis Lifeline"
    with sqlite3.connect(bot.app.config.database_path) as db:
        (audit,) = db.execute("SELECT actor_id, action FROM audit_log").fetchall()
    assert audit == (server.owner.id, "support.line")


async def test_a_note_of_only_invisible_characters_is_refused_and_talk_still_works(
    bot: Bot,
) -> None:
    """Saved, it would have made the "In this server" field empty, which Discord refuses."""
    owner = bot.server.owner
    refused = await run_setup(bot, owner, "support", note="\u200b\u3164")
    assert refused.ephemeral
    assert (refused.content or "").startswith("That note shows as nothing at all")
    with sqlite3.connect(bot.app.config.database_path) as db:
        assert db.execute("SELECT COUNT(*) FROM guild_support").fetchone() == (0,)
    talk = await press(bot, await ask_support(bot), "Talk to someone")
    assert talk.embeds[0]["fields"][0]["value"] == (
        "You can also message one of the moderators here."
    )


async def test_setup_show_and_clearing_the_line(bot: Bot) -> None:
    owner = bot.server.owner
    empty = await run_setup(bot, owner, "show")
    assert empty.ephemeral
    assert empty.embeds[0]["fields"][0]["value"].startswith("Not set.")
    await run_setup(bot, owner, "support", channel=bot.server.general)
    shown = await run_setup(bot, owner, "show")
    assert shown.embeds[0]["fields"][0]["value"] == f"<#{bot.server.general.id}>"
    cleared = await run_setup(bot, owner, "support")
    assert cleared.content == "Cleared. /support now shows crisis lines only."
    again = await run_setup(bot, owner, "show")
    assert again.embeds[0]["fields"][0]["value"].startswith("Not set.")
    talk = await press(bot, await ask_support(bot), "Talk to someone")
    assert (
        talk.embeds[0]["fields"][0]["value"] == "You can also message one of the moderators here."
    )


async def test_setup_is_refused_kindly_without_manage_server(bot: Bot) -> None:
    for who in (bot.server.alice, bot.server.mo):
        for command, options in (
            ("support", {"channel": bot.server.general}),
            ("show", {}),
        ):
            reply = await run_setup(bot, who, command, **options)
            assert reply.ephemeral
            assert reply.content == NOT_ADMIN
    with sqlite3.connect(bot.app.config.database_path) as db:
        assert db.execute("SELECT COUNT(*) FROM guild_support").fetchone() == (0,)
    (setup,) = [c for c in bot.sb.global_commands if c["name"] == "setup"]
    assert setup["default_member_permissions"] == "32"  # Manage Server
    assert setup["contexts"] == [0]


async def test_nothing_from_support_is_ever_posted_publicly(bot: Bot) -> None:
    bot.sb.requests.clear()
    await run_setup(bot, bot.server.owner, "support", channel=bot.server.general)
    await run_setup(bot, bot.server.owner, "show")
    await run_setup(bot, bot.server.alice, "support")
    await bot.sb.autocomplete(
        bot.server.alice, "support", focused="region", options={"region": "a"}
    )
    home = await ask_support(bot, region="Atlantis")
    step = await press(bot, home, "Ground me")
    step = await press(bot, step, "Next step")
    await press(bot, step, "Done")
    talk = await press(bot, home, "Talk to someone")
    await press(bot, talk, "Back")
    await press(bot, home, "Ground me", who=bot.server.bob)
    await save_plan(bot, home, PLAN)
    await save_plan(bot, home, {**PLAN, "people": "y" * 1001}, enforce_limits=False)
    callbacks = bot.sb.requests.filter("POST", CALLBACK)
    assert len(callbacks) == 15
    for request in callbacks:
        kind, data = request.json["type"], request.json.get("data") or {}
        assert kind in (4, 7, 8, 9), kind
        if kind == 4:
            assert data["flags"] & 64, data
    assert bot.sb.requests.filter("POST", FOLLOWUP) == []
    assert bot.sb.requests.filter("POST", "/channels/{channel_id}/messages") == []
    assert all(
        message.ephemeral for message in bot.sb.world.messages.values() if message.author.bot
    )
