"""Tip tags come from the rejection stages, so a new stage can be tagged without a second list."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.loader import load_library
from bot.content.source import SourceErrors
from tests.conftest import REPO

TIP = "tips:\n  - id: x-1\n    topic: growth-mindset\n    text: Fine.\n    tags: [{tags}]\n"


def _library_with(tmp_path: Path, tags: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    (content / "tips" / "zz-extra.yaml").write_text(TIP.format(tags=tags), encoding="utf-8")
    return content


def test_every_stage_but_other_and_any_are_accepted_as_tags(tmp_path: Path) -> None:
    tags = "application, screening, interview, final-round, offer-withdrawn, any"
    library = load_library(_library_with(tmp_path, tags))
    assert library.tips["x-1"].tags == tuple(tags.split(", "))


def test_other_is_not_a_tag_and_the_author_is_told_the_choices(tmp_path: Path) -> None:
    with pytest.raises(SourceErrors) as caught:
        load_library(_library_with(tmp_path, "other"))
    (error,) = (str(e) for e in caught.value.errors)
    assert error.endswith(
        "key 'tips[0].tags[0]' must be one of: "
        "application, screening, interview, final-round, offer-withdrawn, any"
    )
