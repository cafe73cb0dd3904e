-- PostgreSQL twin of sqlite/0001: same tables and columns, types mapped
-- (Discord ids are BIGINT; SQLite's INTEGER is 64-bit already).
CREATE TABLE bot_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
