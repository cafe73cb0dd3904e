"""Typed, frozen settings loaded from an optional YAML file.

The bot must run with no config at all, so every key has a default. When a file
is given, a typo must not silently fall back to a default: unknown keys, wrong
types and bad timezones are errors that name the key and the line.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal
from zoneinfo import available_timezones

from bot.content.binding import bind
from bot.content.location import shipped_content
from bot.content.source import SourceError, SourceErrors, read_yaml_nodes
from bot.domain.shards import ShardPlan, plan_shards

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

WEEKDAYS: tuple[Weekday, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")


@functools.cache
def zone_keys() -> frozenset[str]:
    """Every valid IANA zone key, read once: the scan is slow and the set never changes."""
    return frozenset(available_timezones())


def check_timezone(name: str) -> str | None:
    """Accept IANA zone keys only; suggest a close one to make the fix easy.

    Membership in the key set, not ZoneInfo(name): a folder of the tz database
    (`America`, `Etc`) makes ZoneInfo raise errors we cannot list in advance.
    """
    if name in ("", "localtime") or name.startswith(("/", ".")):
        return f"must be an IANA timezone name such as Europe/Berlin, got {name!r}"
    if name not in zone_keys():
        hint = suggest_timezone(name)
        extra = f" (did you mean {hint}?)" if hint else ""
        return f"is not a known IANA timezone: {name!r}{extra}"
    return None


def suggest_timezone(name: str) -> str | None:
    """Find the zone whose name best matches a mistyped one."""
    wanted = name.strip().replace(" ", "_")
    by_lower = _zones_by_lower()
    for lower, zone in by_lower.items():
        if lower == wanted.lower() or lower.endswith("/" + wanted.lower()):
            return zone
    import difflib  # only for a mistyped zone: not held by every running bot (140 KB)

    close = difflib.get_close_matches(wanted.lower(), list(by_lower), n=1, cutoff=0.75)
    return by_lower[close[0]] if close else None


@functools.cache
def _zones_by_lower() -> dict[str, str]:
    return {zone.lower(): zone for zone in sorted(zone_keys())}


def _check_time(value: str) -> str | None:
    return None if _TIME.match(value) else f"must be a 24-hour time like 17:00, got {value!r}"


def _check_positive(value: int) -> str | None:
    return None if value > 0 else f"must be greater than 0, got {value}"


# Discord remembers a message nonce for "a few minutes". A dead owner's post is taken over at
# most a lease plus one sweep (60 s) after its last part, and the resent part must still meet
# the nonce there: 180 + 60 s keeps that within four minutes.
LEASE_LIMIT_SECONDS = 180


def _check_lease(value: int) -> str | None:
    if 0 < value <= LEASE_LIMIT_SECONDS:
        return None
    return (
        f"must be between 1 and {LEASE_LIMIT_SECONDS} seconds, got {value}: a post taken over "
        "later than Discord remembers its nonces could be sent twice"
    )


def _check_group_size(value: int) -> str | None:
    if value >= 2:
        return None
    return (
        f"must be at least 2, got {value}: with 1, a group figure is one person's own number, "
        "which undoes the privacy promise"
    )


def _warn_group_size(value: int) -> str | None:
    if value != 2:
        return None
    return (
        "is 2: in a group of two, each member can subtract their own number from the group "
        "figure and work out the other's; 3 or more keeps the privacy promise"
    )


def _check_snowflake(value: int) -> str | None:
    return None if value > 0 else "must be a Discord id (a positive number)"


DATABASE_URL_ENV = "BOUNCEBACK_DATABASE_URL"
SQLITE_PREFIX = "sqlite:///"
POSTGRES_PREFIXES = ("postgresql://", "postgres://")


def _check_database_url(value: str | None) -> str | None:
    if value is None or value.startswith((SQLITE_PREFIX, *POSTGRES_PREFIXES)):
        return None
    return (
        "must start with sqlite:/// (a file, e.g. sqlite:///./data/bounceback.db) or "
        f"postgresql:// (e.g. postgresql://bounceback@db.example:5432/bounceback), got {value!r}"
    )


@dataclass(frozen=True)
class DatabaseConfig:
    """Where the data lives: a SQLite file (the default) or a PostgreSQL server."""

    url: str | None = field(default=None, metadata={"check": _check_database_url})
    path: str = "./data/bounceback.db"  # the SQLite shorthand, used when `url` is unset
    pool_size: int = field(default=10, metadata={"check": _check_positive})
    statement_timeout_seconds: int = field(default=10, metadata={"check": _check_positive})


@dataclass(frozen=True)
class ContentConfig:
    """Where the tip library and the bot's voice are read from (None: the shipped library)."""

    directory: str | None = None
    watch: bool = True


@dataclass(frozen=True)
class WeeklySlot:
    """A weekday and local time for a weekly job."""

    weekday: Weekday
    time: str = field(metadata={"check": _check_time})

    def __post_init__(self) -> None:
        # One spelling for the scheduler and `check`: an unquoted 9:00 arrives as "9:00".
        object.__setattr__(self, "time", self.time.zfill(5))


@dataclass(frozen=True)
class ScheduleConfig:
    """Defaults for servers that have not run /setup yet."""

    timezone: str = field(default="UTC", metadata={"check": check_timezone})
    celebration: WeeklySlot = WeeklySlot("friday", "17:00")
    accountability: WeeklySlot = WeeklySlot("monday", "09:00")
    checkin_weekday: Weekday = "wednesday"
    recap_weekday: Weekday = "sunday"
    grace_period_hours: int = field(default=12, metadata={"check": _check_positive})
    lease_seconds: int = field(default=120, metadata={"check": _check_lease})


@dataclass(frozen=True)
class ModerationConfig:
    """Who counts as a moderator beyond Manage Server, and where changes are reported."""

    role_id: int | None = field(default=None, metadata={"check": _check_snowflake})
    log_channel_id: int | None = field(default=None, metadata={"check": _check_snowflake})


@dataclass(frozen=True)
class PrivacyConfig:
    """Privacy knobs; the defaults are the safe ones."""

    min_group_size: int = field(
        default=3, metadata={"check": _check_group_size, "warn": _warn_group_size}
    )
    forget_me_confirm_minutes: int = field(default=5, metadata={"check": _check_positive})


@dataclass(frozen=True)
class RejectionsConfig:
    """Limits for /rejection log."""

    daily_limit: int = field(default=20, metadata={"check": _check_positive})


@dataclass(frozen=True)
class CelebrationsConfig:
    """The weekly celebration of small wins."""

    empty_week: Literal["post", "skip"] = "post"


@dataclass(frozen=True)
class LoggingConfig:
    """How chatty the log is."""

    level: LogLevel = "INFO"
    format: Literal["text", "json"] = "text"


def _check_shard_id(value: int) -> str | None:
    return None if value >= 0 else f"must be a shard number from 0, got {value}"


def _check_listen(value: str) -> str | None:
    host, _, port = value.rpartition(":")
    if host and port.isdigit() and int(port) < 65536:  # port 0: any free port
        return None
    return f"must be host:port, such as 127.0.0.1:9464, got {value!r}"


@dataclass(frozen=True)
class DiscordConfig:
    """How this process connects: one connection, or some shards of a cluster."""

    shards: Literal["none", "auto"] | int = "none"
    shard_ids: tuple[int, ...] | None = field(default=None, metadata={"each": _check_shard_id})

    def __post_init__(self) -> None:
        # The keys only make sense together; ValueError becomes an error at this line.
        self.plan  # noqa: B018 - computed to validate

    @property
    def plan(self) -> ShardPlan:
        """The shards to run; raises ValueError when the two keys disagree."""
        return plan_shards(self.shards, self.shard_ids)


@dataclass(frozen=True)
class MonitoringConfig:
    """Where /healthz and /metrics are served (None: not at all)."""

    listen: str | None = field(default=None, metadata={"check": _check_listen})


@dataclass(frozen=True)
class Config:
    """All settings; `Config()` is the no-file default."""

    database: DatabaseConfig = DatabaseConfig()
    content: ContentConfig = ContentConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    moderation: ModerationConfig = ModerationConfig()
    privacy: PrivacyConfig = PrivacyConfig()
    rejections: RejectionsConfig = RejectionsConfig()
    celebrations: CelebrationsConfig = CelebrationsConfig()
    logging: LoggingConfig = LoggingConfig()
    discord: DiscordConfig = DiscordConfig()
    monitoring: MonitoringConfig = MonitoringConfig()
    source_url: str = "https://github.com/bounceback-bot/bounceback"
    base_dir: str = field(default=".", metadata={"internal": True})

    def resolve(self, relative: str) -> Path:
        """Resolve a path from the config relative to the config file's folder."""
        path = Path(relative).expanduser()
        return path if path.is_absolute() else Path(self.base_dir) / path

    @property
    def database_url(self) -> str:
        """`BOUNCEBACK_DATABASE_URL` (so a password stays out of the file), else `url`, else `path`."""
        url = os.environ.get(DATABASE_URL_ENV, "").strip() or self.database.url
        return url or SQLITE_PREFIX + self.database.path

    @property
    def uses_sqlite(self) -> bool:
        """True for the embedded SQLite file, False for a PostgreSQL server."""
        return self.database_url.startswith(SQLITE_PREFIX)

    @property
    def database_path(self) -> Path:
        """The SQLite file (relative to the config file's folder); with PostgreSQL, `path`.

        With PostgreSQL the file is never opened, but its folder still holds the
        member-key secret file when `BOUNCEBACK_SECRET` is not set.
        """
        url = self.database_url
        if url.startswith(SQLITE_PREFIX):
            return self.resolve(url.removeprefix(SQLITE_PREFIX))
        return self.resolve(self.database.path)

    @property
    def content_dir(self) -> Path:
        """The operator's content folder, else the library shipped with Bounceback."""
        directory = self.content.directory
        return shipped_content() if directory is None else self.resolve(directory)


def load_config(path: Path | None) -> Config:
    """Load settings from `path`, or defaults when there is no file; raise SourceErrors."""
    return load_config_checked(path)[0]


def load_config_checked(path: Path | None) -> tuple[Config, list[SourceError]]:
    """Like load_config, also returning warnings: values allowed but unwise, with their line."""
    if path is None:
        return Config(), []
    node = read_yaml_nodes(path)
    warnings: list[SourceError] = []
    config, errors = bind(Config, node, str(path), warnings=warnings)
    if errors or config is None:
        raise SourceErrors(errors)
    return replace(config, base_dir=str(path.parent.resolve())), sorted(warnings)
