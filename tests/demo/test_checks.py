"""One truth per child: the generated area agrees with itself (tellonce.demo.checks), and each
check catches the broken record it is for."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tellonce.access.models import Consent
from tellonce.access.policy import child_access
from tellonce.demo import checks
from tellonce.demo.area import generate_area
from tellonce.ehc import actions
from tellonce.ehc.models import AssessmentRequest, Plan, PlanVersion, Step
from tellonce.health.models import Pathway, Referral
from tellonce.invitations.models import Invitation
from tellonce.invitations.policy import may_invite
from tellonce.notify.models import Message
from tellonce.people.models import Child, Organisation, StaffMembership, User
from tests.factories import consent, involve, make_child, make_org, statutory_basis

TODAY = date.today()


@pytest.fixture(autouse=True)
def _today_at_the_test() -> None:
    """Read the day as each test starts, not when the module was imported: a run that crosses
    midnight would otherwise compare yesterday with records the factories date today."""
    global TODAY
    TODAY = date.today()
Status = Child.SendStatus


@pytest.fixture
def area(db):  # type: ignore[no-untyped-def]
    return generate_area(seed=11, children=3000, progress=lambda message: None)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_generated_area_agrees_with_itself(area) -> None:  # type: ignore[no-untyped-def]
    problems = checks.check_area(area.today)
    assert problems == [], "\n".join(str(p) for p in problems[:20])
    # Not vacuously: the area has plans, requests in progress, referrals and open advice.
    assert Plan.objects.filter(status=Plan.Status.ACTIVE).count() > 100
    assert AssessmentRequest.objects.filter(stage__in=AssessmentRequest.OPEN_STAGES).exists()
    assert Referral.objects.filter(status__in=Referral.OPEN_STATUSES).count() > 100
    assert Step.objects.filter(kind=Step.Kind.ADVICE, done_on=None).exists()
    call_command("check_area")  # and the command says so (it raises on a problem)
    # Every invitation was sent by someone who may invite to that record, to a parent with
    # parental responsibility the record holds, and is still open (the demo's is Kwame's).
    invitations = list(Invitation.objects.select_related("child", "adult", "invited_by"))
    assert invitations
    for invitation in invitations:
        found = child_access(invitation.invited_by, invitation.child_id)
        assert found is not None and may_invite(invitation.invited_by, found[1])
        assert invitation.adult is not None and invitation.adult.user_id is None
        assert invitation.adult.links.get(child=invitation.child).parental_responsibility
        assert invitation.is_open()
        assert Message.objects.filter(to_address=invitation.email, child=invitation.child).exists()


def test_the_demo_accounts_children_are_told_once(area) -> None:  # type: ignore[no-untyped-def]
    kofi, zara = area.demo_children["kofi"], area.demo_children["zara"]
    # Zara's record says EHC plan: her timeline shows the plan, not "no process".
    page = _client(area.users["youngperson"]).get(reverse("ehc:timeline", args=[zara.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "No EHC process has started" not in text
    assert "Final plan" in text and "Ask for an EHC needs assessment" not in text
    # The services treating them see the record they work from.
    for child, service in [(kofi, "neurodevelopmental"), (zara, "physio")]:
        practitioners = User.objects.filter(
            memberships__organisation=area.health_services[service],
            memberships__role=StaffMembership.Role.HEALTH_PRACTITIONER)
        assert practitioners and all(child_access(u, child.pk) is not None
                                     for u in practitioners), service
    # The council's SEND team is not offered consent it does not need.
    consent_page = _client(area.users["parent"]).get(
        reverse("access:consent", args=[kofi.pk])).content.decode()
    send = area.la_teams["send"].name
    assert send in consent_page and f"Give consent<span class=\"govuk-visually-hidden\"> " \
        f"for {send}" not in consent_page


# ----- each check catches what it is for (on the small test world) -----


def _about(problems: list[checks.Problem], child: Child) -> list[str]:
    return [p.detail for p in problems if str(child.pk) in p.subject]


def test_plans_catches_a_plan_status_with_no_plan_and_a_plan_with_no_history(world) -> None:
    child = make_child(world.la, send_status=Status.EHC_PLAN)
    assert _about(checks.plans(TODAY), child) == [
        "the record says EHC plan, but no plan has been issued"]
    Plan.objects.create(child=child, status=Plan.Status.ACTIVE, issued_on=TODAY)
    assert sorted(_about(checks.plans(TODAY), child)) == [
        "no annual review in progress", "no final version", "nothing on the EHC timeline"]
    Child.objects.filter(pk=child.pk).update(send_status=Status.SEN_SUPPORT)
    assert "the plan is maintained but the record says sen_support" in _about(
        checks.plans(TODAY), child)


def test_plans_passes_a_plan_issued_through_the_actions(world) -> None:
    from tests.ehc.cases import esi_case

    esi_case(world, "final_issued")
    assert _about(checks.plans(TODAY), world.esi) == []
    assert PlanVersion.objects.filter(plan__child=world.esi, kind="final").exists()


def test_assessments_catches_a_status_with_no_request_and_a_request_with_no_status(
        world) -> None:
    child = make_child(world.la, send_status=Status.ASSESSMENT)
    assert _about(checks.assessments(TODAY), child) == [
        "the record says assessment, but no request is in progress"]
    from tests.ehc.cases import esi_case

    esi_case(world, "received")
    assert _about(checks.assessments(TODAY), world.esi) == []
    Child.objects.filter(pk=world.esi.pk).update(send_status=Status.SEN_SUPPORT)
    assert _about(checks.assessments(TODAY), world.esi) == [
        "in progress, but the record says sen_support"]


def test_sharing_catches_a_service_working_with_a_child_it_cannot_see(world) -> None:
    # The test world's therapist works with Esi, whose family has not consented.
    assert any("Speech and Language Therapy works with the child" in d
               for d in _about(checks.sharing(TODAY), world.esi))
    consent(world.esi, world.slt)
    assert _about(checks.sharing(TODAY), world.esi) == []
    clinic = make_org("Audiology", Organisation.Kind.HEALTH_SERVICE, parent=world.trust)
    involve(world.bea, clinic)
    assert len(_about(checks.sharing(TODAY), world.bea)) == 1
    statutory_basis(world.bea, clinic)
    assert _about(checks.sharing(TODAY), world.bea) == []


def test_sharing_catches_an_open_referral_its_service_cannot_see(world) -> None:
    pathway = Pathway.objects.create(kind="audiology", provider=world.slt,
                                     local_authority=world.la)
    referral = Referral.objects.create(child=world.bea, pathway=pathway, received_on=TODAY,
                                       provider_reference="R1", referrer_name="GP")
    assert _about(checks.sharing(TODAY), world.bea) == [
        f"open referral {referral.pk} to {world.slt}, which has no active involvement with "
        f"the child"]
    involve(world.bea, world.slt)
    consent(world.bea, world.slt)
    assert _about(checks.sharing(TODAY), world.bea) == []
    Consent.objects.filter(child=world.bea, organisation=world.slt).update(
        withdrawn_at=timezone.now())
    assert len(_about(checks.sharing(TODAY), world.bea)) == 2  # the involvement and referral


def test_waiting_catches_a_step_no_one_can_act_on_or_see_or_find(world) -> None:
    from tests.ehc.cases import esi_case

    request = esi_case(world, "assessing")
    assert _about(checks.waiting(TODAY), world.esi) == []
    # A family step for a child whose family has no account: no one can act.
    orphan = make_child(world.la, send_status=Status.ASSESSMENT)
    actions._open_step(orphan, Step.Kind.DRAFT_COMMENTS, Step.Stage.DRAFT, "Comment",
                       TODAY, waiting_on=Step.WaitingOn.FAMILY)
    assert _about(checks.waiting(TODAY), orphan) == [
        "waits on The family, but no one can act"]
    # Advice asked of a named adviser who has no basis to see the child.
    ep_service = request.advice_requests.get(kind="ep").organisation
    actions._open_step(world.bea, Step.Kind.ADVICE, Step.Stage.ASSESSMENT, "Give advice",
                       TODAY, waiting_on=Step.WaitingOn.ORGANISATION, organisation=ep_service,
                       person=world.users["ep"])
    assert _about(checks.waiting(TODAY), world.bea) == [
        f"waits on {world.users['ep']}, who cannot open the record"]
    # A council step whose copy of the child's status is stale: not in the worklist.
    step = actions._open_step(world.kofi, Step.Kind.ANNUAL_REVIEW, Step.Stage.REVIEW,
                              "Hold the annual review", TODAY - timedelta(days=10),
                              organisation=world.send_team)
    Step.objects.filter(pk=step.pk).update(child_send_status=Status.NONE)
    assert _about(checks.waiting(TODAY), world.kofi) == [
        f"waits on {world.users['caseworker']}, but is not in their worklist"]


def test_check_area_command_fails_and_lists_the_problems(world, capsys) -> None:
    make_child(world.la, given_name="Orphaned", send_status=Status.EHC_PLAN)
    with pytest.raises(CommandError, match="problem"):
        call_command("check_area", only=["plans"])
    assert "Orphaned" in capsys.readouterr().out
