"""Plans that may be out of date: an overdue review, a new setting or primary need unamended."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from django.urls import reverse

from tellonce.ehc import stale
from tellonce.ehc.models import Plan
from tests.ehc.cases import esi_case

ON = date(2027, 3, 1)


def test_the_rules_name_each_reason() -> None:
    fresh = stale.PlanFacts(date(2027, 6, 1), 5, 5, "SLCN", "SLCN")
    assert stale.stale_reasons(fresh, ON) == []
    old = stale.PlanFacts(date(2027, 2, 1), 5, 6, "SLCN", "ASD")
    assert stale.stale_reasons(old, ON) == [
        "The annual review was due by 1 February 2027",
        "The child has moved setting since the plan was made or amended",
        "The child's primary need has changed since the plan was made or amended"]
    # A plan made before these were recorded has no baseline, so only its review counts.
    assert stale.stale_reasons(stale.PlanFacts(None, None, 6, "", "ASD"), ON) == []


def test_a_move_of_setting_without_an_amendment_is_flagged_on_worklist_and_timeline(
        world, client_for) -> None:
    with time_machine.travel(ON, tick=False):
        plan = esi_case(world, "final_issued").plan
        plan.refresh_from_db()
        assert plan.setting_at_plan_id == world.esi.setting_id
        assert list(stale.stale_plans([world.la.pk], ON)) == []
        world.esi.setting = world.school_b
        world.esi.save(update_fields=["setting"])
        assert list(stale.stale_plans([world.la.pk], ON)) == [plan]
        client = client_for("caseworker")
        worklist = client.get(reverse("ehc:worklist"))
        timeline = client.get(reverse("ehc:timeline", kwargs={"child_id": world.esi.pk}))
        family = client_for("parent").get(reverse("ehc:timeline",
                                                  kwargs={"child_id": world.esi.pk}))
    assert [p.pk for p, _r in worklist.context["stale"]] == [plan.pk]
    assert "moved setting" in worklist.content.decode().split('id="stale-plans"')[1][:600]
    assert 'id="stale-plan"' in timeline.content.decode()
    assert 'id="stale-plan"' not in family.content.decode()


def test_an_overdue_review_is_stale_across_the_query_and_the_rule(world) -> None:
    with time_machine.travel(ON, tick=False):
        plan = esi_case(world, "final_issued").plan
    review = plan.reviews.get()
    later = review.due_by + timedelta(days=30)
    assert list(stale.stale_plans([world.la.pk], later)) == [plan]
    assert stale.reasons_for(Plan.objects.get(pk=plan.pk), later)[0].startswith(
        "The annual review was due by")
