-- Per-server settings chosen with /setup (unset columns fall back to config defaults).
CREATE TABLE guild_settings (
    guild_id   INTEGER PRIMARY KEY,
    timezone   TEXT,
    updated_at TEXT NOT NULL
) STRICT;

-- One row per logged rejection. Privacy by construction: a pseudonymous member
-- key (HMAC with a secret kept outside this database), the stage, and the
-- local calendar day only. Never a Discord user id, a name, free text or an
-- exact time.
CREATE TABLE rejections (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    member_key TEXT    NOT NULL,
    stage      TEXT    NOT NULL CHECK (stage IN (
        'application', 'screening', 'interview', 'final-round', 'offer-withdrawn', 'other'
    )),
    day        TEXT    NOT NULL
) STRICT;
CREATE INDEX rejections_member ON rejections (guild_id, member_key, day);
CREATE INDEX rejections_day ON rejections (guild_id, day);
