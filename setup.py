"""Build hook: ship the repository's top-level `content/` inside the wheel.

The library stays at the top of the repository (contributors edit it there), and
a wheel carries a copy as `bot/default_content`, which `bot.content.location`
finds at run time. Editable installs read `content/` in place, so they skip it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = Path(__file__).resolve().parent / "content"
TARGET = Path("bot") / "default_content"


class BuildWithContent(build_py):
    """`build_py` that also copies the content library into the built package."""

    def run(self) -> None:
        """Build as usual, then add the library (editable installs read it in place)."""
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / TARGET
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(SOURCE, target, ignore=shutil.ignore_patterns("__pycache__", "*.py[co]"))


setup(cmdclass={"build_py": BuildWithContent})
