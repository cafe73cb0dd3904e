"""/setup with a timezone that is not a zone: a kind suggestion, never the incident message."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Bot

UNKNOWN = "I don't know the timezone {zone}."
INCIDENT = "something went wrong on my side"


@pytest.mark.parametrize("zone", ["America", "Etc", "America/Argentina"])
async def test_a_folder_of_the_tz_database_gets_the_suggestion_message(bot: Bot, zone: str) -> None:
    wins = bot.server.guild.create_text_channel("wins")
    reply = await bot.say(bot.server.owner, "setup celebrations", channel=wins, timezone=zone)
    assert reply.ephemeral
    text = reply.content or ""
    assert INCIDENT not in text
    assert text.startswith(UNKNOWN.format(zone=zone))
    assert text.endswith("Start typing a city to see the list.")
    show = await bot.say(bot.server.owner, "setup show")
    names = [f["name"] for f in show.embeds[0]["fields"]]
    assert "Weekly celebration" not in names


async def test_accountability_refuses_a_folder_name_kindly(bot: Bot) -> None:
    goals = bot.server.guild.create_text_channel("goals")
    reply = await bot.say(bot.server.owner, "setup accountability", channel=goals, timezone="Etc")
    text = reply.content or ""
    assert reply.ephemeral
    assert INCIDENT not in text
    assert text.startswith(UNKNOWN.format(zone="Etc"))
    show = await bot.say(bot.server.owner, "setup show")
    names = [f["name"] for f in show.embeds[0]["fields"]]
    assert "Weekly thread" not in names


async def test_a_near_miss_still_gets_a_did_you_mean(bot: Bot) -> None:
    wins = bot.server.guild.create_text_channel("wins")
    reply = await bot.say(
        bot.server.owner, "setup celebrations", channel=wins, timezone="america/new york"
    )
    assert reply.content == (
        "I don't know the timezone america/new york. Did you mean America/New_York? "
        "Start typing a city to see the list."
    )


@pytest.mark.parametrize(
    ("days", "why"),
    [
        ({"weekday": "sunday"}, "The thread opens on Sunday, after the check-in on Wednesday."),
        (
            {"checkin": "monday", "weekday": "tuesday"},
            "The thread opens on Tuesday, after the check-in on Monday.",
        ),
        ({"recap": "tuesday"}, "The recap on Tuesday comes before the check-in on Wednesday."),
    ],
)
async def test_accountability_days_out_of_order_are_refused_kindly(
    bot: Bot, days: dict[str, str], why: str
) -> None:
    """A check-in before its week's opening would find no thread and be skipped every week."""
    goals = bot.server.guild.create_text_channel("goals")
    reply = await bot.say(bot.server.owner, "setup accountability", channel=goals, **days)
    text = reply.content or ""
    assert reply.ephemeral
    assert INCIDENT not in text
    assert text.startswith(why), text
    assert "Monday to Sunday" in text
    show = await bot.say(bot.server.owner, "setup show")
    names = [f["name"] for f in show.embeds[0]["fields"]]
    assert "Weekly thread" not in names
