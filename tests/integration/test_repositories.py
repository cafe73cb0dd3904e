"""Per-server and bot-wide repositories on a real migrated SQLite file, several servers seeded.

Settings, support lines and tip edits belong to a server, not a member: what
matters is that one server's choices come back as made, never leak into
another server, and that later changes replace earlier ones cleanly.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.accountability import AccountabilitySettings
from bot.domain.celebration import CelebrationSettings
from bot.domain.support import SupportLine
from bot.domain.tips import GuildEdits, ServedTip
from bot.storage.guild_settings import (
    GuildSettingsRepository,
)
from bot.storage.meta import MetaRepository
from bot.storage.port import Store
from bot.storage.support import GuildSupportRepository
from bot.storage.tips import GuildTipsRepository, TipVotesRepository
from tests.backends import reopen

GUILD_A, GUILD_B, GUILD_C = 1180000000000000001, 1180000000000000002, 1180000000000000003
CHANNEL_A, CHANNEL_B, THREADS_B, THREADS_C = (
    3300000000000000001,
    3300000000000000002,
    3300000000000000003,
    3300000000000000004,
)
AT = "2026-11-20T10:00:00+00:00"
LATER = "2026-11-27T10:00:00+00:00"


def weekly(guild_id: int, channel_id: int, timezone: str | None) -> AccountabilitySettings:
    return AccountabilitySettings(
        guild_id, channel_id, "monday", "09:00", "wednesday", "friday", timezone
    )


@pytest.fixture
async def settings(db: Store) -> GuildSettingsRepository:
    """Seed settings: A celebrates in Berlin; B celebrates and threads in Toronto; C only threads."""
    repo = GuildSettingsRepository(db)
    await repo.set_celebration(GUILD_A, CHANNEL_A, "friday", "16:00", "Europe/Berlin", AT)
    await repo.set_celebration(GUILD_B, CHANNEL_B, "sunday", "18:30", "America/Toronto", AT)
    await repo.set_accountability(weekly(GUILD_B, THREADS_B, "America/Toronto"), AT)
    await repo.set_accountability(weekly(GUILD_C, THREADS_C, "Asia/Kolkata"), AT)
    return repo


# --- guild settings ---------------------------------------------------------------------------


async def test_each_server_gets_back_the_schedule_it_chose(
    settings: GuildSettingsRepository,
) -> None:
    assert await settings.celebration(GUILD_A) == CelebrationSettings(
        GUILD_A, CHANNEL_A, "friday", "16:00", "Europe/Berlin"
    )
    assert await settings.accountabilities(GUILD_C) == [weekly(GUILD_C, THREADS_C, "Asia/Kolkata")]
    assert await settings.timezone(GUILD_B) == "America/Toronto"
    assert await settings.celebration(GUILD_C) is None
    assert await settings.accountabilities(GUILD_A) == []


async def test_the_scheduler_sees_every_server_with_a_channel_and_only_those(
    settings: GuildSettingsRepository,
) -> None:
    assert sorted(s.guild_id for s in await settings.celebrations()) == [GUILD_A, GUILD_B]
    assert sorted(s.guild_id for s in await settings.accountabilities()) == [GUILD_B, GUILD_C]


async def test_an_unknown_server_has_nothing_set(settings: GuildSettingsRepository) -> None:
    assert await settings.timezone(99) is None
    assert await settings.celebration(99) is None
    assert await settings.celebrations(99) == []
    assert await settings.accountabilities(99) == []


async def test_setting_threads_keeps_the_celebration_and_moves_the_shared_zone(
    settings: GuildSettingsRepository,
) -> None:
    assert await settings.timezone(GUILD_A) == "Europe/Berlin"  # now cached
    await settings.set_accountability(weekly(GUILD_A, CHANNEL_A, "Europe/Lisbon"), LATER)
    assert await settings.timezone(GUILD_A) == "Europe/Lisbon"
    assert await settings.celebration(GUILD_A) == CelebrationSettings(
        GUILD_A, CHANNEL_A, "friday", "16:00", "Europe/Lisbon"
    )
    assert await settings.timezone(GUILD_B) == "America/Toronto"


async def test_a_new_celebration_replaces_the_old_and_keeps_the_threads(
    db: Store, settings: GuildSettingsRepository
) -> None:
    assert await settings.timezone(GUILD_B) == "America/Toronto"  # now cached
    await settings.set_celebration(
        GUILD_B, THREADS_B, "saturday", "11:00", "America/Vancouver", LATER
    )
    assert await settings.celebrations(GUILD_B) == [
        CelebrationSettings(GUILD_B, THREADS_B, "saturday", "11:00", "America/Vancouver")
    ]
    assert await settings.timezone(GUILD_B) == "America/Vancouver"
    assert await settings.accountabilities(GUILD_B) == [
        weekly(GUILD_B, THREADS_B, "America/Vancouver")
    ]
    # A restarted bot (a fresh repository, no cache) reads the same.
    assert await GuildSettingsRepository(db).timezone(GUILD_B) == "America/Vancouver"
    assert await GuildSettingsRepository(db).timezone(GUILD_A) == "Europe/Berlin"


async def test_a_server_first_seen_without_settings_picks_up_its_zone_once_set(
    db: Store,
) -> None:
    repo = GuildSettingsRepository(db)
    assert await repo.timezone(GUILD_C) is None  # cached as unset
    await repo.set_accountability(weekly(GUILD_C, THREADS_C, "Australia/Sydney"), AT)
    assert await repo.timezone(GUILD_C) == "Australia/Sydney"


# --- meta -------------------------------------------------------------------------------------


async def test_another_process_setup_reaches_the_cached_settings_when_caches_drop(
    db: Store, settings: GuildSettingsRepository
) -> None:
    """/setup in another process bumps the caches counter; dropping caches must show its slot."""
    other = await reopen(db)
    try:
        there = GuildSettingsRepository(other)
        await there.set_celebration(7, 70, "friday", "17:00", "Europe/Madrid", "2026-11-29")
        assert await settings.celebration(7) is not None  # cached from here on
        await there.set_celebration(7, 71, "monday", "09:00", "Asia/Tokyo", "2026-11-30")
        settings.forget_cached()  # what `drop_caches` does when the counter moved
        assert await settings.celebration(7) == CelebrationSettings(
            7, 71, "monday", "09:00", "Asia/Tokyo"
        )
        assert await settings.timezone(7) == "Asia/Tokyo"
    finally:
        await other.close()


async def test_meta_facts_round_trip_and_overwrite(db: Store) -> None:
    meta = MetaRepository(db)
    assert await meta.get("command_tree_digest") is None
    await meta.put("command_tree_digest", "3f2a9c")
    await meta.put("last_backup_day", "2026-11-26")
    await meta.put("command_tree_digest", "b71e04")
    assert await meta.get("command_tree_digest") == "b71e04"
    assert await meta.get("last_backup_day") == "2026-11-26"
    assert await MetaRepository(db).get("command_tree_digest") == "b71e04"


# --- guild support lines ----------------------------------------------------------------------


async def test_support_lines_are_per_server_and_replaced_whole(db: Store) -> None:
    lines = GuildSupportRepository(db)
    await lines.set(
        GUILD_A, SupportLine(CHANNEL_A, 4400000000000000001, "Ping @Listeners any time"), AT
    )
    await lines.set(GUILD_B, SupportLine(None, 4400000000000000002, None), AT)
    assert await lines.get(GUILD_A) == SupportLine(
        CHANNEL_A, 4400000000000000001, "Ping @Listeners any time"
    )
    assert await lines.get(GUILD_B) == SupportLine(None, 4400000000000000002, None)
    assert await lines.get(GUILD_C) is None
    await lines.set(GUILD_A, SupportLine(CHANNEL_B, None, None), LATER)  # the role is dropped
    assert await lines.get(GUILD_A) == SupportLine(CHANNEL_B, None, None)
    assert await lines.get(GUILD_B) == SupportLine(None, 4400000000000000002, None)


async def test_an_empty_support_line_removes_it(db: Store) -> None:
    lines = GuildSupportRepository(db)
    await lines.set(GUILD_A, SupportLine(CHANNEL_A, None, "Write in #support"), AT)
    await lines.set(GUILD_B, SupportLine(CHANNEL_B, None, None), AT)
    await lines.set(GUILD_A, SupportLine(), LATER)
    await lines.set(GUILD_C, SupportLine(None, None, ""), LATER)  # nothing there: still fine
    assert await lines.get(GUILD_A) is None
    assert await lines.get(GUILD_C) is None
    assert await lines.get(GUILD_B) == SupportLine(CHANNEL_B, None, None)


# --- guild tips -------------------------------------------------------------------------------


def custom(tip_id: str, topic: str, text: str, reflect: str | None = None) -> ServedTip:
    return ServedTip(tip_id, topic, text, reflect, source="server")


def override(tip_id: str, topic: str, text: str, reflect: str | None = None) -> ServedTip:
    return ServedTip(tip_id, topic, text, reflect, source="override")


@pytest.fixture
async def tips(db: Store) -> GuildTipsRepository:
    """Seed tips: A writes two, overrides and hides library ones; B writes one and hides one."""
    repo = GuildTipsRepository(db)
    assert (
        await repo.add_custom(GUILD_A, "interviews", "Bring two questions of your own", None, AT)
        == "srv-1"
    )
    assert (
        await repo.add_custom(
            GUILD_A, "rest", "A day off is part of the search", "What recharges you?", AT
        )
        == "srv-2"
    )
    assert (
        await repo.add_custom(GUILD_B, "rest", "Step outside for ten minutes", None, AT) == "srv-1"
    )
    await repo.save(
        GUILD_A,
        override("interview-03", "interviews", "Pause before answering; it reads as care"),
        AT,
    )
    assert await repo.set_hidden(GUILD_A, "rest-01", hidden=True)
    assert await repo.set_hidden(GUILD_B, "cv-07", hidden=True)
    return repo


async def test_each_server_sees_its_own_tips_overrides_and_hidden_ones(
    tips: GuildTipsRepository,
) -> None:
    assert await tips.edits(GUILD_A) == GuildEdits(
        tips={
            "srv-1": custom("srv-1", "interviews", "Bring two questions of your own"),
            "srv-2": custom(
                "srv-2", "rest", "A day off is part of the search", "What recharges you?"
            ),
            "interview-03": override(
                "interview-03", "interviews", "Pause before answering; it reads as care"
            ),
        },
        hidden=frozenset({"rest-01"}),
    )
    assert await tips.edits(GUILD_B) == GuildEdits(
        tips={"srv-1": custom("srv-1", "rest", "Step outside for ten minutes")},
        hidden=frozenset({"cv-07"}),
    )
    assert await tips.edits(GUILD_C) == GuildEdits()


async def test_editing_a_tip_replaces_its_text_in_that_server_only(
    tips: GuildTipsRepository,
) -> None:
    await tips.save(
        GUILD_A,
        custom("srv-1", "interviews", "Bring three questions", "Which one matters most?"),
        LATER,
    )
    await tips.save(
        GUILD_A, override("interview-03", "interviews", "Take a breath before answering"), LATER
    )
    edits = await tips.edits(GUILD_A)
    assert edits.tips["srv-1"] == custom(
        "srv-1", "interviews", "Bring three questions", "Which one matters most?"
    )
    assert edits.tips["interview-03"] == override(
        "interview-03", "interviews", "Take a breath before answering"
    )
    assert len(edits.tips) == 3
    assert (await tips.edits(GUILD_B)).tips["srv-1"].text == "Step outside for ten minutes"


async def test_a_deleted_tips_id_is_never_given_out_again(tips: GuildTipsRepository) -> None:
    assert await tips.delete(GUILD_A, "srv-2")
    assert not await tips.delete(GUILD_A, "srv-2")
    assert (
        await tips.add_custom(GUILD_A, "rest", "Sleep counts as progress", None, LATER) == "srv-3"
    )
    assert set((await tips.edits(GUILD_A)).tips) == {"srv-1", "srv-3", "interview-03"}
    assert set((await tips.edits(GUILD_B)).tips) == {"srv-1"}


async def test_a_new_tip_never_inherits_a_deleted_tips_votes(
    db: Store, tips: GuildTipsRepository
) -> None:
    votes = TipVotesRepository(db)
    for member in ("k1" * 32, "k2" * 32, "k3" * 32):
        await votes.add(GUILD_A, "srv-2", member)
    assert await tips.delete(GUILD_A, "srv-2")
    fresh = await tips.add_custom(GUILD_A, "rest", "Sleep counts as progress", None, LATER)
    assert (await votes.counts(GUILD_A)).get(fresh, 0) == 0


async def test_deleting_in_one_server_leaves_the_same_id_elsewhere(
    tips: GuildTipsRepository,
) -> None:
    assert await tips.delete(GUILD_B, "srv-1")
    assert (await tips.edits(GUILD_B)).tips == {}
    assert "srv-1" in (await tips.edits(GUILD_A)).tips


async def test_tips_added_at_the_same_moment_get_distinct_ids(tips: GuildTipsRepository) -> None:
    ids = await asyncio.gather(
        *(tips.add_custom(GUILD_C, "cv", f"Tip number {n}", None, AT) for n in range(10))
    )
    assert sorted(ids, key=lambda i: int(i.removeprefix("srv-"))) == [
        f"srv-{n}" for n in range(1, 11)
    ]
    assert len((await tips.edits(GUILD_C)).tips) == 10


async def test_hiding_and_restoring_say_whether_anything_changed(tips: GuildTipsRepository) -> None:
    assert not await tips.set_hidden(GUILD_A, "rest-01", hidden=True)  # already hidden
    assert await tips.set_hidden(GUILD_A, "rest-01", hidden=False)
    assert not await tips.set_hidden(GUILD_A, "rest-01", hidden=False)
    assert (await tips.edits(GUILD_A)).hidden == frozenset()
    assert (await tips.edits(GUILD_B)).hidden == frozenset({"cv-07"})
