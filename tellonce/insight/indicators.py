"""The partnership's indicators as data: each is a definition and one small registered function.

An indicator says what it counts (numerator and denominator in words), over which period,
which direction is good, where its figures come from (computed from the record, or imported),
its local target and where national comparators are kept (`comparators.py`). Its function
returns the cases it counts: one `Case` per child counted, with the date that places it in a
month and whether it is in the numerator. The scorecard, its breakdowns, the CSV, the PDF and
the SEN2 summary all add up the same cases, so a figure has one computation.

A new measure (early identification, plan quality) plugs in with one more `register(...)`
in a module this package imports (`registered.py`); nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal
from uuid import UUID


@dataclass(frozen=True)
class Case:
    """One child counted once by an indicator.

    `on`: the day that places the case in a month (a flow's completion day; a stock's month
    end). `value`: 1 or 0 for a share (in the numerator or not); for a mean, the amount (days).
    """

    child_id: UUID | str | None
    on: date
    value: int


@dataclass(frozen=True)
class Scope:
    """Whose figures: the local authority areas (their ids) a leader sees."""

    local_authority_ids: tuple[int, ...]


# Flow: cases completed within a period (plans issued in the year). Stock: cases standing on
# a day (children waiting at the month's end); a stock's period value is its latest month.
Kind = Literal["flow", "stock"]
Good = Literal["higher", "lower"]
Unit = Literal["%", "days", "per 100"]

CasesFn = Callable[[Scope, date, date], Sequence[Case]]
# Month (its first day) to (numerator, denominator), from a summary another app keeps.
MonthlyFn = Callable[[Scope, date], dict[date, tuple[int, int]]]


@dataclass(frozen=True)
class Indicator:
    key: str
    title: str
    numerator: str
    denominator: str
    period: str
    good: Good
    cases: CasesFn
    kind: Kind = "flow"
    unit: Unit = "%"
    source: str = "computed"  # "computed" from the record, or "imported" (see imports)
    target: float | None = None
    target_note: str = ""
    law: str = ""
    # Why a case is a child: the breakdowns group cases by the child's characteristics.
    # False for a figure not about children one by one (none yet).
    by_child: bool = True
    # Where another app already keeps monthly figures (health's PathwayMonth), the trend reads
    # them; the cases are then read only for the latest period's breakdowns.
    monthly: MonthlyFn | None = None
    # For an imported figure: which upload the scorecard read ("imported from … on …").
    as_of: Callable[[Scope], str] | None = None

    def value(self, numerator: int, denominator: int) -> float | None:
        if denominator == 0:
            return None
        scale = 1.0 if self.unit == "days" else 100.0
        return round(scale * numerator / denominator, 1)

    def improving(self, now: float | None, before: float | None) -> str:
        """'improving', 'worsening', 'no change' or '' (nothing to compare): a move of less
        than one unit (one percentage point, one day) is no change."""
        if now is None or before is None:
            return ""
        change = now - before
        if abs(change) < 1.0:
            return "no change"
        better = change > 0 if self.good == "higher" else change < 0
        return "improving" if better else "worsening"

    def on_target(self, now: float | None) -> bool | None:
        if now is None or self.target is None:
            return None
        return now >= self.target if self.good == "higher" else now <= self.target


_REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    if indicator.key in _REGISTRY:
        raise ValueError(f"Indicator {indicator.key!r} is registered twice")
    _REGISTRY[indicator.key] = indicator
    return indicator


def all_indicators() -> list[Indicator]:
    from tellonce.insight import registered  # noqa: F401 - registers the indicators

    return list(_REGISTRY.values())


def get(key: str) -> Indicator | None:
    from tellonce.insight import registered  # noqa: F401

    return _REGISTRY.get(key)


def totals(cases: Sequence[Case]) -> tuple[int, int]:
    """(numerator, denominator) of these cases."""
    return sum(c.value for c in cases), len(cases)
