"""The EHC process over the API: a child's timeline, requests, advice and the worklist,
scoped by the access policy and audited exactly as the pages are."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from tellonce import signed_in
from tellonce.access import audit
from tellonce.access.policy import Basis, caseload_authorities, get_child_or_404
from tellonce.api.auth import StaffToken
from tellonce.api.errors import responses
from tellonce.ehc import actions, clock, queries
from tellonce.ehc.actions import ProcessError
from tellonce.ehc.models import AdviceRequest, AssessmentRequest, Step
from tellonce.ehc.policy import acts_for, may_request_assessment
from tellonce.listing import MAX_PAGE

router = Router(auth=StaffToken(), tags=["EHC process"])
MAX_PER_PAGE = 100



class StepOut(Schema):
    id: int
    kind: str
    stage: str
    title: str
    start: date
    due: date | None = Field(None, description="Last day in time (ehc.clock); null: no limit")
    status: str = Field(..., description="done, done_late, waiting, late, ended, "
                                          "no_deadline or cancelled")
    status_text: str
    days_late: int
    waiting_on: str
    exception: str
    done_on: date | None


class EventOut(Schema):
    on: date
    summary: str
    detail: str
    by: str


class DecisionOut(Schema):
    id: int
    kind: str
    notice_sent_on: date
    reasons: str
    appeal_deadline: date | None


class TimelineOut(Schema):
    child_id: UUID
    what_happens_next: str
    steps: list[StepOut]
    decisions: list[DecisionOut]
    events: list[EventOut]


def _step_out(view: queries.StepView, today: date) -> dict[str, object]:
    step = view.step
    return {
        "id": step.pk, "kind": step.kind, "stage": step.stage, "title": step.title,
        "start": step.start, "due": step.due, "status": view.state, "status_text": view.words,
        "days_late": step.days_late(today), "waiting_on": step.waiting_on_label(),
        "exception": step.exception, "done_on": step.done_on,
    }


@router.get("/children/{child_id}/timeline", response=responses({200: TimelineOut}),
            summary="A child's EHC timeline: every step, its legal due date and status")
def get_timeline(request: HttpRequest, child_id: UUID) -> dict[str, object]:
    user = signed_in.user(request)
    child, access = get_child_or_404(user, child_id)
    today = actions.today()
    t = queries.timeline(child, today, family=access.is_family)
    audit.record(user, child, audit.Action.VIEW, "API: EHC timeline", access.basis)
    return {
        "child_id": child.pk, "what_happens_next": t.what_next,
        "steps": [_step_out(v, today) for v in t.steps],
        "decisions": [{"id": d.pk, "kind": d.kind, "notice_sent_on": d.notice_sent_on,
                       "reasons": d.reasons, "appeal_deadline": d.appeal_deadline}
                      for d in t.decisions],
        "events": [{"on": e.on, "summary": e.summary, "detail": e.detail,
                    "by": e.by_description} for e in t.events],
    }


class RequestIn(Schema):
    reasons: str = Field(..., min_length=1, max_length=10_000)
    family_agreed: bool | None = Field(
        None, description="Whether the parent or young person agrees to the request: a "
        "school or setting must say (CFA s.36(1), SEND Code of Practice 9.9)",
    )


class RequestOut(Schema):
    id: int
    child_id: UUID
    requester: str
    received_on: date
    stage: str
    decision_due: date | None
    final_plan_due: date | None


def _request_out(ehc_request: AssessmentRequest) -> dict[str, object]:
    step = ehc_request.steps.filter(kind=Step.Kind.ASSESSMENT_DECISION).first()
    return {
        "id": ehc_request.pk, "child_id": ehc_request.child_id,
        "requester": ehc_request.requester, "received_on": ehc_request.received_on,
        "stage": ehc_request.stage, "decision_due": step.due if step else None,
        "final_plan_due": clock.due("final_plan", ehc_request.received_on),
    }


@router.post("/children/{child_id}/requests", response=responses({201: RequestOut}, 409),
             summary="Request an EHC needs assessment (the child's school or setting)")
def post_request(request: HttpRequest, child_id: UUID,
                 payload: RequestIn) -> Status:
    user = signed_in.user(request)
    child, access = get_child_or_404(user, child_id)
    if not may_request_assessment(user, child, access):
        raise Http404("Not Found")
    try:
        ehc_request = actions.do_request_assessment(user, child, access,
                                                    reasons=payload.reasons,
                                                    family_agreed=payload.family_agreed)
    except ProcessError as error:
        raise HttpError(409, str(error)) from None
    return Status(201, _request_out(ehc_request))


class AdviceOut(Schema):
    id: int
    child_id: UUID
    kind: str
    organisation: str
    received_on: date
    due: date | None
    status: str


def _advice_out(advice: AdviceRequest, due: date | None) -> dict[str, object]:
    return {"id": advice.pk, "child_id": advice.request.child_id, "kind": advice.kind,
            "organisation": advice.organisation.name, "received_on": advice.sent_on,
            "due": due, "status": advice.status}


@router.get("/advice", response=responses({200: list[AdviceOut]}),
            summary="Open advice requests to the caller (or their team)")
def list_advice(request: HttpRequest,
                page: int = Query(1, ge=1, le=MAX_PAGE)) -> list[dict[str, object]]:
    user = signed_in.user(request)
    # The same steps as the "asked of me" page: named for the caller, or their team's.
    steps = (
        queries.asked_of(user, actions.today()).filter(kind=Step.Kind.ADVICE)
        .select_related("advice__organisation", "advice__request")
        .order_by("due", "pk")[(page - 1) * MAX_PER_PAGE: page * MAX_PER_PAGE]
    )
    found = [s for s in steps if s.advice is not None]
    audit.record_list(user, "API: advice requests", "Own advice requests",
                      [s.child_id for s in found], results=len(found))
    return [_advice_out(s.advice, s.due) for s in found if s.advice is not None]


class AdviceIn(Schema):
    needs: str = Field("", max_length=10_000)
    outcomes: str = Field("", max_length=10_000)
    provision: str = Field("", max_length=10_000)
    nil_reason: str = Field("", max_length=10_000,
                            description="A reasoned nil return instead of advice")


@router.post("/advice/{advice_id}", response=responses({200: AdviceOut}, 409),
             summary="Give advice (needs, outcomes, provision) or a reasoned nil return")
def post_advice(request: HttpRequest, advice_id: int,
                payload: AdviceIn) -> Status:
    user = signed_in.user(request)
    advice = AdviceRequest.objects.select_related("request", "organisation").filter(
        pk=advice_id).first()
    if advice is None:
        raise Http404("Not Found")
    get_child_or_404(user, advice.request.child_id)
    if not acts_for(user, advice.organisation_id, advice.adviser_id):
        raise Http404("Not Found")
    try:
        advice = actions.do_give_advice(user, advice, **payload.dict())
    except ProcessError as error:
        raise HttpError(422 if "Describe" in str(error) else 409, str(error)) from None
    step = advice.steps.first()
    return Status(200, _advice_out(advice, step.due if step else None))


class WorklistPage(Schema):
    total_items: int
    page: int
    per_page: int
    items: list[StepOut]


@router.get("/worklist", response=responses({200: WorklistPage}),
            summary="Open steps across the caller's EHC caseload (SEND caseworkers)")
def get_worklist(request: HttpRequest, page: int = Query(1, ge=1, le=MAX_PAGE),
                 per_page: int = Query(50, ge=1, le=MAX_PER_PAGE),
                 lateness: str = "") -> dict[str, object]:
    user = signed_in.user(request)
    if not caseload_authorities(user):
        raise Http404("Not Found")
    today = actions.today()
    steps = queries.filter_worklist(queries.worklist_steps(user, today),
                                    {"lateness": lateness}, user, today).order_by("due", "pk")
    total = steps.count()
    shown = list(steps[(page - 1) * per_page: page * per_page])
    items = [_step_out(queries.describe_step(s, today), today) for s in shown]
    audit.record_list(user, "API: EHC worklist", Basis.CASELOAD,
                      [s.child_id for s in shown], results=total)
    return {"total_items": total, "page": page, "per_page": per_page, "items": items}
