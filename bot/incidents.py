"""Incident ids: one short code that joins what someone saw to the traceback in the log.

Kept free of discord so background work (the content watcher, scheduled jobs)
logs its failures exactly as the app-command error handler does, and an
operator greps one scheme for both.
"""

from __future__ import annotations

import logging
import secrets

log = logging.getLogger("bot.incidents")


def new_incident_id() -> str:
    """Short, unguessable and easy to read aloud."""
    return "BB-" + secrets.token_hex(3).upper()


def log_incident(where: str, error: BaseException) -> str:
    """Log `error` with its traceback under a new incident id, and return the id."""
    incident = new_incident_id()
    log.error("incident %s in %s", incident, where, exc_info=error, extra={"incident": incident})
    return incident
