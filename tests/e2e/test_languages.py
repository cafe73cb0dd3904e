"""Every word in the member's language: the picker, a whole session, and the server's posts.

The session test plays `bounceback demo --locale <code>` (every slash command and
button, as members and a moderator) and looks for any English sentence of
messages.yaml, support.yaml or the tip library in what the bot said. These tests
follow the shipped translations: when one falls behind the English, they name
the keys it lacks.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import fields, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.clock import FakeClock
from bot.config import Config, PrivacyConfig
from bot.content.commands import RegisteredCommand, RegisteredOption
from bot.content.loader import load_library
from bot.content.plurals import Plural
from bot.content.support_loader import load_support
from bot.demo import run_demo
from bot.demo.transcript import find_button
from bot.exts import registered_commands
from bot.offline import offline_bot
from discord_sandbox import InteractionResponse, Sandbox
from tests.conftest import REPO, SEED
from tests.e2e.conftest import START, Bot, build_server, e2e_config

SHIPPED = ("es-ES", "pt-BR")
SUBCOMMAND, GROUP = 1, 2
BERLIN_FRIDAY_5PM = START.replace(day=27, hour=16)  # Friday 27 November, 17:00 CET
MIN_WORDS = 3  # shorter English fragments ("Tips", "Version") may well be the same word


# --- the picker ------------------------------------------------------------------------------


def _untranslated(item: dict[str, Any], path: str, code: str) -> Iterator[str]:
    if code not in (item.get("name_localizations") or {}):
        yield f"{path} name"
    if "description" in item and code not in (item.get("description_localizations") or {}):
        yield f"{path} description"
    for choice in item.get("choices") or []:
        if code not in (choice.get("name_localizations") or {}):
            yield f"{path} choice {choice['value']}"
    for option in item.get("options") or []:
        yield from _untranslated(option, f"{path} {option['name']}", code)


@pytest.mark.parametrize("code", SHIPPED)
async def test_the_synced_tree_carries_the_language_on_every_command_option_and_choice(
    bot: Bot, code: str
) -> None:
    synced = bot.sb.global_commands
    assert synced
    missing = [m for command in synced for m in _untranslated(command, command["name"], code)]
    assert missing == [], f"{code}/commands.yaml lacks: {missing}"


async def test_the_picker_shows_spanish_names_and_borrows_them_for_latin_american_spanish(
    bot: Bot,
) -> None:
    tip = next(c for c in bot.sb.global_commands if c["name"] == "tip")
    assert tip["name_localizations"]["es-ES"] == tip["name_localizations"]["es-419"]
    assert "fr" not in (tip["name_localizations"] or {})  # no French folder: English stays


def _described(item: dict[str, Any], prefix: str = "") -> Iterator[RegisteredCommand]:
    """Describe a synced command (or group) as bot.exts.registered_commands does."""
    name = prefix + item["name"]
    options = item.get("options") or []
    nested = [o for o in options if o["type"] in (SUBCOMMAND, GROUP)]
    if nested:
        yield RegisteredCommand(name)
        for child in nested:
            yield from _described(child, name + " ")
        return
    yield RegisteredCommand(
        name,
        tuple(
            RegisteredOption(o["name"], tuple(str(c["value"]) for c in o.get("choices") or []))
            for o in options
        ),
    )


async def test_the_tree_coverage_counts_is_the_tree_the_bot_syncs(bot: Bot) -> None:
    synced = {c for item in bot.sb.global_commands for c in _described(item)}
    assert synced == set(registered_commands())
    assert bot.app.bot.services.content.library.commands == registered_commands()


def _picker_name(code: str, qualified_name: str) -> str:
    """Return the `/name` a member on `code` sees in the picker (from its commands.yaml)."""
    named = yaml.safe_load((REPO / "content" / "locales" / code / "commands.yaml").read_text())
    segments = qualified_name.split()
    shown = [named[" ".join(segments[: i + 1])]["name"] for i in range(len(segments))]
    return "/" + " ".join(shown)


@pytest.mark.parametrize("code", SHIPPED)
async def test_replies_name_commands_as_the_members_picker_does(bot: Bot, code: str) -> None:
    support, tips_restore = _picker_name(code, "support"), _picker_name(code, "tips restore")
    assert support != "/support"
    assert tips_restore.count(" ") == 1
    assert "restore" not in tips_restore
    footers = set()
    for _ in range(12):  # the footer has variants; the seeded draws reach the one naming /support
        tip = await bot.say(bot.server.alice, "tip", locale=code)
        footers.add(tip.embeds[0]["footer"]["text"])
    assert any(support in footer for footer in footers), footers
    assert not any("/support" in footer for footer in footers)
    hidden = await bot.say(bot.server.mo, "tips remove", locale=code, tip="small-wins-02")
    assert tips_restore in (hidden.content or "")
    assert "/tips restore" not in (hidden.content or "")


# --- a whole session ---------------------------------------------------------------------------


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, Plural):
        yield from value.texts()
    elif isinstance(value, tuple):
        yield from (v for v in value if isinstance(v, str))
    elif isinstance(value, str):
        yield value


def _sentences(text: str) -> Iterator[str]:
    """Yield the literal runs of a message between its placeholders, long enough to be English."""
    for literal, *_ in string.Formatter().parse(text):
        for line in literal.split("\n"):
            run = " ".join(line.replace("*", "").replace("`", "").split()).strip(" :·—-")
            if len(re.findall(r"[A-Za-z]+", run)) >= MIN_WORDS:
                yield run


def english_sentences(code: str) -> dict[str, str]:
    """English sentence -> where it comes from, for every key the language words differently."""
    library = load_library(REPO / "content")
    support, _ = load_support(REPO / "content", START.date())
    found: dict[str, str] = {}
    pairs = [
        ("messages.yaml", library.english, library.voice(code)),
        ("support.yaml", support.messages, support.in_language(code).messages),
    ]
    for file, english, translated in pairs:
        for item in fields(english):
            mine, theirs = getattr(english, item.name), getattr(translated, item.name)
            if item.metadata.get("internal") or (mine == theirs and item.name in _given(code)):
                continue
            for text in _texts(mine):
                for sentence in _sentences(text):
                    found.setdefault(sentence, f"{file} {item.name}")
    for tip in library.tips.values():
        for sentence in _sentences(tip.text):
            found.setdefault(sentence, f"tips {tip.id}")
    for exercise in support.grounding:
        for step in exercise.steps:
            for sentence in _sentences(step):
                found.setdefault(sentence, f"support.yaml grounding.{exercise.id}")
    return found


def _given(code: str) -> frozenset[str]:
    """Keys the language writes itself (the same words as English on purpose, like a name)."""
    translation = load_library(REPO / "content").translations[code]
    return translation.given_messages


def _flat(transcript: list[str]) -> str:
    """Join the transcript's wrapped lines back into running text."""
    lines = [line.replace("│", " ") for line in transcript for line in line.split("\n")]
    return " ".join(" ".join(lines).replace("*", "").replace("`", "").split())


@pytest.mark.parametrize("code", SHIPPED)
async def test_a_whole_session_has_no_english_sentence(code: str) -> None:
    transcript: list[str] = []
    await run_demo(Config(), out=transcript.append, locale=code)
    said = _flat(transcript)
    leaks = sorted(
        {where for sentence, where in english_sentences(code).items() if sentence in said}
    )
    assert leaks == [], f"English shown to {code} members, from: {leaks}"


_SHOWN_KEYS = {"content", "title", "description", "name", "value", "text", "label", "placeholder"}


def _strings(body: object) -> Iterator[str]:
    """Every text the bot sent in one request body (content, embeds, buttons, forms, choices)."""
    if isinstance(body, dict):
        for key, value in body.items():
            if key in _SHOWN_KEYS and isinstance(value, str):
                yield value
            else:
                yield from _strings(value)
    elif isinstance(body, list):
        for item in body:
            yield from _strings(item)


def _sent(bot: Bot) -> str:
    """Everything the bot said in this test, as running text (command registration left out)."""
    bodies = [r.json for r in bot.sb.requests.all if "/commands" not in r.path]
    return " ".join(" ".join(_strings(bodies)).replace("*", "").replace("`", "").split())


async def _press(
    bot: Bot, reply: InteractionResponse, label: str, code: str
) -> InteractionResponse:
    assert reply.message is not None
    result = await bot.sb.click(
        bot.server.alice, reply.message, find_button(reply.components, label), locale=code
    )
    return await result.response(timeout=5)


@pytest.mark.parametrize("code", SHIPPED)
async def test_the_buttons_the_demo_leaves_out_answer_in_the_language_too(
    bot: Bot, code: str
) -> None:
    library = bot.app.bot.services.content.library
    words = library.voice(code)
    support, _ = load_support(bot.content, START.date())
    help_words = support.in_language(code).messages
    alice = bot.server.alice
    # A shared tip is posted for the whole channel: in the server's language.
    await bot.say(bot.server.owner, "setup language", language=code, locale=code)
    tip = await bot.say(alice, "tip", locale=code)
    share = await _press(bot, tip, words.button_share_tip, code)
    await _press(bot, share, words.button_share_named, code)
    confirm = await bot.say(alice, "forget-me", locale=code)
    await _press(bot, confirm, words.button_keep_data, code)
    win = await bot.say(alice, "win", locale=code, text="Mandé el CV")
    await _press(bot, win, words.button_delete_win, code)
    home = await bot.say(alice, "support", locale=code)
    step = await _press(bot, home, help_words.button_ground, code)
    while any(
        b.get("label") == help_words.button_next for r in step.components for b in r["components"]
    ):
        step = await _press(bot, step, help_words.button_next, code)
    other = await _press(bot, step, help_words.button_another, code)
    home = await _press(bot, other, help_words.button_done, code)
    talk = await _press(bot, home, help_words.button_talk, code)
    await _press(bot, talk, help_words.button_back, code)
    for command in ("goal list", "break status", "accountability status", "wins", "my-data"):
        await bot.say(alice, command, locale=code)
    await bot.say(alice, "rejection undo", locale=code)
    await bot.say(bot.server.mo, "tips list", locale=code)
    said = _sent(bot)
    leaks = sorted(
        {where for sentence, where in english_sentences(code).items() if sentence in said}
    )
    assert leaks == [], f"English shown to {code} members, from: {leaks}"
    words_shown = sorted(word for word in _words(said) if word in english_only_words(code))
    assert words_shown == [], f"English words shown to {code} members: {words_shown}"


# --- the server's posts -----------------------------------------------------------------------


async def test_a_shared_tip_is_posted_whole_in_the_servers_language(bot: Bot) -> None:
    english = bot.app.bot.services.content.library.english
    spanish = bot.app.bot.services.content.library.voice("es-ES")
    tip = await bot.say(bot.server.alice, "tip", locale="es-ES", topic="resilience")
    share = await _press(bot, tip, spanish.button_share_tip, "es-ES")
    assert share.content == spanish.pick("tip_share_choice")  # the member's own reply
    await _press(bot, share, spanish.button_share_anonymous, "es-ES")
    posted = await bot.sb.wait_for_message(bot.server.general, lambda m: bool(m.embeds))
    assert posted.content == english.pick("tip_share_anonymous")  # the English server's post
    tip_id = find_button(tip.components, spanish.button_helped).split(":")[2]
    assert posted.embeds[0]["description"] == bot.app.bot.services.content.library.tips[tip_id].text


async def test_a_portuguese_server_celebrates_in_portuguese_with_plurals(tmp_path: Path) -> None:
    async with Sandbox() as sb:
        server = build_server(sb)
        config, _ = e2e_config(tmp_path, server)
        config = replace(config, privacy=PrivacyConfig(min_group_size=1))
        async with offline_bot(sb, config, clock=FakeClock(START), seed=SEED) as app:
            bot = Bot(sb, app, server, app.bot.clock, tmp_path)  # type: ignore[arg-type]
            wins = server.guild.create_text_channel("wins")
            chosen = await bot.say(server.owner, "setup language", language="pt-BR")
            assert "Português (Brasil)" in (chosen.content or "")
            await bot.say(
                server.owner,
                "setup celebrations",
                channel=wins,
                weekday="friday",
                time="17:00",
                timezone="Europe/Berlin",
            )
            words = app.bot.services.content.library.voice("pt-BR")
            bodies = []
            for week, loggers in enumerate(((server.alice,), (server.alice, server.bob))):
                bot.clock.set(START + timedelta(weeks=week))
                for member in loggers:
                    await bot.say(member, "rejection log")
                await bot.say(server.alice, "win", text="Mandei o currículo")
                bot.clock.set(BERLIN_FRIDAY_5PM + timedelta(weeks=week))
                await app.bot.scheduler.fire(f"celebration:{server.guild.id}")
                post = [m for m in wins.messages if m.embeds][-1]
                assert post.embeds[0]["title"] == words.pick("celebration_title")
                bodies.append(post.embeds[0]["description"])
    assert "E 1 candidatura que exigiu coragem saiu deste grupo." in bodies[0]
    assert "E 2 candidaturas que exigiram coragem saíram deste grupo." in bodies[1]


async def test_a_broken_translation_is_named_and_the_last_good_one_stays_live(bot: Bot) -> None:
    spanish = bot.app.bot.services.content.library.voice("es-ES")
    path = bot.content / "locales" / "es-ES" / "messages.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "button_helpd: Me sirvió\n", encoding="utf-8")
    line = text.count("\n") + 1
    reply = await bot.say(bot.server.mo, "tips reload")
    assert f"{path}:{line}:1: unknown key 'button_helpd' (did you mean 'button_helped'?)" in (
        reply.content or ""
    )
    stats = await bot.say(bot.server.alice, "rejection stats", locale="es-ES")
    assert stats.embeds[0]["title"] == spanish.rejection_stats_title


async def test_setup_show_names_the_language_of_the_posts(bot: Bot) -> None:
    before = await bot.say(bot.server.owner, "setup show")
    field = before.embeds[0]["fields"][1]
    assert (field["name"], field["value"]) == (
        "Language of weekly posts",
        "The server's own (English)",
    )
    await bot.say(bot.server.owner, "setup language", language="es-ES")
    after = await bot.say(bot.server.owner, "setup show", locale="es-ES")
    field = after.embeds[0]["fields"][1]
    spanish = bot.app.bot.services.content.library.voice("es-ES")
    assert field["name"] == spanish.setup_language_label
    assert field["value"] == "Español (España)"
    refused = await bot.say(bot.server.owner, "setup language", language="xx-YY")
    assert refused.content == bot.app.bot.services.content.library.english.pick("unknown_choice")


# --- fallback ---------------------------------------------------------------------------------


async def test_latin_american_spanish_reads_spain_spanish_and_french_reads_english(
    bot: Bot,
) -> None:
    library = bot.app.bot.services.content.library
    spanish, english = library.voice("es-ES"), library.english
    latin = await bot.say(bot.server.alice, "rejection stats", locale="es-419")
    assert latin.embeds[0]["title"] == spanish.rejection_stats_title
    assert spanish.rejection_stats_title != english.rejection_stats_title
    french = await bot.say(bot.server.alice, "rejection stats", locale="fr")
    assert french.embeds[0]["title"] == english.rejection_stats_title
    assert french.embeds[0]["footer"]["text"] == english.pick("rejection_stats_footer")


# --- calendar words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "saved", "rule"),
    [
        ("es-ES", "cada viernes a las 17:00", "Cada viernes a las 17:00 (Europe/Madrid)"),
        ("pt-BR", "toda semana: sexta-feira, às 17:00", "Toda semana: sexta-feira, às 17:00"),
        ("en-US", "every Friday at 17:00", "Every Friday at 17:00 (Europe/Madrid)"),
    ],
)
async def test_weekdays_are_written_as_the_language_writes_them_mid_sentence(
    bot: Bot, code: str, saved: str, rule: str
) -> None:
    wins = bot.server.guild.create_text_channel("wins")
    done = await bot.say(
        bot.server.owner,
        "setup celebrations",
        locale=code,
        channel=wins,
        weekday="friday",
        time="17:00",
        timezone="Europe/Madrid",
    )
    assert saved in (done.content or "")
    shown = await bot.say(bot.server.owner, "setup show", locale=code)
    assert any(rule in field["value"] for field in shown.embeds[0]["fields"]), shown.embeds


# --- words written by the code ----------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]{3,}")
_NOT_WORDS = re.compile(r"https?://\S+|/[\w-]+|\b\w+(?:-\w+)+\b|<[^>]*>")  # links, /commands, ids


def _words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(_NOT_WORDS.sub(" ", text))}


def _vocabulary(*voices: object) -> set[str]:
    """Every word the voices write themselves (placeholders left out)."""
    found: set[str] = set()
    for voice in voices:
        for item in fields(voice):  # type: ignore[arg-type]
            if item.metadata.get("internal"):
                continue
            for text in _texts(getattr(voice, item.name)):
                found |= _words("".join(part for part, *_ in string.Formatter().parse(text)))
    return found


def english_only_words(code: str) -> set[str]:
    """Words of the bot's English voice that the language never writes ("open", "done")."""
    library = load_library(REPO / "content")
    support, _ = load_support(REPO / "content", START.date())
    english = _vocabulary(library.english, support.messages)
    theirs = _vocabulary(library.voice(code), support.in_language(code).messages)
    for tip in library.tips.values():
        shown = library.tip_text(tip, code)
        theirs |= _words(f"{shown.text} {shown.reflect or ''}")
    return english - theirs


async def _a_week_of_goals(bot: Bot, code: str) -> None:
    """Set up, set and finish goals, rest, log: as Spanish-writing members, weekly posts too."""
    alice, owner, guild = bot.server.alice, bot.server.owner, bot.server.guild.id
    goals = bot.server.guild.create_text_channel("metas")
    await bot.say(owner, "setup language", language=code, locale=code)
    await bot.say(owner, "setup accountability", locale=code, channel=goals)
    await bot.say(owner, "setup celebrations", locale=code, channel=goals)
    await bot.say(owner, "setup support", locale=code, note="Escribe en general")
    await bot.say(owner, "setup show", locale=code)
    await bot.say(alice, "accountability join", locale=code)
    await bot.app.bot.scheduler.fire(f"accountability:{guild}")
    await bot.say(alice, "goal set", locale=code, text="Mandar tres currículos")
    await bot.say(alice, "goal set", locale=code, text="Llamar a Marta", target=3)
    await bot.say(alice, "goal list", locale=code)
    await bot.say(alice, "goal done", locale=code, goal=1)
    await bot.say(alice, "goal progress", locale=code, goal=2, amount=1)
    await bot.say(alice, "goal list", locale=code)
    await bot.say(alice, "break start", locale=code, days=3)
    await bot.say(alice, "accountability status", locale=code)
    await bot.say(alice, "break end", locale=code)
    await bot.app.bot.scheduler.fire(f"checkin:{guild}")
    await bot.app.bot.scheduler.fire(f"recap:{guild}")
    await bot.say(alice, "rejection log", locale=code)
    await bot.say(alice, "win", locale=code, text="Entrevista hecha")
    for command in ("rejection stats", "rejection undo", "about", "help", "privacy", "my-data"):
        await bot.say(alice, command, locale=code)
    for command in ("tips list", "tips stats", "tips export", "tips reload"):
        await bot.say(bot.server.mo, command, locale=code)
    await bot.say(alice, "accountability leave", locale=code)


@pytest.mark.parametrize("code", SHIPPED)
async def test_no_english_word_written_by_the_code_reaches_the_member(bot: Bot, code: str) -> None:
    await _a_week_of_goals(bot, code)
    said = _sent(bot)
    english = english_only_words(code)
    leaks = sorted(word for word in _words(said) if word in english)
    assert leaks == [], f"English words shown to {code} members: {leaks} in {said}"
