"""Plans that may be out of date: the rules (pure) and the query for the worklist.

A maintained plan is stale when its annual review is overdue (CFA 2014 s.44(1): reviewed
within 12 months of being made or last reviewed), or when what it was written for has changed
without an amendment: the child now attends another setting, or their primary need is
different. (A new diagnosis from a health pathway is not recorded as data yet, so it is not
a rule here.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from tellonce.ehc.models import Plan, Review


@dataclass(frozen=True)
class PlanFacts:
    review_due_by: date | None  # the open review's due date, None if none open
    setting_at_plan_id: int | None
    setting_now_id: int | None
    need_at_plan: str
    need_now: str


def stale_reasons(facts: PlanFacts, on: date) -> list[str]:
    """Why the plan may be out of date, in words for the worklist and the timeline."""
    reasons = []
    if facts.review_due_by is not None and facts.review_due_by < on:
        reasons.append(f"The annual review was due by {facts.review_due_by:%-d %B %Y}")
    if facts.setting_at_plan_id is not None and facts.setting_now_id != facts.setting_at_plan_id:
        reasons.append("The child has moved setting since the plan was made or amended")
    if facts.need_at_plan and facts.need_now and facts.need_now != facts.need_at_plan:
        reasons.append("The child's primary need has changed since the plan was made or "
                       "amended")
    return reasons


def _overdue_review(on: date) -> Exists:
    return Exists(Review.objects.filter(plan=OuterRef("pk"), due_by__lt=on)
                  .exclude(stage=Review.Stage.DONE))


def stale_plans(authority_ids: Iterable[int], on: date) -> QuerySet[Plan]:
    """Maintained plans of these authorities that any rule of `stale_reasons` flags."""
    return Plan.objects.filter(
        child__local_authority_id__in=list(authority_ids), status=Plan.Status.ACTIVE,
    ).filter(
        _overdue_review(on)
        | (Q(setting_at_plan__isnull=False)
           & (Q(child__setting__isnull=True) | ~Q(child__setting=F("setting_at_plan"))))
        | (~Q(primary_need_at_plan="") & ~Q(child__primary_need="")
           & ~Q(child__primary_need=F("primary_need_at_plan")))
    )


def plan_facts(plan: Plan) -> PlanFacts:
    review = plan.reviews.exclude(stage=Review.Stage.DONE).order_by("due_by").first()
    return PlanFacts(review.due_by if review else None, plan.setting_at_plan_id,
                     plan.child.setting_id, plan.primary_need_at_plan, plan.child.primary_need)


def reasons_for(plan: Plan, on: date) -> list[str]:
    if plan.status != Plan.Status.ACTIVE:
        return []
    return stale_reasons(plan_facts(plan), on)
