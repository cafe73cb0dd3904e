"""Backup files in and out, with the care an operator's only copy deserves.

Nothing here overwrites a file unless asked to, and nothing is ever left half
written: every copy goes to a temporary file beside its destination and is
renamed into place only when complete. The member-key secret is a separate file
on purpose (a database copy alone must not link data to people), so it travels
only when asked, as `<backup>.secret` with mode 0600.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.storage.secret import secret_file_for

SECRET_SUFFIX = ".secret"  # noqa: S105 - the secret file's name suffix, not a secret
PRIVATE_MODE = 0o600


class BackupError(Exception):
    """The copy cannot be made safely; the message says what to do instead."""


@dataclass(frozen=True)
class Restored:
    """What a restore put in place."""

    schema_version: int
    secret: Path | None


def secret_copy_for(backup: Path) -> Path:
    """`backup.db` keeps its secret beside it as `backup.db.secret`."""
    return backup.with_name(backup.name + SECRET_SUFFIX)


def refuse_existing(*paths: Path) -> None:
    """Stop before overwriting anything that is already there."""
    for path in paths:
        if path.exists():
            raise BackupError(f"{path} already exists; pass --force to replace it")


def copy_private(source: Path, destination: Path) -> None:
    """Copy a secret file so that only its owner can read the copy."""
    _replace_with(destination, source.read_bytes(), PRIVATE_MODE)


def schema_version_of(backup: Path) -> int:
    """Check that `backup` is an intact Bounceback database and return its schema version."""
    if not backup.is_file():
        raise BackupError(f"no backup file at {backup}")
    try:
        with contextlib.closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as conn:
            (verdict,) = conn.execute("PRAGMA quick_check").fetchone()
            (version,) = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{backup} is not a Bounceback database backup ({exc})") from exc
    if verdict != "ok" or version is None:
        raise BackupError(f"{backup} is damaged or empty ({verdict}); pick another backup")
    return int(version)


def in_use(database: Path) -> bool:
    """Return True when another process (a running bot) holds the database open.

    The bot keeps its connection in WAL mode, which keeps `<db>-wal` in place;
    the last connection to close checkpoints and removes it. So we open, close,
    and see whether the WAL file outlived us.
    """
    if not database.exists():
        return False
    with (
        contextlib.closing(sqlite3.connect(database, timeout=1)) as conn,
        contextlib.suppress(sqlite3.OperationalError),
    ):
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return _sidecar(database, "-wal").exists()


def restore(backup: Path, database: Path, *, with_secret: bool, force: bool) -> Restored:
    """Put `backup` (and, when asked, its secret) in place of the bot's database."""
    version = schema_version_of(backup)
    secret_source = secret_copy_for(backup)
    secret_target = secret_file_for(database)
    if with_secret and not secret_source.is_file():
        raise BackupError(f"no secret file at {secret_source} to restore with --with-secret")
    if not force and database.exists():
        raise BackupError(
            f"{database} already exists. Stop the bot, keep a copy of it if you may need it "
            "(`bounceback db backup`), then pass --force to replace it"
        )
    if not force and with_secret:
        refuse_existing(secret_target)
    if in_use(database):
        raise BackupError(f"{database} is open in another process; stop the bot first")
    staged = staged_path(database)
    try:
        _copy_database(backup, staged)
        if with_secret:
            copy_private(secret_source, secret_target)
        for stale in (_sidecar(database, "-wal"), _sidecar(database, "-shm")):
            stale.unlink(missing_ok=True)
        staged.replace(database)
    finally:
        staged.unlink(missing_ok=True)
    return Restored(version, secret_target if with_secret else None)


def _copy_database(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.unlink(missing_ok=True)
    with (
        contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        contextlib.closing(sqlite3.connect(destination)) as dst,
    ):
        src.backup(dst)


def _replace_with(destination: Path, data: bytes, mode: int) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    staged = staged_path(destination)
    try:
        descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        staged.chmod(mode)
        staged.replace(destination)
    finally:
        staged.unlink(missing_ok=True)


def staged_path(destination: Path) -> Path:
    """Name a temporary file beside `destination`, so the final rename stays on one filesystem."""
    return destination.with_name(f".{destination.name}.partial-{os.getpid()}")


def _sidecar(database: Path, suffix: str) -> Path:
    return database.with_name(database.name + suffix)
