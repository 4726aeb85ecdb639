"""The whole EHC process driven through the pages: request to final plan, with the family's
timeline checked at each step, and each page's allowed / anonymous / not allowed / bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tellonce.access.models import AuditEvent, StatutoryBasis
from tellonce.ehc.models import (
    AdviceRequest,
    AssessmentRequest,
    Plan,
    PlanVersion,
    SignOff,
    Step,
)
from tellonce.notify.models import Message
from tellonce.people.models import Child
from tests.ehc.cases import complete_sections

# A Monday after the test world is built (its memberships start ten days before today):
# 6 weeks -> 15 February, 20 weeks -> 24 May 2027.
START = date(2027, 1, 4)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def timeline_text(client, child) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("ehc:timeline", kwargs={"child_id": child.pk}))
    assert response.status_code == 200
    return response.content.decode()


def _post(client, name, data, **kwargs):  # type: ignore[no-untyped-def]
    return client.post(reverse(name, kwargs=kwargs), data)


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_request_to_final_plan_through_the_pages(world, client_for, media) -> None:
    esi = world.esi
    # Sessions are signed in inside each stretch of travelled time (they last 8 hours).
    with time_machine.travel(START, tick=False):
        parent, caseworker = client_for("parent"), client_for("caseworker")
        response = parent.post(
            reverse("ehc:request", kwargs={"child_id": esi.pk}),
            {"reasons": "Esi is struggling to talk with other children.",
             "evidence": SimpleUploadedFile("report.pdf", PDF, "application/pdf")},
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert "15 February 2027" in body and "24 May 2027" in body
        request = AssessmentRequest.objects.get(child=esi)
        assert request.evidence.get().content_type == "application/pdf"
        esi.refresh_from_db()
        assert esi.send_status == Child.SendStatus.ASSESSMENT
        assert StatutoryBasis.objects.filter(child=esi, organisation=world.send_team).exists()
        assert "must decide whether to carry out an EHC needs assessment by 15 February 2027" \
            in timeline_text(parent, esi)
        assert Message.objects.filter(to=world.users["parent"], child=esi).exists()
        # the caseworker now sees Esi (caseload) and agrees
        response = _post(caseworker, "ehc:decide_assessment", {"decision": "agree"},
                         request_id=request.pk)
        assert response.status_code == 302
        request.refresh_from_db()
        assert request.stage == AssessmentRequest.Stage.ASSESSING
        assert set(request.advice_requests.values_list("kind", flat=True)) == {
            "ep", "health", "social_care", "education"}
        text = timeline_text(parent, esi)
        assert "Give health advice" in text and "The council agreed" in text

    with time_machine.travel(START + timedelta(days=20), tick=False):
        parent, caseworker = client_for("parent"), client_for("caseworker")
        for username, kind in [("ep", "ep"), ("dco", "health"), ("socialworker", "social_care"),
                               ("senco", "education")]:
            advice = request.advice_requests.get(kind=kind)
            client = client_for(username)
            assert client.get(reverse("ehc:advice", kwargs={"advice_id": advice.pk})
                              ).status_code == 200
            response = _post(client, "ehc:advice", {
                "needs": f"{kind} needs", "outcomes": f"{kind} outcomes",
                "provision": f"{kind} provision"}, advice_id=advice.pk)
            assert response.status_code == 302, response.content.decode()[:2000]
        # contributors see the same timeline
        assert "gave health advice" in timeline_text(client_for("dco"), esi)
        assert "gave health advice" in timeline_text(parent, esi)
        response = _post(caseworker, "ehc:decide_plan", {"decision": "issue"},
                         request_id=request.pk)
        assert response.status_code == 302
        draft_page = caseworker.get(reverse("ehc:draft", kwargs={"request_id": request.pk}))
        assert "health provision" in draft_page.content.decode()
        sections = {k: v for k, v in draft_page.context["form"].initial.items()
                    if k.startswith("section_")}
        # the caseworker writes what the advice left empty (every section, reg 12(1))
        sections.update({"section_A": "Esi likes drawing and wants to make friends.",
                         "section_H2": "No other social care provision is needed.",
                         "section_J": "No personal budget was asked for."})
        response = _post(caseworker, "ehc:draft", sections, request_id=request.pk)
        assert response.status_code == 302
        plan = Plan.objects.get(request=request)
        draft = plan.versions.get()
        assert draft.kind == PlanVersion.Kind.DRAFT and "health needs" in draft.sections["C"]
        assert "It is your turn" in timeline_text(parent, esi)
        # the family's step is not the caseworker's turn
        assert "It is your turn" not in timeline_text(caseworker, esi)
        assert "Waiting on the family" in timeline_text(caseworker, esi)

    with time_machine.travel(START + timedelta(days=22), tick=False):
        parent, caseworker = client_for("parent"), client_for("caseworker")
        response = _post(parent, "ehc:comment", {"comments": "Please add speech therapy.",
                                                 "preferred_setting": "Alpha Primary"},
                         version_id=draft.pk)
        assert response.status_code == 302
        # final is refused while the named school is not consulted, naming what is missing
        response = _post(caseworker, "ehc:final", {"named_setting": world.school_a.pk,
                                                   "setting_type": "mainstream",
                                                   "quality_reason": "Agreed"},
                         request_id=request.pk)
        assert response.status_code == 200
        assert "Alpha Primary has not been consulted" in response.content.decode()
        assert plan.versions.count() == 1
        response = _post(caseworker, "ehc:consult", {"setting": world.school_a.pk},
                         plan_id=plan.pk)
        assert response.status_code == 302
        # final is refused while sign-off is missing, and nothing is saved
        response = _post(caseworker, "ehc:final", {"named_setting": world.school_a.pk,
                                                   "setting_type": "mainstream",
                                                   "quality_reason": "Agreed"},
                         request_id=request.pk)
        assert response.status_code == 200 and "Not yet signed off" in response.content.decode()
        assert plan.versions.count() == 1
        for username, area in [("dco", "health"), ("socialworker", "social_care")]:
            item = draft.sign_offs.get(area=area)
            response = _post(client_for(username), "ehc:sign_off", {"decision": "approve"},
                             sign_off_id=item.pk)
            assert response.status_code == 302
        response = _post(caseworker, "ehc:final", {"named_setting": world.school_a.pk,
                                                   "setting_type": "mainstream",
                                                   "quality_reason": "Agreed"},
                         request_id=request.pk)
        assert response.status_code == 302
        plan.refresh_from_db()
        esi.refresh_from_db()
        assert plan.status == Plan.Status.ACTIVE
        assert esi.send_status == Child.SendStatus.EHC_PLAN
        final_step = Step.objects.get(request=request, kind=Step.Kind.FINAL_PLAN)
        assert final_step.done_on == START + timedelta(days=22)
        assert final_step.days_late(START + timedelta(days=22)) == 0
        text = timeline_text(parent, esi)
        assert "The council issued the final EHC plan" in text
        assert "Hold the annual review" in text
        pdf = parent.get(reverse("ehc:pdf", kwargs={"version_id": plan.versions.first().pk}))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(child=esi, subject="Final EHC plan").exists()


def test_request_page_not_logged_in_redirects(world, client) -> None:
    url = reverse("ehc:request", kwargs={"child_id": world.esi.pk})
    assert client.get(url).status_code == 302


def test_request_page_for_a_child_not_yours_is_404(world, client_for) -> None:
    url = reverse("ehc:request", kwargs={"child_id": world.bea.pk})
    assert client_for("parent").get(url).status_code == 404
    assert client_for("senco").post(url, {"reasons": "x"}).status_code == 404
    assert not AssessmentRequest.objects.exists()


def test_request_without_reasons_shows_an_error_and_saves_nothing(world, client_for) -> None:
    response = client_for("parent").post(
        reverse("ehc:request", kwargs={"child_id": world.esi.pk}), {"reasons": "  "})
    assert response.status_code == 200
    assert "Say why you are asking for an assessment" in response.content.decode()
    assert not AssessmentRequest.objects.exists()


def test_evidence_of_the_wrong_type_is_refused_and_nothing_saved(world, client_for,
                                                                 media) -> None:
    response = client_for("parent").post(
        reverse("ehc:request", kwargs={"child_id": world.esi.pk}),
        {"reasons": "Help", "evidence": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00",
                                                            "application/pdf")})
    assert response.status_code == 200
    assert "must be a PDF, JPG or PNG" in response.content.decode()
    assert "Help" in response.content.decode()  # what was typed is kept
    assert not AssessmentRequest.objects.exists()
    world.esi.refresh_from_db()
    assert world.esi.send_status == Child.SendStatus.SEN_SUPPORT


def test_a_school_can_request_for_a_child_on_its_roll(world, client_for, media) -> None:
    response = client_for("senco").post(
        reverse("ehc:request", kwargs={"child_id": world.esi.pk}),
        {"reasons": "Not making progress despite SEN support", "family_agreed": "yes"})
    assert response.status_code == 200
    assert AssessmentRequest.objects.get().requester == "school"


def test_refusal_needs_reasons_and_states_the_appeal_deadline(world, client_for) -> None:
    with time_machine.travel(START, tick=False):
        client_for("parent").post(reverse("ehc:request", kwargs={"child_id": world.esi.pk}),
                                  {"reasons": "Please assess"})
        request = AssessmentRequest.objects.get()
        caseworker = client_for("caseworker")
        response = _post(caseworker, "ehc:decide_assessment", {"decision": "refuse"},
                         request_id=request.pk)
        assert response.status_code == 200
        assert "Give the reasons" in response.content.decode()
        request.refresh_from_db()
        assert request.stage == AssessmentRequest.Stage.RECEIVED
        response = _post(caseworker, "ehc:decide_assessment",
                         {"decision": "refuse", "reasons": "Needs met by SEN support"},
                         request_id=request.pk)
        assert response.status_code == 302
        world.esi.refresh_from_db()
        assert world.esi.send_status == Child.SendStatus.SEN_SUPPORT
        # 4 January + 2 months = 4 March 2027 (a Thursday, a working day)
        text = timeline_text(client_for("parent"), world.esi)
        assert "appeal to the SEND Tribunal until 4 March 2027" in text
        # the caseworker still sees it while an appeal is possible
        assert client_for("caseworker").get(
            reverse("ehc:timeline", kwargs={"child_id": world.esi.pk})).status_code == 200


def test_decision_page_is_404_for_non_caseworkers(world, client_for) -> None:
    client_for("parent").post(reverse("ehc:request", kwargs={"child_id": world.esi.pk}),
                              {"reasons": "Please assess"})
    request = AssessmentRequest.objects.get()
    url = reverse("ehc:decide_assessment", kwargs={"request_id": request.pk})
    for username in ("parent", "senco", "slt", "ep", "leader", "stranger"):
        assert client_for(username).get(url).status_code == 404
        assert client_for(username).post(url, {"decision": "agree"}).status_code == 404
    request.refresh_from_db()
    assert request.stage == AssessmentRequest.Stage.RECEIVED


def test_advice_page_bad_input_shows_errors_and_saves_nothing(world, client_for) -> None:
    client_for("parent").post(reverse("ehc:request", kwargs={"child_id": world.esi.pk}),
                              {"reasons": "Please assess"})
    request = AssessmentRequest.objects.get()
    _post(client_for("caseworker"), "ehc:decide_assessment", {"decision": "agree"},
          request_id=request.pk)
    advice = request.advice_requests.get(kind="ep")
    ep = client_for("ep")
    response = _post(ep, "ehc:advice", {"needs": "Some needs"}, advice_id=advice.pk)
    assert response.status_code == 200
    assert "Describe the outcomes" in response.content.decode()
    advice.refresh_from_db()
    assert advice.status == AdviceRequest.Status.REQUESTED
    # another service cannot give it
    assert client_for("slt").get(reverse("ehc:advice", kwargs={"advice_id": advice.pk})
                                 ).status_code == 404
    # a reasoned nil return is accepted
    response = _post(ep, "ehc:advice", {"nil_reason": "Seen last month: no new advice"},
                     advice_id=advice.pk)
    assert response.status_code == 302
    advice.refresh_from_db()
    assert advice.status == AdviceRequest.Status.NIL_RETURN


def test_manager_override_is_needed_and_shown_on_the_timeline(world, client_for) -> None:
    from tellonce.ehc import actions
    from tests.factories import make_staff

    manager = make_staff("manager", world.send_team, "la_manager")
    parent, cw = world.users["parent"], world.users["caseworker"]
    from tellonce.access.policy import get_child_or_404

    child, access = get_child_or_404(parent, world.esi.pk)
    with time_machine.travel(START, tick=False):
        request = actions.do_request_assessment(parent, child, access, reasons="Assess")
        actions.do_decide_assessment(cw, request, agree=True)
        for a in request.advice_requests.all():
            a.refresh_from_db()
            AdviceRequest.objects.filter(pk=a.pk).update(status="given", needs="n",
                                                         outcomes="o", provision="p")
        Step.objects.filter(kind=Step.Kind.ADVICE).update(done_on=START)
        actions.do_decide_plan(cw, request, issue=True)
        actions.do_issue_draft(cw, request, sections=complete_sections(request))
        actions.do_consult_setting(cw, request.plan, world.school_a)
    with time_machine.travel(START + timedelta(days=20), tick=False):
        with pytest.raises(actions.ProcessError, match="Not yet signed off"):
            actions.do_issue_final_plan(cw, request,
                                        quality_reason="Agreed", setting_type="mainstream")
        with pytest.raises(actions.ProcessError, match="Only a SEND manager"):
            actions.do_issue_final_plan(cw, request,
                                        quality_reason="Agreed",
                                        override_reason="Health did not reply",
                                        setting_type="mainstream")
        actions.do_issue_final_plan(manager, request,
                                    quality_reason="Agreed", override_reason="Health did not reply",
                                    named_setting=world.school_a, setting_type="mainstream")
        assert set(SignOff.objects.values_list("status", flat=True)) == {"overridden"}
        text = timeline_text(client_for("parent"), world.esi)
        assert "finalised the plan without sign-off" in text and "Health did not reply" in text
