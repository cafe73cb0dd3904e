"""Pure rules behind /tip: rotation, a server's effective library, text checks, locales, keys."""

from __future__ import annotations

import random
import stat
from collections import Counter
from pathlib import Path

import pytest

from bot.domain.locales import pick_locale
from bot.domain.member_key import MemberKeys
from bot.domain.text import TextProblem, check_text
from bot.domain.tips import GuildEdits, ServedTip, choose_tip, effective_tips
from bot.storage.secret import ENV_VAR, load_secret, secret_file_for

IDS = ["a", "b", "c", "d"]


def test_choose_tip_never_repeats_within_a_round() -> None:
    rng = random.Random(7)  # noqa: S311 - seeded tip rotation, not security
    seen: set[str] = set()
    for _ in IDS:
        choice = choose_tip(IDS, seen, rng)
        assert not choice.new_round
        assert choice.tip_id not in seen
        seen.add(choice.tip_id)
    assert seen == set(IDS)


def test_a_new_round_starts_without_repeating_the_last_tip() -> None:
    for seed in range(20):
        choice = choose_tip(IDS, set(IDS), random.Random(seed), last="c")  # noqa: S311 - seeded tip rotation, not security
        assert choice.new_round
        assert choice.tip_id != "c"


def test_a_single_tip_topic_can_repeat() -> None:
    assert choose_tip(["only"], {"only"}, random.Random(1), last="only").tip_id == "only"  # noqa: S311 - seeded tip rotation, not security


def test_choice_is_spread_over_the_unseen_tips() -> None:
    rng = random.Random(3)  # noqa: S311 - seeded tip rotation, not security
    counts = Counter(choose_tip(IDS, {"a"}, rng).tip_id for _ in range(3000))
    assert set(counts) == {"b", "c", "d"}
    assert min(counts.values()) > 800


def _tip(tip_id: str, text: str = "t", source: str = "library") -> ServedTip:
    return ServedTip(tip_id, "topic", text, None, source=source)  # type: ignore[arg-type]


def test_effective_tips_apply_overrides_hide_and_add() -> None:
    library = [_tip("one"), _tip("two"), _tip("three")]
    edits = GuildEdits(
        tips={"two": _tip("two", "edited", "override"), "srv-1": _tip("srv-1", "own", "server")},
        hidden=frozenset({"three"}),
    )
    served = effective_tips(library, edits)
    assert [(t.id, t.text) for t in served] == [("one", "t"), ("two", "edited"), ("srv-1", "own")]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", TextProblem.EMPTY),
        ("  \n\t ", TextProblem.EMPTY),
        # Only characters the public form drops: it would show as nothing at all.
        ("\u200b", TextProblem.EMPTY),
        ("\u3164", TextProblem.EMPTY),
        ("\u2066\u2069", TextProblem.EMPTY),
        ("\xad\xad \u200d", TextProblem.EMPTY),
        ("\u200b@everyone\u200b", TextProblem.ONLY_MENTION),
        ("x" * 11, TextProblem.TOO_LONG),
        ("@everyone", TextProblem.ONLY_MENTION),
        ("<@!42> <@&7> @here!", TextProblem.ONLY_MENTION),
        ("<#99>", TextProblem.ONLY_MENTION),
    ],
)
def test_text_problems(raw: str, problem: TextProblem) -> None:
    limit = 10 if problem is TextProblem.TOO_LONG else 100
    assert check_text(raw, limit).problem is problem


def test_text_is_tidied() -> None:
    result = check_text("  Hello   there \r\n\n\n\n  friend ", 100)
    assert result.problem is None
    assert result.text == "Hello there\n\nfriend"


@pytest.mark.parametrize(
    ("available", "wanted", "expected"),
    [
        ({"es-ES"}, "es-ES", "es-ES"),
        ({"es-ES"}, "es-419", "es-ES"),
        ({"es-ES", "fr"}, "fr", "fr"),
        ({"es-ES"}, "en-US", None),
        (set(), "es-ES", None),
        ({"es-ES"}, None, None),
    ],
)
def test_pick_locale(available: set[str], wanted: str | None, expected: str | None) -> None:
    assert pick_locale(available, wanted) == expected


def test_member_keys_are_stable_per_server_and_unlinkable_across_servers() -> None:
    keys = MemberKeys(b"s" * 32)
    assert keys.key(1, 42) == keys.key(1, 42)
    assert keys.key(1, 42) != keys.key(2, 42)
    assert "42" not in keys.key(1, 42)
    assert MemberKeys(b"t" * 32).key(1, 42) != keys.key(1, 42)
    assert "s" * 32 not in repr(keys)
    with pytest.raises(ValueError, match="at least 16 bytes"):
        MemberKeys(b"short")


def test_secret_file_is_created_private_and_reused(tmp_path: Path) -> None:
    database = tmp_path / "data" / "bot.db"
    first = load_secret(database, environ={})
    path = secret_file_for(database)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret(database, environ={}) == first
    assert (
        load_secret(database, environ={ENV_VAR: "from-the-environment"}) == b"from-the-environment"
    )
