"""Health waits against their standards, read from the health app's own monthly summaries.

The month-by-month figures are health's `PathwayMonth` rows (`health.queues.summarise_pathway`,
refreshed by `refresh_stats`), the same numbers as the waiting-time analysis page. The cases
behind a breakdown are the children on those lists at the period's end, counted with the same
band edges (`health.queues.WAIT_BAND_EDGES_DAYS`); a test checks the two agree.

Standards: NICE QS51 statement 1, an autism diagnostic assessment started within 3 months of
referral (13 weeks, as health's bands count it); every other pathway the NHS 18 weeks.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q

from tellonce.health.models import Pathway, PathwayKind, PathwayMonth, Referral
from tellonce.health.queues import (
    OVER_13_FROM,
    OVER_18_FROM,
    OVER_52_FROM,
    WAIT_BAND_EDGES_DAYS,
    refresh_stats,
)
from tellonce.insight.indicators import Case, Scope

# "Over N weeks" is a wait longer than the upper edge of the band before the first counted.
OVER_13_DAYS = WAIT_BAND_EDGES_DAYS[OVER_13_FROM - 1]
OVER_18_DAYS = WAIT_BAND_EDGES_DAYS[OVER_18_FROM - 1]
OVER_52_DAYS = WAIT_BAND_EDGES_DAYS[OVER_52_FROM - 1]


def standard_days(kind: str) -> int:
    return OVER_13_DAYS if kind == PathwayKind.AUTISM else OVER_18_DAYS


def _pathways(scope: Scope) -> dict[int, str]:
    return dict(Pathway.objects.filter(local_authority_id__in=scope.local_authority_ids)
                .values_list("pk", "kind"))


def _months(scope: Scope, today: date) -> list[tuple[PathwayMonth, str]]:
    pathways = _pathways(scope)
    refresh_stats(list(pathways), today)
    return [(m, pathways[m.pathway_id])
            for m in PathwayMonth.objects.filter(pathway_id__in=list(pathways))]


def monthly_over_standard(scope: Scope, today: date) -> dict[date, tuple[int, int]]:
    out: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for m, kind in _months(scope, today):
        over = m.over_13 if kind == PathwayKind.AUTISM else m.over_18
        out[m.month][0] += over
        out[m.month][1] += m.list_size
    return {k: (v[0], v[1]) for k, v in out.items()}


def monthly_over_52(scope: Scope, today: date) -> dict[date, tuple[int, int]]:
    out: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for m, _kind in _months(scope, today):
        out[m.month][0] += m.over_52
        out[m.month][1] += m.list_size
    return {k: (v[0], v[1]) for k, v in out.items()}


def monthly_triage(scope: Scope, today: date) -> dict[date, tuple[int, int]]:
    out: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for m, _kind in _months(scope, today):
        out[m.month][0] += m.triage_days_total
        out[m.month][1] += m.triage_decisions
    return {k: (v[0], v[1]) for k, v in out.items()}


def _waiting_on(scope: Scope, on: date) -> list[tuple[object, int, str]]:
    """(child, days waited, pathway kind) for every child on a list in scope on `on`, as
    health's summary counts them: received by then and not yet off the list."""
    pathways = _pathways(scope)
    rows = Referral.objects.filter(
        Q(left_list_on__isnull=True) | Q(left_list_on__gt=on),
        pathway_id__in=list(pathways), received_on__lte=on,
    ).order_by().values_list("child_id", "received_on", "pathway_id")
    return [(child, (on - received).days, pathways[pathway]) for child, received, pathway in rows]


def over_standard_cases(scope: Scope, start: date, end: date) -> list[Case]:
    return [Case(child, end, int(days > standard_days(kind)))  # type: ignore[arg-type]
            for child, days, kind in _waiting_on(scope, end)]


def over_52_cases(scope: Scope, start: date, end: date) -> list[Case]:
    return [Case(child, end, int(days > OVER_52_DAYS))  # type: ignore[arg-type]
            for child, days, _kind in _waiting_on(scope, end)]


def triage_cases(scope: Scope, start: date, end: date) -> list[Case]:
    """Referrals given a triage decision in [start, end], and the days each took."""
    rows = Referral.objects.filter(
        pathway_id__in=list(_pathways(scope)), triage_decision_on__gte=start,
        triage_decision_on__lte=end,
    ).order_by().values_list("child_id", "received_on", "triage_decision_on")
    return [Case(child, triaged, max((triaged - received).days, 0))
            for child, received, triaged in rows if triaged is not None]
