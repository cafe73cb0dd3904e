-- A member's private support plan from /support -> My plan: warning signs,
-- what helps, people to reach and reasons to keep going. Keyed by the
-- pseudonymous member key only, never a Discord user id; guild_id 0 holds a
-- plan written in a DM. The day of the last edit is enough, never a time.
CREATE TABLE support_plans (
    guild_id      INTEGER NOT NULL,
    member_key    TEXT    NOT NULL,
    warning_signs TEXT    NOT NULL DEFAULT '',
    what_helps    TEXT    NOT NULL DEFAULT '',
    people        TEXT    NOT NULL DEFAULT '',
    reasons       TEXT    NOT NULL DEFAULT '',
    updated_on    TEXT    NOT NULL,
    PRIMARY KEY (guild_id, member_key)
) STRICT;

-- A server's own place to turn, set with /setup support and shown first under
-- "Talk to someone": a channel, a role to contact and a short note.
CREATE TABLE guild_support (
    guild_id   INTEGER PRIMARY KEY,
    channel_id INTEGER,
    role_id    INTEGER,
    note       TEXT,
    updated_at TEXT    NOT NULL
) STRICT;
