"""Build EHC cases at a chosen stage through the actions, for tests and the access matrix."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tellonce.access.policy import get_child_or_404
from tellonce.ehc import actions
from tellonce.ehc.models import AssessmentRequest
from tests.world import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ADVISERS = {"ep": "ep", "health": "dco", "social_care": "socialworker", "education": "senco"}


def complete_sections(request: AssessmentRequest) -> dict[str, str]:
    """The assembled draft, with every section the advice left empty saying so (reg 12(1))."""
    sections = actions.assemble_draft(request)
    for key in ("A", "B", "C", "D", "E", "F", "G", "H1", "H2", "J", "K"):
        if not sections.get(key, "").strip():
            sections[key] = f"Nothing was identified for section {key}."
    return sections


def esi_case(w: World, stage: str = "received", evidence: bool = False) -> AssessmentRequest:
    """Esi's request, taken as far as `stage`: received, assessing, drafting, draft_issued,
    final_issued. Runs at today's date."""
    parent, caseworker = w.users["parent"], w.users["caseworker"]
    child, access = get_child_or_404(parent, w.esi.pk)
    files = [SimpleUploadedFile("report.pdf", PDF, "application/pdf")] if evidence else []
    request = actions.do_request_assessment(parent, child, access, reasons="Please assess",
                                            files=files)
    if stage == "received":
        return request
    actions.do_decide_assessment(caseworker, request, agree=True)
    if stage == "assessing":
        return request
    for advice in request.advice_requests.all():
        actions.do_give_advice(w.users[ADVISERS[advice.kind]], advice, needs="Needs",
                               outcomes="Outcomes", provision="Provision")
    actions.do_decide_plan(caseworker, request, issue=True)
    if stage == "drafting":
        return request
    actions.do_issue_draft(caseworker, request, sections=complete_sections(request))
    if stage == "draft_issued":
        return request
    version = request.plan.versions.get()
    child, access = get_child_or_404(parent, w.esi.pk)
    actions.do_comment_on_draft(parent, version, access, comments="Fine")
    for sign_off in version.sign_offs.all():
        user = w.users["dco" if sign_off.area == "health" else "socialworker"]
        actions.do_sign_off(user, sign_off, approve=True)
    # The setting is consulted before it is named (CFA s.39, s.40), with its type (reg 12).
    consultation = actions.do_consult_setting(caseworker, request.plan, w.school_a)
    actions.do_reply_to_consultation(caseworker, consultation, can_meet=True)
    actions.do_issue_final_plan(caseworker, request,
                                quality_reason="Agreed", named_setting=w.school_a,
                                setting_type="mainstream")
    request.refresh_from_db()
    return request
