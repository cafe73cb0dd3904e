-- Tips a member has already been shown in the current round of a topic, so
-- /tip does not repeat itself. Keyed by the pseudonymous member key only.
CREATE TABLE tip_seen (
    guild_id   INTEGER NOT NULL,
    member_key TEXT    NOT NULL,
    topic      TEXT    NOT NULL,
    tip_id     TEXT    NOT NULL,
    PRIMARY KEY (guild_id, member_key, topic, tip_id)
) STRICT;

-- Anonymous "This helped" votes: at most one per member per tip.
CREATE TABLE tip_votes (
    guild_id   INTEGER NOT NULL,
    tip_id     TEXT    NOT NULL,
    member_key TEXT    NOT NULL,
    PRIMARY KEY (guild_id, tip_id, member_key)
) STRICT;

-- Server-specific tips (kind 'custom') and server overrides of library tips
-- (kind 'override', tip_id is the library id). The library files stay untouched.
CREATE TABLE guild_tips (
    guild_id   INTEGER NOT NULL,
    tip_id     TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('custom', 'override')),
    topic      TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    reflect    TEXT,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, tip_id)
) STRICT;

-- Library tips a server chose to hide (restorable).
CREATE TABLE guild_hidden_tips (
    guild_id INTEGER NOT NULL,
    tip_id   TEXT    NOT NULL,
    PRIMARY KEY (guild_id, tip_id)
) STRICT;

-- Per-server counter for custom tip ids (srv-1, srv-2, ...), never reused.
CREATE TABLE guild_tip_counters (
    guild_id INTEGER PRIMARY KEY,
    last_id  INTEGER NOT NULL
) STRICT;

-- What moderators changed, when, and what it was before and after.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    guild_id  INTEGER NOT NULL,
    actor_id  INTEGER,
    action    TEXT    NOT NULL,
    target    TEXT    NOT NULL,
    before    TEXT,
    after     TEXT,
    at        TEXT    NOT NULL
) STRICT;
CREATE INDEX audit_log_guild ON audit_log (guild_id, id);
