-- Bot-wide facts that are not member data (for instance the hash of the last synced command tree).
CREATE TABLE bot_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
