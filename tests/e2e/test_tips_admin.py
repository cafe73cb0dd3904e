"""/tips ... end to end: moderator edits, refusals, bad input, audit and isolation."""

from __future__ import annotations

import sqlite3

import discord
import pytest
import yaml

from bot.demo.transcript import find_button
from discord_sandbox import CapturedModal, InteractionResponse, Member
from tests.e2e.conftest import Bot, build_server

NOT_MOD = "That one is for moderators. If you think you should have access, ask one of them."
UNKNOWN_TIP = "I couldn't find that tip in this server. Pick one from the list as you type."


async def _form(bot: Bot, who: Member, command: str, **options: object) -> CapturedModal:
    reply = await bot.say(who, command, **options)
    assert reply.kind == "modal", reply.content
    assert reply.modal is not None
    return reply.modal


async def _submit(
    bot: Bot, who: Member, modal: CapturedModal, text: str, reflect: str = ""
) -> InteractionResponse:
    # enforce_limits=False sends what a crafted client could: the bot must check for itself.
    values = {"text": text, "reflect": reflect}
    result = await bot.sb.submit_modal(who, modal, values, enforce_limits=False)
    return await result.response(timeout=5)


async def _add(bot: Bot, text: str, who: Member | None = None) -> InteractionResponse:
    modal = await _form(bot, who or bot.server.mo, "tips add", topic="small-wins")
    return await _submit(bot, who or bot.server.mo, modal, text, "What went right?")


def _rows(bot: Bot, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(bot.app.config.database_path) as db:
        return db.execute(sql).fetchall()


async def test_add_opens_a_form_and_the_new_tip_is_served(bot: Bot) -> None:
    modal = await _form(bot, bot.server.mo, "tips add", topic="small-wins")
    assert modal.title == "New tip"
    assert modal.input_ids == ["text", "reflect"]
    reply = await _submit(
        bot, bot.server.mo, modal, "Name one thing you finished today.", "How did it feel?"
    )
    assert reply.ephemeral
    assert (
        reply.content == "Added srv-1 to Celebrating small wins. Members can get it from /tip now."
    )
    assert reply.embeds[0]["description"] == "Name one thing you finished today."
    seen = set()
    for _ in range(10):
        tip = await bot.say(bot.server.alice, "tip", topic="small-wins")
        seen.add(find_button(tip.components, "This helped").split(":")[2])
    assert "srv-1" in seen


async def test_manage_server_is_enough_to_moderate(bot: Bot) -> None:
    reply = await bot.say(bot.server.owner, "tips stats")
    assert reply.embeds[0]["title"] == "What members found helpful"


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("tips add", {"topic": "small-wins"}),
        ("tips edit", {"tip": "small-wins-01"}),
        ("tips remove", {"tip": "small-wins-01"}),
        ("tips restore", {"tip": "small-wins-01"}),
        ("tips list", {}),
        ("tips preview", {"tip": "small-wins-01"}),
        ("tips stats", {}),
        ("tips reload", {}),
        ("tips export", {}),
    ],
)
async def test_members_are_kindly_refused_every_moderator_command(
    bot: Bot, command: str, options: dict[str, object]
) -> None:
    reply = await bot.say(bot.server.alice, command, **options)
    assert reply.ephemeral
    assert reply.content == NOT_MOD
    assert _rows(bot, "SELECT COUNT(*) FROM audit_log") == [(0,)]


async def test_edit_prefills_and_overrides_for_this_server_only(bot: Bot) -> None:
    original = bot.app.bot.services.content.library.tips["small-wins-01"]
    modal = await _form(bot, bot.server.mo, "tips edit", tip="small-wins-01")
    values = {
        c["custom_id"]: c.get("value")
        for row in modal.components
        for c in row.get("components", [row.get("component", row)])
    }
    assert values["text"] == original.text
    reply = await _submit(bot, bot.server.mo, modal, "A shorter, kinder version.")
    assert reply.content == "Saved your edit of small-wins-01. Only this server sees the change."
    preview = await bot.say(bot.server.mo, "tips preview", tip="small-wins-01")
    assert preview.embeds[0]["description"] == "A shorter, kinder version."
    file_text = (bot.content / "tips" / "small-wins.yaml").read_text()
    assert "A shorter, kinder version." not in file_text
    (audit,) = _rows(bot, "SELECT actor_id, action, target, before, after FROM audit_log")
    assert audit[:3] == (bot.server.mo.id, "tip.edit", "small-wins-01")
    assert original.text[:20] in str(audit[3])
    assert "A shorter, kinder version." in str(audit[4])


async def test_remove_hides_a_library_tip_and_restore_brings_it_back(bot: Bot) -> None:
    hidden = await bot.say(bot.server.mo, "tips remove", tip="small-wins-02")
    assert hidden.content == "Hidden small-wins-02 in this server. /tips restore brings it back."
    gone = await bot.say(bot.server.mo, "tips preview", tip="small-wins-02")
    assert gone.content == UNKNOWN_TIP
    choices = await bot.sb.autocomplete(
        bot.server.mo, "tips restore", focused="tip", options={"tip": "small-wins"}
    )
    assert [c["value"] for c in choices] == ["small-wins-02"]
    back = await bot.say(bot.server.mo, "tips restore", tip="small-wins-02")
    assert back.content == "Restored small-wins-02 as the library has it."
    assert _rows(bot, "SELECT action FROM audit_log ORDER BY id") == [
        ("tip.hide",),
        ("tip.restore",),
    ]


async def test_tip_autocomplete_shows_id_and_first_words(bot: Bot) -> None:
    choices = await bot.sb.autocomplete(
        bot.server.mo, "tips edit", focused="tip", options={"tip": "resilience-0"}
    )
    assert len(choices) == 9
    first = bot.app.bot.services.content.library.tips["resilience-01"]
    assert choices[0]["value"] == "resilience-01"
    assert choices[0]["name"].startswith(f"resilience-01: {first.text[:20]}")
    shown = choices[0]["name"].removeprefix("resilience-01: ").removesuffix("…")
    assert not " ".join(first.text.split())[len(shown)].isalnum(), "cut mid-word"
    assert (
        await bot.sb.autocomplete(
            bot.server.alice, "tips edit", focused="tip", options={"tip": "res"}
        )
        == []
    )


async def test_remove_deletes_a_server_tip(bot: Bot) -> None:
    await _add(bot, "Write down one brave email you sent.")
    deleted = await bot.say(bot.server.mo, "tips remove", tip="srv-1")
    assert deleted.content == "Deleted srv-1."
    again = await bot.say(bot.server.mo, "tips remove", tip="srv-1")
    assert again.content == UNKNOWN_TIP


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 401, "That text is 401 characters; the limit is 400."),
        ("   \n  ", "That text was empty, so nothing was changed."),
        ("@everyone", "That text is only a mention."),
        ("<@123456789012345678>", "That text is only a mention."),
        ("<@&123456789012345678> ", "That text is only a mention."),
    ],
)
async def test_bad_modal_text_is_refused_kindly_and_changes_nothing(
    bot: Bot, text: str, message: str
) -> None:
    reply = await _add(bot, text)
    assert reply.ephemeral
    assert (reply.content or "").startswith(message)
    assert _rows(bot, "SELECT COUNT(*) FROM guild_tips") == [(0,)]
    assert _rows(bot, "SELECT COUNT(*) FROM audit_log") == [(0,)]


async def test_mentions_and_markdown_in_a_tip_never_ping(bot: Bot) -> None:
    reply = await _add(bot, "Hey @everyone and <@&42>: **celebrate** `small` ~~wins~~ ```")
    assert reply.allowed_mentions == {"parse": []}
    shown = reply.embeds[0]["description"]
    assert "\\`\\`\\`" in shown
    assert "\\*\\*celebrate\\*\\*" in shown
    assert "@everyone" not in shown
    log = await bot.sb.wait_for_message(
        bot.server.modlog, lambda m: "srv-1" in m.content, timeout=5
    )
    assert log.content == f"📝 <@{bot.server.mo.id}> added tip `srv-1`."  # a sentence, not "add"
    assert log.allowed_mentions == {"parse": []}
    assert log.mention_everyone is False
    assert log.mention_ids == []


async def test_unknown_topic_and_unknown_tip_are_refused(bot: Bot) -> None:
    reply = await bot.say(bot.server.mo, "tips add", topic="astrology")
    assert reply.kind == "message"
    assert (
        reply.content
        == "I don't have a topic by that name. Start typing and pick one from the list."
    )
    for command in ("tips edit", "tips preview", "tips remove", "tips restore"):
        reply = await bot.say(bot.server.mo, command, tip="no-such-tip")
        assert reply.content == UNKNOWN_TIP, command


async def test_one_servers_tips_are_invisible_in_another(bot: Bot) -> None:
    await _add(bot, "Only for the first server.")
    other = build_server(bot.sb)
    for command in ("tips preview", "tips edit", "tips remove"):
        reply = await bot.say(other.owner, command, in_channel=other.general, tip="srv-1")
        assert reply.content == UNKNOWN_TIP
    choices = await bot.sb.autocomplete(
        other.owner, "tips edit", focused="tip", options={"tip": "srv"}, channel=other.general
    )
    assert choices == []
    for _ in range(10):
        tip = await bot.say(other.alice, "tip", in_channel=other.general, topic="small-wins")
        assert find_button(tip.components, "This helped").split(":")[2] != "srv-1"


async def test_list_pages_and_only_the_moderator_can_turn_them(bot: Bot) -> None:
    reply = await bot.say(bot.server.mo, "tips list")
    assert reply.ephemeral
    assert reply.embeds[0]["footer"]["text"] == "Page 1 of 11 · 108 tips"
    assert reply.message is not None
    nxt = find_button(reply.components, "Next")
    page2 = await (await bot.sb.click(bot.server.mo, reply.message, nxt)).response(timeout=5)
    assert page2.embeds[0]["footer"]["text"].startswith("Page 2 of 11")
    stranger = await (await bot.sb.click(bot.server.alice, reply.message, nxt)).response(timeout=5)
    assert stranger.content == "These buttons belong to the moderator who asked."
    one_topic = await bot.say(bot.server.mo, "tips list", topic="resilience")
    assert one_topic.embeds[0]["footer"]["text"] == "Page 1 of 1 · 9 tips"


async def test_stats_rank_tips_by_anonymous_votes(bot: Bot) -> None:
    for member in (bot.server.alice, bot.server.bob):
        tip = await bot.say(member, "tip", topic="resilience")
        assert tip.message is not None
        await (
            await bot.sb.click(member, tip.message, find_button(tip.components, "This helped"))
        ).response(timeout=5)
    stats = await bot.say(bot.server.mo, "tips stats")
    fields = {f["name"]: f["value"] for f in stats.embeds[0]["fields"]}
    assert fields["Resilience"].startswith("Most helpful: `resilience-")
    assert "Growth mindset" in fields["No votes yet"]


async def test_export_attaches_this_servers_tips_in_library_format(bot: Bot) -> None:
    empty = await bot.say(bot.server.mo, "tips export")
    assert empty.content == "This server has no tips of its own yet. Add one with /tips add."
    await _add(bot, "Tell one person about a small win today.")
    reply = await bot.say(bot.server.mo, "tips export")
    (file,) = reply.attachments
    assert file.filename == "tips-job-seekers.yaml"
    data = yaml.safe_load(file.data)
    assert data == {
        "tips": [
            {
                "id": "srv-1",
                "topic": "small-wins",
                "text": "Tell one person about a small win today.",
                "reflect": "What went right?",
            }
        ]
    }


async def test_changes_are_posted_to_the_moderator_log_without_pings(bot: Bot) -> None:
    await _add(bot, "Notice one thing you handled well.")
    log = await bot.sb.wait_for_message(
        bot.server.modlog, lambda m: "srv-1" in m.content, timeout=5
    )
    assert f"<@{bot.server.mo.id}>" in log.content
    assert log.allowed_mentions == {"parse": []}
    assert log.mention_ids == []


async def test_export_of_a_server_whose_name_has_no_letters_is_named_by_its_id(
    bot: Bot,
) -> None:
    guild = bot.sb.create_guild("✨ 🌱 ✨")
    general = guild.create_text_channel("general")
    owner = guild.add_member("olga", permissions=discord.Permissions(manage_guild=True).value)
    modal = await _form(bot, owner, "tips add", topic="small-wins", in_channel=general)
    await _submit(bot, owner, modal, "Write down one thing that went okay.")
    reply = await bot.say(owner, "tips export", in_channel=general)
    (file,) = reply.attachments
    assert file.filename == f"tips-{guild.id}.yaml"


async def test_list_shortens_previews_at_a_word_boundary(bot: Bot) -> None:
    reply = await bot.say(bot.server.mo, "tips list", topic="small-wins")
    library = bot.app.bot.services.content.library
    lines = str(reply.embeds[0]["description"]).splitlines()
    assert len(lines) == 9
    for line in lines:
        tip_id = line.split("`")[1]
        preview = line.split(" · ", 2)[2]
        full = " ".join(library.tips[tip_id].text.split())
        if preview == full:
            continue
        assert preview.endswith("…"), preview
        kept = preview.removesuffix("…")
        assert full.startswith(kept), preview
        assert not full[len(kept)].isalnum(), f"cut mid-word: {preview!r}"
