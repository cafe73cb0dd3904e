-- Progress on a weekly post's claim, so a run that restarts after a crash can finish it.
-- The weekly thread goes claimed -> opened (thread_id known, members not yet added) -> sent;
-- `message_id` holds the first message as soon as it is known (the thread's starter).
-- SQLite cannot widen a CHECK constraint in place, so the table is rebuilt.
CREATE TABLE scheduled_posts_next (
    guild_id   INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    week       TEXT    NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('claimed', 'opened', 'sent', 'failed', 'skipped')),
    message_id INTEGER,
    detail     TEXT,
    updated_at TEXT    NOT NULL,
    thread_id  INTEGER,
    PRIMARY KEY (guild_id, kind, week)
) STRICT;

INSERT INTO scheduled_posts_next
    (guild_id, kind, week, status, message_id, detail, updated_at, thread_id)
SELECT guild_id, kind, week, status, message_id, detail, updated_at,
       CASE WHEN kind = 'accountability' AND status = 'sent' THEN message_id END
FROM scheduled_posts;

DROP TABLE scheduled_posts;
ALTER TABLE scheduled_posts_next RENAME TO scheduled_posts;
