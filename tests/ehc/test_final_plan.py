"""A final plan cannot be issued incomplete; the draft page shows the feedback beside each
section; asking for changes is not "Done"; the family's step is not the caseworker's turn."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from tellonce.access.policy import get_child_or_404
from tellonce.ehc import actions, queries
from tellonce.ehc.models import Plan, PlanVersion, SignOff, Step
from tellonce.notify.models import Message
from tests.ehc.cases import esi_case
from tests.factories import make_staff

START = date(2027, 1, 4)  # after the test world's memberships start
AFTER_15_DAYS = START + timedelta(days=15)


def _draft(world, sections: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    with time_machine.travel(START, tick=False):
        request = esi_case(world, "drafting")
        chosen = actions.assemble_draft(request) if sections is None else sections
        actions.do_issue_draft(world.users["caseworker"], request, sections=chosen)
    request.refresh_from_db()
    return request


def _sign_all(world, request) -> None:  # type: ignore[no-untyped-def]
    for item in request.plan.versions.get().sign_offs.all():
        user = world.users["dco" if item.area == "health" else "socialworker"]
        actions.do_sign_off(user, item, approve=True)


def test_the_reported_plan_is_refused_naming_each_thing_missing(world, client_for) -> None:
    """No school in section I, no consultation, an empty section A, outcomes 'better
    talking': refused through the page, each missing thing named, nothing saved."""
    with time_machine.travel(START, tick=False):
        request = esi_case(world, "drafting")
        chosen = actions.assemble_draft(request) | {"A": "", "E": "better talking"}
        actions.do_issue_draft(world.users["caseworker"], request, sections=chosen)
    with time_machine.travel(AFTER_15_DAYS, tick=False):
        _sign_all(world, request)
        before = Message.objects.count()
        response = client_for("caseworker").post(
            reverse("ehc:final", kwargs={"request_id": request.pk}),
            {"named_setting": "", "setting_type": ""})
        text = response.content.decode()
    assert response.status_code == 200
    assert "Section A is empty" in text
    assert "Section H2 is empty" in text and "Section J is empty" in text
    assert "no school or other institution is named" in text
    assert "reg 12(1)" in text and "s.40(2)" in text
    plan = Plan.objects.get(request=request)
    assert plan.status == Plan.Status.DRAFT
    assert not plan.versions.filter(kind=PlanVersion.Kind.FINAL).exists()
    assert Message.objects.count() == before


def test_naming_a_school_needs_a_consultation_and_a_manager_cannot_override_it(world) -> None:
    from tests.ehc.cases import complete_sections

    manager = make_staff("manager", world.send_team, "la_manager")
    with time_machine.travel(START, tick=False):
        request = esi_case(world, "drafting")
        actions.do_issue_draft(world.users["caseworker"], request,
                               sections=complete_sections(request))
    with time_machine.travel(AFTER_15_DAYS, tick=False):
        for user in (world.users["caseworker"], manager):
            with pytest.raises(actions.IncompletePlan) as refused:
                actions.do_issue_final_plan(user, request,
                                            quality_reason="Agreed", named_setting=world.school_b,
                                            setting_type="mainstream",
                                            override_reason="We are in a hurry")
            assert [f.missing for f in refused.value.findings] == [
                "Section I: Beta Primary has not been consulted: consult it before naming it"]
        assert not SignOff.objects.filter(status=SignOff.Status.OVERRIDDEN).exists()
        actions.do_consult_setting(world.users["caseworker"], request.plan, world.school_b)
        _sign_all(world, request)
        final = actions.do_issue_final_plan(world.users["caseworker"], request,
                                            quality_reason="Agreed",
                                            named_setting=world.school_b,
                                            setting_type="mainstream")
    assert final.sections["I"] == "Beta Primary (mainstream school or academy)"
    assert final.named_setting_name == "Beta Primary"
    plan = Plan.objects.get(request=request)
    assert plan.named_setting_id == world.school_b.pk and plan.setting_type == "mainstream"
    # the named school is sent the plan too (CFA s.40(5)); it gave no advice
    assert Message.objects.filter(to=world.users["senco_b"],
                                  subject="The final EHC plan has been issued").exists()


def test_the_type_alone_issues_without_naming_a_school(world) -> None:
    from tests.ehc.cases import complete_sections

    with time_machine.travel(START, tick=False):
        request = esi_case(world, "drafting")
        Plan.objects.filter(request=request).update(named_setting=None)
        actions.do_issue_draft(world.users["caseworker"], request,
                               sections=complete_sections(request))
    with time_machine.travel(AFTER_15_DAYS, tick=False):
        _sign_all(world, request)
        final = actions.do_issue_final_plan(world.users["caseworker"], request,
                                            quality_reason="Agreed",
                                            setting_type="special")
    assert final.sections["I"] == "Type of school or other institution: Special school or " \
        "special academy"


def test_the_familys_15_days_cannot_be_overridden(world) -> None:
    from tests.ehc.cases import complete_sections

    manager = make_staff("manager", world.send_team, "la_manager")
    with time_machine.travel(START, tick=False):
        request = esi_case(world, "drafting")
        actions.do_issue_draft(world.users["caseworker"], request,
                               sections=complete_sections(request))
        actions.do_consult_setting(world.users["caseworker"], request.plan, world.school_a)
    with time_machine.travel(START + timedelta(days=14), tick=False), \
            pytest.raises(actions.IncompletePlan, match="until 18 January 2027"):
        actions.do_issue_final_plan(manager, request,
                                    quality_reason="Agreed", named_setting=world.school_a,
                                    setting_type="mainstream", override_reason="Urgent")


def test_the_school_the_family_asks_for_must_be_consulted(world) -> None:
    from tests.ehc.cases import complete_sections

    with time_machine.travel(START, tick=False):
        request = esi_case(world, "drafting")
        actions.do_issue_draft(world.users["caseworker"], request,
                               sections=complete_sections(request))
        actions.do_consult_setting(world.users["caseworker"], request.plan, world.school_a)
        child, access = get_child_or_404(world.users["parent"], world.esi.pk)
        actions.do_comment_on_draft(world.users["parent"], request.plan.versions.get(), access,
                                    comments="We would like Beta", preferred_setting="beta primary")
        _sign_all(world, request)
        with pytest.raises(actions.IncompletePlan, match=f"the family asked for "
                                                         f"{world.school_b.name}"):
            actions.do_issue_final_plan(world.users["caseworker"], request,
                                            quality_reason="Agreed",
                                        named_setting=world.school_a, setting_type="mainstream")
        actions.do_consult_setting(world.users["caseworker"], request.plan, world.school_b)
        actions.do_issue_final_plan(world.users["caseworker"], request,
                                            quality_reason="Agreed",
                                    named_setting=world.school_a, setting_type="mainstream")


def test_the_draft_names_no_school(world, client_for) -> None:
    """CFA s.38(5): the draft neither names a school nor gives a type."""
    request = _draft(world)
    draft = request.plan.versions.get()
    assert draft.named_setting_name == "" and draft.sections["I"] == ""
    with time_machine.travel(START, tick=False):
        page = client_for("caseworker").get(reverse("ehc:draft",
                                                    kwargs={"request_id": request.pk}))
    assert "named_setting" not in page.context["form"].fields


def test_the_draft_page_shows_feedback_beside_its_sections(world, client_for) -> None:
    request = _draft(world)
    version = request.plan.versions.get()
    with time_machine.travel(START + timedelta(days=3), tick=False):
        child, access = get_child_or_404(world.users["parent"], world.esi.pk)
        response = client_for("parent").post(
            reverse("ehc:comment", kwargs={"version_id": version.pk}),
            {"comments": "Thank you for listening.", "section_F": "Add speech therapy weekly.",
             "preferred_setting": "Alpha Primary"})
        assert response.status_code == 302
        health = version.sign_offs.get(area="health")
        actions.do_sign_off(world.users["dco"], health, approve=False,
                            comment="Section G needs the SALT hours")
        page = client_for("caseworker").get(reverse("ehc:draft",
                                                    kwargs={"request_id": request.pk}))
    html = page.content.decode()
    notes = dict((field.name, feedback) for field, feedback, _found in
                 page.context["section_fields"])
    assert [n.text for n in notes["section_F"]] == ["Add speech therapy weekly."]
    assert [n.text for n in notes["section_C"]] == ["Section G needs the SALT hours"]
    assert [n.text for n in notes["section_G"]] == ["Section G needs the SALT hours"]
    assert notes["section_A"] == [] and notes["section_D"] == []
    # beside the section: the note comes just before that section's own box
    f_note = html.index("Add speech therapy weekly.")
    assert html.index('id="feedback-section_F"') < f_note < html.index('name="section_F"')
    assert html.index('name="section_E"') < f_note
    assert "Thank you for listening." in html and "Alpha Primary" in html
    assert "Changes asked for" in html


def test_asking_for_changes_is_not_shown_as_done(world, client_for) -> None:
    request = _draft(world)
    with time_machine.travel(START + timedelta(days=2), tick=False):
        item = request.plan.versions.get().sign_offs.get(area="health")
        actions.do_sign_off(world.users["dco"], item, approve=False, comment="Fix G")
        step = Step.objects.get(sign_off=item)
        view = queries.describe_step(step, START + timedelta(days=2))
        assert view.state == "changes_requested" and "Done" not in view.words
        text = client_for("caseworker").get(
            reverse("ehc:timeline", kwargs={"child_id": world.esi.pk})).content.decode()
    row = text[text.index("Sign off health"):]
    row = row[:row.index("</tr>")]
    assert "Changes asked for" in row and "Done" not in row


def test_the_familys_step_is_their_turn_only_to_them(world, client_for) -> None:
    _draft(world)
    with time_machine.travel(START + timedelta(days=1), tick=False):
        texts = {who: client_for(who).get(
            reverse("ehc:timeline", kwargs={"child_id": world.esi.pk})).content.decode()
            for who in ("parent", "caseworker", "dco")}
    assert "It is your turn" in texts["parent"]
    for who in ("caseworker", "dco"):
        assert "It is your turn" not in texts[who]
        assert "Waiting on the family: they can comment on the draft plan" in texts[who]
