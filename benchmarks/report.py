"""Turn measurements into rows (value, ratio to the baseline, target, PASS/FAIL) and print them.

Targets are ratios against the bare discord.py bot measured in the same run, because this
machine's CPU speed drifts by up to 30% between minutes: absolute milliseconds from two runs
are not comparable, a ratio from one interleaved run is. A weekly fan-out has no baseline bot:
its reference is the floor Discord's global rate limit allows.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Compare = Literal["<=", ">=", "<", "=="]
_COMPARE: dict[Compare, Callable[[float, float], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    "==": operator.eq,
}
_SHOWN: dict[Compare, str] = {"==": "="}


@dataclass(frozen=True)
class Target:
    """A goal on the ratio Bounceback/baseline, or (``absolute``) on Bounceback's own value."""

    compare: Compare
    limit: float
    absolute: bool = False
    unit: str = ""

    def met(self, value: float) -> bool:
        """Tell whether ``value`` (a ratio or an absolute value) meets the goal."""
        return _COMPARE[self.compare](value, self.limit)

    def __str__(self) -> str:
        subject = "" if self.absolute else "ratio "
        unit = f" {self.unit}" if self.unit else ""
        return f"{subject}{_SHOWN.get(self.compare, self.compare)} {self.limit:g}{unit}"


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    metric: str
    baseline: float | None
    bounceback: float
    target: Target | None = None
    decimals: int = 2

    @property
    def ratio(self) -> float | None:
        """Bounceback / baseline, when there is a baseline."""
        if self.baseline is None or self.baseline == 0:
            return None
        return self.bounceback / self.baseline

    @property
    def passed(self) -> bool | None:
        """Whether the target is met (None when the row has no target)."""
        if self.target is None:
            return None
        subject = self.bounceback if self.target.absolute else self.ratio
        return subject is not None and self.target.met(subject)

    def as_json(self) -> dict[str, Any]:
        """Return the row with its ratio, target and verdict, for the results file."""
        return {
            "metric": self.metric,
            "baseline": self.baseline,
            "bounceback": self.bounceback,
            "ratio": self.ratio,
            "target": str(self.target) if self.target else None,
            "passed": self.passed,
        }


HEADERS = ("metric", "baseline", "Bounceback", "ratio", "target", "result")


def _cells(row: Row) -> tuple[str, ...]:
    number = f"{{:.{row.decimals}f}}"
    verdict = {True: "PASS", False: "FAIL", None: ""}[row.passed]
    return (
        row.metric,
        "-" if row.baseline is None else number.format(row.baseline),
        number.format(row.bounceback),
        "-" if row.ratio is None else f"{row.ratio:.2f}",
        str(row.target) if row.target else "",
        verdict,
    )


def table(rows: Sequence[Row], reference: str = "baseline", subject: str = "Bounceback") -> str:
    """Render a plain-text table, numbers right-aligned, one row per metric.

    ``reference`` names the column the ratio divides by (the baseline bot's figure, or for a
    fan-out the floor Discord's rate limits allow); ``subject`` the column divided, when the
    bot measured is not Bounceback (`floor.py` measures the bare bot against itself).
    """
    headers = (HEADERS[0], reference, subject, *HEADERS[3:])
    cells = [headers, *(_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADERS))]

    def line(values: Sequence[str]) -> str:
        parts = [
            value.ljust(width) if i in (0, 4, 5) else value.rjust(width)
            for i, (value, width) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(values) for values in cells[1:])])


def failures(rows: Sequence[Row]) -> list[str]:
    """One sentence per missed target, saying by how much."""
    found = []
    for row in rows:
        if row.passed is not False or row.target is None:
            continue
        value = row.bounceback if row.target.absolute else row.ratio
        shown = (
            "n/a" if value is None else f"{value:.{row.decimals if row.target.absolute else 2}f}"
        )
        kind = "value" if row.target.absolute else "ratio"
        found.append(f"FAIL {row.metric}: {kind} {shown}, target {row.target}")
    return found
