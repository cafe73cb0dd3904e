"""Pick the adapter for a database URL: a SQLite file or a PostgreSQL server."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from bot.storage.database import Database
from bot.storage.port import QueryTimer, Store, untimed

SQLITE_PREFIX = "sqlite:///"
POSTGRES_PREFIXES = ("postgresql://", "postgres://")
POOL_SIZE = 10  # connections per process
STATEMENT_TIMEOUT_S = 10.0


def is_postgres(url: str) -> bool:
    """Say whether `url` names a PostgreSQL server (`postgresql://` or `postgres://`)."""
    return url.startswith(POSTGRES_PREFIXES)


def redacted(url: str) -> str:
    """Hide the URL's password, for a terminal or a log."""
    if not is_postgres(url):
        return url
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")).geturl()


def sqlite_file(url: str) -> Path:
    """`sqlite:///./data/bot.db` -> `data/bot.db`; `sqlite:////srv/bot.db` -> `/srv/bot.db`."""
    if not url.startswith(SQLITE_PREFIX):
        raise ValueError(f"not a sqlite:/// or postgresql:// URL: {url!r}")
    return Path(url.removeprefix(SQLITE_PREFIX))


def database_for(
    url: str,
    sqlite_path: Path | None = None,
    *,
    pool_size: int = POOL_SIZE,
    statement_timeout_s: float = STATEMENT_TIMEOUT_S,
    on_query: QueryTimer = untimed,
) -> Store:
    """Return an unconnected adapter; `sqlite_path` overrides the file a sqlite URL names.

    `on_query` hears every statement's duration (the database query time metric).
    """
    if is_postgres(url):
        # Imported here: asyncpg costs a SQLite install 3.7 MiB of memory it never uses.
        from bot.storage.postgres import PostgresDatabase

        return PostgresDatabase(
            url, pool_size=pool_size, statement_timeout_s=statement_timeout_s, on_query=on_query
        )
    return Database(sqlite_path or sqlite_file(url), on_query=on_query)
