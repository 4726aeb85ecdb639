"""What waits on someone is in their list.

For every open EHC step, each person who can act on it (the named adviser; every practitioner
of the service or setting it waits on; the SEND team for the council's steps; the family for
theirs) finds it in their own list, fetched over HTTP as they would, and can open the child's
record. Held across the whole generated demo area and the test world at every stage of the
process; and being asked for advice is a statutory basis that lasts as long as the process.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tellonce.access.models import AuditEvent, StatutoryBasis
from tellonce.access.policy import child_access, get_child_or_404
from tellonce.demo.area import generate_area
from tellonce.ehc import actions
from tellonce.ehc.models import AdviceRequest, Step
from tellonce.ehc.routing import step_actors
from tellonce.people.models import Involvement, User
from tests.ehc.cases import ADVISERS, esi_case
from tests.factories import make_child, make_staff

Waiting = Step.WaitingOn


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _listed(client: Client, url: str, rows_of: Any) -> set[int]:
    """Every step id on every page of a list page, following its pages."""
    found: set[int] = set()
    page = 1
    while True:
        response = client.get(url, {"page": page})
        assert response.status_code == 200, url
        found |= rows_of(response.context)
        if not response.context["listing"].page.has_next():
            return found
        page += 1


def assert_every_open_step_reaches_everyone_it_waits_on() -> int:
    """The invariant, over HTTP: returns how many (step, person) pairs it checked."""
    steps = list(Step.objects.filter(done_on__isnull=True, cancelled=False)
                 .select_related("child__local_authority", "waiting_on_user"))
    assert steps, "nothing to check"
    expected: dict[tuple[int, str], set[Any]] = defaultdict(set)
    users: dict[int, User] = {}
    pairs = 0
    for step in steps:
        actors = step_actors(step)
        assert actors, f"no one can act on {step} ({step.waiting_on_label()})"
        for user in actors:
            assert child_access(user, step.child_id) is not None, (
                f"{step} waits on {user}, who cannot open the record")
            where = {Waiting.FAMILY: "family", Waiting.LOCAL_AUTHORITY: "worklist"}.get(
                step.waiting_on, "asked")
            expected[(user.pk, where)].add(step.pk if where != "family" else step.child_id)
            users[user.pk] = user
            pairs += 1
    for (user_pk, where), wanted in expected.items():
        client = _client(users[user_pk])
        if where == "asked":
            listed = _listed(client, reverse("ehc:my_requests"),
                             lambda context: {v.step.pk for v in context["rows"]})
        elif where == "worklist":
            listed = _listed(client, reverse("ehc:worklist"),
                             lambda context: {row.step.pk for row in context["rows"]})
        else:
            # A family finds their child's steps on the child's timeline.
            listed = set()
            for child_id in wanted:
                response = client.get(reverse("ehc:timeline", args=[child_id]))
                assert response.status_code == 200
                if any(v.step.is_open for v in response.context["t"].next_steps):
                    listed.add(child_id)
        missing = wanted - listed
        assert not missing, f"{users[user_pk]}: {len(missing)} step(s) missing from their {where}"
    return pairs


@pytest.mark.django_db
def test_every_open_step_in_the_generated_area_reaches_everyone_it_waits_on() -> None:
    generate_area(seed=2026, children=3000, progress=lambda message: None)
    kinds = set(Step.objects.filter(done_on__isnull=True, cancelled=False)
                .values_list("waiting_on", flat=True))
    assert kinds == {Waiting.FAMILY, Waiting.LOCAL_AUTHORITY, Waiting.ORGANISATION}
    assert assert_every_open_step_reaches_everyone_it_waits_on() > 500


@pytest.mark.parametrize("stage", ["received", "assessing", "drafting", "draft_issued",
                                   "consulting", "final_issued"])
def test_every_open_step_in_the_test_world_reaches_everyone_it_waits_on(world, stage) -> None:
    request = esi_case(world, "draft_issued" if stage == "consulting" else stage)
    if stage == "consulting":
        make_staff("senco_b2", world.school_b, "senco")  # the whole team is asked
        actions.do_consult_setting(world.users["caseworker"], request.plan, world.school_b)
    assert assert_every_open_step_reaches_everyone_it_waits_on() > 0


# ----- being asked for advice is a statutory basis, for as long as the process needs -----


def _sees(user: User, child: Any) -> bool:
    return _client(user).get(reverse("people:child", args=[child.pk])).status_code == 200


def test_asking_for_advice_records_a_basis_and_an_involvement_and_audits_them(world) -> None:
    request = esi_case(world, "assessing")
    for advice in request.advice_requests.select_related("organisation"):
        basis = StatutoryBasis.objects.get(child=world.esi, organisation=advice.organisation,
                                           basis=StatutoryBasis.Basis.EHC_ASSESSMENT)
        assert basis.end is None and "reg 6" in basis.reason
        assert basis.recorded_by == world.users["caseworker"]
        assert AuditEvent.objects.filter(
            child=world.esi, subject=f"Statutory basis for {advice.organisation}",
            detail__reason=basis.reason).exists()
        assert Involvement.objects.filter(Involvement.active_q(), child=world.esi,
                                          organisation=advice.organisation).exists()
        assert _sees(world.users[ADVISERS[advice.kind]], world.esi)


def test_the_basis_outlasts_the_advice_and_ends_with_the_final_plan(world) -> None:
    ep, dco, social = (world.users[n] for n in ("ep", "dco", "socialworker"))
    esi_case(world, "draft_issued")
    # The advice is in, but the draft is still to be signed off and commented on.
    assert all(_sees(user, world.esi) for user in (ep, dco, social))
    request = world.esi.ehc_requests.get()
    version = request.plan.versions.get()
    _child, access = get_child_or_404(world.users["parent"], world.esi.pk)
    actions.do_comment_on_draft(world.users["parent"], version, access, comments="Fine")
    for sign_off in version.sign_offs.all():
        actions.do_sign_off(dco if sign_off.area == "health" else social, sign_off,
                            approve=True)
    caseworker = world.users["caseworker"]
    consultation = actions.do_consult_setting(caseworker, request.plan, world.school_a)
    actions.do_reply_to_consultation(caseworker, consultation, can_meet=True)
    actions.do_issue_final_plan(caseworker, request,
                                quality_reason="Agreed", named_setting=world.school_a,
                                setting_type="mainstream")
    today = actions.today()
    for org_user in (ep, dco, social):
        assert not _sees(org_user, world.esi), org_user
    assessment = StatutoryBasis.objects.filter(child=world.esi,
                                               basis=StatutoryBasis.Basis.EHC_ASSESSMENT)
    assert assessment.exists() and set(assessment.values_list("end", flat=True)) == {today}
    made = assessment.exclude(involvement=None).values_list("involvement", flat=True)
    assert made and all(e == today for e in Involvement.objects.filter(pk__in=made)
                        .values_list("end", flat=True))
    assert AuditEvent.objects.filter(child=world.esi,
                                     subject__endswith="ended").count() == assessment.count()
    # The plan is the SEND team's to maintain now, and the caseworker still sees Esi.
    assert StatutoryBasis.objects.filter(child=world.esi, organisation=world.send_team,
                                         basis=StatutoryBasis.Basis.EHC_PLAN, end=None).exists()
    assert _sees(world.users["caseworker"], world.esi)
    # The school holds Esi's record: it still sees it, as before the process.
    assert _sees(world.users["senco"], world.esi)


def test_no_plan_ends_the_advisers_basis_and_the_caseworkers_after_the_appeal(world) -> None:
    request = esi_case(world, "assessing")
    for advice in request.advice_requests.all():
        actions.do_give_advice(world.users[ADVISERS[advice.kind]], advice, needs="n",
                               outcomes="o", provision="p")
    decision = actions.do_decide_plan(world.users["caseworker"], request, issue=False,
                                      reasons="Needs can be met at SEN support")
    assert not _sees(world.users["ep"], world.esi)
    assert not _sees(world.users["dco"], world.esi)
    caseworker = world.users["caseworker"]
    assert decision.appeal_deadline is not None
    with time_machine.travel(decision.appeal_deadline, tick=False):
        assert child_access(caseworker, world.esi.pk) is not None  # the last day to appeal
    with time_machine.travel(decision.appeal_deadline + timedelta(days=1), tick=False):
        assert child_access(caseworker, world.esi.pk) is None


def test_a_step_named_for_one_adviser_is_theirs_and_a_teams_is_everyones(world) -> None:
    request = esi_case(world, "assessing")
    second_ep = make_staff("ep2", request.advice_requests.get(kind="ep").organisation,
                           "educational_psychologist")
    second_social = make_staff("socialworker2",
                               request.advice_requests.get(kind="social_care").organisation,
                               "social_worker")
    ep_step = Step.objects.get(advice__kind="ep", request=request)
    social_step = Step.objects.get(advice__kind="social_care", request=request)

    def asked(user: User) -> set[int]:
        return _listed(_client(user), reverse("ehc:my_requests"),
                       lambda context: {v.step.pk for v in context["rows"]})

    assert ep_step.pk in asked(world.users["ep"]) and ep_step.pk not in asked(second_ep)
    assert social_step.pk in asked(world.users["socialworker"])
    assert social_step.pk in asked(second_social)
    assert _sees(second_social, world.esi) and not _sees(second_ep, world.esi)


def test_asked_of_me_links_each_step_to_where_it_is_done(world) -> None:
    request = esi_case(world, "draft_issued")
    consultation = actions.do_consult_setting(world.users["caseworker"], request.plan,
                                              world.school_b)
    response = _client(world.users["senco_b"]).get(reverse("ehc:my_requests"))
    assert response.status_code == 200
    assert reverse("ehc:consultation_reply", args=[consultation.pk]) in response.content.decode()
    reply = _client(world.users["senco_b"]).get(
        reverse("ehc:consultation_reply", args=[consultation.pk]))
    assert reply.status_code == 200
    sign_off = request.plan.versions.get().sign_offs.get(area="health")
    page = _client(world.users["dco"]).get(reverse("ehc:my_requests")).content.decode()
    assert reverse("ehc:sign_off", args=[sign_off.pk]) in page


def test_a_step_waiting_on_someone_who_cannot_see_the_child_is_caught(world) -> None:
    """The invariant can fail: an advice step for a child the adviser has no basis to see."""
    child = make_child(world.la, held_by=world.school_b, setting=world.school_b)
    advice_request = esi_case(world, "assessing")
    advice = AdviceRequest.objects.create(request=advice_request, kind="ep",
                                          organisation=advice_request.advice_requests.get(
                                              kind="ep").organisation,
                                          adviser=world.users["ep"], sent_on=actions.today())
    actions._open_step(child, Step.Kind.ADVICE, Step.Stage.ASSESSMENT, "Give advice",
                       actions.today(), clock_name="advice", waiting_on=Waiting.ORGANISATION,
                       organisation=advice.organisation, person=world.users["ep"],
                       advice=advice)
    with pytest.raises(AssertionError, match="cannot open the record"):
        assert_every_open_step_reaches_everyone_it_waits_on()
