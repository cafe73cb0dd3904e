"""Weekly-post claims record their progress, and upgrading keeps the claims already made."""

from __future__ import annotations

from bot.domain.schedule import PostKey, PostProgress
from bot.storage.connect import database_for
from bot.storage.migrate import bundled_migrations, migrate
from bot.storage.scheduled_posts import ScheduledPostsRepository

AT = "2026-11-23T09:00:00+00:00"


async def test_upgrading_keeps_claims_and_the_weeks_thread(database_url: str) -> None:
    db = database_for(database_url)
    await db.connect()
    before = [m for m in bundled_migrations(db.dialect) if m.version < 7]
    await migrate(db, before)
    rows = [
        (1, "accountability", "2026-W47", "sent", 555),
        (1, "celebration", "2026-W47", "sent", 777),
        (2, "accountability", "2026-W48", "claimed", None),
    ]
    for row in rows:
        await db.execute(
            "INSERT INTO scheduled_posts (guild_id, kind, week, status, message_id, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (*row, AT),
        )
    await migrate(db)
    posts = ScheduledPostsRepository(db)
    assert await posts.progress(PostKey(1, "accountability", "2026-W47")) == PostProgress(
        "sent", 555, 555
    )
    assert await posts.progress(PostKey(1, "celebration", "2026-W47")) == PostProgress(
        "sent", 777, None
    )
    assert await posts.status(1, "accountability", "2026-W47") == ("sent", 555)
    stuck = await posts.progress(PostKey(2, "accountability", "2026-W48"))
    assert stuck is not None
    assert stuck.unfinished
    await db.close()
