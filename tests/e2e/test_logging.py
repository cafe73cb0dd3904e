"""The incident id a member is shown can be found in JSON logs by a log shipper."""

from __future__ import annotations

import io
import json
import logging
import re

from bot.logs import setup_logging
from tests.e2e.conftest import Bot


async def test_an_incident_id_is_its_own_field_in_json_logs(bot: Bot) -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = setup_logging("INFO", "json", stream)
    try:
        await bot.app.db.execute("DROP TABLE tip_seen")
        reply = await bot.say(bot.server.alice, "tip")
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    match = re.search(r"incident `(BB-[0-9A-F]{6})`", reply.content or "")
    assert match is not None
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    (entry,) = [e for e in entries if e.get("incident") == match.group(1)]
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "bot.incidents"
    assert match.group(1) in entry["message"]
    assert "tip_seen" in entry["exception"]
