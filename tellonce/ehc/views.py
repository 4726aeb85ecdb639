"""Pages of the EHC process: thin views that parse input, call one action or query, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import redirect, render
from django.urls import reverse

from tellonce import csvexport, posted, signed_in
from tellonce.access import audit
from tellonce.access.policy import Basis, ChildAccess, caseload_authorities, get_child_or_404
from tellonce.ehc import actions, budgets, completeness, forms, pdf, quality_facts, queries, stale
from tellonce.ehc.actions import EvidenceError, ProcessError
from tellonce.ehc.models import (
    DUE_NULLS_LAST,
    PLAN_SECTIONS,
    AdviceRequest,
    AssessmentRequest,
    Consultation,
    Decision,
    EotasPackage,
    Evidence,
    PersonalBudget,
    Plan,
    PlanVersion,
    Review,
    SignOff,
    Step,
)
from tellonce.ehc.policy import (
    acting_organisations,
    acts_for,
    is_caseworker_for,
    is_send_manager_for,
    may_request_assessment,
)
from tellonce.listing import SortOption, paginate
from tellonce.people.models import Child, Locality, Organisation, StaffMembership, User

Stage = AssessmentRequest.Stage



def _child_for(request: HttpRequest, child_id: Any) -> tuple[Child, ChildAccess]:
    return get_child_or_404(signed_in.user(request), child_id)


def _caseworker_child(request: HttpRequest, child_id: Any) -> tuple[Child, ChildAccess]:
    """The child, for a SEND caseworker of its authority; 404 for anyone else."""
    child, access = _child_for(request, child_id)
    if not is_caseworker_for(signed_in.user(request), child):
        raise Http404("Not a caseworker for this child")
    return child, access


def _request_or_404(request: HttpRequest, request_id: int) -> tuple[AssessmentRequest, Child]:
    ehc_request = AssessmentRequest.objects.filter(pk=request_id).first()
    if ehc_request is None:
        raise Http404("No such request")
    child, _access = _caseworker_child(request, ehc_request.child_id)
    ehc_request.child = child
    return ehc_request, child


def _error(form: Any, error: ProcessError) -> None:
    form.add_error(None, str(error))


def _timeline_url(child: Child) -> str:
    return reverse("ehc:timeline", kwargs={"child_id": child.pk})


def _form_page(
    request: HttpRequest,
    child: Child,
    form: django_forms.Form,
    act: Callable[[dict[str, Any]], object],
    done: str,
    subject: str,
    basis: str,
    template: str = "ehc/simple_form.html",
    **context: Any,
) -> HttpResponse:
    """The shape of every step's page: on a valid POST run the action and go back to the
    timeline; otherwise (or if the action refuses) show the form, auditing the read."""
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ProcessError as error:
            _error(form, error)
        else:
            messages.success(request, done)
            return redirect(_timeline_url(child))
    audit.record(signed_in.user(request), child, audit.Action.VIEW, subject, basis)
    return render(request, template, {"child": child, "form": form, **context})


# ----- the family's timeline -----


@login_required
def timeline(request: HttpRequest, child_id: str) -> HttpResponse:
    user = signed_in.user(request)
    child, access = _child_for(request, child_id)
    today = actions.today()
    data = queries.timeline(child, today, family=access.is_family)
    caseworker = is_caseworker_for(user, child)
    open_request = next((r for r in data.requests if r.is_open), None)
    audit.record(user, child, audit.Action.VIEW, "EHC timeline", access.basis)
    return render(request, "ehc/timeline.html", {
        "child": child, "access": access, "t": data, "today": today,
        "is_caseworker": caseworker, "open_request": open_request,
        "may_request": may_request_assessment(user, child, access) and open_request is None
        and child.send_status != Child.SendStatus.EHC_PLAN,
        "my_advice": [a for a in data.open_advice if acts_for(user, a.organisation_id,
                                                                a.adviser_id)],
        "my_sign_offs": [s for s in data.open_sign_offs if acts_for(user, s.organisation_id)],
        "latest_draft": next((v for v in data.versions if v.is_draft), None),
        "stale": [(p, reasons) for p in data.plans
                  for reasons in [stale.reasons_for(p, today)] if reasons] if caseworker else [],
    })


# ----- request for an assessment -----


@login_required
def request_assessment(request: HttpRequest, child_id: str) -> HttpResponse:
    user = signed_in.user(request)
    child, access = _child_for(request, child_id)
    if not may_request_assessment(user, child, access):
        raise Http404("Cannot request an assessment for this child")
    form = forms.RequestForm(posted.data(request), asks_family=not access.is_family)
    file_error = ""
    if request.method == "POST" and form.is_valid():
        files = request.FILES.getlist("evidence")
        try:
            ehc_request = actions.do_request_assessment(
                user, child, access, reasons=form.cleaned_data["reasons"], files=files,
                family_agreed=form.agreed(),
            )
        except EvidenceError as error:
            file_error = str(error)
            _error(form, error)
        except ProcessError as error:
            _error(form, error)
        else:
            step = ehc_request.steps.get(kind=Step.Kind.ASSESSMENT_DECISION)
            return render(request, "ehc/request_done.html", {
                "child": child, "ehc_request": ehc_request, "decision_due": step.due,
                "final_due": actions.clock.due("final_plan", ehc_request.received_on),
            })
    audit.record(user, child, audit.Action.VIEW, "EHC request form", access.basis)
    return render(request, "ehc/request.html", {"child": child, "form": form,
                                                "file_error": file_error, "access": access})


@login_required
def evidence(request: HttpRequest, evidence_id: int) -> FileResponse:
    user = signed_in.user(request)
    item = Evidence.objects.select_related("request").filter(pk=evidence_id).first()
    if item is None:
        raise Http404("No such document")
    child, access = _child_for(request, item.request.child_id)
    audit.record(user, child, audit.Action.VIEW, "EHC request evidence", access.basis,
                 evidence=item.pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("The document is missing") from None
    return FileResponse(handle, as_attachment=True, filename=item.original_name,
                        content_type=item.content_type)


# ----- caseworker decisions -----


def _decision_page(
    request: HttpRequest,
    request_id: int,
    form_class: type[django_forms.Form],
    record: Callable[[User, AssessmentRequest, bool, str], object],
    yes: str,
    step_kind: str,
    title: str,
    extra: Callable[[AssessmentRequest], dict[str, Any]] = lambda ehc_request: {},
) -> HttpResponse:
    """A caseworker's yes-or-no decision on a request, with reasons: show, check, record."""
    user = signed_in.user(request)
    ehc_request, child = _request_or_404(request, request_id)
    return _form_page(
        request, child, form_class(posted.data(request)),
        lambda data: record(user, ehc_request, data["decision"] == yes, data["reasons"]),
        "The decision was recorded and the family told.", "EHC request",
        Basis.CASELOAD, template="ehc/decide.html", ehc_request=ehc_request,
        step=ehc_request.steps.filter(kind=step_kind).first(), title=title,
        button="Record the decision", **extra(ehc_request),
    )

@login_required
def decide_assessment(request: HttpRequest, request_id: int) -> HttpResponse:
    return _decision_page(
        request, request_id, forms.AssessmentDecisionForm,
        lambda user, req, agree, reasons: actions.do_decide_assessment(
            user, req, agree=agree, reasons=reasons),
        "agree", Step.Kind.ASSESSMENT_DECISION, "Decide whether to assess",
    )


@login_required
def decide_plan(request: HttpRequest, request_id: int) -> HttpResponse:
    return _decision_page(
        request, request_id, forms.PlanDecisionForm,
        lambda user, req, issue, reasons: actions.do_decide_plan(
            user, req, issue=issue, reasons=reasons),
        "issue", Step.Kind.PLAN_DECISION, "Decide whether to issue an EHC plan",
        lambda ehc_request: {
            "advice": ehc_request.advice_requests.select_related("organisation")
        },
    )


def _education_settings(child: Child) -> Any:
    return Organisation.objects.filter(
        kind__in=Organisation.EDUCATION_KINDS, local_authority_id=child.local_authority_id
    ).order_by("name")


@login_required
def draft(request: HttpRequest, request_id: int) -> HttpResponse:
    """Assemble the draft from About me and the advice; the caseworker edits and sends it,
    with the family's comments and the owners' requested changes beside each section."""
    user = signed_in.user(request)
    ehc_request, child = _request_or_404(request, request_id)
    plan = Plan.objects.filter(request=ehc_request).first()
    if plan is None:
        raise Http404("No plan is being drafted")
    latest = actions.latest_draft(plan)
    initial_sections = latest.sections if latest else actions.assemble_draft(ehc_request)
    initial: dict[str, Any] = {f"section_{k}": v for k, v in initial_sections.items()}
    form = forms.DraftForm(posted.data(request), initial=initial)
    checking = request.POST.get("intent") == "check"
    if request.method == "POST" and form.is_valid():
        # Reasons typed against findings are kept whichever button was pressed.
        shown = quality_facts.plan_quality(plan, form.sections(), actions.today(), child=child)
        actions.do_consider_findings(user, plan, [
            (c.finding, request.POST.get(f"considered_{c.ref}", "")) for c in shown.open])
        if not checking:
            try:
                actions.do_issue_draft(user, ehc_request, sections=form.sections())
            except ProcessError as error:
                _error(form, error)
            else:
                messages.success(request,
                                 "The draft plan was sent to the family and the services.")
                return redirect(_timeline_url(child))
    audit.record(user, child, audit.Action.VIEW, "Draft EHC plan (editing)",
                 Basis.CASELOAD)
    feedback = queries.draft_feedback(latest)
    # The checks read what is in the boxes: the text just posted, or the draft as it stands.
    text = form.sections() if form.is_bound and form.is_valid() else initial_sections
    checked = quality_facts.plan_quality(plan, text, actions.today(), child=child)
    by_section = checked.by_section()
    return render(request, "ehc/draft.html", {
        "child": child, "ehc_request": ehc_request, "form": form, "latest": latest,
        "feedback": feedback, "checked": checked, "checking": checking,
        "quality_counts": [(k, t, sum(c.is_open for c in by_section.get(k, [])),
                            len(by_section.get(k, []))) for k, t in PLAN_SECTIONS],
        "section_fields": [(form[f"section_{k}"], feedback.sections.get(k, []),
                            by_section.get(k, [])) for k, _t in PLAN_SECTIONS],
        "sign_offs": latest.sign_offs.select_related("organisation") if latest else [],
    })


@login_required
def final(request: HttpRequest, request_id: int) -> HttpResponse:
    user = signed_in.user(request)
    ehc_request, child = _request_or_404(request, request_id)
    plan = Plan.objects.filter(request=ehc_request).first()
    if plan is None:
        raise Http404("No plan is being drafted")
    latest = actions.latest_draft(plan)
    form = forms.IssueFinalForm(
        posted.data(request), settings_qs=_education_settings(child),
        initial={"named_setting": plan.named_setting_id, "setting_type": plan.setting_type},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_issue_final_plan(user, ehc_request,
                                        override_reason=data["override_reason"],
                                        named_setting=data["named_setting"],
                                        setting_type=data["setting_type"],
                                        quality_reason=data["quality_reason"])
        except actions.OpenFindings as error:
            form.add_error("quality_reason", str(error))
        except actions.IncompletePlan as error:
            for finding in error.findings:
                form.add_error("named_setting" if finding.section == "I" else None,
                               finding.message)
        except ProcessError as error:
            _error(form, error)
        else:
            messages.success(request, "The final plan was issued and everyone told.")
            return redirect(_timeline_url(child))
    audit.record(user, child, audit.Action.VIEW, "Final EHC plan (issuing)",
                 Basis.CASELOAD)
    step = ehc_request.steps.filter(kind=Step.Kind.FINAL_PLAN).first()
    findings = completeness.final_plan_findings(
        actions.final_plan_facts(plan, latest, actions.today()))
    return render(request, "ehc/final.html", {
        "child": child, "ehc_request": ehc_request, "form": form, "latest": latest,
        "sign_offs": latest.sign_offs.select_related("organisation") if latest else [],
        "responses": latest.responses.all() if latest else [],
        "consultations": plan.consultations.select_related("setting"),
        "is_manager": is_send_manager_for(user, child), "step": step,
        "findings": findings, "plan": plan,
        "quality_open": quality_facts.plan_quality(plan, latest.sections, actions.today(),
                                                   child=child).open if latest else [],
    })


@login_required
def consult(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = signed_in.user(request)
    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None:
        raise Http404("No such plan")
    child, _access = _caseworker_child(request, plan.child_id)
    form = forms.ConsultForm(posted.data(request), settings_qs=_education_settings(child))
    return _form_page(
        request, child, form,
        lambda data: actions.do_consult_setting(user, plan, data["setting"]),
        "The setting was asked whether it can meet the needs.",
        "EHC consultation", Basis.CASELOAD,
        title="Consult a school, college or setting", button="Send the consultation",
    )


@login_required
def consultation_reply(request: HttpRequest, consultation_id: int) -> HttpResponse:
    user = signed_in.user(request)
    consultation = Consultation.objects.select_related("plan", "setting").filter(
        pk=consultation_id).first()
    if consultation is None:
        raise Http404("No such consultation")
    child, access = _child_for(request, consultation.plan.child_id)
    if not (acts_for(user, consultation.setting_id) or is_caseworker_for(user, child)):
        raise Http404("Not consulted")
    form = forms.ConsultationReplyForm(posted.data(request))
    return _form_page(
        request, child, form,
        lambda data: actions.do_reply_to_consultation(
            user, consultation, can_meet=data["response"] == "yes", comment=data["comment"]),
        "Your reply was sent to the council.", "EHC consultation", access.basis,
        button="Send the reply", title=f"Consultation: a place at {consultation.setting}",
        version=consultation.plan.versions.order_by("-number").first(),
    )


# ----- contributors: advice and sign-off -----

# Why an adviser's list shows its children: the council asked their organisation (or them).
BASIS_ASKED = "Asked by the local authority for advice, a sign-off or a reply"


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    """Advice and sign-offs the user's organisations have been asked for."""
    user = signed_in.user(request)
    orgs = acting_organisations(user)
    if not orgs:
        raise Http404("No advice requests for this account")
    today = actions.today()
    steps = queries.asked_of(user, today).select_related(
        "child", "waiting_on_organisation", "advice", "sign_off")
    listing = paginate(request, steps, [
        SortOption("due", "Due soonest", (F("due").asc(nulls_last=True), "pk")),  # type: ignore[arg-type]
        SortOption("child", "Child's name", ("child__family_name", "child__given_name", "pk")),
    ])
    rows = queries.asked_of_rows(list(listing.page), today)
    if listing.page:
        audit.record_list(user, "Advice and sign-offs asked of me", BASIS_ASKED,
                          [step.child_id for step in listing.page])
    return render(request, "ehc/my_requests.html", {"listing": listing, "rows": rows})


@login_required
def give_advice(request: HttpRequest, advice_id: int) -> HttpResponse:
    user = signed_in.user(request)
    advice = AdviceRequest.objects.select_related("request", "organisation", "adviser").filter(
        pk=advice_id).first()
    if advice is None:
        raise Http404("No such advice request")
    child, access = _child_for(request, advice.request.child_id)
    if not acts_for(user, advice.organisation_id, advice.adviser_id):
        raise Http404("Not asked of you")
    form = forms.AdviceForm(posted.data(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_give_advice(user, advice, **form.cleaned_data)
        except ProcessError as error:
            _error(form, error)
        else:
            messages.success(request, "Your advice was sent to the council and the family told.")
            return redirect(_timeline_url(child))
    audit.record(user, child, audit.Action.VIEW, "EHC advice request", access.basis)
    step = advice.steps.first()
    return render(request, "ehc/advice.html", {
        "child": child, "advice": advice, "form": form,
        "step": queries.describe_step(step, actions.today()) if step else None,
        "reasons": advice.request.reasons,
    })


@login_required
def sign_off(request: HttpRequest, sign_off_id: int) -> HttpResponse:
    user = signed_in.user(request)
    item = SignOff.objects.select_related("version__plan", "organisation").filter(
        pk=sign_off_id).first()
    if item is None:
        raise Http404("No such sign-off")
    child, access = _child_for(request, item.version.plan.child_id)
    if not acts_for(user, item.organisation_id):
        raise Http404("Not yours to sign off")
    form = forms.SignOffForm(posted.data(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_sign_off(user, item, approve=form.cleaned_data["decision"] == "approve",
                                comment=form.cleaned_data["comment"])
        except ProcessError as error:
            _error(form, error)
        else:
            messages.success(request, "Your decision was sent to the council.")
            return redirect(_timeline_url(child))
    audit.record(user, child, audit.Action.VIEW, "EHC plan sign-off", access.basis)
    # The owners see the quality findings for their own sections beside them.
    found = quality_facts.plan_quality(item.version.plan, item.version.sections,
                                       actions.today(), child=child).for_sections(item.sections)
    by_section = found.by_section()
    sections = [(k, t, v, by_section.get(k, [])) for k, t, v in item.version.section_list()
                if k in item.sections]
    return render(request, "ehc/sign_off.html", {
        "child": child, "item": item, "form": form, "sections": sections,
    })


# ----- plan versions: reading, PDF, family comments -----


def _version_or_404(request: HttpRequest, version_id: int) -> tuple[PlanVersion, Child,
                                                                     ChildAccess]:
    version = PlanVersion.objects.select_related("plan").filter(pk=version_id).first()
    if version is None:
        raise Http404("No such plan version")
    child, access = _child_for(request, version.plan.child_id)
    return version, child, access


@login_required
def plan_version(request: HttpRequest, version_id: int) -> HttpResponse:
    user = signed_in.user(request)
    version, child, access = _version_or_404(request, version_id)
    audit.record(user, child, audit.Action.VIEW, f"EHC plan version {version.number}",
                 access.basis)
    latest = actions.latest_draft(version.plan)
    return render(request, "ehc/plan_version.html", {
        "child": child, "version": version, "access": access,
        "may_comment": access.is_family and version.is_draft and latest == version
        and version.plan.status != Plan.Status.CEASED,
    })


@login_required
def plan_pdf(request: HttpRequest, version_id: int) -> HttpResponse:
    user = signed_in.user(request)
    version, child, access = _version_or_404(request, version_id)
    audit.record(user, child, audit.Action.EXPORT, f"EHC plan version {version.number} (PDF)",
                 access.basis)
    content = pdf.render_version(version, child)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="ehc-plan-{child.family_name.lower()}-v{version.number}.pdf"'
    )
    return response


@login_required
def comment(request: HttpRequest, version_id: int) -> HttpResponse:
    user = signed_in.user(request)
    version, child, access = _version_or_404(request, version_id)
    if not access.is_family or not version.is_draft:
        raise Http404("Not a draft for this family")
    form = forms.CommentForm(posted.data(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_comment_on_draft(
                user, version, access, comments=form.cleaned_data["comments"],
                preferred_setting=form.cleaned_data["preferred_setting"],
                section_comments=form.section_comments())
        except ProcessError as error:
            _error(form, error)
        else:
            messages.success(request, "Thank you: the council has your comments.")
            return redirect(_timeline_url(child))
    audit.record(user, child, audit.Action.VIEW, f"EHC plan version {version.number}",
                 access.basis)
    kind = "draft_comment_end"
    ends = actions.clock.due(kind, version.served_on)
    return render(request, "ehc/comment.html", {
        "child": child, "version": version, "form": form, "ends": ends,
        "today": actions.today(),
        "sections": [(key, title, text, form[f"section_{key}"])
                     for key, title, text in version.section_list()],
    })


# ----- reviews, exceptions, appeals, EOTAS -----


@login_required
def review(request: HttpRequest, review_id: int) -> HttpResponse:
    user = signed_in.user(request)
    item = Review.objects.select_related("plan").filter(pk=review_id).first()
    if item is None:
        raise Http404("No such review")
    child, _access = _caseworker_child(request, item.child_id)
    action = request.POST.get("action", "")
    meeting = forms.ReviewMeetingForm(request.POST if action == "meeting" else None,
                                      prefix="meeting")
    held = forms.ReviewHeldForm(request.POST if action == "held" else None, prefix="held")
    decision = forms.ReviewDecisionForm(request.POST if action == "decide" else None,
                                        prefix="decide")
    amended = forms.FinalForm(request.POST if action == "amended" else None, prefix="amended")
    bound = {"meeting": meeting, "held": held, "decide": decision, "amended": amended}.get(action)
    if request.method == "POST" and action == "reports":
        try:
            actions.do_circulate_review_reports(user, item)
        except ProcessError as error:
            messages.error(request, str(error))
        return redirect("ehc:review", review_id=item.pk)
    if request.method == "POST" and bound is not None and bound.is_valid():
        data = bound.cleaned_data
        try:
            if action == "meeting":
                actions.do_schedule_review_meeting(user, item, meeting_on=data["meeting_on"],
                                                   invited=data["invited"])
            elif action == "held":
                actions.do_hold_review_meeting(user, item, held_on=data["held_on"])
            elif action == "decide":
                proposed = None
                if data["amendments"].strip():
                    current = item.plan.versions.order_by("-number").first()
                    base = current.sections.get("F", "") if current else ""
                    proposed = {"F": (base + "\n\nAmended: " + data["amendments"]).strip()}
                actions.do_decide_review(user, item, outcome=data["outcome"],
                                         reasons=data["reasons"], proposed=proposed)
            else:
                actions.do_issue_amended_plan(user, item)
        except ProcessError as error:
            _error(bound, error)
        else:
            messages.success(request, "Recorded, and the family told.")
            return redirect("ehc:review", review_id=item.pk)
    audit.record(user, child, audit.Action.VIEW, "EHC annual review", Basis.CASELOAD)
    today = actions.today()
    steps = [queries.describe_step(s, today)
             for s in item.steps.select_related("waiting_on_organisation", "waiting_on_user")]
    return render(request, "ehc/review.html", {
        "child": child, "review": item, "steps": steps, "meeting": meeting, "held": held,
        "decision": decision, "amended": amended, "form": bound,
    })


@login_required
def record_exception(request: HttpRequest, step_id: int) -> HttpResponse:
    user = signed_in.user(request)
    step = Step.objects.filter(pk=step_id).first()
    if step is None:
        raise Http404("No such step")
    child, _access = _caseworker_child(request, step.child_id)
    form = forms.ExceptionForm(posted.data(request), step=step)
    return _form_page(
        request, child, form,
        lambda data: actions.do_record_exception(user, step, **data),
        "The exception was recorded.", "EHC time limit", Basis.CASELOAD,
        button="Record the exception", title=f"Record an exception: {step.title}",
        intro="The time limit stops applying, and this case is left out of the measures.",
    )


@login_required
def appeal(request: HttpRequest, decision_id: int) -> HttpResponse:
    user = signed_in.user(request)
    decision = Decision.objects.filter(pk=decision_id).first()
    if decision is None:
        raise Http404("No such decision")
    child, _access = _caseworker_child(request, decision.child_id)
    form = forms.AppealEventForm(posted.data(request))
    return _form_page(
        request, child, form,
        lambda data: actions.do_record_appeal_event(user, decision, **data),
        "Recorded.", "EHC decision", Basis.CASELOAD,
        button="Record",
        title=f"Mediation or appeal: {decision.get_kind_display().lower()}",
        intro=f"Decision sent {actions.fmt(decision.notice_sent_on)}. Appeal deadline: "
              f"{actions.fmt(decision.appeal_deadline)}.",
    )


@login_required
def eotas(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = signed_in.user(request)
    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None or request.method != "POST":
        raise Http404("No such plan")
    child, _access = _caseworker_child(request, plan.child_id)
    actions.do_set_eotas(user, plan, eotas=request.POST.get("eotas") == "yes")
    messages.success(request, "Recorded.")
    return redirect(_timeline_url(child))


# ----- the caseworker's worklist -----

WORKLIST_SORTS = [
    # Orderings the worklist indexes serve (see Step.Meta.indexes); no due date sorts last.
    SortOption("due", "Due soonest", (DUE_NULLS_LAST, "due", "pk")),  # type: ignore[arg-type]
    SortOption("overdue", "Most overdue", (DUE_NULLS_LAST, "due", "pk")),  # type: ignore[arg-type]
    SortOption("child", "Child's name", ("child_family_name", "child_given_name", "pk")),
    SortOption("stage", "Stage", ("stage", DUE_NULLS_LAST, "due", "pk")),  # type: ignore[arg-type]
    SortOption("newest", "Newest first", ("-start", "-pk")),
]


# The worklist shows the most overdue EOTAS reviews; the rest are on each plan's page.
EOTAS_SHOWN = 20
STALE_SHOWN = 20


def _worklist(request: HttpRequest) -> tuple[Any, Any, Any]:
    user = signed_in.user(request)
    authorities = caseload_authorities(user)
    if not authorities:
        raise Http404("No EHC caseload for this account")
    # Only the columns a name needs (as User.__str__ makes it), not whole users.
    caseworkers = [
        (str(pk), display_name or f"{first_name} {last_name}".strip() or username)
        for pk, display_name, first_name, last_name, username in User.objects.filter(
            StaffMembership.active_q("memberships__"),
            memberships__role__in=[StaffMembership.Role.LA_CASEWORKER,
                                   StaffMembership.Role.LA_MANAGER],
            memberships__organisation__parent_id__in=authorities,
        ).distinct().order_by("last_name", "first_name", "pk").values_list(
            "pk", "display_name", "first_name", "last_name", "username")
    ]
    localities = [(str(pk), name) for pk, name in Locality.objects.filter(
        local_authority_id__in=authorities).values_list("pk", "name")]
    form = forms.WorklistFilterForm(request.GET or None, caseworkers=caseworkers,
                                    localities=localities)
    today = actions.today()
    steps = queries.worklist_steps(user, today)
    if form.is_bound and form.is_valid():
        steps = queries.filter_worklist(steps, form.cleaned_data, user, today)
    elif form.is_bound:
        steps = steps.none()
    return form, steps, today


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    user = signed_in.user(request)
    form, steps, today = _worklist(request)
    listing = paginate(request, steps.values_list("pk", flat=True), WORKLIST_SORTS,
                       per_page=50)
    page = queries.in_order(steps, list(listing.page))
    localities = queries.locality_names(page, {
        int(pk): name for pk, name in form.fields["locality"].choices if pk})
    rows = [queries.worklist_row(s, today, localities) for s in page]
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    end = data.get("period_to") or today
    start = data.get("period_from") or (end - timedelta(days=365))
    audit.record_list(user, "EHC worklist", Basis.CASELOAD,
                      [step.child_id for step in page], results=listing.page.paginator.count)
    # EOTAS packages past the review period the manager set, most overdue first.
    overdue = budgets.overdue_eotas_packages(caseload_authorities(user), today)
    shown_overdue = overdue[:EOTAS_SHOWN]
    if shown_overdue:
        audit.record_list(user, "EHC worklist: EOTAS reviews overdue", Basis.CASELOAD,
                          [p.plan.child_id for p in shown_overdue], results=len(overdue))
    # Plans that may be out of date (ehc.stale), by child's name.
    stale_qs = stale.stale_plans(caseload_authorities(user), today)
    stale_count = stale_qs.count()
    stale_shown = list(stale_qs.select_related("child").prefetch_related("reviews")
                       .order_by("child__family_name", "child__given_name", "pk")[:STALE_SHOWN])
    if stale_shown:
        audit.record_list(user, "EHC worklist: plans that may be out of date",
                          Basis.CASELOAD, [p.child_id for p in stale_shown],
                          results=stale_count)
    export = reverse("ehc:worklist_csv") + ("?" + request.GET.urlencode() if request.GET else "")
    return render(request, "ehc/worklist.html", {
        "form": form, "listing": listing, "rows": rows, "today": today,
        "measures": queries.measures(user, start, end), "period": (start, end),
        "export_url": export,
        "eotas_overdue": [(p, budgets.eotas_review_due(p.started_on, p.last_reviewed_on,
                                                       p.review_every_weeks))
                          for p in shown_overdue],
        "eotas_overdue_count": len(overdue),
        "stale": [(p, stale.reasons_for(p, today)) for p in stale_shown],
        "stale_count": stale_count,
    })


@login_required
def worklist_csv(request: HttpRequest) -> HttpResponseBase:
    user = signed_in.user(request)
    form, steps, today = _worklist(request)
    steps = steps.select_related("child", "child__locality").order_by(
        F("due").asc(nulls_last=True), "pk")
    # Every child in the file, as the pages name theirs: an export is a read of each row.
    exported = list(steps.values_list("child_id", flat=True).distinct().order_by())
    count = steps.count()
    audit.record_list(user, "EHC worklist (CSV)", Basis.CASELOAD, exported,
                      action=audit.Action.EXPORT, rows=count,
                      filters={k: v for k, v in request.GET.items()})

    def rows() -> Any:
        yield ["Child", "Date of birth", "Locality", "Stage", "What", "Legal due date",
               "Days left (negative: overdue)", "Waiting on", "Caseworker", "Exception"]
        for step in steps.iterator(chunk_size=2000):
            left = step.days_left(today)
            yield [
                step.child.full_name, step.child.date_of_birth.isoformat(),
                step.child.locality.name if step.child.locality else "",
                step.get_stage_display(), step.title,
                step.due.isoformat() if step.due else "", "" if left is None else left,
                step.waiting_on_label(), str(step.caseworker or ""), step.exception,
            ]

    return csvexport.response(f"ehc-worklist-{date.today()}.csv", rows())


# ----- personal budgets (section J) and EOTAS packages -----


def _plan_or_404(request: HttpRequest, plan_id: int) -> tuple[Plan, Child]:
    """The plan, for a SEND caseworker of the child's authority; 404 for anyone else."""
    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None:
        raise Http404("No such plan")
    child, _access = _caseworker_child(request, plan.child_id)
    plan.child = child
    return plan, child


def _budget_page(request: HttpRequest, plan: Plan, child: Child,
                 budget: PersonalBudget | None) -> HttpResponse:
    user = signed_in.user(request)
    initial = ({name: getattr(budget, name) for name in actions.BUDGET_FIELDS}
               | {"edition": budget.edition}) if budget else {}
    form = forms.PersonalBudgetForm(posted.data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_personal_budget(user, plan, form.cleaned_data, budget)
        except ProcessError as error:
            _error(form, error)
        else:
            messages.success(request, "The personal budget was recorded.")
            return redirect("ehc:personal_budgets", plan_id=plan.pk)
    audit.record(user, child, audit.Action.VIEW, "EHC plan personal budgets",
                 Basis.CASELOAD, plan=plan.pk)
    return render(request, "ehc/personal_budgets.html", {
        "child": child, "plan": plan, "form": form, "budget": budget,
        "budgets": plan.personal_budgets.all(),
    })


@login_required
def personal_budgets(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, child = _plan_or_404(request, plan_id)
    return _budget_page(request, plan, child, None)


@login_required
def personal_budget(request: HttpRequest, budget_id: int) -> HttpResponse:
    budget = PersonalBudget.objects.filter(pk=budget_id).first()
    if budget is None:
        raise Http404("No such personal budget")
    plan, child = _plan_or_404(request, budget.plan_id)
    return _budget_page(request, plan, child, budget)


def _overseers(child: Child) -> Any:
    return User.objects.filter(
        StaffMembership.active_q("memberships__"),
        memberships__role__in=[StaffMembership.Role.LA_CASEWORKER,
                               StaffMembership.Role.LA_MANAGER],
        memberships__organisation__parent_id=child.local_authority_id,
    ).distinct().order_by("last_name", "first_name", "pk")


def _eotas_page(request: HttpRequest, plan: Plan, child: Child,
                package: EotasPackage | None) -> HttpResponse:
    user = signed_in.user(request)
    initial = ({name: getattr(package, name) for name in actions.EOTAS_FIELDS}
               | {"edition": package.edition}) if package else {}
    form = forms.EotasPackageForm(posted.data(request), initial=initial,
                                  overseers=_overseers(child))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_eotas_package(user, plan, form.cleaned_data, package)
        except ProcessError as error:
            _error(form, error)
        else:
            messages.success(request, "The EOTAS package was recorded.")
            return redirect("ehc:eotas_packages", plan_id=plan.pk)
    audit.record(user, child, audit.Action.VIEW, "EHC plan EOTAS packages",
                 Basis.CASELOAD, plan=plan.pk)
    today = actions.today()
    return render(request, "ehc/eotas_packages.html", {
        "child": child, "plan": plan, "form": form, "package": package,
        "packages": [(p, budgets.eotas_review_due(p.started_on, p.last_reviewed_on,
                                                  p.review_every_weeks),
                      budgets.is_overdue(p, today))
                     for p in plan.eotas_packages.select_related("overseer")],
    })


@login_required
def eotas_packages(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, child = _plan_or_404(request, plan_id)
    return _eotas_page(request, plan, child, None)


@login_required
def eotas_package(request: HttpRequest, package_id: int) -> HttpResponse:
    package = EotasPackage.objects.filter(pk=package_id).first()
    if package is None:
        raise Http404("No such EOTAS package")
    plan, child = _plan_or_404(request, package.plan_id)
    return _eotas_page(request, plan, child, package)
