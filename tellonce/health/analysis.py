"""Waiting-time analysis for leaders: counts over pathways, providers and localities.

Reads the monthly summaries (PathwayMonth), never individual referrals, and suppresses
small numbers (1 to 4 children) in everything it returns, so the page and its CSV export
cannot single out a child.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from tellonce.health.models import Pathway, PathwayMonth
from tellonce.health.queues import TRIAGE_BAND_LABELS, WAIT_BAND_LABELS, refresh_stats
from tellonce.suppression import SUPPRESSION_THRESHOLD, suppress

SHOWN_OVER = (13, 18, 52)


def share(part: int, whole: int) -> float | None:
    """A percentage, or None where the part or the whole is a small number."""
    if whole < SUPPRESSION_THRESHOLD or suppress(part) is None:
        return None
    return round(100.0 * part / whole, 1)


def mean(total: int, count: int) -> float | None:
    return round(total / count, 1) if count >= SUPPRESSION_THRESHOLD else None


@dataclass
class Totals:
    """Sums of monthly summaries: add rows, then read suppressed figures."""

    list_size: int = 0
    over_13: int = 0
    over_18: int = 0
    over_52: int = 0
    weeks_waited_total: int = 0
    referrals: int = 0
    removals: int = 0
    triage_decisions: int = 0
    triage_days_total: int = 0
    waiting_bands: list[int] = field(default_factory=lambda: [0] * len(WAIT_BAND_LABELS))
    triage_bands: list[int] = field(default_factory=lambda: [0] * len(TRIAGE_BAND_LABELS))

    def add(self, m: PathwayMonth) -> None:
        for name in ("list_size", "over_13", "over_18", "over_52", "weeks_waited_total",
                     "referrals", "removals", "triage_decisions", "triage_days_total"):
            setattr(self, name, getattr(self, name) + getattr(m, name))
        self.waiting_bands = [a + b for a, b in zip(self.waiting_bands, m.waiting_bands,
                                                    strict=False)]
        self.triage_bands = [a + b for a, b in zip(self.triage_bands, m.triage_bands,
                                                   strict=False)]

    @property
    def shown_list_size(self) -> int | None:
        return suppress(self.list_size)

    @property
    def shares_over(self) -> list[tuple[int, int | None, float | None]]:
        """(weeks, children waiting longer, their share of the list)."""
        counts = (self.over_13, self.over_18, self.over_52)
        return [(w, suppress(c), share(c, self.list_size))
                for w, c in zip(SHOWN_OVER, counts, strict=True)]

    @property
    def share_over_18(self) -> float | None:
        return share(self.over_18, self.list_size)

    @property
    def mean_weeks_waited(self) -> float | None:
        return mean(self.weeks_waited_total, self.list_size)

    @property
    def mean_days_to_triage(self) -> float | None:
        return mean(self.triage_days_total, self.triage_decisions)

    @property
    def shown_waiting_bands(self) -> list[tuple[str, int | None]]:
        return [(label, suppress(n)) for label, n in zip(WAIT_BAND_LABELS, self.waiting_bands,
                                                          strict=True)]

    @property
    def shown_triage_bands(self) -> list[tuple[str, int | None]]:
        return [(label, suppress(n)) for label, n in zip(TRIAGE_BAND_LABELS, self.triage_bands,
                                                          strict=True)]


@dataclass
class Row:
    label: str
    totals: Totals
    area_wide: bool = False  # the lists that serve the whole area, not one locality


@dataclass
class Analysis:
    pathways: list[Pathway]
    as_at: date
    now: Totals
    months: list[tuple[date, Totals]]
    triage_last_quarter: Totals
    by_pathway: list[Row]
    by_locality: list[Row]

    @property
    def locality_gap(self) -> tuple[float, float] | None:
        """Largest minus smallest (mean weeks waited, share over 18 weeks) across
        localities, where both are shown. The area-wide lists are not a locality: comparing a
        locality with them says nothing about where a family lives."""
        localities = [r for r in self.by_locality if not r.area_wide]
        waits = [r.totals.mean_weeks_waited for r in localities]
        shares = [r.totals.share_over_18 for r in localities]
        shown_waits = [w for w in waits if w is not None]
        shown_shares = [s for s in shares if s is not None]
        if len(shown_waits) < 2 or len(shown_shares) < 2:
            return None
        return (round(max(shown_waits) - min(shown_waits), 1),
                round(max(shown_shares) - min(shown_shares), 1))


def _sum(rows: Iterable[PathwayMonth]) -> Totals:
    totals = Totals()
    for row in rows:
        totals.add(row)
    return totals


def analyse(pathways: list[Pathway], today: date) -> Analysis:
    """Everything the analysis page shows, for these pathways, as at today."""
    ids = [p.pk for p in pathways]
    refresh_stats(ids, today)
    rows = list(PathwayMonth.objects.filter(pathway_id__in=ids).order_by("month"))
    by_month: dict[date, list[PathwayMonth]] = defaultdict(list)
    for row in rows:
        by_month[row.month].append(row)
    months = [(m, _sum(by_month[m])) for m in sorted(by_month)]
    current_month = today.replace(day=1)
    current = [r for r in rows if r.month == current_month]
    recent = [r for r in rows if r.month >= _months_before(current_month, 2)]
    by_pathway_id = {p.pk: p for p in pathways}
    pathway_rows = [
        Row(f"{by_pathway_id[r.pathway_id]} – {by_pathway_id[r.pathway_id].provider}",
            _sum([r]))
        for r in current
    ]
    pathway_rows.sort(key=lambda row: row.label)
    localities: dict[str, list[PathwayMonth]] = defaultdict(list)
    area_wide: list[PathwayMonth] = []
    for r in current:
        p = by_pathway_id[r.pathway_id]
        if p.locality:
            localities[p.locality.name].append(r)
        else:
            area_wide.append(r)
    locality_rows = [Row(name, _sum(items)) for name, items in sorted(localities.items())]
    if area_wide:
        locality_rows.append(Row("Whole area (one list)", _sum(area_wide), area_wide=True))
    return Analysis(
        pathways=pathways,
        as_at=today,
        now=_sum(current),
        months=months,
        triage_last_quarter=_sum(recent),
        by_pathway=pathway_rows,
        by_locality=locality_rows,
    )


def _months_before(first_of_month: date, n: int) -> date:
    year, month = first_of_month.year, first_of_month.month - n
    while month <= 0:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def csv_rows(analysis: Analysis) -> list[list[str]]:
    """The analysis as one long table: table, row, measure, value ('fewer than 5' where
    suppressed)."""

    def cell(value: float | int | None) -> str:
        return f"fewer than {SUPPRESSION_THRESHOLD}" if value is None else str(value)

    out = [["table", "row", "measure", "value"]]
    now = analysis.now
    out.append(["list now", f"as at {analysis.as_at.isoformat()}", "children waiting",
                cell(now.shown_list_size)])
    for weeks, count, pct in now.shares_over:
        out.append(["list now", "all", f"waiting over {weeks} weeks", cell(count)])
        out.append(["list now", "all", f"% waiting over {weeks} weeks", cell(pct)])
    out.append(["list now", "all", "mean weeks waited", cell(now.mean_weeks_waited)])
    for label, n in now.shown_waiting_bands:
        out.append(["weeks waited", label, "children", cell(n)])
    tq = analysis.triage_last_quarter
    out.append(["time to triage, last 3 months", "all", "decisions",
                cell(suppress(tq.triage_decisions))])
    out.append(["time to triage, last 3 months", "all", "mean days", cell(tq.mean_days_to_triage)])
    for label, n in tq.shown_triage_bands:
        out.append(["time to triage, last 3 months", label, "decisions", cell(n)])
    for month, totals in analysis.months:
        key = month.strftime("%Y-%m")
        out.append(["trend", key, "children waiting", cell(totals.shown_list_size)])
        out.append(["trend", key, "% waiting over 18 weeks", cell(totals.share_over_18)])
        out.append(["trend", key, "referrals", cell(suppress(totals.referrals))])
        out.append(["trend", key, "left the list", cell(suppress(totals.removals))])
    for table, rows in (("by pathway", analysis.by_pathway), ("by locality", analysis.by_locality)):
        for row in rows:
            out.append([table, row.label, "children waiting", cell(row.totals.shown_list_size)])
            out.append([table, row.label, "% waiting over 18 weeks",
                        cell(row.totals.share_over_18)])
            out.append([table, row.label, "mean weeks waited", cell(row.totals.mean_weeks_waited)])
    return out
