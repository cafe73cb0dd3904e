"""Privacy by construction: what is stored, /privacy, /my-data, /forget-me and isolation.

Every test runs on SQLite and on PostgreSQL: the promises hold on both.
"""

from __future__ import annotations

import json
import struct
from datetime import timedelta
from pathlib import Path

import pytest

from bot.demo.transcript import find_button
from bot.storage.catalogue import columns, table_names
from discord_sandbox import InteractionResponse, Member
from tests.e2e.conftest import Bot, both_backends, build_server
from tests.e2e.test_support import ask_support, press, save_plan

MEMBER_TABLE_COLUMNS = ("member_key", "owner_key", "user_id", "actor_id")

e2e_database_url = pytest.fixture(both_backends, name="e2e_database_url")


async def _session(bot: Bot, who: Member) -> None:
    """Play a realistic session: logs, stats, undo, tips and a vote."""
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


async def _every_value(bot: Bot) -> dict[str, list[str]]:
    """Every value in every table of the bot's database, as text, by table."""
    db = bot.app.db
    values: dict[str, list[str]] = {}
    for table in await table_names(db, db.dialect):
        rows = await bot.rows(f"SELECT * FROM {table}")  # noqa: S608 - names from the database's own catalogue
        values[table] = [str(value) for row in rows for value in row]
    return values


async def test_the_database_never_holds_the_members_discord_id(bot: Bot) -> None:
    await _session(bot, bot.server.alice)
    user_id, name = bot.server.alice.id, bot.server.alice.user.username
    values = await _every_value(bot)
    assert values["rejections"], "the session logged rejections, so there is data to scan"
    for table, found in values.items():
        assert not [v for v in found if str(user_id) in v or name in v], table
    if bot.app.db.dialect == "sqlite":  # and not in the file's bytes (free pages, WAL) either
        raw = _database_bytes(bot.app.config.database_path)
        assert str(user_id).encode() not in raw
        assert struct.pack(">q", user_id) not in raw
        assert struct.pack("<q", user_id) not in raw
        assert name.encode() not in raw


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
        "(at least 3)",
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
    assert done.content == "Done. 4 records about you were deleted."
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


async def _everything(bot: Bot, who: Member) -> None:
    """Leave a trace in every feature that keeps member data (a moderator can do it all)."""
    await _session(bot, who)
    await bot.say(who, "win", text="Sent my portfolio to two studios")
    await bot.say(who, "win", text="Asked for feedback", anonymous=True)
    await bot.say(who, "accountability join")
    await bot.say(who, "goal set", text="Two applications", private=True)
    await bot.say(who, "break start", days=3)
    await save_plan(bot, await ask_support(bot, who), {"what_helps": "A walk first."}, who)
    await bot.say(who, "tips remove", tip="small-wins-02")
    await bot.app.bot.services.history.flush()


async def _member_rows(bot: Bot, who: Member) -> dict[str, int]:
    """Rows per table with a member column that point at `who` (by id or by any of its keys)."""
    guild, user = bot.server.guild.id, who.id
    member_keys = (
        bot.app.bot.services.privacy.member(guild, user).member_key,
        bot.app.bot.services.support.plan_key(guild, user),
    )
    keys: dict[str, tuple[object, ...]] = {
        "member_key": member_keys,
        "owner_key": (bot.app.bot.services.wins.owner(guild, user),),
        "user_id": (user,),
        "actor_id": (user,),
    }
    counts: dict[str, int] = {}
    db = bot.app.db
    for table in await table_names(db, db.dialect):
        names = [c.name for c in await columns(db, db.dialect, table)]
        wanted = [c for c in names if c in MEMBER_TABLE_COLUMNS]
        if wanted:
            where = " OR ".join(f"{c} IN ({', '.join('?' * len(keys[c]))})" for c in wanted)
            query = f"SELECT COUNT(*) FROM {table} WHERE {where}"  # noqa: S608 - names from the bot's own schema; values are parameters
            ((count,),) = await bot.rows(query, [v for c in wanted for v in keys[c]])
            counts[table] = int(str(count))
    return counts


async def test_a_support_plan_cannot_be_joined_to_rejection_counts(bot: Bot) -> None:
    """A plan holds names and numbers: under the rejection key, it would say whose counts are whose."""
    who = bot.server.alice
    await bot.say(who, "rejection log", stage="interview")
    await save_plan(bot, await ask_support(bot, who), {"people": "My sister Ana, 555-0101"}, who)
    plans = {str(r[0]) for r in await bot.rows("SELECT member_key FROM support_plans")}
    counted = {str(r[0]) for r in await bot.rows("SELECT member_key FROM rejections")}
    assert len(plans) == 1
    assert len(counted) == 1
    assert plans.isdisjoint(counted)
    assert plans.isdisjoint(
        {str(r[0]) for r in await bot.rows("SELECT owner_key FROM wins")} | {""}
    )


async def test_a_plan_saved_under_the_old_key_is_shown_moved_and_forgotten(bot: Bot) -> None:
    """Plans from before they had their own key: found, moved on sight, and reached by /forget-me."""
    who, guild = bot.server.alice, bot.server.guild.id
    legacy = bot.app.bot.services.privacy.member(guild, who.id).member_key
    await bot.app.db.execute(
        "INSERT INTO support_plans "
        "(guild_id, member_key, warning_signs, what_helps, people, reasons, updated_on) "
        "VALUES (?, ?, '', 'A long walk', '', '', '2026-11-01')",
        (guild, legacy),
    )
    form = await press(bot, await ask_support(bot, who), "My plan", who)
    assert form.kind == "modal"
    assert "A long walk" in json.dumps(form.data)  # the form opens filled in with it
    keys = {str(r[0]) for r in await bot.rows("SELECT member_key FROM support_plans")}
    assert keys == {bot.app.bot.services.support.plan_key(guild, who.id)}
    await bot.app.db.execute(  # and one left behind the old way, as if never opened since
        "INSERT INTO support_plans "
        "(guild_id, member_key, warning_signs, what_helps, people, reasons, updated_on) "
        "VALUES (?, ?, '', 'Tea', '', '', '2026-11-01')",
        (guild, legacy),
    )
    exported = await _my_data(bot, who)  # everything held about her, under either key
    plans = exported["support_plan"]
    assert sorted(p["what_helps"] for p in plans) == ["A long walk", "Tea"]  # type: ignore[index, union-attr]
    confirm = await _forget(bot, who)
    await _press(bot, who, confirm, "Delete everything")
    assert await bot.rows("SELECT COUNT(*) FROM support_plans") == [(0,)]


async def test_forget_me_reaches_every_table_with_member_data(bot: Bot) -> None:
    await _everything(bot, bot.server.mo)
    await _session(bot, bot.server.bob)
    before = await _member_rows(bot, bot.server.mo)
    unseeded = {table for table, count in before.items() if count == 0}
    assert not unseeded, f"seed these tables in _everything too: {unseeded}"
    covered = {table for holder in bot.app.bot.services.privacy.holders for table in holder.tables}
    assert set(before) <= covered, f"not covered by /forget-me: {set(before) - covered}"

    confirm = await _forget(bot, bot.server.mo)
    done = await _press(bot, bot.server.mo, confirm, "Delete everything")
    assert done.content == f"Done. {sum(before.values())} records about you were deleted."
    assert await _member_rows(bot, bot.server.mo) == dict.fromkeys(before, 0)
    assert (await _member_rows(bot, bot.server.bob))["rejections"] == 2


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
    assert done.content == "Done. 0 records about you were deleted."
    assert len((await _my_data(bot, bot.server.alice))["rejections"]) == 2  # type: ignore[arg-type]
