"""Reading the EHC process: the family's timeline, the caseworker's worklist and the measures.

Every list starts from the policy's scope (`visible_children`, `caseload_authorities`) and
fetches its related rows up front, so a page's query count does not grow with its rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils.dateformat import format as date_format

from tellonce import dates
from tellonce.access.policy import caseload_authorities, visible_children
from tellonce.ehc.models import (
    CHANGES_REQUESTED,
    AdviceRequest,
    AssessmentRequest,
    Consultation,
    Decision,
    DoneStepCount,
    Plan,
    PlanVersion,
    Review,
    SignOff,
    Step,
    TimelineEvent,
)
from tellonce.ehc.policy import acting_organisations, ehc_step_caseload_q
from tellonce.people.models import Child, Locality, User

DUE_SOON_DAYS = 14


@dataclass
class StepView:
    """One step as the timeline shows it: status words, and who it waits on."""

    step: Step
    # done, done_late, changes_requested, waiting, late, ended, no_deadline, cancelled
    state: str
    words: str
    days: int = 0
    action_url: str = ""  # where the one it waits on does it, where a page does it


def describe_step(step: Step, today: date) -> StepView:
    """Plain-English status: 'Done on 3 March (on time)', 'Late by 4 days: waiting on …'."""
    who = step.waiting_on_label()
    fmt = _fmt
    if step.cancelled:
        return StepView(step, "cancelled", step.outcome or "No longer needed")
    if step.done_on is not None and step.outcome == CHANGES_REQUESTED:
        # The owner answered, but not with a sign-off: the draft goes back to the council.
        return StepView(step, "changes_requested",
                        f"Changes asked for on {fmt(step.done_on)}: the council revises the "
                        f"draft and sends it again")
    if step.done_on is not None:
        late = step.days_late(today)
        if step.due is None:
            return StepView(step, "done", f"Done on {fmt(step.done_on)}")
        if late:
            return StepView(step, "done_late",
                            f"Done on {fmt(step.done_on)}, {late} day{'s' * (late != 1)} late",
                            late)
        return StepView(step, "done", f"Done on {fmt(step.done_on)}, in time")
    if step.due is None:
        reason = f" ({step.exception} applies)" if step.exception else ""
        return StepView(step, "no_deadline", f"Waiting on {who}: no fixed date{reason}")
    left = (step.due - today).days
    if left >= 0:
        when = "today" if left == 0 else f"{left} day{'s' * (left != 1)} left"
        return StepView(step, "waiting", f"Waiting on {who}: {when}", left)
    if step.waiting_on == Step.WaitingOn.FAMILY:
        return StepView(step, "ended", f"The time for this ended on {fmt(step.due)}")
    return StepView(step, "late", f"Late by {-left} day{'s' * (left != -1)}: waiting on {who}",
                    -left)


def _fmt(d: date | None) -> str:
    return d.strftime("%-d %B %Y") if d else ""


@dataclass
class Timeline:
    child: Child
    requests: list[AssessmentRequest]
    plans: list[Plan]
    steps: list[StepView]
    events: list[TimelineEvent]
    decisions: list[Decision]
    versions: list[PlanVersion]
    open_advice: list[AdviceRequest]
    open_sign_offs: list[SignOff]
    reviews: list[Review]
    next_steps: list[StepView] = field(default_factory=list)
    what_next: str = ""


def timeline(child: Child, today: date, *, family: bool = False) -> Timeline:
    """Everything about a child's EHC process: a fixed number of queries whatever its length.

    `family`: the reader is the child's family (or the young person), to whom a step waiting
    on the family is "your turn"; to anyone else it is the family's."""
    steps = [
        describe_step(s, today)
        for s in Step.objects.filter(child=child)
        .select_related("waiting_on_organisation", "waiting_on_user")
        .order_by("start", "id")
    ]
    requests = list(AssessmentRequest.objects.filter(child=child).prefetch_related("evidence"))
    plans = list(Plan.objects.filter(child=child).select_related("named_setting"))
    open_steps = [v for v in steps if v.step.is_open]
    open_steps.sort(key=lambda v: (v.step.due is None, v.step.due or today))
    result = Timeline(
        child=child,
        requests=requests,
        plans=plans,
        steps=steps,
        events=list(TimelineEvent.objects.filter(child=child).order_by("-at", "-id")[:200]),
        decisions=list(
            Decision.objects.filter(child=child).prefetch_related("appeal_events")
            .order_by("-notice_sent_on", "-id")
        ),
        versions=list(PlanVersion.objects.filter(plan__child=child).order_by("-created_at",
                                                                             "-number")),
        open_advice=list(
            AdviceRequest.objects.filter(request__child=child,
                                         status=AdviceRequest.Status.REQUESTED)
            .select_related("organisation", "adviser")
        ),
        open_sign_offs=list(
            SignOff.objects.filter(version__plan__child=child, status__in=[
                SignOff.Status.PENDING, SignOff.Status.CHANGES_REQUESTED])
            .select_related("organisation", "version")
        ),
        reviews=list(Review.objects.filter(child=child).order_by("-due_by")[:5]),
        next_steps=open_steps,
    )
    result.what_next = what_happens_next(result, today, family=family)
    return result


def what_happens_next(t: Timeline, today: date, *, family: bool = False) -> str:
    """One or two sentences the reader can act on: "It is your turn" only to the family, and
    only for the family's own step; a deadline that has passed is said to have passed."""
    if not t.next_steps:
        active = next((p for p in t.plans if p.status == Plan.Status.ACTIVE), None)
        if active is not None:
            return "The plan is in place. Nothing is waiting at the moment."
        if not t.requests:
            return ("There is no EHC needs assessment request. The family or the school can "
                    "ask for one.")
        return "Nothing is waiting at the moment."
    first = t.next_steps[0]
    step = first.step
    who = step.waiting_on_label()
    what = step.title[0].lower() + step.title[1:]
    late_by = f"{first.days} day{'s' * (first.days != 1)} late"
    if step.waiting_on == Step.WaitingOn.FAMILY and step.due is not None:
        if family:
            text = dates.deadline(step.due, today, f"It is your turn: {what}, by {{date}}.",
                                  f"The time to {what} ended on {{date}}.")
        else:
            text = dates.deadline(step.due, today,
                                  f"Waiting on the family: they can {what} until {{date}}.",
                                  f"The time for the family to {what} ended on {{date}}.")
    elif step.due is not None:
        text = dates.deadline(step.due, today, f"{who} must {what} by {{date}}.",
                              f"{who} must {what}: it was due by {{date}} and is {late_by}.")
    else:
        text = f"{who} will {step.title[0].lower() + step.title[1:]}: no fixed date applies."
    late = [v for v in t.next_steps if v.state == "late"]
    if late:
        text += f" {len(late)} step{'s are' if len(late) != 1 else ' is'} late."
    return text


# ----- feedback on a draft -----


@dataclass
class Feedback:
    """One comment on a draft: who, when, what."""

    who: str
    on: date | None
    text: str


@dataclass
class DraftFeedback:
    """The family's comments and each sign-off owner's requested changes on one draft: those
    about the whole draft, and those about each section (by letter), to show beside it."""

    whole: list[Feedback] = field(default_factory=list)
    sections: dict[str, list[Feedback]] = field(default_factory=dict)
    preferred: list[Feedback] = field(default_factory=list)


def draft_feedback(version: PlanVersion | None) -> DraftFeedback:
    """Two queries: the draft's responses and its sign-offs that asked for changes."""
    result = DraftFeedback()
    if version is None:
        return result
    for response in version.responses.order_by("created_at", "pk"):
        if response.comments.strip():
            result.whole.append(Feedback("The family", response.on, response.comments))
        for key, text in (response.section_comments or {}).items():
            result.sections.setdefault(key, []).append(Feedback("The family", response.on, text))
        if response.preferred_setting:
            result.preferred.append(Feedback("The family", response.on,
                                             response.preferred_setting))
    changes = version.sign_offs.filter(status=SignOff.Status.CHANGES_REQUESTED)
    for sign_off in changes.select_related("organisation"):
        for key in sign_off.sections:
            result.sections.setdefault(key, []).append(Feedback(
                f"{sign_off.organisation} asked for changes", sign_off.on, sign_off.comment))
    return result


# ----- what is asked of a service or setting -----


def asked_of(user: User, today: date) -> QuerySet[Step]:
    """Every open step waiting on the user by name, or on a service or setting they act for
    where no one is named (advice, sign-off, a consultation, whatever comes next), for the
    children whose record they may see: the "asked of me" page. Being asked gives the
    service a statutory basis to see the record (`actions._share_for_process`), so nothing
    asked of them is left out by that scope."""
    orgs = acting_organisations(user)
    if not orgs:
        return Step.objects.none()
    return Step.objects.filter(
        Q(waiting_on_user=user, waiting_on_organisation_id__in=orgs)
        | Q(waiting_on=Step.WaitingOn.ORGANISATION, waiting_on_user__isnull=True,
            waiting_on_organisation_id__in=orgs),
        done_on__isnull=True, cancelled=False, child__in=visible_children(user, today),
    )


def asked_of_rows(steps: list[Step], today: date) -> list[StepView]:
    """The "asked of me" rows: each step's status, and the page where it is done (its
    advice, sign-off or consultation; the child's timeline for anything else)."""
    consultations: dict[tuple[int | None, int | None], int] = {
        (plan_id, setting_id): pk
        for pk, plan_id, setting_id in Consultation.objects.filter(
            plan_id__in={s.plan_id for s in steps if s.kind == Step.Kind.CONSULTATION},
            response=Consultation.Response.WAITING,
        ).values_list("pk", "plan_id", "setting_id")
    }
    rows = []
    for step in steps:
        view = describe_step(step, today)
        consultation = consultations.get((step.plan_id, step.waiting_on_organisation_id))
        if step.advice_id is not None:
            view.action_url = reverse("ehc:advice", args=[step.advice_id])
        elif step.sign_off_id is not None:
            view.action_url = reverse("ehc:sign_off", args=[step.sign_off_id])
        elif step.kind == Step.Kind.CONSULTATION and consultation is not None:
            view.action_url = reverse("ehc:consultation_reply", args=[consultation])
        else:
            view.action_url = reverse("ehc:timeline", args=[step.child_id])
        rows.append(view)
    return rows


# ----- worklist -----


def worklist_steps(user: User, today: date) -> QuerySet[Step]:
    """Every open step in the user's statutory caseload, scoped by the access policy (its
    caseload rule, on the copies of the child's authority and status the step keeps)."""
    caseload = ehc_step_caseload_q(user)
    if caseload is None:
        return Step.objects.none()
    return (
        Step.objects.filter(caseload, done_on__isnull=True, cancelled=False)
        .select_related("waiting_on_organisation", "waiting_on_user", "caseworker")
    )


# The columns a worklist row shows (see `worklist_row`); the rest of each joined row is left
# in the database. A column missing here would cost a query per row, which the query-count
# test catches.
_USER_COLUMNS = ("display_name", "first_name", "last_name", "username")
WORKLIST_COLUMNS = (
    "child_id", "title", "stage", "due", "exception", "waiting_on", "done_on", "cancelled",
    "outcome", "waiting_on_organisation_id", "waiting_on_user_id", "caseworker_id",
    "child_family_name", "child_given_name", "child_locality_id",
    "waiting_on_organisation__name",
    *(f"waiting_on_user__{c}" for c in _USER_COLUMNS), *(f"caseworker__{c}" for c in _USER_COLUMNS),
)


def in_order(steps: QuerySet[Step], ids: list[int]) -> list[Step]:
    """The steps with these ids, in this order, with their related rows: one query.

    A worklist page is chosen by id first (`steps.values_list("pk")`, sorted and sliced),
    which the database answers from an index alone; joining the child and the rest for
    every step before the page, only to skip them, was most of the cost of a late page."""
    found = steps.order_by().only(*WORKLIST_COLUMNS).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


@dataclass
class WorklistRow:
    """One worklist row, its words worked out here so the template only prints them."""

    step: Step
    state: str
    days: int
    timeline_url: str
    child: str
    locality: str
    stage: str
    due: str
    waiting_on: str
    caseworker: str


def locality_names(steps: list[Step], known: dict[int, str]) -> dict[int, str]:
    """The names of the steps' localities: those `known` (the filter's, of the user's
    authorities), and any others in one query."""
    missing = {s.child_locality_id for s in steps
               if s.child_locality_id is not None and s.child_locality_id not in known}
    if not missing:
        return known
    return {**known, **dict(Locality.objects.filter(pk__in=missing).values_list("pk", "name"))}


def worklist_row(step: Step, today: date, localities: dict[int, str]) -> WorklistRow:
    """`localities`: names by id, from `locality_names`."""
    view = describe_step(step, today)
    return WorklistRow(
        step=step, state=view.state, days=view.days,
        timeline_url=reverse("ehc:timeline", args=[step.child_id]),
        child=f"{step.child_family_name}, {step.child_given_name}",
        locality=(localities[step.child_locality_id] if step.child_locality_id is not None
                  else ""),
        stage=step.get_stage_display(),
        due=(date_format(step.due, "j M Y") if step.due is not None
             else f"None ({step.exception})"),
        waiting_on=step.waiting_on_label(),
        caseworker=str(step.caseworker) if step.caseworker is not None else "Unassigned",
    )


def filter_worklist(steps: QuerySet[Step], data: dict[str, Any], user: User,
                    today: date) -> QuerySet[Step]:
    caseworker = data.get("caseworker") or ""
    if caseworker == "me":
        steps = steps.filter(caseworker=user)
    elif caseworker == "none":
        steps = steps.filter(caseworker__isnull=True)
    elif caseworker.isdigit():
        steps = steps.filter(caseworker_id=int(caseworker))
    if data.get("stage"):
        steps = steps.filter(stage=data["stage"])
    locality = data.get("locality") or ""
    if locality.isdigit():
        steps = steps.filter(child_locality_id=int(locality))
    lateness = data.get("lateness")
    if lateness == "overdue":
        steps = steps.filter(due__lt=today)
    elif lateness == "due_soon":
        steps = steps.filter(due__gte=today, due__lte=today + timedelta(days=DUE_SOON_DAYS))
    elif lateness == "on_time":
        steps = steps.filter(due__gte=today)
    elif lateness == "no_deadline":
        steps = steps.filter(due__isnull=True)
    return steps


@dataclass
class Measure:
    label: str
    within: int
    total: int
    excluded: int

    @property
    def percent(self) -> str:
        return f"{100 * self.within / self.total:.1f}%" if self.total else "No cases"


def measures(user: User, start: date, end: date) -> list[Measure]:
    """New plans within 20 weeks and review decisions within 4 weeks, done in [start, end].

    As the DfE measure does, cases where an exception applies are left out (and counted
    separately so the exclusion is visible). Added up from the daily counts the actions keep
    (`DoneStepCount`), which equal counting the steps themselves.
    """
    authorities = caseload_authorities(user)
    kinds = [
        (Step.Kind.FINAL_PLAN, "New EHC plans issued within 20 weeks (excluding exceptions)"),
        (Step.Kind.REVIEW_DECISION, "Annual review decisions within 4 weeks of the meeting"),
    ]
    counts = {
        kind: (total or 0, within or 0, excluded or 0)
        for kind, total, within, excluded in DoneStepCount.objects.filter(
            local_authority_id__in=authorities, done_on__gte=start, done_on__lte=end,
            kind__in=[kind for kind, _label in kinds],
        ).order_by().values("kind").annotate(
            sum_total=Sum("total"), sum_within=Sum("within"), sum_excluded=Sum("excluded"),
        ).values_list("kind", "sum_total", "sum_within", "sum_excluded")
    }
    result = []
    for kind, label in kinds:
        total, within, excluded = counts.get(kind, (0, 0, 0))
        result.append(Measure(label, within, total, excluded))
    return result
