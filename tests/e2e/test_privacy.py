"""Privacy by construction: what is stored, /privacy, /my-data, /forget-me and isolation."""

from __future__ import annotations

import json
import sqlite3
import struct
from datetime import timedelta
from pathlib import Path

from bot.demo.transcript import find_button
from bot.sandbox import InteractionResponse, Member
from tests.e2e.conftest import Bot, build_server

MEMBER_TABLE_COLUMNS = ("member_key", "user_id", "actor_id")


async def _session(bot: Bot, who: Member) -> None:
    """A realistic session: logs, stats, undo, tips and a vote."""
    for stage in ("application", "interview", "final-round"):
        await bot.say(who, "rejection log", stage=stage)
    await bot.say(who, "rejection stats")
    await bot.say(who, "rejection undo")
    tip = await bot.say(who, "tip")
    assert tip.message is not None
    await (
        await bot.sb.click(who, tip.message, find_button(tip.components, "This helped"))
    ).response(timeout=5)


def _database_bytes(path: Path) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            data += part.read_bytes()
    return data


async def test_the_database_never_holds_the_members_discord_id(bot: Bot) -> None:
    await _session(bot, bot.server.alice)
    raw = _database_bytes(bot.app.config.database_path)
    user_id = bot.server.alice.id
    assert str(user_id).encode() not in raw
    assert struct.pack(">q", user_id) not in raw
    assert struct.pack("<q", user_id) not in raw
    assert bot.server.alice.user.username.encode() not in raw


async def test_privacy_explains_in_plain_words(bot: Bot) -> None:
    reply = await bot.say(bot.server.alice, "privacy")
    assert reply.ephemeral
    text = reply.embeds[0]["description"]
    for part in (
        "What is stored about you",
        "What the group sees",
        "What is never stored",
        "/my-data",
        "/forget-me",
        "at least 3 people",
    ):
        assert part in text


async def _my_data(bot: Bot, who: Member) -> dict[str, object]:
    reply = await bot.say(who, "my-data")
    assert reply.ephemeral
    (file,) = reply.attachments
    assert file.filename == "my-bounceback-data.json"
    data: dict[str, object] = json.loads(file.data)
    return data


async def test_my_data_contains_everything_held_about_the_member(bot: Bot) -> None:
    await _session(bot, bot.server.alice)
    await _session(bot, bot.server.bob)
    data = await _my_data(bot, bot.server.alice)
    assert data["rejections"] == [
        {"day": "2026-11-23", "stage": "application"},
        {"day": "2026-11-23", "stage": "interview"},
    ]
    assert len(data["tips_seen"]) == 1  # type: ignore[arg-type]
    assert len(data["tip_votes"]) == 1  # type: ignore[arg-type]
    assert data["moderator_changes"] == []


async def _forget(bot: Bot, who: Member) -> InteractionResponse:
    reply = await bot.say(who, "forget-me")
    assert reply.ephemeral
    assert "cannot be undone" in (reply.content or "")
    return reply


async def _press(
    bot: Bot, who: Member, reply: InteractionResponse, label: str
) -> InteractionResponse:
    assert reply.message is not None
    custom_id = find_button(reply.components, label)
    return await (await bot.sb.click(who, reply.message, custom_id)).response(timeout=5)


async def test_forget_me_deletes_everything_in_one_go(bot: Bot) -> None:
    await _session(bot, bot.server.alice)
    await _session(bot, bot.server.bob)
    confirm = await _forget(bot, bot.server.alice)
    done = await _press(bot, bot.server.alice, confirm, "Delete everything")
    assert done.kind == "update"
    assert done.content == "Done. 4 record(s) about you were deleted."
    data = await _my_data(bot, bot.server.alice)
    assert all(data[key] == [] for key in ("rejections", "tips_seen", "tip_votes"))
    other = await _my_data(bot, bot.server.bob)
    assert len(other["rejections"]) == 2  # type: ignore[arg-type]


async def test_only_the_member_can_confirm_and_keep_changes_nothing(bot: Bot) -> None:
    await _session(bot, bot.server.alice)
    confirm = await _forget(bot, bot.server.alice)
    stranger = await _press(bot, bot.server.bob, confirm, "Delete everything")
    assert stranger.content == "These buttons belong to the person who asked."
    kept = await _press(bot, bot.server.alice, confirm, "Keep my data")
    assert kept.content == "Nothing was deleted."
    assert len((await _my_data(bot, bot.server.alice))["rejections"]) == 2  # type: ignore[arg-type]


async def test_an_expired_confirmation_deletes_nothing(bot: Bot) -> None:
    await _session(bot, bot.server.alice)
    confirm = await _forget(bot, bot.server.alice)
    bot.clock.advance(timedelta(minutes=6))
    late = await _press(bot, bot.server.alice, confirm, "Delete everything")
    assert late.content is not None
    assert late.content.startswith("That confirmation has expired")
    assert len((await _my_data(bot, bot.server.alice))["rejections"]) == 2  # type: ignore[arg-type]


async def test_forget_me_reaches_every_table_with_member_data(bot: Bot) -> None:
    await _session(bot, bot.server.alice)
    with sqlite3.connect(bot.app.config.database_path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        with_member = {
            t
            for t in tables
            for col in db.execute(f"PRAGMA table_info({t})")
            if col[1] in MEMBER_TABLE_COLUMNS
        }
    covered = {table for holder in bot.app.bot.services.privacy.holders for table in holder.tables}
    assert with_member <= covered, f"not covered by /forget-me: {with_member - covered}"
    confirm = await _forget(bot, bot.server.alice)
    await _press(bot, bot.server.alice, confirm, "Delete everything")
    key = bot.app.bot.services.privacy.member(bot.server.guild.id, bot.server.alice.id).member_key
    with sqlite3.connect(bot.app.config.database_path) as db:
        for table in sorted(with_member):
            columns = [c[1] for c in db.execute(f"PRAGMA table_info({table})")]
            for column, value in (
                ("member_key", key),
                ("user_id", bot.server.alice.id),
                ("actor_id", bot.server.alice.id),
            ):
                if column in columns:
                    count = db.execute(
                        f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (value,)
                    ).fetchone()
                    assert count == (0,), (table, column)


async def test_servers_are_isolated(bot: Bot) -> None:
    await _session(bot, bot.server.alice)
    other = build_server(bot.sb)
    twin = other.guild.add_user(bot.server.alice.user)
    data = await (await bot.sb.invoke(twin, "my-data", channel=other.general)).response(timeout=5)
    assert json.loads(data.attachments[0].data)["rejections"] == []
    confirm = await (await bot.sb.invoke(twin, "forget-me", channel=other.general)).response(
        timeout=5
    )
    done = await _press(bot, twin, confirm, "Delete everything")
    assert done.content == "Done. 0 record(s) about you were deleted."
    assert len((await _my_data(bot, bot.server.alice))["rejections"]) == 2  # type: ignore[arg-type]
