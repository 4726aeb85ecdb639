"""Every state change of the EHC process: checked, written, recorded on the timeline,
audited and notified in one transaction.

Each `do_…` function checks the transition is allowed (raising `ProcessError` with a message
the user can act on), makes the change, closes and opens `Step`s with due dates from
`ehc.clock`, writes a `TimelineEvent` and an audit event, and queues messages that say what
changed, what happens next and by when. Views and the API call these and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from tellonce import dates
from tellonce.access import audit
from tellonce.access.audit import describe_actor
from tellonce.access.models import StatutoryBasis
from tellonce.access.policy import Basis, ChildAccess, family_users
from tellonce.ehc import clock, completeness, quality, quality_facts, routing
from tellonce.ehc.models import (
    CHANGES_REQUESTED,
    MEASURED_KINDS,
    PLAN_SECTIONS,
    SIGN_OFF_SECTIONS,
    AdviceRequest,
    AppealEvent,
    AssessmentRequest,
    ConsideredFinding,
    Consultation,
    Decision,
    DoneStepCount,
    DraftResponse,
    EotasPackage,
    Evidence,
    PersonalBudget,
    Plan,
    PlanVersion,
    Review,
    SettingType,
    SignOff,
    Step,
    TimelineEvent,
)
from tellonce.ehc.policy import (
    acts_for,
    is_caseworker_for,
    is_send_manager_for,
    may_request_assessment,
)
from tellonce.notify.outbox import queue_many
from tellonce.people.models import Child, Involvement, Organisation, User
from tellonce.profile.actions import latest_version

Stage = AssessmentRequest.Stage
Kind = Step.Kind
Waiting = Step.WaitingOn
SECTION_KEYS = {key for key, _title in PLAN_SECTIONS}

ADVICE_KINDS = ("ep", "health", "social_care", "education")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    "application/pdf": b"%PDF-",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
}


class ProcessError(Exception):
    """A step that is not allowed now, with a message the user can act on."""


class EvidenceError(ProcessError):
    """An uploaded file that cannot be kept (empty, too large, not a PDF or image, too many):
    its message belongs beside the file field, not at the top of the form."""


class IncompletePlan(ProcessError):
    """A final plan that lacks what the law requires: one message per thing missing."""

    def __init__(self, findings: list[completeness.Finding]) -> None:
        self.findings = findings
        super().__init__("The final plan cannot be issued yet. "
                         + " ".join(f.message + "." for f in findings))


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def today() -> date:
    return timezone.localdate()


def fmt(d: date | None) -> str:
    return d.strftime("%-d %B %Y") if d else "no fixed date"


def timeline_link(child: Child) -> str:
    return reverse("ehc:timeline", kwargs={"child_id": child.pk})


# ----- shared helpers -----


def _event(
    child: Child, summary: str, by: User | None, *, detail: str = "", on: date | None = None,
    request: AssessmentRequest | None = None, plan: Plan | None = None,
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        child=child, on=on or today(), summary=summary[:300], detail=detail, by=by,
        by_description=describe_actor(by) if by else "The council", request=request, plan=plan,
    )


def _open_step(
    child: Child, kind: str, stage: str, title: str, start: date, *,
    clock_name: str = "", due: date | None = None, waiting_on: str = Waiting.LOCAL_AUTHORITY,
    organisation: Organisation | None = None, person: User | None = None,
    caseworker: User | None = None, **links: Any,
) -> Step:
    if clock_name and due is None:
        due = clock.due(clock_name, start, **links.pop("facts", {}))
    links.pop("facts", None)
    return Step.objects.create(
        child=child, local_authority_id=child.local_authority_id, kind=kind, stage=stage,
        title=title, clock=clock_name, start=start, due=due, waiting_on=waiting_on,
        waiting_on_organisation=organisation, waiting_on_user=person, caseworker=caseworker,
        child_send_status=child.send_status, child_family_name=child.family_name,
        child_given_name=child.given_name, child_locality_id=child.locality_id, **links,
    )


def copy_child_onto_steps(child: Child) -> int:
    """Copy the child's authority, SEND status, name and locality onto all its steps, where
    the worklist scopes, sorts and shows them (Step's docstring says why). Call it in the same
    transaction as any change to those of the child's."""
    steps = Step.objects.filter(child=child)
    # Done steps counted under the old authority move to the new one.
    moved = {(la, kind, on) for la, kind, on in steps.filter(
        done_on__isnull=False, kind__in=MEASURED_KINDS,
    ).exclude(local_authority_id=child.local_authority_id).values_list(
        "local_authority_id", "kind", "done_on") if on is not None}
    changed = steps.update(
        local_authority_id=child.local_authority_id, child_send_status=child.send_status,
        child_family_name=child.family_name, child_given_name=child.given_name,
        child_locality_id=child.locality_id,
    )
    if moved:
        recount_done_steps(moved | {(child.local_authority_id, kind, on)
                                    for _la, kind, on in moved})
    return changed


def _set_send_status(child: Child, status: str) -> None:
    child.send_status = status
    child.save(update_fields=["send_status"])
    copy_child_onto_steps(child)


def _close(steps: QuerySet[Step], on: date, outcome: str, *, cancelled: bool = False) -> int:
    steps = steps.filter(done_on__isnull=True, cancelled=False)
    # A cancelled step is not counted, so only a completion changes the measures' counts.
    counted = set() if cancelled else set(
        steps.filter(kind__in=MEASURED_KINDS).values_list("local_authority_id", "kind"))
    closed = steps.update(done_on=on, outcome=outcome[:200], cancelled=cancelled)
    if counted:
        recount_done_steps({(la, kind, on) for la, kind in counted})
    return closed


def recount_done_steps(days: Iterable[tuple[int, str, date]]) -> None:
    """Rewrite the DoneStepCount of each (authority, kind, day) from the steps themselves.

    The count rows are locked first (created if missing), so two transactions recounting the
    same day take turns; on PostgreSQL the count that follows the wait sees the other's steps.
    """
    keys = sorted(set(days))
    if keys:
        with transaction.atomic():
            _recount(keys)


def _recount(keys: list[tuple[int, str, date]]) -> None:
    DoneStepCount.objects.bulk_create(
        [DoneStepCount(local_authority_id=la, kind=kind, done_on=on) for la, kind, on in keys],
        ignore_conflicts=True,
    )
    match = Q()
    for la, kind, on in keys:
        match |= Q(local_authority_id=la, kind=kind, done_on=on)
    rows = {(r.local_authority_id, r.kind, r.done_on): r
            for r in DoneStepCount.objects.select_for_update().filter(match)
            .order_by("local_authority_id", "kind", "done_on")}
    counts = {(la, kind, on): (total, within, excluded) for la, kind, on, total, within, excluded
              in _count_done_steps(Step.objects.filter(match))}
    for key, row in rows.items():
        row.total, row.within, row.excluded = counts.get(key, (0, 0, 0))
    DoneStepCount.objects.bulk_update(list(rows.values()), ["total", "within", "excluded"])


def recount_all_done_steps() -> int:
    """Rebuild every DoneStepCount from the steps (after a bulk load, such as the demo's)."""
    with transaction.atomic():
        DoneStepCount.objects.all().delete()
        created = DoneStepCount.objects.bulk_create(
            [DoneStepCount(local_authority_id=la, kind=kind, done_on=on, total=total,
                           within=within, excluded=excluded)
             for la, kind, on, total, within, excluded
             in _count_done_steps(Step.objects.all())],
            batch_size=2000,
        )
    return len(created)


def _count_done_steps(steps: QuerySet[Step]) -> Any:
    """(authority, kind, day, total, within, excluded) for the measured steps done."""
    return (
        steps.filter(done_on__isnull=False, cancelled=False, kind__in=MEASURED_KINDS)
        .order_by().values("local_authority_id", "kind", "done_on")
        .annotate(total=Count("pk", filter=Q(exception="")),
                  within=Count("pk", filter=Q(exception="", done_on__lte=F("due"))),
                  excluded=Count("pk", filter=~Q(exception="")))
        .values_list("local_authority_id", "kind", "done_on", "total", "within", "excluded")
    )


def _tell(
    people: Iterable[User | None], child: Child, subject: str, what_changed: str,
    what_next: str, by_when: date | None,
) -> None:
    queue_many(
        [p for p in people if p is not None], child=child, subject=subject,
        what_changed=what_changed, what_next=what_next, by_when=by_when,
        link=timeline_link(child),
    )


def _caseworkers(request: AssessmentRequest | None, child: Child) -> list[User]:
    if request is not None and request.caseworker is not None:
        return [request.caseworker]
    return routing.send_team_staff(child.local_authority)


def _require_caseworker(user: User, child: Child) -> None:
    if not is_caseworker_for(user, child):
        raise ProcessError("Only the council's SEND caseworkers can do this")


def _share_for_process(
    child: Child, organisation: Organisation, basis: str, reason: str, by: User | None,
    staff: User | None, role: str, on: date, end: date | None = None,
) -> StatutoryBasis | None:
    """Give an organisation the statutory basis and the involvement its part in the process
    needs (reg 6: the LA must seek this advice), so its access follows the law, not a
    workaround: the policy lets a practitioner see a child through an involvement of theirs
    (or their team's) whose organisation has consent or a basis in force. `staff` names the
    practitioner asked; None asks the whole team.

    The basis is recorded with its reason and audited; an involvement made here is kept on the
    basis, so `_end_process_sharing` ends it with the basis. Returns the basis recorded, or
    None where one in force (to `end` at least) already covers it."""
    involvement = Involvement.objects.filter(
        Involvement.active_q(on=on), child=child, organisation=organisation, staff=staff
    ).first()
    made = None
    if involvement is None:
        made = Involvement.objects.create(
            child=child, organisation=organisation, staff=staff, role=role, start=on, end=end,
            added_by=by,
        )
    covering = StatutoryBasis.objects.filter(
        StatutoryBasis.in_force_q(on), child=child, organisation=organisation, basis=basis
    )
    covering = covering.filter(end__isnull=True) if end is None else covering.filter(
        Q(end__isnull=True) | Q(end__gte=end))
    if made is None and covering.exists():
        return None
    recorded = StatutoryBasis.objects.create(
        child=child, organisation=organisation, basis=basis, reason=reason, recorded_by=by,
        start=on, end=end, involvement=made,
    )
    audit.record(by, child, audit.Action.CREATE, f"Statutory basis for {organisation}",
                 Basis.CASELOAD, organisation=organisation.pk, statutory_basis=basis, reason=reason,
                 start=on.isoformat(), end=end.isoformat() if end else None,
                 involvement=made.pk if made else None)
    return recorded


def _end_process_sharing(child: Child, on: date, by: User | None, *,
                         team_until: date | None = None) -> int:
    """End the statutory bases an EHC needs assessment gave (s.36, reg 6) when it ends, and
    the involvements recorded with them. Returns how many bases ended.

    "For as long as the process needs" means this. Being asked for advice (or to sign off
    sections of the draft, or consulted on naming a setting) is a lawful basis to see the
    child's record from the day the council asks until the assessment process ends, not only
    until the advice is given: the advice is then written into the draft (section K lists
    it), health and social care sign off their sections of each draft, and the family's
    comments can bring a revised draft on which they are asked again. The process ends when
    - the final plan is issued: from then the plan is maintained under s.37, on the SEND
      team's own EHC plan basis, which covers its annual reviews (an adviser asked for a
      review's report is asked afresh);
    - the council decides not to issue a plan (reg 10); or
    - the request is withdrawn.
    A decision not to assess comes before anyone is asked. Where the decision can be appealed
    the SEND team's own assessment basis runs on to `team_until` (the day after the appeal
    deadline), so the caseworker can answer the appeal; everyone else's ends on `on`.
    A service that works with the child anyway keeps what it had before the process: its own
    involvement, and the family's consent or another basis."""
    team = routing.send_team(child.local_authority)
    ended = 0
    for basis in StatutoryBasis.objects.filter(
        StatutoryBasis.in_force_q(on), child=child, basis=StatutoryBasis.Basis.EHC_ASSESSMENT,
    ).select_related("organisation").order_by("pk"):
        until = team_until if team_until is not None and basis.organisation_id == team.pk \
            else on
        basis.end = until
        basis.save(update_fields=["end"])
        if basis.involvement_id is not None:
            Involvement.objects.filter(Involvement.active_q(on=on), pk=basis.involvement_id,
                                       ).update(end=until)
        audit.record(by, child, audit.Action.UPDATE,
                     f"Statutory basis for {basis.organisation} ended", Basis.CASELOAD,
                     organisation=basis.organisation_id, statutory_basis=basis.basis,
                     end=until.isoformat(), involvement=basis.involvement_id)
        ended += 1
    return ended


def _check_evidence(upload: UploadedFile) -> str:
    """The content type of an acceptable upload, from its first bytes (not its name)."""
    if upload.size is None or upload.size == 0:
        raise EvidenceError(f"{upload.name} is empty")
    if upload.size > MAX_EVIDENCE_BYTES:
        raise EvidenceError(f"{upload.name} must be smaller than 10 MB")
    head = upload.read(16)
    upload.seek(0)
    for content_type, magic in EVIDENCE_TYPES.items():
        if head.startswith(magic):
            return content_type
    raise EvidenceError(f"{upload.name} must be a PDF, JPG or PNG")


def check_evidence_files(files: list[UploadedFile]) -> None:
    """Raise EvidenceError for the first unacceptable file (forms call this to show errors)."""
    if len(files) > 10:
        raise EvidenceError("Upload at most 10 files")
    for upload in files:
        _check_evidence(upload)


# ----- request and the decision to assess -----


def do_request_assessment(
    user: User, child: Child, access: ChildAccess, *, reasons: str,
    files: list[UploadedFile] | None = None, received_on: date | None = None,
    family_agreed: bool | None = None,
) -> AssessmentRequest:
    """A request for an EHC needs assessment (CFA s.36(1)), acknowledged with the law's dates.
    A school or setting says whether the parent or young person agreed (`family_agreed`)."""
    files = files or []
    if not may_request_assessment(user, child, access):
        raise ProcessError("Only the family or the child's school or setting can ask")
    if not reasons.strip():
        raise ProcessError("Say why you are asking for an assessment")
    if access.is_family:
        family_agreed = None  # the family asking is their agreement
    elif family_agreed is None:
        raise ProcessError("Say whether the parent or young person agrees to the request")
    check_evidence_files(files)
    with transaction.atomic():
        child = Child.objects.select_for_update().get(pk=child.pk)
        if AssessmentRequest.objects.filter(
            child=child, stage__in=AssessmentRequest.OPEN_STAGES
        ).exists():
            raise ProcessError("There is already a request for this child in progress")
        if child.send_status == Child.SendStatus.EHC_PLAN:
            raise ProcessError(
                "This child already has an EHC plan: ask for a review or a re-assessment"
            )
        on = received_on or today()
        if access.is_young_person:
            requester = AssessmentRequest.Requester.YOUNG_PERSON
        elif access.is_family:
            requester = AssessmentRequest.Requester.PARENT
        else:
            requester = AssessmentRequest.Requester.SCHOOL
        request = AssessmentRequest.objects.create(
            child=child, requester=requester, requested_by=user, requested_by_name=str(user),
            received_on=on, reasons=reasons.strip(), previous_send_status=child.send_status,
            family_agreed=family_agreed,
        )
        for upload in files:
            content_type = _check_evidence(upload)
            Evidence.objects.create(
                request=request, file=upload, original_name=str(upload.name)[:200],
                content_type=content_type, size=upload.size or 0, uploaded_by=user,
            )
        _set_send_status(child, Child.SendStatus.ASSESSMENT)
        team = routing.send_team(child.local_authority)
        StatutoryBasis.objects.create(
            child=child, organisation=team, basis=StatutoryBasis.Basis.EHC_ASSESSMENT,
            reason="Request for an EHC needs assessment received", recorded_by=user, start=on,
        )
        step = _open_step(
            child, Kind.ASSESSMENT_DECISION, Step.Stage.REQUEST,
            "Decide whether to carry out an EHC needs assessment", on,
            clock_name="assessment_decision", organisation=team, request=request,
        )
        final_due = clock.due("final_plan", on)
        agreement = {
            True: "The parent or young person agreed to this request.",
            False: "The parent or young person did not agree to this request.",
        }.get(family_agreed) if family_agreed is not None else ""
        attached = f"{len(files)} document(s) attached." if files else ""
        _event(
            child, f"Request for an EHC needs assessment received from {request.requested_by_name}",
            user, on=on, request=request,
            detail=" ".join(part for part in (agreement, attached) if part),
        )
        audit.record(user, child, audit.Action.CREATE, "EHC needs assessment request",
                     access.basis, request=request.pk, files=len(files))
        now = today()
        what_next = dates.deadline(
            step.due, now, "The council must decide whether to assess by {date}.",
            "The council had to decide whether to assess by {date}: it is late.",
        ) + " " + dates.deadline(
            final_due, now, "If it agrees, the final plan is due by {date}.",
            "If it agrees, the final plan was due by {date}: it will be late.",
        )
        _tell(
            family_users(child), child, "We have received the request for an EHC needs assessment",
            f"The council received the request on {fmt(on)}.", what_next, step.due,
        )
        if not access.is_family:
            _tell([user], child, "We have received your request for an EHC needs assessment",
                  f"The council received the request on {fmt(on)}.", what_next, step.due)
        _tell(routing.send_team_staff(child.local_authority), child,
              f"New request for an EHC needs assessment: {child.full_name}",
              f"{request.requested_by_name} asked for an assessment.",
              "Decide whether to assess.", step.due)
    return request


def do_decide_assessment(
    user: User, request: AssessmentRequest, *, agree: bool, reasons: str = "",
) -> Decision:
    """The decision whether to assess (reg 4, reg 5(1)): agree, or refuse with reasons."""
    child = request.child
    _require_caseworker(user, child)
    if not agree and not reasons.strip():
        raise ProcessError("Give the reasons for deciding not to assess")
    with transaction.atomic():
        request = AssessmentRequest.objects.select_for_update().get(pk=request.pk)
        if request.stage != Stage.RECEIVED:
            raise ProcessError("The decision whether to assess has already been made")
        on = today()
        if request.caseworker_id is None:
            request.caseworker = user
        _close(request.steps.filter(kind=Kind.ASSESSMENT_DECISION), on,
               "Agreed to assess" if agree else "Decided not to assess")
        team = routing.send_team(child.local_authority)
        if agree:
            decision = Decision.objects.create(
                child=child, request=request, kind=Decision.Kind.ASSESS, reasons=reasons,
                decided_by=user, notice_sent_on=on,
            )
            request.stage = Stage.ASSESSING
            request.save(update_fields=["stage", "caseworker"])
            plan_due = _open_step(
                child, Kind.PLAN_DECISION, Step.Stage.ASSESSMENT,
                "Decide whether to issue an EHC plan", request.received_on,
                clock_name="no_plan_notice", organisation=team, caseworker=request.caseworker,
                request=request,
            ).due
            final = _open_step(
                child, Kind.FINAL_PLAN, Step.Stage.FINAL, "Issue the final EHC plan",
                request.received_on, clock_name="final_plan", organisation=team,
                caseworker=request.caseworker, request=request,
            )
            asked: list[str] = []
            for kind in ADVICE_KINDS:
                advice = _ask_for_advice(user, request, kind, on)
                if advice is not None:
                    asked.append(f"{advice.get_kind_display()} from {advice.organisation}")
            _event(child, "The council agreed to carry out an EHC needs assessment", user,
                   request=request, detail="Advice asked for: " + "; ".join(asked) + ".")
            _tell(
                family_users(child), child, "The council will carry out an EHC needs assessment",
                "The council agreed to assess. It has asked for advice: " + "; ".join(asked)
                + ".",
                "Advice is due within 6 weeks. " + dates.deadline(
                    plan_due, on, "The council decides whether to issue a plan by {date}; ",
                    "The decision whether to issue a plan was due by {date} and is late; ",
                ) + dates.deadline(
                    final.due, on, "the final plan is due by {date}.",
                    "the final plan was due by {date} and is late.",
                ),
                final.due,
            )
        else:
            appeal = clock.due("appeal_deadline", on)
            decision = Decision.objects.create(
                child=child, request=request, kind=Decision.Kind.REFUSE_ASSESSMENT,
                reasons=reasons.strip(), decided_by=user, notice_sent_on=on,
                appeal_deadline=appeal,
            )
            request.stage = Stage.REFUSED
            request.save(update_fields=["stage", "caseworker"])
            _set_send_status(child, request.previous_send_status or Child.SendStatus.SEN_SUPPORT)
            # The caseworker keeps sight of the record while an appeal is possible (to the
            # end of the deadline's day).
            after_appeal = appeal + timedelta(days=1) if appeal else on
            _end_process_sharing(child, on, user, team_until=after_appeal)
            _share_for_process(child, team, StatutoryBasis.Basis.EHC_ASSESSMENT,
                               "Decision not to assess: open to appeal", user, user,
                               "SEND caseworker", on, end=after_appeal)
            _event(child, "The council decided not to carry out an EHC needs assessment", user,
                   request=request,
                   detail=f"Reasons: {reasons.strip()} You can appeal until {fmt(appeal)}.")
            _tell(
                family_users(child), child, "The council decided not to assess",
                f"The council decided not to carry out an EHC needs assessment. Reasons: "
                f"{reasons.strip()}",
                f"You can ask for mediation and appeal to the SEND Tribunal until {fmt(appeal)}.",
                appeal,
            )
        audit.record(user, child, audit.Action.UPDATE, "EHC assessment decision", Basis.CASELOAD,
                     request=request.pk, agree=agree)
    return decision


def advice_sharing(label: str) -> tuple[str, str]:
    """The reason recorded with an adviser's statutory basis, and the role of their
    involvement, for advice of this kind ("Health advice"): the demo records the same."""
    return (f"Asked for {label.lower()} for an EHC needs assessment (reg 6)",
            f"{label} for EHC needs assessment")


def _ask_for_advice(
    user: User, request: AssessmentRequest, kind: str, on: date
) -> AdviceRequest | None:
    child = request.child
    giver = routing.advice_giver(child, kind)
    if giver is None:
        return None
    organisation, adviser = giver
    advice = AdviceRequest.objects.create(
        request=request, kind=kind, organisation=organisation, adviser=adviser, sent_on=on
    )
    label = advice.get_kind_display()
    reason, role = advice_sharing(label)
    _share_for_process(child, organisation, StatutoryBasis.Basis.EHC_ASSESSMENT, reason, user,
                       adviser, role, on)
    step = _open_step(
        child, Kind.ADVICE, Step.Stage.ASSESSMENT, f"Give {label.lower()}", on,
        clock_name="advice", waiting_on=Waiting.ORGANISATION, organisation=organisation,
        person=adviser, caseworker=request.caseworker, request=request, advice=advice,
    )
    _tell(
        routing.org_contacts(organisation, adviser), child,
        f"Advice needed for an EHC needs assessment: {child.full_name}",
        f"The council asks {organisation} for {label.lower()}.",
        "Give your advice (needs, outcomes, provision), or a reasoned nil return.",
        step.due,
    )
    return advice


# ----- advice -----


def _require_adviser(user: User, advice: AdviceRequest) -> None:
    if not acts_for(user, advice.organisation_id, advice.adviser_id):
        raise ProcessError("Only the service asked for this advice can give it")


def do_give_advice(
    user: User, advice: AdviceRequest, *, needs: str = "", outcomes: str = "",
    provision: str = "", nil_reason: str = "",
) -> AdviceRequest:
    """Advice for the assessment (reg 6, reg 8), or a reasoned nil return."""
    _require_adviser(user, advice)
    nil = bool(nil_reason.strip())
    if not nil and not (needs.strip() and outcomes.strip() and provision.strip()):
        raise ProcessError("Describe the needs, the outcomes and the provision, or give a "
                           "reason for a nil return")
    with transaction.atomic():
        advice = AdviceRequest.objects.select_for_update(of=("self",)).select_related(
            "request__child", "request__caseworker", "organisation"
        ).get(pk=advice.pk)
        if not advice.is_open:
            raise ProcessError("This advice has already been given")
        if advice.request.stage != Stage.ASSESSING:
            raise ProcessError("The assessment is no longer gathering advice")
        on = today()
        child = advice.request.child
        advice.status = AdviceRequest.Status.NIL_RETURN if nil else AdviceRequest.Status.GIVEN
        advice.needs, advice.outcomes, advice.provision = needs.strip(), outcomes.strip(), \
            provision.strip()
        advice.nil_reason = nil_reason.strip()
        advice.given_by, advice.given_on = user, on
        advice.save()
        _close(advice.steps.all(), on, advice.get_status_display())
        label = advice.get_kind_display()
        what = "had nothing to add" if nil else "gave"
        _event(child, f"{advice.organisation} {what} {label.lower()}", user,
               request=advice.request, detail=advice.nil_reason)
        audit.record(user, child, audit.Action.CREATE, "EHC assessment advice", Basis.CASELOAD,
                     advice=advice.pk, nil_return=nil)
        waiting = advice.request.advice_requests.filter(
            status=AdviceRequest.Status.REQUESTED
        ).count()
        next_text = (
            f"The council is waiting for {waiting} more piece(s) of advice."
            if waiting else "All advice is in: the council decides whether to issue a plan."
        )
        plan_step = advice.request.steps.filter(kind=Kind.PLAN_DECISION).first()
        by_when = plan_step.due if plan_step else None
        _tell(family_users(child) + _caseworkers(advice.request, child), child,
              f"{label} received", f"{advice.organisation} {what} {label.lower()}.",
              next_text, by_when)
    return advice


def do_send_advice_reminders(on: date | None = None, remind_days: int = 7) -> tuple[int, int]:
    """Remind advisers a week before advice is due; escalate to the caseworker once late.

    Run daily (`manage.py ehc_reminders`). Returns (reminders, escalations).
    """
    on = on or today()
    reminded = escalated = 0
    open_steps = Step.objects.filter(
        kind=Kind.ADVICE, done_on__isnull=True, cancelled=False, due__isnull=False
    ).select_related("advice__organisation", "advice__adviser", "child", "request__caseworker")
    with transaction.atomic():
        for step in open_steps.filter(due__lte=on + timedelta(days=remind_days), due__gte=on,
                                      advice__reminded_on__isnull=True):
            advice = step.advice
            assert advice is not None
            _tell(routing.org_contacts(advice.organisation, advice.adviser), step.child,
                  dates.deadline(step.due, on, f"Reminder: advice due by {{date}} for "
                                 f"{step.child.full_name}",
                                 f"Advice was due by {{date}} for {step.child.full_name}"),
                  "Nothing has changed: this is a reminder.",
                  "Give your advice, or a reasoned nil return.", step.due)
            AdviceRequest.objects.filter(pk=advice.pk).update(reminded_on=on)
            reminded += 1
        for step in open_steps.filter(due__lt=on, advice__escalated_on__isnull=True):
            advice = step.advice
            assert advice is not None
            late = step.days_late(on)
            _event(step.child, f"{advice.get_kind_display()} from {advice.organisation} is late",
                   None, request=step.request,
                   detail=f"It was due by {fmt(step.due)}: {late} day(s) late. The council has "
                          f"asked again.")
            _tell(_caseworkers(step.request, step.child)
                  + routing.org_contacts(advice.organisation, advice.adviser), step.child,
                  f"Advice is late for {step.child.full_name}",
                  f"{advice.get_kind_display()} from {advice.organisation} was due by "
                  f"{fmt(step.due)}.", "Chase the adviser, or record an exception.", None)
            AdviceRequest.objects.filter(pk=advice.pk).update(escalated_on=on)
            escalated += 1
    return reminded, escalated


# ----- decision to issue, the draft, sign-off, consultation -----


def do_decide_plan(user: User, request: AssessmentRequest, *, issue: bool,
                   reasons: str = "") -> Decision:
    """After the assessment: issue a plan, or notify that none will be (reg 10, 16 weeks)."""
    child = request.child
    _require_caseworker(user, child)
    if not issue and not reasons.strip():
        raise ProcessError("Give the reasons for deciding not to issue a plan")
    with transaction.atomic():
        request = AssessmentRequest.objects.select_for_update().get(pk=request.pk)
        if request.stage != Stage.ASSESSING:
            raise ProcessError("This request is not at the assessment stage")
        if issue and request.advice_requests.filter(
            status=AdviceRequest.Status.REQUESTED
        ).exists():
            raise ProcessError("Some advice is still outstanding: wait for it (or record an "
                               "exception) before deciding to issue a plan")
        on = today()
        _close(request.steps.filter(kind=Kind.PLAN_DECISION), on,
               "Decided to issue a plan" if issue else "Decided not to issue a plan")
        if issue:
            decision = Decision.objects.create(
                child=child, request=request, kind=Decision.Kind.ISSUE, reasons=reasons,
                decided_by=user, notice_sent_on=on,
            )
            request.stage = Stage.DRAFTING
            Plan.objects.create(child=child, request=request, caseworker=request.caseworker,
                                named_setting=child.setting)
            final = request.steps.filter(kind=Kind.FINAL_PLAN).first()
            _event(child, "The council decided to issue an EHC plan", user, request=request)
            _tell(family_users(child), child, "The council will issue an EHC plan",
                  "The assessment is complete and the council decided to issue a plan.",
                  "You will get a draft plan to comment on, with 15 days to reply and to "
                  "name the school or college you would like.",
                  final.due if final else None)
        else:
            appeal = clock.due("appeal_deadline", on)
            decision = Decision.objects.create(
                child=child, request=request, kind=Decision.Kind.NOT_ISSUE,
                reasons=reasons.strip(), decided_by=user, notice_sent_on=on,
                appeal_deadline=appeal,
            )
            request.stage = Stage.NOT_ISSUING
            _close(request.steps.all(), on, "No plan to be issued", cancelled=True)
            _set_send_status(child, request.previous_send_status or Child.SendStatus.SEN_SUPPORT)
            # The assessment is over: the advisers' bases end; the caseworker's runs on while
            # the decision can be appealed.
            after_appeal = appeal + timedelta(days=1) if appeal else on
            _end_process_sharing(child, on, user, team_until=after_appeal)
            _share_for_process(child, routing.send_team(child.local_authority),
                               StatutoryBasis.Basis.EHC_ASSESSMENT,
                               "Decision not to issue a plan: open to appeal", user, user,
                               "SEND caseworker", on, end=after_appeal)
            _event(child, "The council decided not to issue an EHC plan", user, request=request,
                   detail=f"Reasons: {reasons.strip()} You can appeal until {fmt(appeal)}.")
            _tell(family_users(child), child, "The council decided not to issue an EHC plan",
                  f"Reasons: {reasons.strip()}",
                  f"You can ask for mediation and appeal to the SEND Tribunal until "
                  f"{fmt(appeal)}.", appeal)
        request.save(update_fields=["stage"])
        audit.record(user, child, audit.Action.UPDATE, "EHC plan decision", Basis.CASELOAD,
                     request=request.pk, issue=issue)
    return decision


def assemble_draft(request: AssessmentRequest) -> dict[str, str]:
    """Sections A to K from 'About me' (section A) and the advice given (reg 12)."""
    child = request.child
    about = latest_version(child)
    sections: dict[str, str] = {}
    if about is not None and not about.is_empty():
        sections["A"] = "\n\n".join(f"{title}\n{text}" for _n, title, text in about.sections()
                                    if text.strip())
    else:
        sections["A"] = ""
    given = list(request.advice_requests.filter(status=AdviceRequest.Status.GIVEN)
                 .select_related("organisation").order_by("kind"))

    def gather(kinds: tuple[str, ...], field: str) -> str:
        return "\n\n".join(
            f"From {a.organisation} ({a.get_kind_display().lower()}):\n{getattr(a, field)}"
            for a in given if a.kind in kinds and getattr(a, field).strip()
        )

    education = ("ep", "education")
    sections["B"] = gather(education, "needs")
    sections["C"] = gather(("health",), "needs")
    sections["D"] = gather(("social_care",), "needs")
    sections["E"] = gather(ADVICE_KINDS, "outcomes")
    sections["F"] = gather(education, "provision")
    sections["G"] = gather(("health",), "provision")
    sections["H1"] = gather(("social_care",), "provision")
    sections["H2"] = ""
    # The draft names no school or type of school (CFA s.38(5)): section I is written when
    # the plan is finalised, after the family has had the chance to ask for one.
    sections["I"] = ""
    sections["J"] = ""
    sections["K"] = "\n".join(
        f"{a.get_kind_display()}: {a.organisation}, "
        + (f"given {fmt(a.given_on)}" if a.status == AdviceRequest.Status.GIVEN
           else f"nil return ({a.nil_reason})" if a.status == AdviceRequest.Status.NIL_RETURN
           else "not received")
        for a in request.advice_requests.select_related("organisation").order_by("kind")
    )
    return sections


def _sign_off_owner(request: AssessmentRequest, area: str) -> Organisation | None:
    kind = "health" if area == SignOff.Area.HEALTH else "social_care"
    advice = request.advice_requests.filter(kind=kind).select_related("organisation").first()
    if advice is not None:
        return advice.organisation
    giver = routing.advice_giver(request.child, kind)
    return None if giver is None else giver[0]


def do_issue_draft(
    user: User, request: AssessmentRequest, *, sections: dict[str, str],
    named_setting: Organisation | None = None,
) -> PlanVersion:
    """Send the draft plan (reg 12, 13): 15 days for comments; owners sign off C, G, D, H."""
    child = request.child
    _require_caseworker(user, child)
    with transaction.atomic():
        request = AssessmentRequest.objects.select_for_update().get(pk=request.pk)
        if request.stage not in (Stage.DRAFTING, Stage.DRAFT_ISSUED):
            raise ProcessError("A draft can be sent only after deciding to issue a plan")
        plan = Plan.objects.select_for_update().get(request=request)
        on = today()
        # A revised draft replaces the last: its open comment and sign-off steps go with it.
        _close(request.steps.filter(kind__in=[Kind.DRAFT_COMMENTS, Kind.SIGN_OFF]), on,
               "Replaced by a revised draft", cancelled=True)
        if named_setting is not None:
            plan.named_setting = named_setting
            plan.save(update_fields=["named_setting"])
        version = _new_version(plan, PlanVersion.Kind.DRAFT, sections, user, on)
        comment_end = clock.due("draft_comment_end", on)
        family = family_users(child)
        _open_step(child, Kind.DRAFT_COMMENTS, Step.Stage.DRAFT,
                   "Comment on the draft plan and name a preferred school or college", on,
                   clock_name="draft_comment_end", waiting_on=Waiting.FAMILY,
                   caseworker=request.caseworker, request=request, plan=plan)
        for area in (SignOff.Area.HEALTH, SignOff.Area.SOCIAL_CARE):
            owner = _sign_off_owner(request, area)
            if owner is None:
                continue
            sign_off = SignOff.objects.create(version=version, area=area, organisation=owner)
            # Whoever in the owning service signs off must be able to open the draft.
            _share_for_process(child, owner, StatutoryBasis.Basis.EHC_ASSESSMENT,
                               f"Asked to sign off {lower_first(sign_off.get_area_display())} "
                               f"of the draft EHC plan (reg 12)", user, None,
                               f"Sign-off of {lower_first(sign_off.get_area_display())}", on)
            _open_step(child, Kind.SIGN_OFF, Step.Stage.DRAFT,
                       f"Sign off {lower_first(sign_off.get_area_display())}", on,
                       clock_name="draft_comment_end", waiting_on=Waiting.ORGANISATION,
                       organisation=owner, caseworker=request.caseworker, request=request,
                       plan=plan, sign_off=sign_off)
            _tell(routing.org_contacts(owner), child,
                  f"Draft EHC plan ready for sign-off: {child.full_name}",
                  f"The council sent a draft plan (version {version.number}).",
                  f"Sign off {', '.join(SIGN_OFF_SECTIONS[area])} or ask for changes.",
                  comment_end)
        first = request.stage == Stage.DRAFTING
        request.stage = Stage.DRAFT_ISSUED
        request.save(update_fields=["stage"])
        _event(child, "The council sent the draft EHC plan" if first
               else f"The council sent a revised draft EHC plan (version {version.number})",
               user, request=request, plan=plan)
        audit.record(user, child, audit.Action.CREATE, "Draft EHC plan", Basis.CASELOAD,
                     version=version.pk)
        _tell(family, child, "Your draft EHC plan is ready",
              "The council sent the draft plan.",
              dates.deadline(comment_end, on, "Tell us what you think and which school or "
                             "college you would like named, by {date}.",
                             "The time to comment ended on {date}."), comment_end)
    return version


def _new_version(plan: Plan, kind: str, sections: dict[str, str], user: User | None,
                 on: date) -> PlanVersion:
    last = plan.versions.order_by("-number").first()
    return PlanVersion.objects.create(
        plan=plan, number=(last.number + 1) if last else 1, kind=kind,
        sections={k: str(v) for k, v in sections.items()},
        # A draft names no school or type (CFA s.38(5)): only a final version records one.
        named_setting_name=str(plan.named_setting) if plan.named_setting
        and kind not in (PlanVersion.Kind.DRAFT, PlanVersion.Kind.AMENDMENT_DRAFT) else "",
        served_on=on, made_by=user,
    )


def latest_draft(plan: Plan) -> PlanVersion | None:
    return plan.versions.filter(
        kind__in=[PlanVersion.Kind.DRAFT, PlanVersion.Kind.AMENDMENT_DRAFT]
    ).order_by("-number").first()


def do_comment_on_draft(
    user: User, version: PlanVersion, access: ChildAccess, *, comments: str = "",
    preferred_setting: str = "", section_comments: dict[str, str] | None = None,
) -> DraftResponse:
    """The family's comments, on the whole draft and on its sections, and their preferred
    setting (reg 13(1), reg 22(2)(c); CFA s.38)."""
    child = version.plan.child
    by_section = {key: text.strip() for key, text in (section_comments or {}).items()
                  if key in SECTION_KEYS and text.strip()}
    if not access.is_family:
        raise ProcessError("Only the family can comment here")
    if not comments.strip() and not by_section:
        raise ProcessError("Write your comments on the draft plan")
    with transaction.atomic():
        latest = latest_draft(version.plan)
        if latest is None or latest.pk != version.pk:
            raise ProcessError("There is a newer draft: comment on that one")
        on = today()
        response = DraftResponse.objects.create(
            version=version, comments=comments.strip(), section_comments=by_section,
            preferred_setting=preferred_setting.strip()[:200], by=user, on=on,
        )
        kind = Kind.DRAFT_COMMENTS if version.kind == PlanVersion.Kind.DRAFT \
            else Kind.REPRESENTATIONS
        _close(Step.objects.filter(plan=version.plan, kind=kind), on, "Comments received")
        preferred = f" Preferred school or college: {response.preferred_setting}." \
            if response.preferred_setting else ""
        _event(child, "The family commented on the draft plan", user, plan=version.plan,
               detail=preferred.strip())
        audit.record(user, child, audit.Action.CREATE, "Comments on draft EHC plan",
                     access.basis, version=version.pk)
        request = version.plan.request
        final = Step.objects.filter(plan=version.plan, kind__in=[Kind.FINAL_PLAN,
                                                                 Kind.AMENDED_PLAN],
                                    done_on__isnull=True).first() or (
            request.steps.filter(kind=Kind.FINAL_PLAN).first() if request else None)
        _tell(_caseworkers(request, child), child,
              f"Comments on the draft plan: {child.full_name}",
              "The family commented on the draft plan." + preferred,
              "Consider the comments, consult the setting and issue the final plan.",
              final.due if final else None)
        _tell(family_users(child), child, "We have your comments on the draft plan",
              "The council received your comments." + preferred,
              "The council considers them and consults the school or college.",
              final.due if final else None)
    return response


def do_sign_off(user: User, sign_off: SignOff, *, approve: bool, comment: str = "") -> SignOff:
    """The owning service signs off its sections, or asks for changes with a comment."""
    if not acts_for(user, sign_off.organisation_id):
        raise ProcessError("Only the service that owns these sections can sign them off")
    if not approve and not comment.strip():
        raise ProcessError("Say what needs to change")
    with transaction.atomic():
        sign_off = SignOff.objects.select_for_update(of=("self",)).select_related(
            "version__plan__child", "version__plan__request__caseworker", "organisation"
        ).get(pk=sign_off.pk)
        plan = sign_off.version.plan
        child = plan.child
        if latest_draft(plan) != sign_off.version or sign_off.status in (
            SignOff.Status.SIGNED_OFF, SignOff.Status.OVERRIDDEN
        ):
            raise ProcessError("This draft has already been signed off or replaced")
        on = today()
        sign_off.status = SignOff.Status.SIGNED_OFF if approve \
            else SignOff.Status.CHANGES_REQUESTED
        sign_off.comment, sign_off.by, sign_off.on = comment.strip(), user, on
        sign_off.save()
        outcome = "Signed off" if approve else CHANGES_REQUESTED
        _close(sign_off.steps.all(), on, outcome)
        area = lower_first(sign_off.get_area_display())
        _event(child, f"{sign_off.organisation}: {outcome.lower()} for {area}", user, plan=plan,
               detail=sign_off.comment)
        audit.record(user, child, audit.Action.UPDATE, "EHC plan sign-off", Basis.CASELOAD,
                     sign_off=sign_off.pk, approve=approve)
        _tell(_caseworkers(plan.request, child), child,
              f"{outcome}: {area} of {child.full_name}'s draft plan",
              f"{sign_off.organisation}: {outcome.lower()}. {sign_off.comment}".strip(),
              "Issue the final plan." if approve else "Revise the draft and send it again.",
              None)
    return sign_off


def do_consult_setting(user: User, plan: Plan, setting: Organisation) -> Consultation:
    """Consult the school or college the plan may name (CFA s.39(2)); reply before the final."""
    child = plan.child
    _require_caseworker(user, child)
    if setting.kind not in Organisation.EDUCATION_KINDS:
        raise ProcessError("Choose a school, college or early years setting")
    with transaction.atomic():
        if plan.status != Plan.Status.DRAFT or plan.request is None:
            raise ProcessError("Consult a setting while the plan is in draft")
        on = today()
        consultation = Consultation.objects.create(plan=plan, setting=setting, sent_on=on)
        _share_for_process(child, setting, StatutoryBasis.Basis.EHC_ASSESSMENT,
                           "Consulted on naming the setting in an EHC plan (CFA s.39)", user,
                           None, "Consultation on placement", on)
        final = plan.request.steps.filter(kind=Kind.FINAL_PLAN).first()
        _open_step(child, Kind.CONSULTATION, Step.Stage.DRAFT,
                   f"Reply to the consultation on a place at {setting}", on,
                   due=final.due if final else None, waiting_on=Waiting.ORGANISATION,
                   organisation=setting, caseworker=plan.caseworker, request=plan.request,
                   plan=plan)
        _event(child, f"The council asked {setting} whether it can meet the child's needs",
               user, plan=plan)
        audit.record(user, child, audit.Action.UPDATE, "EHC placement consultation",
                     Basis.CASELOAD, setting=setting.pk)
        _tell(routing.org_contacts(setting), child,
              f"Consultation on a place for {child.full_name}",
              "The council asks whether you can meet the child's needs (the draft plan is "
              "attached to the timeline).", "Reply to the consultation.",
              final.due if final else None)
    return consultation


def do_reply_to_consultation(user: User, consultation: Consultation, *, can_meet: bool,
                             comment: str = "") -> Consultation:
    child = consultation.plan.child
    if not (acts_for(user, consultation.setting_id) or is_caseworker_for(user, child)):
        raise ProcessError("Only the setting consulted can reply")
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.response != Consultation.Response.WAITING:
            raise ProcessError("The setting has already replied")
        on = today()
        consultation.response = Consultation.Response.CAN_MEET_NEEDS if can_meet \
            else Consultation.Response.CANNOT_MEET_NEEDS
        consultation.comment, consultation.responded_on = comment.strip(), on
        consultation.save()
        _close(Step.objects.filter(plan=consultation.plan, kind=Kind.CONSULTATION,
                                   waiting_on_organisation=consultation.setting), on,
               consultation.get_response_display())
        _event(child, f"{consultation.setting}: {consultation.get_response_display().lower()}",
               user, plan=consultation.plan, detail=consultation.comment)
        audit.record(user, child, audit.Action.UPDATE, "EHC placement consultation reply",
                     Basis.CASELOAD, consultation=consultation.pk)
        _tell(_caseworkers(consultation.plan.request, child), child,
              f"Consultation reply for {child.full_name}",
              f"{consultation.setting}: {consultation.get_response_display().lower()}.",
              "Name the setting and issue the final plan.", None)
    return consultation


def placement_text(setting: Organisation | None, setting_type: str) -> str:
    """Section I of a final plan: the name and type, or the type (reg 12(1))."""
    kind = SettingType(setting_type).label if setting_type in SettingType.values else ""
    if setting is not None:
        return f"{setting}" + (f" ({kind[0].lower() + kind[1:]})" if kind else "")
    return f"Type of school or other institution: {kind}" if kind else ""


def final_plan_facts(
    plan: Plan, draft: PlanVersion | None, on: date, *, sections: dict[str, str] | None = None,
    placement: tuple[Organisation | None, str] | None = None,
) -> completeness.FinalPlanFacts:
    """What `completeness` reads about a plan about to be finalised: the sections it will
    have, the placement chosen (setting or None, type; None: the plan's own so far), its
    consultations and the draft's service and the family's response. A few queries."""
    setting, kind = placement if placement is not None else (plan.named_setting,
                                                             plan.setting_type)
    final_sections = dict(sections if sections is not None else
                          (draft.sections if draft is not None else {}))
    final_sections["I"] = placement_text(setting, kind)
    responses = DraftResponse.objects.filter(version__plan=plan)
    asked = {name.strip().lower() for name in responses.values_list("preferred_setting",
                                                                    flat=True) if name.strip()}
    requested = _requested_settings(asked)
    return completeness.FinalPlanFacts(
        sections=final_sections, today=on,
        draft_served_on=draft.served_on if draft is not None else None,
        family_commented=draft is not None and draft.responses.exists(),
        named_setting_id=setting.pk if setting is not None else None,
        named_setting_name=str(setting) if setting is not None else "",
        setting_type=kind,
        consulted=[completeness.Consulted(c.setting_id, str(c.setting))
                   for c in plan.consultations.select_related("setting")],
        requested=requested,
    )


def _requested_settings(names: set[str]) -> list[tuple[int, str]]:
    """Schools and colleges on record whose name is one the family asked for."""
    if not names:
        return []
    query = Q()
    for name in names:
        query |= Q(name__iexact=name)
    return list(Organisation.objects.filter(query, kind__in=Organisation.EDUCATION_KINDS)
                .order_by("name").values_list("pk", "name"))


def do_issue_final_plan(
    user: User, request: AssessmentRequest, *, sections: dict[str, str] | None = None,
    override_reason: str = "", named_setting: Organisation | None = None,
    setting_type: str = "", quality_reason: str = "",
) -> PlanVersion:
    """The final plan (reg 13(2), 20 weeks), refused while it lacks anything the law requires
    (`ehc.completeness`, which has no override). Section I is written here from the setting
    named and its type. Unsigned health or social care sections need a SEND manager's
    override with a reason, which the timeline shows: sign-off is the partnership's own
    practice, not the law's. The advisory quality findings (`ehc.quality`) do not stop it,
    but any still open need `quality_reason`, kept against each of them."""
    child = request.child
    _require_caseworker(user, child)
    if setting_type and setting_type not in SettingType.values:
        raise ProcessError("Choose the type of school or other institution from the list")
    if named_setting is not None and named_setting.kind not in Organisation.EDUCATION_KINDS:
        raise ProcessError("Choose a school, college or early years setting to name")
    with transaction.atomic():
        request = AssessmentRequest.objects.select_for_update().get(pk=request.pk)
        if request.stage != Stage.DRAFT_ISSUED:
            raise ProcessError("Send a draft plan before issuing the final plan")
        plan = Plan.objects.select_for_update().get(request=request)
        draft = latest_draft(plan)
        assert draft is not None
        on = today()
        # Section I is what is chosen now (None: no setting named, the type alone).
        facts = final_plan_facts(plan, draft, on, sections=sections,
                                 placement=(named_setting, setting_type))
        findings = completeness.final_plan_findings(facts)
        if findings:
            raise IncompletePlan(findings)
        _consider_open_findings_at_issue(user, child, plan, dict(facts.sections), on,
                                         quality_reason)
        unsigned = list(draft.sign_offs.exclude(status=SignOff.Status.SIGNED_OFF))
        if unsigned:
            names = ", ".join(lower_first(s.get_area_display()) for s in unsigned)
            if not override_reason.strip():
                raise ProcessError(f"Not yet signed off: {names}. A SEND manager can finalise "
                                   f"with a reason")
            if not is_send_manager_for(user, child):
                raise ProcessError("Only a SEND manager can finalise without sign-off")
            for s in unsigned:
                s.status = SignOff.Status.OVERRIDDEN
                s.override_reason, s.by, s.on = override_reason.strip(), user, on
                s.save()
                _close(s.steps.all(), on, "Manager override")
            _event(child, f"A SEND manager finalised the plan without sign-off of {names}",
                   user, plan=plan, detail=f"Reason: {override_reason.strip()}")
        plan.named_setting = named_setting
        plan.setting_type = facts.setting_type
        plan.eotas = plan.eotas or facts.setting_type == SettingType.EOTAS
        final = _new_version(plan, PlanVersion.Kind.FINAL, dict(facts.sections), user, on)
        plan.status, plan.issued_on = Plan.Status.ACTIVE, on
        _note_child_at_plan(plan, child)
        plan.save(update_fields=["status", "issued_on", "named_setting", "setting_type",
                                 "eotas", "primary_need_at_plan", "setting_at_plan"])
        request.stage = Stage.FINAL_ISSUED
        request.save(update_fields=["stage"])
        _close(request.steps.filter(kind=Kind.FINAL_PLAN), on, "Final plan issued")
        _close(request.steps.all(), on, "No longer needed: the final plan was issued",
               cancelled=True)
        appeal = clock.due("appeal_deadline", on)
        Decision.objects.create(child=child, request=request, plan=plan,
                                kind=Decision.Kind.FINAL_PLAN, decided_by=user,
                                notice_sent_on=on, appeal_deadline=appeal)
        _set_send_status(child, Child.SendStatus.EHC_PLAN)
        StatutoryBasis.objects.create(
            child=child, organisation=routing.send_team(child.local_authority),
            basis=StatutoryBasis.Basis.EHC_PLAN, reason="EHC plan issued", recorded_by=user,
            start=on,
        )
        _end_process_sharing(child, on, user)  # the assessment is over (see its docstring)
        review = _schedule_review(plan, on)
        final_step = request.steps.filter(kind=Kind.FINAL_PLAN).first()
        late = final_step.days_late(on) if final_step else 0
        _event(child, "The council issued the final EHC plan", user, request=request, plan=plan,
               detail=(f"{late} day(s) after the 20-week limit." if late else
                       "Within the 20 weeks the law allows.")
               + f" You can appeal until {fmt(appeal)}.")
        audit.record(user, child, audit.Action.CREATE, "Final EHC plan", Basis.CASELOAD,
                     version=final.pk)
        contributors = [u for a in request.advice_requests.select_related("adviser",
                                                                          "organisation")
                        for u in routing.org_contacts(a.organisation, a.adviser)]
        # The named school or college gets the plan too (CFA s.39(8), s.40(5)).
        if plan.named_setting is not None:
            contributors += routing.org_contacts(plan.named_setting)
        _tell(family_users(child) + contributors, child, "The final EHC plan has been issued",
              f"The council issued {child.full_name}'s final EHC plan on {fmt(on)}.",
              dates.deadline(review.due_by, on, "The plan will be reviewed by {date}. ",
                             "The plan's review was due by {date}. ")
              + f"If you disagree with it you can appeal until {fmt(appeal)}.", review.due_by)
    return final


# ----- annual reviews and amendments -----


def transfer_for(child: Child, on: date) -> tuple[str, int] | None:
    """The phase transfer (type, calendar year) in the 12 months after `on`, if any.

    Moves happen in September; a child's school year follows their age on 31 August.
    """
    year = on.year + (1 if on >= date(on.year, 9, 1) else 0)
    moves = {4: "early_years_to_school", 11: "school_phase", 16: "secondary_to_post16"}
    age = child.age_on(date(year, 8, 31))
    if age in moves:
        return moves[age], year
    return None


def _schedule_review(plan: Plan, start: date) -> Review:
    child = plan.child
    due_by = clock.due("annual_review", start)
    assert due_by is not None
    transfer = transfer_for(child, start)
    review = Review.objects.create(
        plan=plan, child=child, due_by=due_by,
        transfer_type=transfer[0] if transfer else "",
        transfer_year=transfer[1] if transfer else None,
    )
    team = routing.send_team(child.local_authority)
    _open_step(child, Kind.ANNUAL_REVIEW, Step.Stage.REVIEW, "Hold the annual review", start,
               clock_name="annual_review", organisation=team, caseworker=plan.caseworker,
               plan=plan, review=review)
    if transfer:
        _open_step(child, Kind.PHASE_TRANSFER, Step.Stage.REVIEW,
                   "Review and amend the plan before the move to the next phase", start,
                   clock_name="phase_transfer", organisation=team, caseworker=plan.caseworker,
                   plan=plan, review=review,
                   facts={"transfer_type": transfer[0], "transfer_year": transfer[1]})
    return review


def _require_review(user: User, review: Review, *stages: str) -> None:
    _require_caseworker(user, review.child)
    if review.stage not in stages:
        raise ProcessError("The review is not at that stage")


def do_schedule_review_meeting(user: User, review: Review, *, meeting_on: date,
                               invited: str) -> Review:
    """Arrange the meeting; reports must go to everyone invited 2 weeks before it."""
    _require_review(user, review, Review.Stage.SCHEDULED)
    on = today()
    error = dates.check(dates.MEETING, meeting_on, "Date of the review meeting", on)
    if error:
        raise ProcessError(error)
    with transaction.atomic():
        child = review.child
        review.meeting_on, review.invited = meeting_on, invited.strip()
        review.save(update_fields=["meeting_on", "invited"])
        _close(review.steps.filter(kind=Kind.REVIEW_REPORTS), on, "Meeting moved",
               cancelled=True)
        reports_by = clock.review_reports_latest(meeting_on)
        _open_step(child, Kind.REVIEW_REPORTS, Step.Stage.REVIEW,
                   "Send reports to everyone invited to the review meeting", on,
                   due=reports_by, organisation=routing.send_team(child.local_authority),
                   caseworker=review.plan.caseworker, plan=review.plan, review=review)
        _event(child, f"Annual review meeting arranged for {fmt(meeting_on)}", user,
               plan=review.plan, detail=f"Invited: {review.invited}" if review.invited else "")
        audit.record(user, child, audit.Action.UPDATE, "EHC annual review", Basis.CASELOAD,
                     review=review.pk)
        # A meeting less than 2 weeks away: the reports are already late, and the family is
        # told so, not that they "will be sent by" a day that has gone.
        _tell(family_users(child), child, "Your annual review meeting is arranged",
              f"The review meeting is on {fmt(meeting_on)}.",
              dates.deadline(reports_by, on, "Reports will be sent to you by {date}, 2 weeks "
                             "before the meeting.",
                             "Reports were due to be sent to you by {date}, 2 weeks before "
                             "the meeting: the council will send them as soon as it can."),
              meeting_on)
    return review


def do_circulate_review_reports(user: User, review: Review) -> Review:
    _require_review(user, review, Review.Stage.SCHEDULED)
    with transaction.atomic():
        if not _close(review.steps.filter(kind=Kind.REVIEW_REPORTS), today(), "Sent"):
            raise ProcessError("Arrange the meeting first")
        _event(review.child, "Reports for the review meeting were sent to everyone invited",
               user, plan=review.plan)
        audit.record(user, review.child, audit.Action.UPDATE, "EHC annual review",
                     Basis.CASELOAD, review=review.pk)
    return review


def do_hold_review_meeting(user: User, review: Review, *, held_on: date) -> Review:
    """The review meeting: the plan counts as reviewed; the decision is due within 4 weeks."""
    _require_review(user, review, Review.Stage.SCHEDULED)
    error = dates.check(dates.PAST_EVENT, held_on, "Date the meeting was held", today())
    if error:
        raise ProcessError(error)
    with transaction.atomic():
        child, plan = review.child, review.plan
        review.meeting_on, review.stage = held_on, Review.Stage.MEETING_HELD
        review.save(update_fields=["meeting_on", "stage"])
        plan.last_reviewed_on = held_on
        plan.save(update_fields=["last_reviewed_on"])
        _close(review.steps.filter(kind=Kind.ANNUAL_REVIEW), held_on, "Review meeting held")
        _close(review.steps.filter(kind=Kind.REVIEW_REPORTS), held_on, "Meeting held",
               cancelled=True)
        step = _open_step(child, Kind.REVIEW_DECISION, Step.Stage.REVIEW,
                          "Tell the family whether the plan will be kept, amended or ceased",
                          held_on, clock_name="review_decision_notice",
                          organisation=routing.send_team(child.local_authority),
                          caseworker=plan.caseworker, plan=plan, review=review)
        _event(child, "The annual review meeting was held", user, plan=plan, on=held_on)
        audit.record(user, child, audit.Action.UPDATE, "EHC annual review", Basis.CASELOAD,
                     review=review.pk)
        _tell(family_users(child), child, "The annual review meeting was held",
              f"The review meeting took place on {fmt(held_on)}.",
              dates.deadline(step.due, today(), "The council will tell you by {date} whether "
                             "it will keep, amend or stop the plan.",
                             "The council had to tell you by {date} whether it will keep, "
                             "amend or stop the plan: it is late, and will tell you as soon "
                             "as it can."), step.due)
    return review


def do_decide_review(user: User, review: Review, *, outcome: str, reasons: str = "",
                     proposed: dict[str, str] | None = None) -> Decision:
    """The decision after a review (reg 20(10)): maintain, amend (with the proposed amendments,
    reg 22) or cease (reg 31)."""
    _require_review(user, review, Review.Stage.MEETING_HELD)
    if outcome not in Review.Outcome.values:
        raise ProcessError("Choose keep, amend or cease")
    if outcome != Review.Outcome.MAINTAIN and not reasons.strip():
        raise ProcessError("Give the reasons for the decision")
    with transaction.atomic():
        child, plan = review.child, review.plan
        on = today()
        assert review.meeting_on is not None
        _close(review.steps.filter(kind=Kind.REVIEW_DECISION), on, Review.Outcome(outcome).label)
        review.outcome, review.decision_notice_on = outcome, on
        appeal = None if outcome == Review.Outcome.AMEND else clock.due("appeal_deadline", on)
        decision = Decision.objects.create(
            child=child, plan=plan, kind=outcome, reasons=reasons.strip(), decided_by=user,
            notice_sent_on=on, appeal_deadline=appeal,
        )
        what_next: str
        by_when: date | None
        if outcome == Review.Outcome.MAINTAIN:
            review.stage, review.completed_on = Review.Stage.DONE, on
            _close(review.steps.filter(kind=Kind.PHASE_TRANSFER), on, "Plan kept as it is")
            nxt = _schedule_review(plan, review.meeting_on)
            what_next = dates.deadline(nxt.due_by, on, "The next review is due by {date}.",
                                       "The next review was due by {date}: the council will "
                                       "arrange it as soon as it can.")
            by_when = nxt.due_by
        elif outcome == Review.Outcome.AMEND:
            review.stage, review.amendment_notice_on = Review.Stage.AMENDING, on
            current = plan.versions.order_by("-number").first()
            sections = dict(current.sections) if current else {}
            sections.update(proposed or {})
            _new_version(plan, PlanVersion.Kind.AMENDMENT_DRAFT, sections, user, on)
            ends = clock.due("draft_comment_end", on)
            _open_step(child, Kind.REPRESENTATIONS, Step.Stage.AMENDMENT,
                       "Comment on the proposed amendments", on,
                       clock_name="draft_comment_end", waiting_on=Waiting.FAMILY,
                       caseworker=plan.caseworker, plan=plan, review=review)
            amended = _open_step(child, Kind.AMENDED_PLAN, Step.Stage.AMENDMENT,
                                 "Issue the amended plan", on, clock_name="amended_plan",
                                 organisation=routing.send_team(child.local_authority),
                                 caseworker=plan.caseworker, plan=plan, review=review)
            what_next = (dates.deadline(ends, on, "Tell us what you think of the proposed "
                                        "amendments by {date}. ",
                                        "The time to comment on the amendments ended on "
                                        "{date}. ")
                         + dates.deadline(amended.due, on, "The amended plan is due by {date}.",
                                          "The amended plan was due by {date}."))
            by_when = ends
        else:
            review.stage, review.completed_on = Review.Stage.DONE, on
            plan.status, plan.ceased_on = Plan.Status.CEASED, on
            plan.save(update_fields=["status", "ceased_on"])
            _close(plan.steps.all(), on, "Plan ceased", cancelled=True)
            _set_send_status(child, Child.SendStatus.SEN_SUPPORT)
            what_next = (f"You can ask for mediation and appeal to the SEND Tribunal until "
                         f"{fmt(appeal)}.")
            by_when = appeal
        review.save()
        label = Decision.Kind(outcome).label
        _event(child, f"After the annual review, the council {label[0].lower() + label[1:]}",
               user, plan=plan, detail=reasons.strip())
        audit.record(user, child, audit.Action.UPDATE, "EHC annual review decision",
                     Basis.CASELOAD, review=review.pk, outcome=outcome)
        _tell(family_users(child), child, "The decision after the annual review",
              f"The council {label[0].lower() + label[1:]}.", what_next, by_when)
    return decision


def _note_child_at_plan(plan: Plan, child: Child) -> None:
    """What the plan was written for (the child's primary need and setting), so a change
    since without an amendment shows the plan is out of date (`ehc.stale`)."""
    plan.primary_need_at_plan = child.primary_need
    plan.setting_at_plan_id = child.setting_id


def do_issue_amended_plan(user: User, review: Review,
                          sections: dict[str, str] | None = None) -> PlanVersion:
    """The final amended plan (reg 22(3), 8 weeks from the notice)."""
    _require_review(user, review, Review.Stage.AMENDING)
    with transaction.atomic():
        child, plan = review.child, review.plan
        draft = latest_draft(plan)
        assert draft is not None and review.amendment_notice_on is not None
        on = today()
        ends = clock.due("draft_comment_end", review.amendment_notice_on)
        assert ends is not None
        if on <= ends and not draft.responses.exists():
            raise ProcessError(f"The family has until {fmt(ends)} to comment on the "
                               f"amendments")
        version = _new_version(plan, PlanVersion.Kind.AMENDED_FINAL,
                               sections or draft.sections, user, on)
        _note_child_at_plan(plan, child)
        plan.save(update_fields=["primary_need_at_plan", "setting_at_plan"])
        _close(review.steps.filter(kind__in=[Kind.AMENDED_PLAN, Kind.PHASE_TRANSFER]), on,
               "Amended plan issued")
        _close(review.steps.all(), on, "No longer needed: the amended plan was issued",
               cancelled=True)
        review.stage, review.completed_on = Review.Stage.DONE, on
        review.save(update_fields=["stage", "completed_on"])
        appeal = clock.due("appeal_deadline", on)
        Decision.objects.create(child=child, plan=plan, kind=Decision.Kind.AMENDED_PLAN,
                                decided_by=user, notice_sent_on=on, appeal_deadline=appeal)
        assert review.meeting_on is not None
        nxt = _schedule_review(plan, review.meeting_on)
        _event(child, "The council issued the amended EHC plan", user, plan=plan,
               detail=f"You can appeal until {fmt(appeal)}.")
        audit.record(user, child, audit.Action.CREATE, "Amended EHC plan", Basis.CASELOAD,
                     version=version.pk)
        _tell(family_users(child), child, "The amended EHC plan has been issued",
              "The council issued the amended plan.",
              f"You can appeal until {fmt(appeal)}. "
              + dates.deadline(nxt.due_by, on, "The next review is due by {date}.",
                               "The next review was due by {date}: the council will arrange "
                               "it as soon as it can."), nxt.due_by)
    return version


def do_set_eotas(user: User, plan: Plan, *, eotas: bool) -> Plan:
    """Flag a plan whose provision is made otherwise than in a school (CFA s.61)."""
    _require_caseworker(user, plan.child)
    with transaction.atomic():
        plan.eotas = eotas
        plan.save(update_fields=["eotas"])
        _event(plan.child, "Education otherwise than at school (EOTAS) recorded" if eotas
               else "EOTAS flag removed", user, plan=plan)
        audit.record(user, plan.child, audit.Action.UPDATE, "EHC plan EOTAS", Basis.CASELOAD,
                     plan=plan.pk, eotas=eotas)
    return plan


# ----- exceptions and appeals -----


def do_record_exception(user: User, step: Step, *, exception: str, reason: str) -> Step:
    """An exception to a time limit (regs 5(4), 8(2), 10(4), 13(3)): the clock stops applying,
    and measures leave the case out, as the DfE measure does."""
    _require_caseworker(user, step.child)
    allowed = clock.CLOCKS[step.clock].exceptions if step.clock in clock.CLOCKS else ()
    if exception not in allowed:
        raise ProcessError("That exception does not apply to this time limit")
    if not reason.strip():
        raise ProcessError("Say why the exception applies")
    with transaction.atomic():
        step = Step.objects.select_for_update().get(pk=step.pk)
        if not step.is_open:
            raise ProcessError("This step is already done")
        step.exception, step.exception_reason = exception, reason.strip()
        step.due = clock.due(step.clock, step.start, exception=exception)
        step.save(update_fields=["exception", "exception_reason", "due"])
        _event(step.child, f"Time limit lifted for “{step.title}” ({exception})", user,
               request=step.request, plan=step.plan,
               detail=f"{clock.EXCEPTIONS[exception].capitalize()}. {reason.strip()}")
        audit.record(user, step.child, audit.Action.UPDATE, "EHC time limit exception",
                     Basis.CASELOAD, step=step.pk, exception=exception)
        _tell(family_users(step.child), step.child, "A time limit no longer applies",
              f"“{step.title}” no longer has a fixed date because {exception} applies: "
              f"{reason.strip()}", "The council will still do this as soon as it can.", None)
    return step


def do_record_appeal_event(user: User, decision: Decision, *, kind: str, on: date,
                           note: str = "") -> AppealEvent:
    """Mediation and Tribunal events against the decision they challenge (r.20)."""
    _require_caseworker(user, decision.child)
    if kind not in AppealEvent.Kind.values:
        raise ProcessError("Choose what happened")
    if not decision.appealable:
        raise ProcessError("This decision cannot be appealed")
    error = dates.check(dates.PAST_EVENT, on, "Date", today())
    if error:
        raise ProcessError(error)
    with transaction.atomic():
        event = AppealEvent.objects.create(decision=decision, kind=kind, on=on,
                                           note=note.strip(), recorded_by=user)
        if kind == AppealEvent.Kind.MEDIATION_CERTIFICATE:
            decision.appeal_deadline = clock.due("appeal_deadline", decision.notice_sent_on,
                                                 mediation_certificate=on)
            decision.save(update_fields=["appeal_deadline"])
        _event(decision.child, f"{event.get_kind_display()} ({decision.get_kind_display()})",
               user, on=on, request=decision.request, plan=decision.plan,
               detail=(note.strip() + (f" The appeal deadline is now "
                                       f"{fmt(decision.appeal_deadline)}."
                                       if kind == AppealEvent.Kind.MEDIATION_CERTIFICATE
                                       else "")).strip())
        audit.record(user, decision.child, audit.Action.UPDATE, "EHC appeal", Basis.CASELOAD,
                     decision=decision.pk, kind=kind)
    return event



# ----- plan quality: findings considered, with a reason -----


class OpenFindings(ProcessError):
    """Issuing a plan whose quality findings are still open, without saying why."""

    def __init__(self, count: int) -> None:
        super().__init__(
            f"{count} quality finding{'s are' if count != 1 else ' is'} still open: fix "
            f"{'them' if count != 1 else 'it'}, mark {'each' if count != 1 else 'it'} as "
            "considered, or give a reason for issuing the plan with "
            f"{'them' if count != 1 else 'it'}")
        self.count = count


def _considered_row(plan: Plan, finding: quality.Finding, reason: str, user: User, on: date,
                    at_issue: bool = False) -> ConsideredFinding:
    return ConsideredFinding(plan=plan, key=finding.key, code=finding.code,
                             section=finding.section, trigger=finding.trigger[:200],
                             reason=reason.strip(), at_issue=at_issue, by=user, on=on)


def do_consider_findings(user: User, plan: Plan,
                         reasons: Iterable[tuple[quality.Finding, str]]) -> int:
    """Mark quality findings as considered, each with the caseworker's reason (a blank reason
    leaves the finding open). Returns how many were marked."""
    child = plan.child
    _require_caseworker(user, child)
    on = today()
    rows = [_considered_row(plan, f, reason, user, on) for f, reason in reasons
            if reason.strip()]
    if not rows:
        return 0
    with transaction.atomic():
        ConsideredFinding.objects.bulk_create(rows)
        audit.record(user, child, audit.Action.UPDATE, "EHC plan quality findings considered",
                     Basis.CASELOAD, plan=plan.pk, findings=[r.key for r in rows])
    return len(rows)


def _consider_open_findings_at_issue(user: User, child: Child, plan: Plan,
                                     sections: dict[str, str], on: date, reason: str) -> None:
    """Inside `do_issue_final_plan`'s transaction: open findings need the reason, which is
    kept against each of them and in the audit log."""
    still_open = quality_facts.plan_quality(plan, sections, on, final=True,
                                            child=child).open
    if not still_open:
        return
    if not reason.strip():
        raise OpenFindings(len(still_open))
    ConsideredFinding.objects.bulk_create(
        [_considered_row(plan, c.finding, reason, user, on, at_issue=True) for c in still_open])
    audit.record(user, child, audit.Action.UPDATE,
                 "EHC plan issued with quality findings open", Basis.CASELOAD, plan=plan.pk,
                 reason=reason.strip(), findings=[c.finding.key for c in still_open])


# ----- personal budgets (section J) and EOTAS packages -----

BUDGET_FIELDS = ("status", "kind", "provision_covered", "amount", "period", "requested_on",
                 "decided_on", "reasons", "review", "review_asked_on", "review_decided_on",
                 "review_reasons")
EOTAS_FIELDS = ("providers", "hours_a_week", "provision", "cost_a_year", "overseer",
                "started_on", "review_every_weeks", "last_reviewed_on")


class EditedElsewhere(ProcessError):
    """A form posted against an older edition of the record: someone else changed it."""


def _check_edition(current: int, posted: int | None) -> None:
    if posted is not None and posted != current:
        raise EditedElsewhere("Someone else changed this while you were editing it: your "
                              "changes were not saved. Check their changes, then make yours "
                              "again")


def do_record_personal_budget(user: User, plan: Plan, data: dict[str, Any],
                              budget: PersonalBudget | None = None) -> PersonalBudget:
    """Record a personal budget request, its decision or the review of a refusal (section J),
    with the family told of a decision and the timeline saying what changed."""
    child = plan.child
    _require_caseworker(user, child)
    with transaction.atomic():
        if budget is None:
            budget = PersonalBudget(plan=plan, recorded_by=user)
            before = ""
        else:
            budget = PersonalBudget.objects.select_for_update().get(pk=budget.pk)
            if budget.plan_id != plan.pk:
                raise ProcessError("This budget belongs to another plan")
            _check_edition(budget.edition, data.get("edition"))
            before = f"{budget.status}/{budget.review}"
            budget.edition += 1
        for name in BUDGET_FIELDS:
            value = data.get(name)
            setattr(budget, name, value if value is not None else (
                None if name in ("amount", "requested_on", "decided_on", "review_asked_on",
                                 "review_decided_on") else ""))
        budget.recorded_by = user
        budget.save()
        after = f"{budget.status}/{budget.review}"
        if after != before:
            summary = {
                PersonalBudget.Status.NOT_REQUESTED: "Recorded that no personal budget was "
                                                     "asked for",
                PersonalBudget.Status.REQUESTED: "The family asked for a personal budget",
                PersonalBudget.Status.AGREED: "The council agreed a personal budget",
                PersonalBudget.Status.REFUSED: "The council refused a personal budget",
            }[PersonalBudget.Status(budget.status)]
            if budget.review:
                summary = PersonalBudget.Review(budget.review).label
            _event(child, summary, user, plan=plan,
                   detail=(budget.review_reasons or budget.reasons)[:1000])
            if budget.status in (PersonalBudget.Status.AGREED, PersonalBudget.Status.REFUSED):
                _tell(family_users(child), child, f"Personal budget: {summary.lower()}",
                      summary + (f". Reasons: {budget.reasons}" if budget.reasons else "."),
                      "If you disagree with a refusal you can ask the council to review it.",
                      None)
        audit.record(user, child, audit.Action.CREATE if before == "" else audit.Action.UPDATE,
                     "EHC plan personal budget", Basis.CASELOAD, plan=plan.pk,
                     budget=budget.pk, status=budget.status, review=budget.review)
    return budget


def do_record_eotas_package(user: User, plan: Plan, data: dict[str, Any],
                            package: EotasPackage | None = None) -> EotasPackage:
    """Record or change an EOTAS package; a review held is recorded here too. Only a SEND
    manager sets how often packages are reviewed."""
    child = plan.child
    _require_caseworker(user, child)
    if not plan.eotas:
        raise ProcessError("Record that the plan's provision is made otherwise than at school "
                           "(EOTAS) before adding a package")
    with transaction.atomic():
        if package is None:
            package = EotasPackage(plan=plan)
            old_period, old_review = None, None
        else:
            package = EotasPackage.objects.select_for_update().get(pk=package.pk)
            if package.plan_id != plan.pk:
                raise ProcessError("This package belongs to another plan")
            _check_edition(package.edition, data.get("edition"))
            old_period, old_review = package.review_every_weeks, package.last_reviewed_on
            package.edition += 1
        period = data.get("review_every_weeks") or package.review_every_weeks
        if period != (old_period or 12) and not is_send_manager_for(user, child):
            raise ProcessError("Only a SEND manager can change how often the package is "
                               "reviewed")
        for name in EOTAS_FIELDS:
            if name in data:
                setattr(package, name, data[name])
        package.review_every_weeks = period
        package.save()
        if old_period is None:
            _event(child, "The council recorded an education package otherwise than at school "
                   "(EOTAS)", user, plan=plan)
        elif package.last_reviewed_on and package.last_reviewed_on != old_review:
            _event(child, "The EOTAS package was reviewed", user, plan=plan,
                   on=package.last_reviewed_on)
        audit.record(user, child, audit.Action.CREATE if old_period is None
                     else audit.Action.UPDATE, "EHC plan EOTAS package", Basis.CASELOAD,
                     plan=plan.pk, package=package.pk)
    return package
