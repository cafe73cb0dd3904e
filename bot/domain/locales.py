"""Discord locale codes and how a member's locale picks a translation."""

from __future__ import annotations

from collections.abc import Collection

DISCORD_LOCALES = frozenset(
    {
        "bg", "cs", "da", "de", "el", "en-GB", "en-US", "es-419", "es-ES", "fi", "fr", "hi",
        "hr", "hu", "id", "it", "ja", "ko", "lt", "nl", "no", "pl", "pt-BR", "ro", "ru",
        "sv-SE", "th", "tr", "uk", "vi", "zh-CN", "zh-TW",
    }
)  # fmt: skip


ENGLISH_LOCALES = ("en-US", "en-GB")
ENGLISH = "en-US"  # the source language: content/*.yaml
ENGLISH_NAME = "English"  # as a language calls itself, like locale.yaml's `name`


def pick_locale(available: Collection[str], wanted: str | None) -> str | None:
    """Pick the best translation for `wanted`: exact code, else same language, else none.

    A member on `es-419` is better served by an `es-ES` text than by English,
    so the language part alone is a good enough second choice.
    """
    if not wanted or not available:
        return None
    if wanted in available:
        return wanted
    language = wanted.split("-")[0]
    return next((code for code in sorted(available) if code.split("-")[0] == language), None)
