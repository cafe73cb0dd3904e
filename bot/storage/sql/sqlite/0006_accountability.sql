-- Where and when each server's weekly accountability thread opens, and its mid-week days.
ALTER TABLE guild_settings ADD COLUMN accountability_channel_id INTEGER;
ALTER TABLE guild_settings ADD COLUMN accountability_weekday TEXT;
ALTER TABLE guild_settings ADD COLUMN accountability_time TEXT;
ALTER TABLE guild_settings ADD COLUMN checkin_weekday TEXT;
ALTER TABLE guild_settings ADD COLUMN recap_weekday TEXT;

-- Members who asked to be added to the weekly thread. Goals are public commitments
-- in the thread (unless private), so they are kept by Discord user id, never next
-- to rejection data.
CREATE TABLE accountability_members (
    guild_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    joined_on TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) STRICT;

-- A member on a break: no thread adds, nudges or direct messages until `until_day`.
CREATE TABLE breaks (
    guild_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    until_day TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) STRICT;

-- Small, achievable goals for one ISO week (at most three per member per week).
CREATE TABLE goals (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    week         TEXT    NOT NULL,
    text         TEXT    NOT NULL,
    target       INTEGER CHECK (target IS NULL OR target BETWEEN 1 AND 100),
    progress     INTEGER NOT NULL DEFAULT 0,
    done         INTEGER NOT NULL DEFAULT 0,
    private      INTEGER NOT NULL DEFAULT 0,
    carried_from INTEGER
) STRICT;
CREATE INDEX goals_member_week ON goals (guild_id, user_id, week);
CREATE INDEX goals_week ON goals (guild_id, week);
