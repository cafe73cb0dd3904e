"""Log output for `bounceback run`: colour on a terminal only, or JSON lines for log shippers.

discord.py's own helper colours the output whenever it guesses a person is
watching, which includes every Docker container, so log files and `docker logs`
filled up with ANSI codes. Here colour needs a real terminal (and no NO_COLOR),
and `logging.format: json` writes one JSON object per line with the time, level,
logger, message and, for an unexpected error, the incident id a member was shown.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Literal, TextIO

import discord.utils

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "[{asctime}] [{levelname:<8}] {name}: {message}"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
INCIDENT_FIELD = "incident"


class JsonLines(logging.Formatter):
    """One JSON object per record; newlines inside messages stay escaped on the one line."""

    def format(self, record: logging.LogRecord) -> str:
        """Render one record as a JSON line, with its time in UTC and any incident id."""
        stamp = datetime.fromtimestamp(record.created, UTC)
        entry: dict[str, str] = {
            "time": stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        incident = getattr(record, INCIDENT_FIELD, None)
        if incident is not None:
            entry[INCIDENT_FIELD] = str(incident)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry)


def wants_colour(stream: TextIO) -> bool:
    """Colour only for a person at a terminal who has not asked for none (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def setup_logging(
    level: str, log_format: LogFormat, stream: TextIO | None = None
) -> logging.Handler:
    """Send every logger's records to `stream` (stderr by default); return the handler."""
    target = sys.stderr if stream is None else stream
    handler = logging.StreamHandler(target)
    numeric = logging.getLevelNamesMapping()[level]
    if log_format == "json":
        discord.utils.setup_logging(handler=handler, formatter=JsonLines(), level=numeric)
    elif wants_colour(target):
        discord.utils.setup_logging(handler=handler, level=numeric)
    else:
        plain = logging.Formatter(TEXT_FORMAT, DATE_FORMAT, style="{")
        discord.utils.setup_logging(handler=handler, formatter=plain, level=numeric)
    return handler
