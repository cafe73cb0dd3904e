"""support.yaml reports every problem in one run, like the tip library."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.content.source import SourceErrors
from bot.content.support_loader import SUPPORT_FILE, load_support
from tests.conftest import REPO

SHIPPED = (REPO / "content" / SUPPORT_FILE).read_text(encoding="utf-8")


def _line_of(text: str, marker: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if marker in line)


def test_a_broken_line_does_not_hide_a_duplicate_exercise_or_a_bad_region(tmp_path: Path) -> None:
    text = (
        SHIPPED.replace("  - id: five-senses\n", "  - id: paced-breathing\n", 1)
        .replace("  NZ:\n", "  nz:\n", 1)
        .replace('    emergency: "911"\n', '    emergency: "911"\n    colour: blue\n', 1)
        .replace("  pt-BR: BR\n", "  pt-BR: XX\n", 1)
    )
    path = tmp_path / SUPPORT_FILE
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceErrors) as caught:
        load_support(tmp_path, date(2026, 11, 22))
    errors = [str(e).removeprefix(f"{path}:") for e in caught.value.errors]
    duplicate = _line_of(text, "  - id: paced-breathing") + 9  # the second one
    assert any(e.startswith(f"{_line_of(text, 'colour: blue')}:5: unknown key") for e in errors)
    assert f"{duplicate}:1: duplicate exercise id 'paced-breathing' (first at line " in "\n".join(
        errors
    )
    assert any(e.startswith(f"{_line_of(text, '  nz:')}:3: region 'nz' must be") for e in errors)
    assert any("locale 'pt-BR' points at unknown region 'XX'" in e for e in errors)
    assert len(errors) == 4, errors
