"""Command line: `bounceback run | demo | check | sync | invite | content | db`.

Each command returns an exit code instead of raising, so operators see one clear
line about what to fix rather than a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import __version__, cli, cli_db

DEFAULT_CONFIG = Path("config.yaml")
CONFIG_ENV = "BOUNCEBACK_CONFIG"


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser; `bounceback --help` lists every command in one line each."""
    parser = argparse.ArgumentParser(
        prog="bounceback",
        description="Bounceback: a peer support Discord bot for job seekers.",
    )
    parser.add_argument("--version", action="version", version=f"bounceback {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parser.set_defaults(usage=parser)
    run = _add(sub, "run", "connect to Discord and serve (token from DISCORD_TOKEN)")
    run.add_argument(
        "--shards",
        type=_shard_count,
        metavar="N|auto|none",
        help="gateway shards in the whole cluster (overrides discord.shards)",
    )
    run.add_argument(
        "--shard-ids",
        type=_shard_ids,
        metavar="0,1",
        help="the shards this process runs (overrides discord.shard_ids; default: all)",
    )
    demo = _add(sub, "demo", "try the bot offline: a scripted walkthrough, no token needed")
    demo.add_argument(
        "--locale", metavar="CODE", help="every member (and the server) on this Discord locale"
    )
    _add(sub, "check", "validate the config and content, and print what was loaded")
    sync = _add(sub, "sync", "register the slash commands with Discord now")
    sync.add_argument("--guild", type=int, metavar="ID", help="sync to one server (instant)")
    invite = _add(sub, "invite", "print the link that adds the bot to a server", with_config=False)
    invite.add_argument(
        "--app-id",
        type=int,
        metavar="ID",
        help="application id (default: ask Discord using DISCORD_TOKEN)",
    )
    content = _add(sub, "content", "content tools: validate, copy", with_config=False)
    content_sub = content.add_subparsers(dest="content_command", metavar="ACTION")
    content.set_defaults(usage=content)
    validate = _add(content_sub, "validate", "check the tips and wording for mistakes")
    validate.add_argument("path", type=Path, nargs="?", help="content folder (default: config)")
    copy = _add(
        content_sub, "copy", "copy the shipped library into a folder to edit", with_config=False
    )
    copy.add_argument("path", type=Path, help="new folder (then set content.directory to it)")
    db = _add(sub, "db", "database maintenance: migrate, backup, restore, copy", with_config=False)
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION")
    db.set_defaults(usage=db)
    _add(db_sub, "migrate", "apply pending database migrations")
    backup = _add(db_sub, "backup", "copy the database safely, even while the bot runs")
    backup.add_argument("path", type=Path, help="where to write the backup file")
    restore = _add(db_sub, "restore", "put a backup back in place (stop the bot first)")
    restore.add_argument("path", type=Path, help="the backup file to restore")
    copy_db = _add(
        db_sub,
        "copy",
        "copy every row between databases (SQLite <-> PostgreSQL); stop the bot first",
        with_config=False,
    )
    copy_db.add_argument("--from", dest="source", required=True, metavar="URL", help="copy from")
    copy_db.add_argument("--to", dest="target", required=True, metavar="URL", help="copy into")
    copy_db.add_argument("--force", action="store_true", help="replace data already in the target")
    for action in (backup, restore):
        action.add_argument("--force", action="store_true", help="replace files that exist")
        action.add_argument(
            "--with-secret",
            action="store_true",
            help="also copy the member-key secret, as PATH.secret (mode 0600)",
        )
    return parser


def _shard_count(text: str) -> str | int:
    if text in ("none", "auto"):
        return text
    if text.isdigit() and int(text) > 0:
        return int(text)
    raise argparse.ArgumentTypeError(f"expected none, auto or a number from 1, got {text!r}")


def _shard_ids(text: str) -> tuple[int, ...]:
    parts = [part.strip() for part in text.split(",")]
    if not all(part.isdigit() for part in parts):
        raise argparse.ArgumentTypeError(f"expected shard numbers like 0,1, got {text!r}")
    return tuple(int(part) for part in parts)


def _add(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    *,
    with_config: bool = True,
) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=summary, description=summary)
    if with_config:
        parser.add_argument(
            "--config",
            type=Path,
            metavar="PATH",
            help="settings file (default: $BOUNCEBACK_CONFIG, else ./config.yaml if present, "
            "else built-in defaults)",
        )
    return parser


def config_path(args: argparse.Namespace) -> Path | None:
    """--config, else $BOUNCEBACK_CONFIG (containers, services), else ./config.yaml if present."""
    given: Path | None = getattr(args, "config", None)
    if given is not None:
        return given
    from_env = os.environ.get(CONFIG_ENV, "").strip()
    if from_env:
        return Path(from_env)
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


def dispatch(args: argparse.Namespace) -> int:
    """Run the chosen command and return its exit code."""
    path = config_path(args)
    token = os.environ.get("DISCORD_TOKEN", "").strip()
    if args.command is None or getattr(args, f"{args.command}_command", "") is None:
        args.usage.print_help()
        return 0
    match args.command:
        case "run":
            return cli.run(path, token, args.shards, args.shard_ids)
        case "demo":
            return cli.demo(path, args.locale)
        case "check":
            return cli.check(path)
        case "sync":
            return asyncio.run(cli.sync(path, token, args.guild))
        case "invite":
            return asyncio.run(cli.invite(token, args.app_id))
        case "content" if args.content_command == "copy":
            return cli.copy_content(args.path)
        case "content":
            return cli.validate_content(path, args.path)
        case "db" if args.db_command == "migrate":
            return asyncio.run(cli_db.db_migrate(path))
        case "db" if args.db_command == "copy":
            return asyncio.run(cli_db.db_copy(args.source, args.target, force=args.force))
        case "db" if args.db_command == "backup":
            backup = cli_db.db_backup(
                path, args.path, force=args.force, with_secret=args.with_secret
            )
            return asyncio.run(backup)
        case "db":
            return cli_db.db_restore(
                path, args.path, force=args.force, with_secret=args.with_secret
            )
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry point."""
    args = build_parser().parse_args(argv)
    try:
        return dispatch(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
