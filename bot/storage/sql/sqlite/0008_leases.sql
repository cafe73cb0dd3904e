-- Claims on weekly posts become leases (issue 13). Only the owner (pid@host#token) sends while
-- `lease_until` (epoch seconds) lies ahead; a claim whose lease ran out and is not finished may
-- be taken over by any process with one compare-and-set UPDATE. Claims made before this
-- migration have no owner and an expired lease, so the next run may finish them.
-- `upto` is the newest row a post covers (the celebration's newest win), so a resumed run
-- composes the same parts. Portable SQL: plain columns, integer times, no SQLite functions.
ALTER TABLE scheduled_posts ADD COLUMN owner TEXT;
ALTER TABLE scheduled_posts ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scheduled_posts ADD COLUMN upto INTEGER;
CREATE INDEX scheduled_posts_lease ON scheduled_posts (status, lease_until);

-- The parts of a multi-part post already sent, each with the message id Discord returned:
-- a restarted run continues from the first part missing here.
CREATE TABLE scheduled_post_parts (
    guild_id   INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    week       TEXT    NOT NULL,
    part       INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (guild_id, kind, week, part)
) STRICT;
