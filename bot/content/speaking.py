"""Which language the bot is speaking in right now: the member's, or the server's for a post.

A reply is composed in many places (services pick acknowledgements, ui draws
labels), and all of them read their wording from one content snapshot. Rather
than hand a locale to each of those calls, the language is set once where work
begins (an interaction arrives, a scheduled post starts) and the snapshot reads
it: a context variable is per asyncio task, so two members answered at the same
moment never share it, and a task started later inherits the language it was
started in. Everything that is not inside such a scope speaks English.

The same scope holds the content a reply has read (`once_per_reply`): a file
edited while a reply is being composed cannot mix two versions in one message,
and the change check (a `stat` per watched file) runs once per reply instead of
once per sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar, cast

T = TypeVar("T")


class _Reply:
    """One piece of work spoken in one language: an interaction's answer, or a post."""

    __slots__ = ("code", "snapshots")

    def __init__(self, code: str | None) -> None:
        self.code = code
        self.snapshots: dict[int, object] = {}


_SCOPE: ContextVar[_Reply | None] = ContextVar("bounceback_reply", default=None)


def language() -> str | None:
    """Return the Discord locale code being spoken in this task (None: English)."""
    scope = _SCOPE.get()
    return scope.code if scope is not None else None


def speak_for_this_task(code: str | None) -> None:
    """Speak `code` for the rest of this task (an interaction's task ends with its reply)."""
    _SCOPE.set(_Reply(code))


@contextmanager
def speaking(code: str | None) -> Iterator[None]:
    """Speak `code` inside the block (a scheduled post in its server's language)."""
    token = _SCOPE.set(_Reply(code))
    try:
        yield
    finally:
        _SCOPE.reset(token)


def once_per_reply(source: object, read: Callable[[], T]) -> T:
    """Return what `read` gave the first time `source` was read in this reply; outside one, read."""
    scope = _SCOPE.get()
    if scope is None:
        return read()
    key = id(source)  # the sources live as long as the bot; a reply is short
    if key in scope.snapshots:
        return cast(T, scope.snapshots[key])
    value = scope.snapshots[key] = read()
    return value
