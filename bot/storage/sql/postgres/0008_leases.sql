-- PostgreSQL twin of sqlite/0008_leases.sql: claims become leases, and the parts of a post are
-- recorded (portable times: epoch seconds as BIGINT).
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
