-- For the lead, merging branch `leases` with branch `pg` (per-backend migration folders):
--   git mv bot/storage/sql/0009_leases.sql bot/storage/sql/sqlite/0009_leases.sql
--   git rm bot/storage/sql/0008_reserved.sql   (number 8 is branch i18n's migration)
--   this file becomes bot/storage/sql/postgres/0009_leases.sql, and merge-notes/ goes away.
-- PostgreSQL twin of sqlite/0009: claims become leases, and the parts of a post are recorded.
ALTER TABLE scheduled_posts ADD COLUMN owner TEXT;
ALTER TABLE scheduled_posts ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE scheduled_posts ADD COLUMN upto BIGINT;
CREATE INDEX scheduled_posts_lease ON scheduled_posts (status, lease_until);

CREATE TABLE scheduled_post_parts (
    guild_id   BIGINT  NOT NULL,
    kind       TEXT    NOT NULL,
    week       TEXT    NOT NULL,
    part       INTEGER NOT NULL,
    message_id BIGINT  NOT NULL,
    PRIMARY KEY (guild_id, kind, week, part)
);
