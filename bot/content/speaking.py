"""Which language the bot is speaking in right now: the member's, or the server's for a post.

A reply is composed in many places (services pick acknowledgements, ui draws
labels), and all of them read their wording from one content snapshot. Rather
than hand a locale to each of those calls, the language is set once where work
begins (an interaction arrives, a scheduled post starts) and the snapshot reads
it: a context variable is per asyncio task, so two members answered at the same
moment never share it, and a task started later inherits the language it was
started in. Everything that is not inside such a scope speaks English.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_LANGUAGE: ContextVar[str | None] = ContextVar("bounceback_language", default=None)


def language() -> str | None:
    """Return the Discord locale code being spoken in this task (None: English)."""
    return _LANGUAGE.get()


def speak_for_this_task(code: str | None) -> None:
    """Speak `code` for the rest of this task (an interaction's task ends with its reply)."""
    _LANGUAGE.set(code)


@contextmanager
def speaking(code: str | None) -> Iterator[None]:
    """Speak `code` inside the block (a scheduled post in its server's language)."""
    token = _LANGUAGE.set(code)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)
