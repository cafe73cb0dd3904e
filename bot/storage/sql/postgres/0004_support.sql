-- PostgreSQL twin of sqlite/0004.
CREATE TABLE support_plans (
    guild_id      BIGINT NOT NULL,
    member_key    TEXT   NOT NULL,
    warning_signs TEXT   NOT NULL DEFAULT '',
    what_helps    TEXT   NOT NULL DEFAULT '',
    people        TEXT   NOT NULL DEFAULT '',
    reasons       TEXT   NOT NULL DEFAULT '',
    updated_on    TEXT   NOT NULL,
    PRIMARY KEY (guild_id, member_key)
);

CREATE TABLE guild_support (
    guild_id   BIGINT PRIMARY KEY,
    channel_id BIGINT,
    role_id    BIGINT,
    note       TEXT,
    updated_at TEXT   NOT NULL
);
