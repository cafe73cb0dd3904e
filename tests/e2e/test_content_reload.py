"""Reloading content: a valid edit goes live, a broken one changes nothing and says where."""

from __future__ import annotations

from bot.demo.transcript import find_button
from tests.e2e.conftest import Bot

NEW_TIP = """\
tips:
  - id: zz-fresh-01
    topic: resilience
    text: A tip that was saved a moment ago.
"""
BROKEN = """\
tips:
  - id: zz-broken-01
    topic: nowhere
    text: Fine words, wrong topic.
  - id: zz-broken-02
    topic: resilience
    text: [unclosed
"""


async def test_reload_command_picks_up_a_valid_edit(bot: Bot) -> None:
    before = bot.app.bot.services.content.library
    (bot.content / "tips" / "zz-fresh.yaml").write_text(NEW_TIP)
    reply = await bot.say(bot.server.mo, "tips reload")
    assert reply.content == (
        f"Content reloaded: {len(before.tips) + 1} tips are live (topics: {len(before.topics)})."
    )
    preview = await bot.say(bot.server.mo, "tips preview", tip="zz-fresh-01")
    assert preview.embeds[0]["description"] == "A tip that was saved a moment ago."


async def test_broken_edit_keeps_the_last_good_library_and_lists_file_and_line(bot: Bot) -> None:
    path = bot.content / "tips" / "zz-broken.yaml"
    path.write_text(BROKEN)
    messages = bot.content / "messages.yaml"
    messages.write_text(messages.read_text().replace("tip_footer:", "tip_fooster:"))
    reply = await bot.say(bot.server.mo, "tips reload")
    assert reply.ephemeral
    text = reply.content or ""
    assert text.startswith("The content has 3 problems, so nothing changed")
    assert f"{path}:8:1: malformed YAML" in text
    assert f"{messages}:" in text
    assert "unknown key 'tip_fooster' (did you mean 'tip_footer'?)" in text
    tip = await bot.say(bot.server.alice, "tip", topic="resilience")
    footers = bot.app.bot.services.content.library.messages.tip_footer
    assert tip.embeds[0]["footer"]["text"] in footers  # the old wording is still live
    assert find_button(tip.components, "This helped").split(":")[2].startswith("resilience-")


async def test_a_saved_edit_is_live_within_five_seconds(bot: Bot) -> None:
    store = bot.app.bot.services.content
    before = store.reloads
    (bot.content / "tips" / "zz-fresh.yaml").write_text(NEW_TIP)
    await store.wait_for_reload(before, timeout=5)
    assert "zz-fresh-01" in store.library.tips


async def test_a_broken_save_is_reported_to_the_moderator_log(bot: Bot) -> None:
    store = bot.app.bot.services.content
    before = store.reloads
    (bot.content / "tips" / "zz-broken.yaml").write_text(BROKEN)
    await store.wait_for_reload(before, timeout=5)
    assert "zz-broken-01" not in store.library.tips
    log = await bot.sb.wait_for_message(
        bot.server.modlog,
        lambda m: "The content has 1 problem, so nothing changed" in m.content,
        timeout=5,
    )
    assert "zz-broken.yaml:8:1: malformed YAML" in log.content
    assert log.allowed_mentions == {"parse": []}
