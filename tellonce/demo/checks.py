"""Does an area agree with itself? Checks a generated (or any) area's records against each
other, returning every problem found (an empty list: none).

One truth per child: a child whose status says EHC plan has an issued plan and its history;
one whose status says assessment has a request in progress; every service working with a
child (an open referral, an active involvement) may see the record it works from; and every
open EHC step waits on someone who can act on it, finds it in their own list and can open
the record. The tests run these on the generated demo area (tests/demo/test_checks.py, which
also shows each check catching a broken record); `manage.py check_area` runs them on a
database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, F, OuterRef, Q

from tellonce.access.models import Consent, StatutoryBasis
from tellonce.access.policy import family_children, visible_children
from tellonce.ehc import queries as ehc_queries
from tellonce.ehc.models import AssessmentRequest, Plan, PlanVersion, Step, TimelineEvent
from tellonce.ehc.routing import step_actors
from tellonce.people.models import Child, Involvement, User


@dataclass(frozen=True)
class Problem:
    check: str  # the check's name, as in CHECKS
    subject: str  # the record it is about, for a person to find it
    detail: str

    def __str__(self) -> str:
        return f"{self.check}: {self.subject}: {self.detail}"


def _child_label(child_id: Any, family: str, given: str) -> str:
    return f"{given} {family} ({child_id})"


def plans(today: date) -> list[Problem]:
    """Every child whose status is 'EHC plan' has an issued plan, with its final version, the
    timeline event of its issue and an open step of its reviews; every issued plan's child
    has that status."""
    problems: list[Problem] = []
    issued = Plan.objects.filter(child=OuterRef("pk"), status=Plan.Status.ACTIVE,
                                 issued_on__isnull=False)
    for pk, family, given in Child.objects.filter(send_status=Child.SendStatus.EHC_PLAN).exclude(
        Exists(issued)
    ).values_list("pk", "family_name", "given_name"):
        problems.append(Problem("plans", _child_label(pk, family, given),
                                "the record says EHC plan, but no plan has been issued"))
    finals = PlanVersion.objects.filter(
        plan=OuterRef("pk"), kind__in=[PlanVersion.Kind.FINAL, PlanVersion.Kind.AMENDED_FINAL])
    told = TimelineEvent.objects.filter(plan=OuterRef("pk"))
    reviewed = Step.objects.filter(Q(done_on__isnull=True, cancelled=False), plan=OuterRef("pk"),
                                   stage__in=[Step.Stage.REVIEW, Step.Stage.AMENDMENT])
    active = Plan.objects.filter(status=Plan.Status.ACTIVE).annotate(
        has_final=Exists(finals), has_event=Exists(told), has_review=Exists(reviewed),
    ).values_list("pk", "child_id", "child__family_name", "child__given_name",
                  "child__send_status", "issued_on", "has_final", "has_event", "has_review")
    for plan_pk, child_id, family, given, status, issued_on, final, event, review in active:
        subject = f"plan {plan_pk} of {_child_label(child_id, family, given)}"
        if issued_on is None:
            problems.append(Problem("plans", subject, "maintained, but with no date of issue"))
        if not final:
            problems.append(Problem("plans", subject, "no final version"))
        if not event:
            problems.append(Problem("plans", subject, "nothing on the EHC timeline"))
        if not review:
            problems.append(Problem("plans", subject, "no annual review in progress"))
        if status != Child.SendStatus.EHC_PLAN:
            problems.append(Problem("plans", subject,
                                    f"the plan is maintained but the record says {status}"))
    return problems


def assessments(today: date) -> list[Problem]:
    """Every child whose status is 'assessment' has a request in progress with an open step;
    every request in progress is for a child with that status."""
    problems: list[Problem] = []
    open_request = AssessmentRequest.objects.filter(
        child=OuterRef("pk"), stage__in=AssessmentRequest.OPEN_STAGES)
    for pk, family, given in Child.objects.filter(
        send_status=Child.SendStatus.ASSESSMENT
    ).exclude(Exists(open_request)).values_list("pk", "family_name", "given_name"):
        problems.append(Problem("assessments", _child_label(pk, family, given),
                                "the record says assessment, but no request is in progress"))
    open_steps = Step.objects.filter(request=OuterRef("pk"), done_on__isnull=True,
                                     cancelled=False)
    for request_pk, child_id, family, given, status, has_step in AssessmentRequest.objects.filter(
        stage__in=AssessmentRequest.OPEN_STAGES
    ).annotate(has_step=Exists(open_steps)).values_list(
        "pk", "child_id", "child__family_name", "child__given_name", "child__send_status",
        "has_step",
    ):
        subject = f"request {request_pk} of {_child_label(child_id, family, given)}"
        if status != Child.SendStatus.ASSESSMENT:
            problems.append(Problem("assessments", subject,
                                    f"in progress, but the record says {status}"))
        if not has_step:
            problems.append(Problem("assessments", subject, "in progress with no open step"))
    return problems


def _may_see_q(today: date, child: str = "child_id", organisation: str = "organisation_id"
               ) -> tuple[Exists, Exists]:
    """Consent in force, and a statutory basis in force, for the outer row's child and
    organisation: with holding the record, the policy's three sharing routes."""
    consent = Exists(Consent.objects.filter(
        child_id=OuterRef(child), organisation_id=OuterRef(organisation),
        withdrawn_at__isnull=True))
    basis = Exists(StatutoryBasis.objects.filter(
        StatutoryBasis.in_force_q(today), child_id=OuterRef(child),
        organisation_id=OuterRef(organisation)))
    return consent, basis


def sharing(today: date) -> list[Problem]:
    """Every organisation with an active involvement holds the child's record or has the
    family's consent or a statutory basis to see it; so has every health service with an open
    referral, which also has an active involvement (the policy lets its practitioners see a
    child through one)."""
    from tellonce.health.models import Referral

    problems: list[Problem] = []
    consent, basis = _may_see_q(today)
    for pk, org, child_id, family, given in Involvement.objects.filter(
        Involvement.active_q(on=today)
    ).exclude(organisation_id=F("child__held_by_id")).annotate(
        consent=consent, basis=basis,
    ).filter(consent=False, basis=False).values_list(
        "pk", "organisation__name", "child_id", "child__family_name", "child__given_name",
    ):
        problems.append(Problem(
            "sharing", _child_label(child_id, family, given),
            f"{org} works with the child (involvement {pk}) but has no consent or statutory "
            f"basis to see the record"))
    consent, basis = _may_see_q(today, organisation="pathway__provider_id")
    involved = Exists(Involvement.objects.filter(
        Involvement.active_q(on=today), child_id=OuterRef("child_id"),
        organisation_id=OuterRef("pathway__provider_id")))
    unseen = (
        Referral.objects.filter(status__in=Referral.OPEN_STATUSES)
        .annotate(consent=consent, basis=basis, involved=involved,
                  held=Q(child__held_by_id=F("pathway__provider_id")))
        .filter(Q(involved=False) | Q(consent=False, basis=False, held=False))
        .values_list("pk", "pathway__provider__name", "child_id", "child__family_name",
                     "child__given_name", "involved")
    )
    for pk, org, child_id, family, given, has_involvement in unseen.iterator():
        subject = _child_label(child_id, family, given)
        if not has_involvement:
            problems.append(Problem("sharing", subject, f"open referral {pk} to {org}, which "
                                    f"has no active involvement with the child"))
        else:
            problems.append(Problem("sharing", subject, f"open referral {pk} to {org}, which "
                                    f"has no consent or statutory basis to see the record"))
    return problems


def _list_for(user: User, step: Step, today: date, lists: dict[tuple[int, str], set[Any]]
              ) -> tuple[str, bool]:
    """Whether the step is in the list where this user finds it: the family's children (whose
    timeline shows every step), the caseworkers' worklist, or "asked of me"."""
    build: Callable[[], set[Any]]
    found: Any
    if step.waiting_on == Step.WaitingOn.FAMILY:
        name, found = "the family's children", step.child_id

        def build() -> set[Any]:
            return set(family_children(user, today).values_list("pk", flat=True))
    elif step.waiting_on == Step.WaitingOn.LOCAL_AUTHORITY:
        name, found = "worklist", step.pk

        def build() -> set[Any]:
            return set(ehc_queries.worklist_steps(user, today).values_list("pk", flat=True))
    else:
        name, found = "asked of me list", step.pk

        def build() -> set[Any]:
            return set(ehc_queries.asked_of(user, today).values_list("pk", flat=True))
    key = (user.pk, name)
    if key not in lists:
        lists[key] = build()
    return name, found in lists[key]


def waiting(today: date) -> list[Problem]:
    """Every open EHC step waits on someone who can act on it (`ehc.routing.step_actors`),
    and each of them finds it in their own list and may open the child's record."""
    problems: list[Problem] = []
    visible: dict[int, set[Any]] = {}
    lists: dict[tuple[int, str], set[Any]] = {}
    steps = Step.objects.filter(done_on__isnull=True, cancelled=False).select_related(
        "child__local_authority", "waiting_on_organisation", "waiting_on_user",
    ).order_by("pk")
    actors_of: dict[tuple[Any, ...], list[User]] = {}
    for step in steps.iterator(chunk_size=2000):
        subject = (f"step {step.pk} '{step.title}' of "
                   f"{_child_label(step.child_id, step.child.family_name, step.child.given_name)}")
        # Steps waiting on the same team (or family) share their actors: worked out once.
        key = (step.waiting_on, step.waiting_on_user_id, step.waiting_on_organisation_id,
               step.child_id if step.waiting_on == Step.WaitingOn.FAMILY
               else step.child.local_authority_id)
        if key not in actors_of:
            actors_of[key] = step_actors(step)
        actors = actors_of[key]
        if not actors:
            problems.append(Problem("waiting", subject,
                                    f"waits on {step.waiting_on_label()}, but no one can act"))
        for user in actors:
            if user.pk not in visible:
                visible[user.pk] = set(visible_children(user, today).values_list("pk",
                                                                                flat=True))
            if step.child_id not in visible[user.pk]:
                problems.append(Problem("waiting", subject,
                                        f"waits on {user}, who cannot open the record"))
                continue
            name, listed = _list_for(user, step, today, lists)
            if not listed:
                problems.append(Problem("waiting", subject,
                                        f"waits on {user}, but is not in their {name}"))
    return problems


CHECKS: dict[str, Callable[[date], list[Problem]]] = {
    "plans": plans,
    "assessments": assessments,
    "sharing": sharing,
    "waiting": waiting,
}


def check_area(today: date | None = None, only: list[str] | None = None) -> list[Problem]:
    """Every problem the checks find (all of them, or those named in `only`)."""
    on = today or date.today()
    problems: list[Problem] = []
    for name, check in CHECKS.items():
        if only is None or name in only:
            problems += check(on)
    return problems
