-- Where and when each server celebrates; NULL means "not set up" or "use the default".
ALTER TABLE guild_settings ADD COLUMN celebration_channel_id INTEGER;
ALTER TABLE guild_settings ADD COLUMN celebration_weekday TEXT;
ALTER TABLE guild_settings ADD COLUMN celebration_time TEXT;

-- Small wins. `owner_key` is an HMAC in a scope of its own (never joinable with
-- rejection keys). `user_id` is kept only for wins the member chose to sign, so
-- the celebration can show their name; anonymous wins never hold it.
CREATE TABLE wins (
    id        INTEGER PRIMARY KEY,
    guild_id  INTEGER NOT NULL,
    owner_key TEXT    NOT NULL,
    user_id   INTEGER,
    text      TEXT    NOT NULL,
    week      TEXT    NOT NULL,
    day       TEXT    NOT NULL
) STRICT;
CREATE INDEX wins_week ON wins (guild_id, week);
CREATE INDEX wins_owner ON wins (guild_id, owner_key);

-- Exactly-once weekly posts: a run first claims (guild, kind, week); only the
-- claimer posts, then records the message id or why it could not.
CREATE TABLE scheduled_posts (
    guild_id   INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    week       TEXT    NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('claimed', 'sent', 'failed', 'skipped')),
    message_id INTEGER,
    detail     TEXT,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, kind, week)
) STRICT;
