"""The event loop `bounceback run` serves on: uvloop where it is installed, else asyncio's own.

uvloop (libuv under asyncio's interface) is what production discord.py bots run on, with
discord.py's `speed` extra (orjson, zstandard, aiodns); both cut what every interaction costs
inside the library, and the benchmarks show the result beside a stock bot. uvloop is a
default dependency everywhere but Windows, where it does not exist.
"""

from __future__ import annotations

import asyncio
import ctypes
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """Return uvloop's loop constructor, or None (asyncio's default) when it is not installed."""
    try:
        import uvloop  # optional: absent on Windows
    except ImportError:
        return None
    return uvloop.new_event_loop


def run(main: Coroutine[Any, Any, T]) -> T:
    """Run `main` to completion on the fastest event loop available, like `asyncio.run`."""
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(main)


def return_freed_memory() -> None:
    """Give the heap that start-up freed (parsed YAML, READY's payloads) back to the system.

    glibc keeps freed memory for reuse, so a process that peaked while loading its
    content would carry that peak for life; `malloc_trim` returns the free pages.
    Elsewhere (musl, macOS, Windows) there is no such call and nothing to do.
    """
    try:
        libc = ctypes.CDLL(None)
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)
