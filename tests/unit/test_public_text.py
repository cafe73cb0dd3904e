"""public_text: member words and display names in public posts read exactly as typed, nothing more.

Each rule is checked against how Discord's markdown reads the result: a masked
link needs an unescaped `[`, a mention chip an unescaped `<@`, a ping the
literal `@everyone`. The corpus is what a hostile member would try.
"""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from bot.domain.text import public_text

BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
# Discord's autolink rule (simple-markdown's `url`): a plain URL stays clickable, never masked.
DISCORD_URL = re.compile(r"https?://[^\s<]+[^<.,:;\"')\]\s]")
HOSTILE = [
    "[a](https://a.example) and [b](https://b.example)",
    "[https://safe.example](https://evil.example)",
    "[x](<https://evil.example>)",
    "hi <@123> <@!456> <@&789> <#101112> </apply:131415> <id:customize>",
    "@everyone @here look",
    "right\u202eto left\u2066isolate\u2069 \u200eLRM\u200f",
    "bell\x07 null\x00 escape\x1b[31m red\x7f",
    "# heading\n-# subtext\n> quote\n>>> block\n- item\n* item\n1. first",
    "```py\nprint(1)\n``` `code` ||spoiler|| **bold** __under__ ~~strike~~ *it* _it_",
    "Z" + "\u0301" * 40 + "a" + "\u0300\u0301\u0302\u0303",
    "zero\u200bwidth\u2060joiner\ufeffbom\u00adsoft\u3164filler",
    "\\[escaped\\](https://evil.example) and \\<@123>",
    "(see https://example.com/path_(a)) and https://x.example/a*b*",
]


def _escaped(text: str, index: int) -> bool:
    """Tell whether the character at `index` follows an odd number of backslashes."""
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _outside_urls(text: str) -> str:
    """Blank out URL runs (links show as themselves), leaving the text Discord reads as markdown."""
    return DISCORD_URL.sub(lambda m: "u" * len(m[0]), text)


def _live(text: str, char: str) -> list[int]:
    plain = _outside_urls(text).replace("<u", "uu")  # <https://...> is a link without preview
    return [i for i, c in enumerate(plain) if c == char and not _escaped(plain, i)]


@pytest.mark.parametrize("raw", HOSTILE)
def test_nothing_in_the_corpus_renders_as_markup(raw: str) -> None:
    out = public_text(raw, 2000, lines=True)
    for char in "[]*_~`|#><":  # `<` would open a mention chip
        assert _live(out, char) == [], (char, out)
    assert "@everyone" not in out
    assert "@here" not in out
    assert not BIDI & set(out)
    assert not [c for c in out if unicodedata.category(c) == "Cc" and c != "\n"]


def test_every_masked_link_is_shown_literally_not_only_the_first() -> None:
    out = public_text("[a](https://a.example) then [b](https://b.example)", 500)
    assert out.count("\\[") == 2
    assert out.count("\\]") == 2
    assert _live(out, "[") == []


def test_plain_urls_stay_whole_and_clickable_without_a_preview() -> None:
    url = "https://example.com/jobs?id=4_2&x=*y*"
    out = public_text(f"Apply at {url} today", 500)
    assert f" <{url}> " in out


def test_a_url_keeps_its_trailing_punctuation_outside_and_unescaped() -> None:
    assert public_text("(see https://example.com).", 100) == "\\(see <https://example.com>)."
    assert public_text("https://a.example/x>y", 100) == "https://a.example/x>y"


def test_mentions_are_shown_as_text() -> None:
    out = public_text("thanks <@123> and <@&45> in <#67> via </goal set:89>", 500)
    assert out == "thanks \\<@123\\> and \\<@&45\\> in \\<\\#67\\> via \\</goal set:89\\>"


def test_custom_emoji_and_timestamps_stay_as_they_are() -> None:
    raw = "done <:party:123456> by <t:1767225600:R>"
    assert public_text(raw, 500) == raw


def test_mass_mentions_are_defused() -> None:
    out = public_text("@everyone and @here", 100)
    assert out == "@\u200beveryone and @\u200bhere"


def test_combining_marks_are_capped_at_two_per_character() -> None:
    out = public_text("q" + "\u0301" * 50 + "ok", 500)
    assert out == "q\u0301\u0301ok"


def test_accented_text_and_emoji_sequences_survive() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    keycap = "1\ufe0f\u20e3"
    text = f"Café résumé {family} {keycap} Tiếng Việt"
    assert public_text(text, 500) == unicodedata.normalize("NFC", text)


def test_invisible_tricks_are_removed_and_joiners_limited() -> None:
    assert public_text("a\u200bb\u2060c\ufeffd\u00ade\u3164f", 100) == "abcdef"
    assert public_text("a\u200d\u200d\u200db", 100) == "a\u200db"
    assert public_text("\u200d\u200cname\u200d", 100) == "name"


def test_newlines_only_where_allowed() -> None:
    assert public_text("one\ntwo\r\nthree", 100) == "one two three"
    assert public_text("one\n\n\n\ntwo\r\nthree", 100, lines=True) == "one\n\ntwo\nthree"


def test_whitespace_is_tidied_and_blank_names_become_empty() -> None:
    assert public_text("  a \t  b  ", 100) == "a b"
    assert public_text("\u202e\u200b \u3164", 100) == ""


@pytest.mark.parametrize("limit", [1, 2, 5, 17, 64, 200])
def test_the_limit_holds_after_escaping(limit: int) -> None:
    rng = random.Random(11)  # noqa: S311 - seeded fuzz input, not security
    alphabet = "[]()<>@#*_~`|\\-ab \u0301\u200d😀"
    for _ in range(200):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        out = public_text(raw, limit)
        assert len(out) <= limit
        assert not out.endswith("\\") or _escaped(out, len(out) - 1)


def test_a_cut_never_splits_an_escape_and_says_it_was_cut() -> None:
    out = public_text("*" * 100, 10)
    assert out == "\\*\\*\\*\\*…"
    assert public_text("short", 10) == "short"


def test_a_cut_keeps_a_character_with_its_marks() -> None:
    out = public_text("ab" + "q\u0301" * 10, 6)
    assert out == "abq\u0301…"


def test_the_shortcuts_for_plain_and_ascii_text_escape_exactly_like_the_full_path() -> None:
    """Most texts skip the per-character scan; a seeded flood of ASCII must come out the same."""
    from bot.domain import text

    alphabet = "ab 1.2-#*_~`|>+[]()<@:/\\hptsw\n"
    rng = random.Random(16)  # noqa: S311 - a seeded corpus, not a secret
    for _ in range(3000):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        if rng.random() < 0.1:
            raw += " https://example.com/x."
        visible = text._visible(raw, lines=True)
        full = "".join(p for s in _segments(visible) for p in s)
        assert "".join(text._pieces(visible)) == full
        for limit in (5, 20, 200):
            assert text.public_text(raw, limit, lines=True) == text._fit(
                list(_slow_pieces(visible)), limit
            ), raw


def _slow_pieces(visible: str) -> list[str]:
    return [p for s in _segments(visible) for p in s]


def _segments(visible: str) -> list[list[str]]:
    """Cut the text into pieces as the general (any-script) path does, token by token."""
    from bot.domain import text

    out: list[list[str]] = []
    done = 0
    for match in text._TOKENS.finditer(visible):
        out.append(list(text._escaped_any(visible[done : match.start()])))
        out.append([text._token(match)])
        done = match.end()
    out.append(list(text._escaped_any(visible[done:])))
    return out
