"""`bounceback db migrate | backup | restore | copy`: database care from the command line.

A backup without its secret cannot be matched to members again, and a restore
over a running bot or a half-copied file loses data; so these commands refuse
to overwrite without --force, say where the secret is, and copy via temporary
files that are renamed into place only when complete. Backup and restore are
SQLite tools; a PostgreSQL database is backed up with `pg_dump`. `db copy`
moves an install between the two.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bot.app import configured_database
from bot.cli import load_or_report
from bot.config import Config
from bot.storage.backup import (
    BackupError,
    copy_private,
    refuse_existing,
    restore,
    secret_copy_for,
    staged_path,
)
from bot.storage.connect import database_for, redacted
from bot.storage.copy import CopyError, TableCount, copy_database
from bot.storage.database import Database
from bot.storage.migrate import current_version, migrate
from bot.storage.port import StorageError
from bot.storage.secret import ENV_VAR, secret_file_for


def _err(text: str) -> None:
    print(text, file=sys.stderr)


async def db_migrate(path: Path | None) -> int:
    """`bounceback db migrate`: bring the schema up to date."""
    config = load_or_report(path)
    if config is None:
        return 1
    db = configured_database(config)
    try:
        await db.connect()
        try:
            applied = await migrate(db)
            version = await current_version(db)
        finally:
            await db.close()
    except StorageError as exc:
        _err(f"{_where(config)}: {exc}")
        return 1
    names = ", ".join(f"{m.version:04d}_{m.name}" for m in applied) or "nothing to do"
    print(f"{_where(config)}: schema version {version} ({names})")
    return 0


def _where(config: Config) -> str:
    return str(config.database_path) if config.uses_sqlite else redacted(config.database_url)


def _sqlite_only(config: Config, action: str) -> bool:
    if config.uses_sqlite:
        return True
    _err(
        f"`bounceback db {action}` works on the SQLite file; this config uses PostgreSQL "
        f"({redacted(config.database_url)}). Back it up with pg_dump (see README, Scaling out)."
    )
    return False


async def db_copy(source_url: str, target_url: str, *, force: bool) -> int:
    """`bounceback db copy --from URL --to URL`: move every row, in one target transaction."""
    try:
        source, target = database_for(source_url), database_for(target_url)
    except ValueError as exc:
        _err(str(exc))
        return 2
    try:
        await source.connect()
        try:
            await target.connect()
            try:
                counts = await copy_database(source, target, force=force)
            finally:
                await target.close()
        finally:
            await source.close()
    except CopyError as exc:
        _print_counts(exc.counts)
        _err(f"not copied: {exc}")
        return 1
    except StorageError as exc:
        _err(f"not copied: {exc}")
        return 1
    _print_counts(counts)
    print(f"copied {redacted(source_url)} to {redacted(target_url)}; every table's rows match.")
    _err(
        "note: the member-key secret is not in the database and did not move. Give the new "
        "setup the same BOUNCEBACK_SECRET (or secret file), or stored data can no longer be "
        "matched to members."
    )
    return 0


def _print_counts(counts: list[TableCount]) -> None:
    if not counts:
        return
    width = max(len(c.table) for c in counts)
    print(f"{'table':<{width}}  {'from':>8}  {'to':>8}")
    for c in counts:
        mark = "" if c.source == c.target else "  <- differs"
        print(f"{c.table:<{width}}  {c.source:>8}  {c.target:>8}{mark}")


async def db_backup(
    path: Path | None, destination: Path, *, force: bool = False, with_secret: bool = False
) -> int:
    """`bounceback db backup PATH`: online copy that is safe while the bot runs."""
    config = load_or_report(path)
    if config is None or not _sqlite_only(config, "backup"):
        return 1
    database = config.database_path
    if not database.exists():
        _err(f"no database at {database} yet; run the bot or `bounceback db migrate`")
        return 1
    secret = secret_file_for(database)
    secret_copy = secret_copy_for(destination)
    carry_secret = with_secret and secret.is_file() and not os.environ.get(ENV_VAR, "").strip()
    try:
        if not force:
            refuse_existing(destination, *((secret_copy,) if carry_secret else ()))
    except BackupError as exc:
        _err(str(exc))
        return 1
    await _copy_live(database, destination)
    print(f"backed up {database} to {destination}")
    if carry_secret:
        copy_private(secret, secret_copy)
        print(f"and its secret to {secret_copy} (only you can read it; keep it as safe)")
    else:
        _err(_secret_reminder(secret, with_secret))
    return 0


async def _copy_live(database: Path, destination: Path) -> None:
    staged = staged_path(destination)
    db = Database(database)
    await db.connect()
    try:
        await db.backup(staged)
        staged.replace(destination)
    finally:
        await db.close()
        staged.unlink(missing_ok=True)


def _secret_reminder(secret: Path, asked: bool) -> str:
    if os.environ.get(ENV_VAR, "").strip():
        where = f"the {ENV_VAR} environment variable"
        extra = "; keep that value with your backups" if asked else ""
        return f"note: the member-key secret is in {where}, not in this backup{extra}."
    if not secret.is_file():
        return f"note: there is no secret file at {secret} yet (the bot makes it on first start)."
    return (
        f"note: this backup does not include the member-key secret ({secret}). Keep a copy of "
        "it with the backup, or run again with --with-secret: without it, stored data can no "
        "longer be matched to members."
    )


def db_restore(path: Path | None, source: Path, *, force: bool, with_secret: bool) -> int:
    """`bounceback db restore PATH`: put a backup in place while the bot is stopped."""
    config = load_or_report(path)
    if config is None or not _sqlite_only(config, "restore"):
        return 1
    database = config.database_path
    try:
        restored = restore(source, database, with_secret=with_secret, force=force)
    except BackupError as exc:
        _err(str(exc))
        return 1
    print(f"restored {source} to {database} (schema version {restored.schema_version})")
    if restored.secret is not None:
        print(f"and its secret to {restored.secret}")
        if os.environ.get(ENV_VAR, "").strip():
            _err(f"note: {ENV_VAR} is set and is used instead of the restored secret file.")
    elif not os.environ.get(ENV_VAR, "").strip():
        _err(
            f"note: the secret was not restored; {secret_file_for(database)} must be the one "
            "this backup was made with (copy it back, or use --with-secret)."
        )
    print("Start the bot as usual; it brings an older schema up to date on start.")
    return 0
