"""/support end to end: grounding, the private plan, people to talk to, and regions."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any

from bot.content.support_loader import load_support
from bot.demo.transcript import find_button
from discord_sandbox import CapturedModal, InteractionResponse, Member, User
from tests.e2e.conftest import Bot

DISCLAIMER = "Bounceback is peer support, not a crisis service."
EMERGENCY = "In an emergency call your local emergency number"
NOT_YOURS = "These buttons belong to the person who asked. Try /support for your own."
PLAN = {
    "warning_signs": "I stop answering messages and sleep badly.",
    "what_helps": "A walk, *loud* music, two lines about the day.",
    "people": "Sam (text), my sister on Sundays.",
    "reasons": "My dog, the garden, the trip in spring.",
}


async def ask_support(
    bot: Bot, who: Member | User | None = None, locale: str = "en-US", **options: object
) -> InteractionResponse:
    who = who or bot.server.alice
    if isinstance(who, User):
        result = await bot.sb.invoke(who, "support", options=options, locale=locale)
        return await result.response(timeout=5)
    return await bot.say(who, "support", locale=locale, **options)


async def press(
    bot: Bot,
    reply: InteractionResponse,
    label: str,
    who: Member | User | None = None,
    locale: str | None = None,
) -> InteractionResponse:
    assert reply.message is not None
    custom_id = find_button(reply.components, label)
    result = await bot.sb.click(who or bot.server.alice, reply.message, custom_id, locale=locale)
    return await result.response(timeout=5)


async def run_setup(bot: Bot, who: Member, command: str, **options: object) -> InteractionResponse:
    """`bot.say` keeps `channel` for where to type; /setup support has a `channel` option."""
    result = await bot.sb.invoke(who, f"setup {command}", options=options)
    return await result.response(timeout=5)


def _labels(reply: InteractionResponse) -> list[str]:
    return [c["label"] for row in reply.components for c in row["components"]]


def _inputs(modal: CapturedModal) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in modal.components:
        for item in row.get("components") or [row.get("component", row)]:
            found[item["custom_id"]] = item
    return found


async def _open_plan(
    bot: Bot, reply: InteractionResponse, who: Member | User | None = None
) -> CapturedModal:
    assert reply.message is not None
    labels = _labels(reply)
    custom_id = find_button(reply.components, "My plan" if "My plan" in labels else "Edit my plan")
    result = await bot.sb.click(who or bot.server.alice, reply.message, custom_id)
    return await result.modal(timeout=5)


async def save_plan(
    bot: Bot,
    reply: InteractionResponse,
    values: dict[str, str],
    who: Member | User | None = None,
    *,
    enforce_limits: bool = True,
) -> InteractionResponse:
    modal = await _open_plan(bot, reply, who)
    result = await bot.sb.submit_modal(
        who or bot.server.alice, modal, values, enforce_limits=enforce_limits
    )
    return await result.response(timeout=5)


def _plans(bot: Bot) -> list[tuple[Any, ...]]:
    with sqlite3.connect(bot.app.config.database_path) as db:
        return db.execute("SELECT * FROM support_plans").fetchall()


async def test_support_is_private_calm_and_offers_three_small_steps(bot: Bot) -> None:
    reply = await ask_support(bot)
    assert reply.ephemeral
    assert reply.allowed_mentions == {"parse": []}
    assert reply.content is None
    (embed,) = reply.embeds
    assert embed["title"] == "Take a moment"
    assert "Only you can see this." in embed["description"]
    assert embed["footer"]["text"] == f"{DISCLAIMER} {EMERGENCY} (United States: 911)."
    assert _labels(reply) == ["Ground me", "My plan", "Talk to someone"]


async def test_ground_me_walks_each_step_in_the_same_message_only_on_presses(bot: Bot) -> None:
    exercises = bot.app.bot.services.support.exercise
    breathing, senses = exercises("paced-breathing"), exercises("five-senses")
    home = await ask_support(bot)
    step = await press(bot, home, "Ground me")
    for number, text in enumerate(breathing.steps, start=1):
        assert step.kind == "update"
        assert step.message is not None
        assert step.message.ephemeral
        embed = step.embeds[0]
        assert embed["title"] == "Paced breathing"
        assert embed["description"].startswith(text)
        assert f"Step {number} of {len(breathing.steps)}" in embed["description"]
        assert DISCLAIMER in embed["footer"]["text"]
        if number < len(breathing.steps):
            assert _labels(step) == ["Next step", "Done"]
            step = await press(bot, step, "Next step")
    assert _labels(step) == ["Done", "Try another"]
    another = await press(bot, step, "Try another")
    assert another.embeds[0]["title"] == "5-4-3-2-1"
    assert another.embeds[0]["description"].startswith(senses.steps[0])
    done = await press(bot, another, "Done")
    assert done.kind == "update"
    assert done.content in bot.app.bot.services.support.messages.home_after_grounding
    assert _labels(done) == ["Ground me", "My plan", "Talk to someone"]
    assert home.message is not None
    assert home.message.embeds[0]["title"] == "Take a moment"  # edited back in place


async def test_talk_to_someone_follows_the_discord_language(bot: Bot) -> None:
    cases = {
        "en-US": ("United States", "988 Suicide & Crisis Lifeline", "911"),
        "en-GB": ("United Kingdom", "Samaritans", "999"),
        "es-ES": ("España", "Línea 024 (atención a la conducta suicida)", "112"),
        "es-419": ("México", "Línea de la Vida", "911"),
        "fr": ("France", "3114, numéro national de prévention du suicide", "112"),
        "de": ("Deutschland", "TelefonSeelsorge", "112"),
        "hi": ("India", "Tele-MANAS", "112"),
    }
    support, _ = load_support(bot.content, date(2026, 11, 27))
    for locale, (region, first_line, number) in cases.items():
        words = support.in_language(locale).messages  # Spanish members read Spanish labels
        home = await ask_support(bot, locale=locale)
        assert f"({region}: {number})." in home.embeds[0]["footer"]["text"]
        talk = await press(bot, home, words.button_talk, locale=locale)
        embed = talk.embeds[0]
        assert embed["title"] == f"{words.talk_title} · {region}"
        assert embed["fields"][0]["name"] == words.talk_server_heading
        assert embed["fields"][1]["name"] == first_line
        assert 2 <= len(embed["fields"]) <= 4  # the server's line and at most three more
        assert (
            words.pick("disclaimer_with_number", region=region, number=number)
            in embed["footer"]["text"]
        )


async def test_the_region_option_wins_over_the_language(bot: Bot) -> None:
    talk = await press(bot, await ask_support(bot, region="AU"), "Talk to someone")
    names = [f["name"] for f in talk.embeds[0]["fields"]]
    assert names == ["In this server", "Lifeline", "Beyond Blue", "Suicide Call Back Service"]
    assert "13 11 14" in talk.embeds[0]["fields"][1]["value"]
    typed = await press(bot, await ask_support(bot, region="canada"), "Talk to someone")
    assert typed.embeds[0]["title"] == "Talk to someone · Canada"


async def test_unknown_regions_and_languages_get_the_international_directory(bot: Bot) -> None:
    home = await ask_support(bot, region="Atlantis")
    assert home.content is not None
    assert home.content.startswith("I don't have lines for that region yet")
    assert home.embeds[0]["footer"]["text"] == f"{DISCLAIMER} {EMERGENCY}."
    talk = await press(bot, home, "Talk to someone")
    (_, directory) = talk.embeds[0]["fields"]
    assert directory["name"] == "Find A Helpline"
    assert "findahelpline.com" in directory["value"]
    quiet = await ask_support(bot, locale="ja")
    assert quiet.content is None
    talk = await press(bot, quiet, "Talk to someone")
    assert talk.embeds[0]["fields"][-1]["name"] == "Find A Helpline"


async def test_region_autocomplete_offers_the_regions_by_name(bot: Bot) -> None:
    alice = bot.server.alice
    found = await bot.sb.autocomplete(alice, "support", focused="region", options={"region": "aus"})
    assert found == [{"name": "Australia", "value": "AU"}]
    everything = await bot.sb.autocomplete(
        alice, "support", focused="region", options={"region": ""}
    )
    assert len(everything) == len(bot.app.bot.services.support.region_choices(""))
    assert everything[-1] == {"name": "Anywhere in the world", "value": "international"}


async def test_plan_is_saved_privately_and_the_form_comes_back_filled_in(bot: Bot) -> None:
    home = await ask_support(bot)
    modal = await _open_plan(bot, home)
    assert modal.title == "My plan"
    assert modal.input_ids == ["warning_signs", "what_helps", "people", "reasons"]
    boxes = _inputs(modal)
    assert all(not box.get("value") for box in boxes.values())
    assert all(box["max_length"] == 1000 and box["required"] is False for box in boxes.values())
    saved = await save_plan(bot, home, PLAN)
    assert saved.kind == "update"
    assert saved.content == "Saved. Your plan is here whenever you need it."
    fields = {f["name"]: f["value"] for f in saved.embeds[0]["fields"]}
    assert fields["My reasons to keep going"] == PLAN["reasons"]
    assert fields["What helps me"] == "A walk, \\*loud\\* music, two lines about the day."
    assert _labels(saved) == ["Edit my plan", "Talk to someone", "Back"]
    edit = _inputs(await _open_plan(bot, saved))
    assert {name: box["value"] for name, box in edit.items()} == PLAN
    changed = await save_plan(bot, saved, {**PLAN, "people": "", "what_helps": "Tea first."})
    names = [f["name"] for f in changed.embeds[0]["fields"]]
    assert names == ["My warning signs", "What helps me", "My reasons to keep going"]
    (row,) = _plans(bot)
    assert row[0] == bot.server.guild.id
    assert str(bot.server.alice.id) not in json.dumps(row)
    assert row[3:6] == ("Tea first.", "", PLAN["reasons"])
    assert row[6] == "2026-11-23"
    back = await press(bot, changed, "Back")
    assert back.embeds[0]["title"] == "Take a moment"


async def test_a_full_part_is_shown_whole_even_when_escaping_makes_it_longer(bot: Bot) -> None:
    """1,000 characters of names and numbers pass a field's 1,024 once escaped: none are hidden."""
    people = ("Mom 555-123-4567, sis 555-987-6543. " * 40)[:987] + " 555-000-1111"
    saved = await save_plan(bot, await ask_support(bot), {"people": people})
    fields = saved.embeds[0]["fields"]
    assert [f["name"] for f in fields] == ["People I can reach", "\u200b"]
    shown = "".join(f["value"] for f in fields).replace("\\", "")
    assert shown == people
    assert "…" not in shown


async def test_an_empty_plan_is_deleted_and_overlong_text_is_refused(bot: Bot) -> None:
    home = await ask_support(bot)
    await save_plan(bot, home, PLAN)
    long = {**PLAN, "reasons": "x" * 1001}
    refused = await save_plan(bot, home, long, enforce_limits=False)
    assert refused.ephemeral
    assert refused.content == (
        '"My reasons to keep going" is 1001 characters; the limit is 1000. '
        "Nothing was saved, so you can trim it and try again."
    )
    assert _plans(bot)[0][5] == PLAN["reasons"]
    cleared = await save_plan(bot, home, dict.fromkeys(PLAN, ""))
    assert cleared.content == "Every box was empty, so I deleted your plan."
    assert _plans(bot) == []


async def _my_data(bot: Bot) -> dict[str, Any]:
    reply = await bot.say(bot.server.alice, "my-data")
    data: dict[str, Any] = json.loads(reply.attachments[0].data)
    return data


async def test_the_plan_is_in_my_data_and_gone_after_forget_me(bot: Bot) -> None:
    await save_plan(bot, await ask_support(bot), PLAN)
    assert (await _my_data(bot))["support_plan"] == [{**PLAN, "updated_on": "2026-11-23"}]
    confirm = await bot.say(bot.server.alice, "forget-me")
    await press(bot, confirm, "Delete everything")
    assert (await _my_data(bot))["support_plan"] == []
    assert _plans(bot) == []


async def test_someone_else_cannot_use_my_buttons(bot: Bot) -> None:
    home = await ask_support(bot)
    for label in ("Ground me", "My plan", "Talk to someone"):
        answer = await press(bot, home, label, who=bot.server.bob)
        assert answer.ephemeral
        assert answer.content == NOT_YOURS
    step = await press(bot, home, "Ground me")
    for label in ("Next step", "Done"):
        answer = await press(bot, step, label, who=bot.server.bob)
        assert answer.content == NOT_YOURS
    assert home.message is not None
    assert home.message.embeds[0]["description"].startswith("Sit or stand")  # still step 1
    assert _plans(bot) == []


async def test_support_works_in_a_dm_with_the_plan_kept_apart(bot: Bot) -> None:
    dee = bot.sb.create_user("dee", locale="en-GB")
    home = await ask_support(bot, dee, locale="en-GB")
    assert home.ephemeral
    talk = await press(bot, home, "Talk to someone", who=dee)
    assert [f["name"] for f in talk.embeds[0]["fields"]] == ["Samaritans", "Shout"]
    await save_plan(bot, talk, PLAN, who=dee)
    (row,) = _plans(bot)
    assert row[0] == 0


async def test_a_plan_made_in_a_dm_can_be_exported_and_forgotten_there(bot: Bot) -> None:
    dee = bot.sb.create_user("dee", locale="en-GB")
    home = await ask_support(bot, dee, locale="en-GB")
    await save_plan(bot, home, PLAN, who=dee)
    exported = await (await bot.sb.invoke(dee, "my-data")).response(timeout=5)
    assert exported.ephemeral
    assert (exported.content or "").startswith(
        "Here is everything Bounceback holds about you from direct messages"
    )
    assert json.loads(exported.attachments[0].data)["support_plan"]
    confirm = await (await bot.sb.invoke(dee, "forget-me")).response(timeout=5)
    assert confirm.message is not None
    custom_id = find_button(confirm.components, "Delete everything")
    done = await (await bot.sb.click(dee, confirm.message, custom_id)).response(timeout=5)
    assert done.content == "Done. 1 record about you was deleted."  # singular, not record(s)
    assert _plans(bot) == []
