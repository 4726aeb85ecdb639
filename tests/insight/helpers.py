"""Building EHC history for the insight tests: steps as ehc.actions leaves them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tellonce.ehc.models import Step
from tellonce.people.models import Child, Locality, Organisation
from tests.factories import make_child


def final_plan_step(child: Child, received: date, issued: date | None, *,
                    exception: str = "", cancelled: bool = False) -> Step:
    """An "issue the final plan" step: starts the day the request was received."""
    return Step.objects.create(
        child=child, local_authority=child.local_authority, kind=Step.Kind.FINAL_PLAN,
        stage=Step.Stage.FINAL, title="Issue the final EHC plan", clock="final_plan",
        start=received, due=None if exception else date.fromordinal(received.toordinal() + 140),
        exception=exception, waiting_on=Step.WaitingOn.LOCAL_AUTHORITY, done_on=issued,
        cancelled=cancelled,
    )


def step(child: Child, kind: str, start: date, done: date | None, **kwargs: Any) -> Step:
    return Step.objects.create(
        child=child, local_authority=child.local_authority, kind=kind, stage=Step.Stage.REQUEST,
        title=kind, start=start, waiting_on=Step.WaitingOn.LOCAL_AUTHORITY, done_on=done,
        **kwargs,
    )


def children_in(la: Organisation, locality: str, n: int, **kwargs: Any) -> list[Child]:
    place, _ = Locality.objects.get_or_create(local_authority=la, name=locality)
    return [make_child(la, locality=place, **kwargs) for _ in range(n)]


def make_plan(world: Any) -> Any:
    """One area for priority action with two actions: one owned by the SLT service (so `slt`
    updates it), one by the council; and an impact measure on the 20-week indicator."""
    from tellonce.insight.models import ImpactMeasure, PlanAction, PriorityArea

    area, _ = PriorityArea.objects.get_or_create(
        local_authority=world.la, number=5,
        defaults={"title": "Timeliness of EHC plans", "finding": "Improve timeliness",
                  "source": "Ofsted and CQC, 2024"})
    today = date.today()
    action = PlanAction.objects.filter(area=area, owner_organisation=world.slt).first() or \
        PlanAction.objects.create(
            area=area, what="Send speech and language advice within 6 weeks",
            owner_name="Sam Okafor", owner_organisation=world.slt,
            start=today.replace(day=1), due=today.replace(day=1) - timedelta(days=30))
    PlanAction.objects.get_or_create(
        area=area, owner_organisation=world.send_team,
        defaults={"what": "Weekly 20-week tracking meeting", "owner_name": "Jack Turner",
                  "start": today, "due": today + timedelta(days=90)})
    ImpactMeasure.objects.get_or_create(
        area=area, indicator_key="ehc_20_weeks_excluding",
        defaults={"baseline": 30.0, "baseline_on": today - timedelta(days=365),
                  "target": 70.0, "target_on": today + timedelta(days=365)})
    return action
