"""Personal budgets (section J) and EOTAS packages: their rules, pure, and their counts.

`budget_counts(rows)` and `eotas_review_due(...)` are pure; `personal_budget_counts(authority
_ids)` and `overdue_eotas_packages(...)` read the database. The counts are what SEN2 asks
(personal budgets taken up; of those, organised arrangements and direct payments) and what
the scorecard shows: `tellonce.insight` reads them through these functions, and suppresses
small numbers itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from tellonce.ehc.models import EotasPackage, PersonalBudget, Plan

Status = PersonalBudget.Status
Kind = PersonalBudget.Kind


@dataclass(frozen=True)
class BudgetCounts:
    """Plans (maintained) with a personal budget taken up, and how: a plan counts once in
    `taken_up`, and once in each kind it has."""

    requested: int
    taken_up: int
    refused: int
    refusals_reviewed: int
    direct_payment: int
    notional: int
    third_party: int
    organised: int


def budget_counts(rows: Iterable[tuple[int, str, str, str]]) -> BudgetCounts:
    """From (plan id, status, kind, review) rows. A refusal overturned on review is taken up."""
    requested: set[int] = set()
    taken: set[int] = set()
    refused: set[int] = set()
    reviewed: set[int] = set()
    kinds: dict[str, set[int]] = {k: set() for k in Kind.values}
    for plan_id, status, kind, review in rows:
        if status == Status.NOT_REQUESTED:
            continue
        requested.add(plan_id)
        agreed = status == Status.AGREED or (status == Status.REFUSED
                                             and review == PersonalBudget.Review.OVERTURNED)
        if agreed:
            taken.add(plan_id)
            if kind in kinds:
                kinds[kind].add(plan_id)
        elif status == Status.REFUSED:
            refused.add(plan_id)
        if review in (PersonalBudget.Review.UPHELD, PersonalBudget.Review.OVERTURNED):
            reviewed.add(plan_id)
    return BudgetCounts(
        requested=len(requested), taken_up=len(taken), refused=len(refused - taken),
        refusals_reviewed=len(reviewed), direct_payment=len(kinds[Kind.DIRECT_PAYMENT]),
        notional=len(kinds[Kind.NOTIONAL]), third_party=len(kinds[Kind.THIRD_PARTY]),
        organised=len(kinds[Kind.ORGANISED]),
    )


def personal_budget_counts(authority_ids: Iterable[int]) -> BudgetCounts:
    """The counts for the maintained plans of these authorities (SEN2 counts plans in force)."""
    rows = PersonalBudget.objects.filter(
        plan__child__local_authority_id__in=list(authority_ids),
        plan__status=Plan.Status.ACTIVE,
    ).values_list("plan_id", "status", "kind", "review")
    return budget_counts(rows)


def eotas_review_due(started_on: date, last_reviewed_on: date | None, every_weeks: int) -> date:
    """When the package is next to be reviewed: the period the manager set, from its last
    review or, before the first, from its start."""
    return (last_reviewed_on or started_on) + timedelta(weeks=every_weeks)


def is_overdue(package: EotasPackage, on: date) -> bool:
    return package.ended_on is None and eotas_review_due(
        package.started_on, package.last_reviewed_on, package.review_every_weeks) < on


def overdue_eotas_packages(authority_ids: Iterable[int], on: date) -> list[EotasPackage]:
    """Open packages of maintained plans past their review, most overdue first."""
    packages: QuerySet[EotasPackage] = EotasPackage.objects.filter(
        plan__child__local_authority_id__in=list(authority_ids), ended_on__isnull=True,
        plan__status=Plan.Status.ACTIVE,
    ).select_related("plan__child", "overseer")
    late = [p for p in packages if is_overdue(p, on)]
    return sorted(late, key=lambda p: (eotas_review_due(p.started_on, p.last_reviewed_on,
                                                        p.review_every_weeks), p.pk))
