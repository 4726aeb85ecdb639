"""Waiting lists read from the database: places in the queue, forecasts, monthly summaries.

The thin adapter between the ORM and the pure numerics in forecast.py and capacity.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from tellonce.health.capacity import CapacityPlan, plan_capacity
from tellonce.health.forecast import ChildForecast, WaitForecast, forecast_waits
from tellonce.health.models import Pathway, PathwayMonth, Referral

# The forecast looks at this many recent weeks of removals (as tuned in backtest.py).
WINDOW_WEEKS = 26
DEMAND_WEEKS = 13
SUMMARY_MONTHS = 24

# Weeks-waited bands of the list: a child waiting d days falls in the first band whose
# upper edge (in days) is >= d, so "over 18 weeks" is exactly the bands after the third.
WAIT_BAND_EDGES_DAYS = (42, 91, 126, 182, 364, 546, 728)
WAIT_BAND_LABELS = (
    "Up to 6 weeks", "6 to 13 weeks", "13 to 18 weeks", "18 to 26 weeks", "26 to 52 weeks",
    "52 to 78 weeks", "78 to 104 weeks", "Over 104 weeks",
)
OVER_13_FROM, OVER_18_FROM, OVER_52_FROM = 2, 3, 5  # first band index counted as "over"
TRIAGE_BAND_EDGES_DAYS = (7, 14, 28, 56, 91)
TRIAGE_BAND_LABELS = (
    "Within 1 week", "1 to 2 weeks", "2 to 4 weeks", "4 to 8 weeks", "8 to 13 weeks",
    "Over 13 weeks",
)


def waiting(pathway_id: int) -> QuerySet[Referral]:
    """Children on the list, in the order the pathway sees them: urgent first, then by
    the date the referral was received."""
    return (
        Referral.objects.filter(
            pathway_id=pathway_id, left_list_on__isnull=True, status__in=Referral.WAITING_STATUSES
        )
        .annotate(
            rank=Case(
                When(priority=Referral.Priority.URGENT, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "received_on", "pk")
    )


def position(referral: Referral) -> int:
    """How many children are ahead of this one on the list."""
    urgent = referral.priority == Referral.Priority.URGENT
    same_rank = Q(priority=Referral.Priority.URGENT) if urgent else ~Q(
        priority=Referral.Priority.URGENT
    )
    earlier = Q(received_on__lt=referral.received_on) | Q(
        received_on=referral.received_on, pk__lt=referral.pk
    )
    ahead = same_rank & earlier
    if not urgent:
        ahead |= Q(priority=Referral.Priority.URGENT)
    return waiting(referral.pathway_id).filter(ahead).exclude(pk=referral.pk).count()


def weekly_removals(pathway_id: int, today: date, weeks: int = WINDOW_WEEKS) -> np.ndarray:
    """Children who left the list in each of the last `weeks` weeks, oldest first."""
    start = today - timedelta(weeks=weeks)
    days = Referral.objects.filter(
        pathway_id=pathway_id, left_list_on__gte=start, left_list_on__lt=today
    ).values_list("left_list_on", flat=True)
    counts = np.zeros(weeks)
    for day in days:
        if day is not None:
            counts[(day - start).days // 7] += 1
    return counts


def weekly_referrals(pathway_id: int, today: date, weeks: int = DEMAND_WEEKS) -> np.ndarray:
    start = today - timedelta(weeks=weeks)
    days = Referral.objects.filter(
        pathway_id=pathway_id, received_on__gte=start, received_on__lt=today
    ).values_list("received_on", flat=True)
    counts = np.zeros(weeks)
    for day in days:
        if day is not None:
            counts[(day - start).days // 7] += 1
    return counts


@dataclass(frozen=True)
class ReferralForecast:
    """A waiting child's forecast, in weeks from today and as dates."""

    ahead: int
    median_weeks: float
    low_weeks: float
    high_weeks: float
    median_date: date
    low_date: date
    high_date: date


def _as_dates(today: date, f: ChildForecast, ahead: int) -> ReferralForecast:
    def on(weeks: float) -> date:
        return today + timedelta(days=math.ceil(weeks * 7))

    return ReferralForecast(
        ahead=ahead,
        median_weeks=f.median_weeks,
        low_weeks=f.low_weeks,
        high_weeks=f.high_weeks,
        median_date=on(f.median_weeks),
        low_date=on(f.low_weeks),
        high_date=on(f.high_weeks) if math.isfinite(f.high_weeks) else date.max,
    )


def forecast_referral(referral: Referral, today: date) -> ReferralForecast | None:
    """The median and 80% range of weeks to this child's first appointment, or None when it
    cannot be forecast (not waiting, or nobody has left the list recently)."""
    if not referral.is_waiting:
        return None
    ahead = position(referral)
    result = forecast_waits([ahead], weekly_removals(referral.pathway_id, today))
    one = result.for_child(0)
    return _as_dates(today, one, ahead) if one is not None else None


def forecast_pathway(pathway_id: int, today: date) -> tuple[list[int], WaitForecast]:
    """Forecasts for every child waiting on a pathway: (referral ids in list order, forecast)."""
    ids = list(waiting(pathway_id).values_list("pk", flat=True))
    return ids, forecast_waits(np.arange(len(ids)), weekly_removals(pathway_id, today))


# ----- capacity -----


@dataclass(frozen=True)
class PathwayDemand:
    referrals_per_week: float
    removals_per_week: float
    list_size: int


def demand(pathway_ids: list[int], today: date) -> PathwayDemand:
    """Recent weekly referrals and removals, and the list now, over one or more pathways."""
    referrals = sum(float(weekly_referrals(p, today).mean()) for p in pathway_ids)
    removals = sum(float(weekly_removals(p, today, DEMAND_WEEKS).mean()) for p in pathway_ids)
    size = Referral.objects.filter(
        pathway_id__in=pathway_ids, left_list_on__isnull=True,
        status__in=Referral.WAITING_STATUSES,
    ).count()
    return PathwayDemand(referrals, removals, size)


def capacity_plan(
    found: PathwayDemand, target_weeks: float, target_share: float, weeks_to_target: float
) -> CapacityPlan:
    return plan_capacity(
        demand_per_week=found.referrals_per_week,
        current_list=found.list_size,
        target_weeks=target_weeks,
        target_share=target_share,
        target_date_weeks=weeks_to_target,
    )


# ----- monthly summaries for the leaders' analysis -----


def _month_starts(today: date, months: int) -> list[date]:
    first = today.replace(day=1)
    starts = []
    year, month = first.year, first.month
    for _ in range(months):
        starts.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return starts[::-1]


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def summarise_pathway(pathway: Pathway, today: date) -> list[PathwayMonth]:
    """The pathway's last 24 months, computed from all its referrals at once (numpy)."""
    rows = list(
        Referral.objects.filter(pathway=pathway).values_list(
            "received_on", "left_list_on", "triage_decision_on"
        )
    )
    never = date.max.toordinal()
    received = np.fromiter((r[0].toordinal() for r in rows), dtype=np.int64, count=len(rows))
    left = np.fromiter(
        (r[1].toordinal() if r[1] else never for r in rows), dtype=np.int64, count=len(rows)
    )
    triaged = np.fromiter(
        (r[2].toordinal() if r[2] else never for r in rows), dtype=np.int64, count=len(rows)
    )
    wait_edges = np.asarray(WAIT_BAND_EDGES_DAYS)
    triage_edges = np.asarray(TRIAGE_BAND_EDGES_DAYS)
    months = []
    for start in _month_starts(today, SUMMARY_MONTHS):
        end = _next_month(start)
        as_at = min(end - timedelta(days=1), today)
        s, e, a = start.toordinal(), end.toordinal(), as_at.toordinal()
        on_list = (received <= a) & (left > a)
        waited = a - received[on_list]
        bands = np.bincount(np.searchsorted(wait_edges, waited, side="left"),
                            minlength=len(WAIT_BAND_LABELS))
        decided = (triaged >= s) & (triaged < e)
        triage_days = np.maximum(triaged[decided] - received[decided], 0)
        triage_bands = np.bincount(np.searchsorted(triage_edges, triage_days, side="left"),
                                   minlength=len(TRIAGE_BAND_LABELS))
        months.append(
            PathwayMonth(
                pathway=pathway,
                month=start,
                as_at=as_at,
                list_size=int(on_list.sum()),
                over_13=int(bands[OVER_13_FROM:].sum()),
                over_18=int(bands[OVER_18_FROM:].sum()),
                over_52=int(bands[OVER_52_FROM:].sum()),
                weeks_waited_total=int((waited // 7).sum()),
                waiting_bands=[int(b) for b in bands],
                referrals=int(((received >= s) & (received < e)).sum()),
                removals=int(((left >= s) & (left < e)).sum()),
                triage_decisions=int(decided.sum()),
                triage_days_total=int(triage_days.sum()),
                triage_bands=[int(b) for b in triage_bands],
            )
        )
    return months


def refresh_stats(pathway_ids: list[int], today: date, force: bool = False) -> int:
    """Recompute the monthly summaries of the pathways that changed or were computed before
    today. Returns how many were recomputed."""
    stale = Q(stats_stale=True) | Q(stats_computed_on__isnull=True) | ~Q(stats_computed_on=today)
    candidates = Pathway.objects.filter(pk__in=pathway_ids)
    if not force:
        candidates = candidates.filter(stale)
    done = 0
    for pathway_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            # Lock the pathway so two requests cannot rebuild the same summary at once.
            locked = Pathway.objects.select_for_update().filter(pk=pathway_id).order_by()
            if not force:
                locked = locked.filter(stale)
            pathway = locked.first()
            if pathway is None:
                continue
            months = summarise_pathway(pathway, today)
            PathwayMonth.objects.filter(pathway=pathway).delete()
            PathwayMonth.objects.bulk_create(months)
            Pathway.objects.filter(pk=pathway.pk).update(stats_stale=False, stats_computed_on=today)
            done += 1
    return done


def mark_stale(pathway_id: int) -> None:
    Pathway.objects.filter(pk=pathway_id).update(stats_stale=True)
