"""Where the content library lives: the copy shipped with the bot, or the operator's own folder.

An installed bot must start from any working directory, so the default library
travels inside the package. A built wheel carries it as `bot/default_content`
(setup.py copies the repository's top-level `content/` there at build time); a
source checkout or an editable install reads `content/` beside the `bot` package.
`content.directory` in the config names a complete library of the operator's own
that replaces the shipped one; `bounceback content copy PATH` starts one.
"""

from __future__ import annotations

from pathlib import Path

SHIPPED_FOLDER = "default_content"
SOURCE_FOLDER = "content"


def shipped_content() -> Path:
    """Locate the shipped library: the wheel's copy first, else the checkout's."""
    package = Path(__file__).resolve().parent.parent
    bundled = package / SHIPPED_FOLDER
    return bundled if bundled.is_dir() else package.parent / SOURCE_FOLDER


def is_shipped(directory: Path) -> bool:
    """Return True when `directory` is the shipped library rather than an operator's folder."""
    return directory.resolve() == shipped_content().resolve()
