"""Weekly-post claims record their progress, and upgrading keeps the claims already made."""

from __future__ import annotations

from pathlib import Path

from bot.domain.schedule import PostProgress
from bot.storage.database import Database
from bot.storage.migrate import bundled_migrations, migrate
from bot.storage.wins import ScheduledPostsRepository

AT = "2026-11-23T09:00:00+00:00"


async def test_upgrading_keeps_claims_and_the_weeks_thread(tmp_path: Path) -> None:
    db = Database(tmp_path / "bot.db")
    await db.connect()
    before = [m for m in bundled_migrations() if m.version < 7]
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
    assert await posts.progress(1, "accountability", "2026-W47") == PostProgress("sent", 555, 555)
    assert await posts.progress(1, "celebration", "2026-W47") == PostProgress("sent", 777, None)
    assert await posts.status(1, "accountability", "2026-W47") == ("sent", 555)
    stuck = await posts.progress(2, "accountability", "2026-W48")
    assert stuck is not None
    assert stuck.unfinished
    await db.close()


async def test_an_opening_records_each_step_and_keeps_it_when_it_fails(db: Database) -> None:
    posts = ScheduledPostsRepository(db)
    assert await posts.claim(1, "accountability", "2026-W48", AT)
    await posts.record_message(1, "accountability", "2026-W48", 900, AT)
    assert await posts.progress(1, "accountability", "2026-W48") == PostProgress(
        "claimed", 900, None
    )
    await posts.record_opened(1, "accountability", "2026-W48", 900, AT)
    opened = await posts.progress(1, "accountability", "2026-W48")
    assert opened == PostProgress("opened", 900, 900)
    assert opened.unfinished
    await posts.finish(1, "accountability", "2026-W48", "sent", AT, 900)
    done = await posts.progress(1, "accountability", "2026-W48")
    assert done == PostProgress("sent", 900, 900)
    assert not done.unfinished

    assert await posts.claim(2, "accountability", "2026-W48", AT)
    await posts.record_message(2, "accountability", "2026-W48", 901, AT)
    await posts.finish(2, "accountability", "2026-W48", "failed", AT, None, "no permission")
    assert await posts.progress(2, "accountability", "2026-W48") == PostProgress(
        "failed", 901, None
    )
