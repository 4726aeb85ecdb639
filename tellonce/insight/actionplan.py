"""Reading the priority action plan: each area's impact measures against their trajectories
(the live indicator's latest value, from the scorecard's computation), overdue actions, and
what changed since the last board report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tellonce.insight import indicators
from tellonce.insight.indicators import Scope
from tellonce.insight.models import (
    BoardReport,
    ImpactMeasure,
    PlanAction,
    PlanChange,
    PriorityArea,
)
from tellonce.insight.scorecard import indicator_row


@dataclass
class MeasureStatus:
    measure: ImpactMeasure
    title: str
    unit: str
    latest: float | None
    expected: float
    on_track: bool | None  # None: no latest value to compare

    @property
    def words(self) -> str:
        if self.on_track is None:
            return "No figure yet"
        return "On track" if self.on_track else "Off track"


@dataclass
class AreaStatus:
    area: PriorityArea
    measures: list[MeasureStatus]
    actions: list[tuple[PlanAction, int]]  # with days overdue
    changes: list[PlanChange] = field(default_factory=list)

    @property
    def overdue(self) -> list[tuple[PlanAction, int]]:
        return [(a, d) for a, d in self.actions if d]


def measure_status(measure: ImpactMeasure, scope: Scope, today: date,
                   cache: dict[str, Any]) -> MeasureStatus:
    ind = indicators.get(measure.indicator_key)
    if ind is None:
        return MeasureStatus(measure, f"Unknown indicator {measure.indicator_key}", "%", None,
                             measure.expected(today), None)
    if ind.key not in cache:
        cache[ind.key] = indicator_row(ind, scope, today)
    latest = cache[ind.key].value
    expected = measure.expected(today)
    on_track = None
    if latest is not None:
        on_track = latest >= expected if ind.good == "higher" else latest <= expected
    return MeasureStatus(measure, ind.title, ind.unit, latest, expected, on_track)


def last_board(local_authority_id: int) -> BoardReport | None:
    return BoardReport.objects.filter(local_authority_id=local_authority_id).first()


def plan(local_authority_id: int, areas: list[PriorityArea], today: date,
         since: datetime | None) -> list[AreaStatus]:
    scope = Scope((local_authority_id,))
    cache: dict[str, Any] = {}
    ids = [a.pk for a in areas]
    actions: dict[int, list[PlanAction]] = {}
    for action in PlanAction.objects.filter(area_id__in=ids).select_related(
            "owner_organisation"):
        actions.setdefault(action.area_id, []).append(action)
    measures: dict[int, list[ImpactMeasure]] = {}
    for m in ImpactMeasure.objects.filter(area_id__in=ids):
        measures.setdefault(m.area_id, []).append(m)
    changes: dict[int, list[PlanChange]] = {}
    recent = PlanChange.objects.filter(area_id__in=ids)
    if since is not None:
        recent = recent.filter(at__gt=since)
    for change in recent[:500]:
        changes.setdefault(change.area_id, []).append(change)
    return [
        AreaStatus(
            area=a,
            measures=[measure_status(m, scope, today, cache) for m in measures.get(a.pk, [])],
            actions=[(x, x.overdue(today)) for x in actions.get(a.pk, [])],
            changes=changes.get(a.pk, []),
        )
        for a in areas
    ]


def board_content(statuses: list[AreaStatus], today: date) -> list[dict[str, Any]]:
    """What a board report says, per area, kept as it was said."""
    return [{
        "area": s.area.number, "title": s.area.title,
        "measures": [{"title": m.title, "latest": m.latest, "expected": m.expected,
                      "target": m.measure.target, "target_on": m.measure.target_on.isoformat(),
                      "status": m.words} for m in s.measures],
        "overdue": [{"what": a.what, "owner": a.owner_name,
                     "organisation": a.owner_organisation.name, "due": a.due.isoformat(),
                     "days": d} for a, d in s.overdue],
        "changes": [{"at": c.at.isoformat(), "by": c.by_description, "summary": c.summary}
                    for c in s.changes],
    } for s in statuses]
