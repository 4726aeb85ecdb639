"""Exclusions and absence that raise a flag, and the rates by SEN status.

From the attendance rows linked to children (tellonce/feeds, format "attendance"):
a suspension or permanent exclusion of a child with SEN support or a plan, or persistent
absence (10% or more of possible sessions missed in a term, the DfE's definition), raises a
Concern. The SENCOs of the child's setting and, for a plan, the child's caseworkers are told
through the outbox, each only if the access policy already lets them see the child; for a
plan an early review is proposed (SEND Code of Practice 9.176: a review may be brought
forward when a child is at risk of exclusion).

Read by others without importing their apps:
- the early identification tracker: `concerns_without_plan(local_authority_id)`;
- the scorecard: `rates_by_sen_status(local_authority_ids, term)` (small numbers suppressed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from tellonce.access.policy import child_access
from tellonce.feeds.models import FeedKind, FeedRecord
from tellonce.insight.aggregates import suppress
from tellonce.matching.models import Concern, Link
from tellonce.notify import outbox
from tellonce.people.models import Child, Involvement, StaffMembership, User

PERSISTENT_ABSENCE_SHARE = 0.10
Status = Child.SendStatus
Role = StaffMembership.Role
WITH_SEN = (Status.SEN_SUPPORT, Status.ASSESSMENT, Status.EHC_PLAN)


def is_persistently_absent(possible: int, missed: int) -> bool:
    return possible > 0 and missed / possible >= PERSISTENT_ABSENCE_SHARE


def found_in(facts: dict[str, Any]) -> list[tuple[str, date | None, str]]:
    """The concerns one attendance row shows: (kind, the day it began, detail)."""
    found: list[tuple[str, date | None, str]] = []
    if facts.get("suspension_start"):
        found.append((Concern.Kind.SUSPENSION, date.fromisoformat(facts["suspension_start"]),
                      facts.get("suspension_reason", "")))
    if facts.get("permanent_exclusion_date"):
        found.append((Concern.Kind.PERMANENT_EXCLUSION,
                      date.fromisoformat(facts["permanent_exclusion_date"]),
                      facts.get("permanent_exclusion_reason", "")))
    possible, missed = facts.get("sessions_possible") or 0, facts.get("sessions_missed") or 0
    if is_persistently_absent(possible, missed):
        found.append((Concern.Kind.PERSISTENT_ABSENCE, None,
                      f"{missed} of {possible} sessions missed ({missed / possible:.0%})"))
    return found


def _recipients(child: Child) -> list[User]:
    sencos = list(User.objects.filter(
        StaffMembership.active_q("memberships__"), memberships__role=Role.SENCO,
        memberships__organisation_id=child.setting_id)) if child.setting_id else []
    caseworkers: list[User] = []
    if child.send_status == Status.EHC_PLAN:
        caseworkers = list(User.objects.filter(
            pk__in=Involvement.objects.filter(Involvement.active_q(), child=child,
                                              staff__isnull=False).values("staff_id"),
            memberships__role=Role.LA_CASEWORKER).distinct())
    # Told only if they may already see the child: a flag is never a way in.
    return [u for u in dict.fromkeys(sencos + caseworkers) if child_access(u, child.pk)]


def raise_for(links: Iterable[Link]) -> list[Concern]:
    """Record and send the concerns of newly linked attendance rows. Inside the caller's
    transaction (the action that made the links)."""
    raised = []
    for link in links:
        record, child = link.record, link.child
        if record.delivery.kind != FeedKind.ATTENDANCE or child.send_status not in WITH_SEN:
            continue
        term = record.facts.get("term", "")
        for kind, on, detail in found_in(record.facts):
            concern, made = Concern.objects.get_or_create(
                child=child, kind=kind, term=term, record=record,
                defaults={"on": on, "detail": detail[:300], "send_status": child.send_status,
                          "proposes_early_review": child.send_status == Status.EHC_PLAN})
            if not made:
                continue
            raised.append(concern)
            label = Concern.Kind(kind).label.split(" (")[0].lower()
            what_next = ("Please consider bringing the annual review of the EHC plan forward: "
                         "an early review is proposed." if concern.proposes_early_review else
                         "Please review the SEN support in place and whether more is needed.")
            outbox.queue_many(
                _recipients(child), child=child,
                subject=f"{label.capitalize()} reported for {child.full_name}",
                what_changed=f"{record.delivery.sender.name} reported a {label} in {term}"
                             + (f" ({detail})" if detail else "") + ".",
                what_next=what_next, by_when=None,
                link=f"/children/{child.pk}/agency-records/")
    return raised


def concerns_without_plan(local_authority_id: int) -> QuerySet[Concern]:
    """For the early identification tracker: concerns of children without an EHC plan."""
    return Concern.objects.filter(child__local_authority_id=local_authority_id).exclude(
        child__send_status=Status.EHC_PLAN).select_related("child")


@dataclass(frozen=True)
class Rates:
    pupils: int | None
    persistently_absent: int | None
    suspended: int | None
    permanently_excluded: int | None

    @staticmethod
    def share(part: int | None, whole: int | None) -> float | None:
        return None if part is None or not whole else part / whole


def rates_by_sen_status(local_authority_ids: list[int], term: str) -> dict[str, Rates]:
    """Per SEN status: pupils with an attendance row linked for the term, and how many were
    persistently absent, suspended or permanently excluded. Counts of 1 to 4 are None."""
    counts: dict[str, list[int]] = {s: [0, 0, 0, 0] for s in Status.values}
    seen: set[tuple[str, str]] = set()
    rows = FeedRecord.objects.filter(
        delivery__kind=FeedKind.ATTENDANCE, delivery__local_authority_id__in=local_authority_ids,
        facts__term=term, links__ended_at__isnull=True,
    ).values_list("links__child_id", "links__child__send_status", "facts")
    for child_id, status, facts in rows:
        if (str(child_id), status) in seen:
            continue
        seen.add((str(child_id), status))
        kinds = {kind for kind, _on, _detail in found_in(facts)}
        tally = counts[status]
        tally[0] += 1
        tally[1] += Concern.Kind.PERSISTENT_ABSENCE in kinds
        tally[2] += Concern.Kind.SUSPENSION in kinds
        tally[3] += Concern.Kind.PERMANENT_EXCLUSION in kinds
    return {s: Rates(*(suppress(n) for n in tally)) for s, tally in counts.items()}
