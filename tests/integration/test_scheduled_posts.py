"""Claims on weekly posts are leases: one owner at a time, taken over only once they lapse.

Everything here goes through the `db` fixture, so the same tests run on each
database backend the fixture offers.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.domain.schedule import Claim, PostKey, PostProgress
from bot.services.weekly_runs import LeaseLost, Leases
from bot.storage.connect import database_for
from bot.storage.migrate import bundled_migrations, migrate
from bot.storage.port import Store
from bot.storage.scheduled_posts import ScheduledPostsRepository
from tests.backends import reopen

AT = "2026-11-27T16:00:00+00:00"
NOW = 1_795_795_200  # an epoch second on that Friday
LEASE = 120
GUILD_A, GUILD_B = 1180000000000000001, 1180000000000000002
WEEK = "2026-W48"
CELEBRATION = PostKey(GUILD_A, "celebration", WEEK)
KINDS = ("accountability", "checkin", "recap", "celebration")
FRESH = Claim(True, PostProgress("claimed", None, None))


@pytest.fixture
def posts(db: Store) -> ScheduledPostsRepository:
    return ScheduledPostsRepository(db)


async def _take(posts: ScheduledPostsRepository, owner: str, now: int = NOW) -> Claim | None:
    return await posts.claim(CELEBRATION, owner, now, now + LEASE, AT)


async def test_each_post_is_claimed_by_one_caller_among_many(
    posts: ScheduledPostsRepository, db: Store
) -> None:
    other = await reopen(db)
    try:
        theirs = ScheduledPostsRepository(other)
        keys = [PostKey(g, k, WEEK) for g in (GUILD_A, GUILD_B) for k in KINDS]
        claims = await asyncio.gather(
            *(
                repo.claim(key, f"owner-{n}", NOW, NOW + LEASE, AT)
                for n, repo in enumerate([posts, theirs] * 3)
                for key in keys
            )
        )
    finally:
        await other.close()
    assert [c for c in claims if c is not None] == [FRESH] * len(keys)


async def test_a_held_lease_is_taken_over_only_after_it_runs_out(
    posts: ScheduledPostsRepository,
) -> None:
    assert await _take(posts, "first") == FRESH
    assert await _take(posts, "second", NOW + LEASE - 1) is None
    assert await posts.renew(CELEBRATION, "first", NOW + 2 * LEASE)
    assert await _take(posts, "second", NOW + LEASE) is None  # renewed: still held
    assert await _take(posts, "second", NOW + 2 * LEASE) == Claim(
        False, PostProgress("claimed", None, None)
    )
    assert await _take(posts, "third", NOW + 2 * LEASE) is None  # one winner per lapse
    assert await posts.owner(CELEBRATION) == ("second", NOW + 3 * LEASE)
    # The first owner woke up late: it can neither renew nor finish what is no longer its own.
    assert not await posts.renew(CELEBRATION, "first", NOW + 9 * LEASE)
    assert not await posts.finish(CELEBRATION, "first", "sent", AT, 900)
    assert await posts.finish(CELEBRATION, "second", "sent", AT, 900)
    assert await posts.status(GUILD_A, "celebration", WEEK) == ("sent", 900)


async def test_a_lapsed_lease_goes_to_one_of_many_processes_racing_for_it(
    posts: ScheduledPostsRepository, db: Store
) -> None:
    """The compare-and-set under concurrency: on PostgreSQL each process has its own pool."""
    assert await _take(posts, "first") == FRESH
    await posts.record_upto(CELEBRATION, "first", 42)
    await posts.record_part(CELEBRATION, 0, 900)
    others = [await reopen(db) for _ in range(3)]
    try:
        repos = [posts, *(ScheduledPostsRepository(o) for o in others)]
        claims = await asyncio.gather(
            *(_take(repo, f"taker-{n}", NOW + LEASE) for n in range(4) for repo in repos)
        )
    finally:
        for other in others:
            await other.close()
    won = [(n, c) for n, c in enumerate(claims) if c is not None]
    assert [c for _, c in won] == [Claim(False, PostProgress("claimed", None, None, (900,), 42))]
    assert await posts.owner(CELEBRATION) == (f"taker-{won[0][0] // len(repos)}", NOW + 2 * LEASE)
    assert not await posts.renew(CELEBRATION, "first", NOW + 3 * LEASE)


async def test_a_finished_post_is_never_taken_over(posts: ScheduledPostsRepository) -> None:
    for status in ("sent", "failed", "skipped"):
        key = PostKey(GUILD_B, status, WEEK)
        assert await posts.claim(key, "first", NOW, NOW + LEASE, AT) == FRESH
        assert await posts.finish(key, "first", status, AT)
        assert await posts.claim(key, "second", NOW + 10 * LEASE, NOW + 11 * LEASE, AT) is None
        assert not await posts.finish(key, "first", "failed", AT)  # and never finished twice


async def test_a_takeover_sees_the_parts_already_sent(posts: ScheduledPostsRepository) -> None:
    assert await _take(posts, "first") == FRESH
    await posts.record_upto(CELEBRATION, "first", 42)
    await posts.record_part(CELEBRATION, 0, 900)
    await posts.record_part(CELEBRATION, 0, 900)  # a resend of the same part changes nothing
    await posts.record_part(CELEBRATION, 2, 902)  # never counted across a gap
    taken = await _take(posts, "second", NOW + LEASE)
    assert taken == Claim(False, PostProgress("claimed", None, None, (900,), 42))
    await posts.record_part(CELEBRATION, 1, 901)
    assert await posts.finish(CELEBRATION, "second", "sent", AT, 900)
    progress = await posts.progress(CELEBRATION)
    assert progress == PostProgress("sent", 900, None, (900, 901, 902), 42)


async def test_an_opening_records_each_step_for_its_owner_only(
    posts: ScheduledPostsRepository,
) -> None:
    key = PostKey(GUILD_A, "accountability", WEEK)
    assert await posts.claim(key, "first", NOW, NOW + LEASE, AT) == FRESH
    await posts.record_message(key, "intruder", 111, AT)
    await posts.record_message(key, "first", 901, AT)
    await posts.record_opened(key, "first", 901, AT)
    await posts.record_message(key, "first", 999, AT)  # too late: opened
    await posts.record_opened(key, "first", 999, AT)
    opened = await posts.progress(key)
    assert opened == PostProgress("opened", 901, 901)
    assert opened.unfinished
    taken = await posts.claim(key, "second", NOW + LEASE, NOW + 2 * LEASE, AT)
    assert taken == Claim(False, PostProgress("opened", 901, 901))


async def test_the_sweep_finds_lapsed_unfinished_claims_of_its_kinds_only(
    posts: ScheduledPostsRepository,
) -> None:
    for kind in KINDS:
        key = PostKey(GUILD_A, kind, WEEK)
        assert await posts.claim(key, "first", NOW, NOW + LEASE, AT) == FRESH
    await posts.finish(PostKey(GUILD_A, "recap", WEEK), "first", "sent", AT)
    await posts.renew(PostKey(GUILD_A, "checkin", WEEK), "first", NOW + 5 * LEASE)
    weekly = ("accountability", "checkin", "recap")
    assert await posts.expired(weekly, NOW + LEASE - 1, NOW) == []
    assert await posts.expired(weekly, NOW + LEASE, NOW) == [
        PostKey(GUILD_A, "accountability", WEEK)
    ]
    assert await posts.expired(("celebration",), NOW + LEASE, NOW) == [CELEBRATION]
    # Past the window (the grace period) a lapsed claim is left alone: its week is over.
    assert await posts.expired(weekly, NOW + 9 * LEASE, NOW + LEASE) == [
        PostKey(GUILD_A, "checkin", WEEK)
    ]


async def test_upgrading_keeps_claims_and_lets_an_unfinished_one_be_taken(
    database_url: str,
) -> None:
    db = database_for(database_url)
    await db.connect()
    try:
        await migrate(db, [m for m in bundled_migrations(db.dialect) if m.version < 8])
        for kind, status, message_id in [
            ("accountability", "sent", 555),
            ("celebration", "claimed", None),
        ]:
            await db.execute(
                "INSERT INTO scheduled_posts (guild_id, kind, week, status, message_id, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (GUILD_A, kind, WEEK, status, message_id, AT),
            )
        await migrate(db)
        posts = ScheduledPostsRepository(db)
        sent = PostKey(GUILD_A, "accountability", WEEK)
        assert await posts.claim(sent, "new", NOW, NOW + LEASE, AT) is None
        assert await posts.status(GUILD_A, "accountability", WEEK) == ("sent", 555)
        assert await _take(posts, "new") == Claim(False, PostProgress("claimed", None, None))
    finally:
        await db.close()


async def test_a_process_never_takes_over_its_own_run_even_past_the_lease(
    posts: ScheduledPostsRepository,
) -> None:
    clock = FakeClock(datetime.fromtimestamp(NOW, UTC))
    mine, theirs = Leases(posts, clock, "me", LEASE), Leases(posts, clock, "them", LEASE)
    async with mine.held(CELEBRATION) as claim:
        assert claim == FRESH
        clock.advance(timedelta(seconds=LEASE))  # a slow run: its lease lapsed meanwhile
        async with mine.held(CELEBRATION) as again:  # this process's sweep meets it
            assert again is None
        async with theirs.held(CELEBRATION) as taken:  # another process may take it
            assert taken is not None
    with pytest.raises(LeaseLost):
        await mine.renew(CELEBRATION)
    assert not await mine.finish(CELEBRATION, "sent", 900)
