"""The scorecard: every registered indicator this period, its 24-month trend, target,
comparators and whether it is improving; and each indicator's breakdown by the children's
characteristics. Aggregates only: every figure below the authority's level goes through
`disclosure.protect`, and no child's identity leaves this module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tellonce.insight import comparators, disclosure
from tellonce.insight.indicators import Case, Indicator, Scope, all_indicators
from tellonce.insight.models import Characteristics, ethnic_group
from tellonce.people.models import Child, Organisation, PrimaryNeed

TREND_MONTHS = 24


def month_start(d: date) -> date:
    return d.replace(day=1)


def add_months(first: date, n: int) -> date:
    total = first.year * 12 + first.month - 1 + n
    return date(total // 12, total % 12 + 1, 1)


def month_end(first: date) -> date:
    return add_months(first, 1) - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """The 12 months to the end of the last full month before `today`."""

    start: date
    end: date

    @classmethod
    def ending_before(cls, today: date) -> Period:
        last = add_months(month_start(today), -1)
        return cls(add_months(last, -11), month_end(last))

    @property
    def months(self) -> list[date]:
        return [add_months(self.start, i) for i in range(12)]

    @property
    def previous(self) -> Period:
        return Period(add_months(self.start, -12), self.start - timedelta(days=1))

    @property
    def label(self) -> str:
        return f"{self.start:%B %Y} to {self.end:%B %Y}"


@dataclass
class Point:
    month: date
    numerator: int
    denominator: int
    value: float | None
    suppressed: bool = False

    @property
    def shown(self) -> float | None:
        return None if self.suppressed else self.value


@dataclass
class Row:
    indicator: Indicator
    group: str
    numerator: int
    denominator: int
    value: float | None
    before: float | None
    improving: str
    on_target: bool | None
    trend: list[Point]
    comparators: tuple[comparators.Comparator, ...]
    as_of: str  # "computed from the record" or the import's date
    suppressed: bool = False

    @property
    def key(self) -> str:
        return self.indicator.key


def _trend_from_cases(ind: Indicator, scope: Scope, months: list[date]) -> dict[date, list[int]]:
    out: dict[date, list[int]] = {m: [0, 0] for m in months}
    if ind.kind == "flow":
        for case in ind.cases(scope, months[0], month_end(months[-1])):
            bucket = out.get(month_start(case.on))
            if bucket is not None:
                bucket[0] += case.value
                bucket[1] += 1
    else:
        for m in months:
            found = ind.cases(scope, month_end(m), month_end(m))
            out[m] = [sum(c.value for c in found), len(found)]
    return out


def _period_sum(points: dict[date, list[int]], period: Period, stock: bool) -> tuple[int, int]:
    if stock:
        n, d = points.get(period.months[-1], [0, 0])
        return n, d
    return (sum(points.get(m, [0, 0])[0] for m in period.months),
            sum(points.get(m, [0, 0])[1] for m in period.months))


def _protect_trend(ind: Indicator, points: list[Point], period: Period) -> None:
    """Months with few children are suppressed; a flow's months add up to the period's
    figure, shown beside them, so each 12 months is protected as a group with its total."""
    share = ind.unit != "days"
    if ind.kind == "stock":
        for p in points:
            p.suppressed = disclosure._primary(
                disclosure.Cell("", p.numerator, p.denominator), share)
        return
    for window in (period.previous, period):
        cells = [disclosure.Cell(p.month.isoformat(), p.numerator, p.denominator)
                 for p in points if window.start <= p.month <= window.end]
        disclosure.protect(cells, share=share)
        hidden = {c.label for c in cells if c.suppressed}
        for p in points:
            if p.month.isoformat() in hidden:
                p.suppressed = True


def indicator_row(ind: Indicator, scope: Scope, today: date) -> Row:
    period = Period.ending_before(today)
    months = [add_months(period.previous.start, i) for i in range(TREND_MONTHS)]
    if ind.monthly is not None:
        summary = ind.monthly(scope, today)
        raw = {m: list(summary.get(m, (0, 0))) for m in months}
    else:
        raw = _trend_from_cases(ind, scope, months)
    stock = ind.kind == "stock"
    n, d = _period_sum(raw, period, stock)
    pn, pd = _period_sum(raw, period.previous, stock)
    value, before = ind.value(n, d), ind.value(pn, pd)
    trend = [Point(m, raw[m][0], raw[m][1], ind.value(raw[m][0], raw[m][1])) for m in months]
    _protect_trend(ind, trend, period)
    from tellonce.insight.registered import GROUPS

    return Row(
        indicator=ind, group=GROUPS.get(ind.key, "Other"), numerator=n, denominator=d,
        value=value, before=before, improving=ind.improving(value, before),
        on_target=ind.on_target(value), trend=trend,
        comparators=comparators.load().for_indicator(ind.key),
        as_of=ind.as_of(scope) if ind.as_of is not None else "computed from the record",
    )


def scorecard(scope: Scope, today: date) -> tuple[Period, list[Row]]:
    return Period.ending_before(today), [indicator_row(i, scope, today)
                                         for i in all_indicators()]


# ----- breakdowns -----

AGE_GROUPS = ((0, 4, "Under 5"), (5, 10, "5 to 10"), (11, 15, "11 to 15"),
              (16, 19, "16 to 19"), (20, 25, "20 to 25"))


def age_group(born: date, on: date) -> str:
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for low, high, label in AGE_GROUPS:
        if low <= age <= high:
            return label
    return "Not recorded"


@dataclass(frozen=True)
class ChildFacts:
    locality: str
    born: date
    primary_need: str
    setting_kind: str
    sex: str
    ethnicity: str


NOT_RECORDED = "Not recorded"
_NEED_LABELS = dict(PrimaryNeed.choices)
_KIND_LABELS = dict(Organisation.Kind.choices)
_SEX_LABELS = {"M": "Male", "F": "Female"}

DIMENSIONS: dict[str, tuple[str, Callable[[ChildFacts, date], str]]] = {
    "locality": ("Locality", lambda f, on: f.locality or NOT_RECORDED),
    "age": ("Age group", lambda f, on: age_group(f.born, on)),
    "sex": ("Sex", lambda f, on: _SEX_LABELS.get(f.sex, NOT_RECORDED)),
    "ethnicity": ("Ethnic group", lambda f, on: ethnic_group(f.ethnicity)),
    "need": ("Primary need", lambda f, on: _NEED_LABELS.get(f.primary_need, NOT_RECORDED)),
    "setting": ("Setting type", lambda f, on: _KIND_LABELS.get(f.setting_kind, "No setting")),
}


def child_facts(ids: Sequence[object]) -> dict[str, ChildFacts]:
    """The characteristics of these children, in chunks (an authority's whole flow)."""
    unique = list({str(i) for i in ids if i is not None})
    out: dict[str, ChildFacts] = {}
    for i in range(0, len(unique), 2000):
        chunk = unique[i:i + 2000]
        extra = {str(pk): (sex, eth) for pk, sex, eth in Characteristics.objects.filter(
            child_id__in=chunk).values_list("child_id", "sex", "ethnicity")}
        for pk, locality, born, need, kind in Child.objects.filter(pk__in=chunk).values_list(
                "pk", "locality__name", "date_of_birth", "primary_need", "setting__kind"):
            sex, eth = extra.get(str(pk), ("", ""))
            out[str(pk)] = ChildFacts(locality or "", born, need or "", kind or "", sex, eth)
    return out


@dataclass
class Breakdown:
    indicator: Indicator
    period: Period
    dimension: str
    title: str
    cells: list[disclosure.Cell]
    numerator: int
    denominator: int
    total_shown: bool = True

    @property
    def total_value(self) -> float | None:
        return self.indicator.value(self.numerator, self.denominator)

    def value(self, cell: disclosure.Cell) -> float | None:
        return None if cell.suppressed else self.indicator.value(cell.numerator,
                                                                 cell.denominator)


def period_cases(ind: Indicator, scope: Scope, today: date) -> tuple[Period, Sequence[Case]]:
    period = Period.ending_before(today)
    if ind.kind == "stock":
        return period, ind.cases(scope, period.end, period.end)
    return period, ind.cases(scope, period.start, period.end)


def breakdowns(ind: Indicator, scope: Scope, today: date) -> list[Breakdown]:
    """The period's cases grouped by each characteristic, each protected separately."""
    period, cases = period_cases(ind, scope, today)
    facts = child_facts([c.child_id for c in cases])
    share = ind.unit != "days"
    out = []
    for key, (title, group_of) in DIMENSIONS.items():
        groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for case in cases:
            f = facts.get(str(case.child_id))
            label = group_of(f, case.on) if f is not None else NOT_RECORDED
            groups[label][0] += case.value
            groups[label][1] += 1
        cells = [disclosure.Cell(label, n, d) for label, (n, d) in sorted(groups.items())]
        disclosure.protect(cells, share=share)
        n = sum(c.numerator for c in cells)
        d = sum(c.denominator for c in cells)
        out.append(Breakdown(ind, period, key, title, cells, n, d,
                             disclosure.total_protected(cells, share)))
    return out
