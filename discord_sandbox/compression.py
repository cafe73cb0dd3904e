"""Gateway transport compression: ``zlib-stream`` and (when installed) ``zstd-stream``.

discord.py asks for zstd when the ``zstandard`` package is importable and zlib otherwise; both
use one compression context for the whole connection, flushed at every message boundary.
"""

from __future__ import annotations

import importlib
import zlib
from typing import Any, Protocol


class Compressor(Protocol):
    """Compress one gateway message as the next chunk of the connection's stream."""

    def compress(self, data: bytes) -> bytes:
        """Return the bytes to send for ``data``."""
        ...


class ZlibStream:
    """One zlib stream per connection; each message ends with the 00 00 ff ff sync marker."""

    def __init__(self) -> None:
        self._context = zlib.compressobj()

    def compress(self, data: bytes) -> bytes:
        """Compress and sync-flush so the client can decode the message on its own."""
        return self._context.compress(data) + self._context.flush(zlib.Z_SYNC_FLUSH)


class ZstdStream:
    """One zstd stream per connection, flushed per message (block flush)."""

    def __init__(self, module: Any) -> None:
        self._module = module
        self._context = module.ZstdCompressor().compressobj()

    def compress(self, data: bytes) -> bytes:
        """Compress and flush a block so the client's decompressobj yields the message."""
        chunk = bytes(self._context.compress(data))
        return chunk + bytes(self._context.flush(self._module.COMPRESSOBJ_FLUSH_BLOCK))


def _zstd_module() -> Any | None:
    try:
        return importlib.import_module("zstandard")
    except ImportError:
        return None


def compressor_for(name: str | None) -> Compressor | None:
    """Return the compressor for a ``compress=`` query value, or None for plain text frames."""
    if name == "zlib-stream":
        return ZlibStream()
    if name == "zstd-stream":
        module = _zstd_module()
        # Without the library, plain text frames still work: discord.py only inflates binary ones.
        return ZstdStream(module) if module is not None else None
    return None
