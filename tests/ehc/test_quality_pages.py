"""Quality findings beside the draft, considered with a reason, and the reason asked for when the
final plan is issued with findings open; sign-off owners see their sections' findings."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from django.urls import reverse

from tellonce.access.models import AuditEvent
from tellonce.ehc import actions, quality_facts
from tellonce.ehc.models import ConsideredFinding, Plan, PlanVersion
from tests.ehc.cases import complete_sections, esi_case

START = date(2027, 1, 4)  # after the test world's memberships start
AFTER_15_DAYS = START + timedelta(days=15)
VAGUE = "Access to regular speech therapy as required."


def _sections(request, **changes: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return complete_sections(request) | changes


def _posted(sections: dict[str, str], **extra: str) -> dict[str, str]:
    return {f"section_{k}": v for k, v in sections.items()} | extra


def test_the_draft_page_shows_each_sections_findings_and_their_counts(world,
                                                                      client_for) -> None:
    with time_machine.travel(START, tick=False):
        request = esi_case(world, "drafting")
        response = client_for("caseworker").get(
            reverse("ehc:draft", kwargs={"request_id": request.pk}))
    assert response.status_code == 200
    counts = {key: (open_, all_) for key, _t, open_, all_ in response.context["quality_counts"]}
    expected = quality_facts.plan_quality(request.plan, actions.assemble_draft(request), START)
    by_section = expected.by_section()
    assert counts["F"] == (len(by_section["F"]), len(by_section["F"])) and counts["F"][0] > 0
    text = response.content.decode()
    assert 'id="quality-counts"' in text and 'id="quality-F"' in text


def test_checking_keeps_the_text_and_the_reason_and_sends_nothing(world, client_for) -> None:
    with time_machine.travel(START, tick=False):
        request = esi_case(world, "drafting")
        sections = _sections(request, F=VAGUE)
        plan = request.plan
        checked = quality_facts.plan_quality(plan, sections, START)
        vague = next(c for c in checked.open if c.finding.code == "provision_vague")
        response = client_for("caseworker").post(
            reverse("ehc:draft", kwargs={"request_id": request.pk}),
            _posted(sections, intent="check",
                    **{f"considered_{vague.ref}": "The family asked for this wording"}))
    assert response.status_code == 200
    assert not PlanVersion.objects.filter(plan=plan).exists()  # nothing sent
    assert VAGUE in response.content.decode()  # nothing lost
    row = ConsideredFinding.objects.get(plan=plan)
    assert (row.key, row.reason) == (vague.finding.key, "The family asked for this wording")
    assert "The family asked for this wording" in response.content.decode()
    assert AuditEvent.objects.filter(subject="EHC plan quality findings considered",
                                     child=world.esi).exists()
    # The finding now shows as considered, the others stay open.
    after = quality_facts.plan_quality(plan, sections, START)
    assert len(after.open) == len(checked.open) - 1


def test_fixing_the_wording_removes_its_finding(world, client_for) -> None:
    with time_machine.travel(START, tick=False):
        request = esi_case(world, "drafting")
        client = client_for("caseworker")
        url = reverse("ehc:draft", kwargs={"request_id": request.pk})
        poor = client.post(url, _posted(_sections(request, F=VAGUE), intent="check"))
        fixed = client.post(url, _posted(_sections(
            request, F="A speech and language therapist will work with Esi for 30 minutes "
                       "twice a week until the annual review."), intent="check"))
    def open_in_f(response) -> int:  # type: ignore[no-untyped-def]
        return next(n for key, _t, n, _all in response.context["quality_counts"] if key == "F")

    assert open_in_f(poor) > 0
    assert open_in_f(fixed) == 0


def _ready_for_final(world, sections_change: dict[str, str]):  # type: ignore[no-untyped-def]
    with time_machine.travel(START, tick=False):
        request = esi_case(world, "drafting")
        actions.do_issue_draft(world.users["caseworker"], request,
                               sections=_sections(request, **sections_change))
        consultation = actions.do_consult_setting(world.users["caseworker"], request.plan,
                                                  world.school_a)
        actions.do_reply_to_consultation(world.users["caseworker"], consultation,
                                         can_meet=True)
    with time_machine.travel(AFTER_15_DAYS, tick=False):
        for item in request.plan.versions.get().sign_offs.all():
            user = world.users["dco" if item.area == "health" else "socialworker"]
            actions.do_sign_off(user, item, approve=True)
    request.refresh_from_db()
    return request


def test_issuing_with_open_findings_asks_for_the_reason_naming_the_field(world,
                                                                         client_for) -> None:
    request = _ready_for_final(world, {"F": VAGUE})
    url = reverse("ehc:final", kwargs={"request_id": request.pk})
    form = {"named_setting": world.school_a.pk, "setting_type": "mainstream"}
    with time_machine.travel(AFTER_15_DAYS, tick=False):
        refused = client_for("caseworker").post(url, form)
        assert refused.status_code == 200
        assert "quality_reason" in refused.context["form"].errors
        assert "still open" in refused.context["form"].errors["quality_reason"][0]
        assert Plan.objects.get(pk=request.plan.pk).status == Plan.Status.DRAFT
        assert not ConsideredFinding.objects.exists()
        issued = client_for("caseworker").post(
            url, form | {"quality_reason": "Speech therapy hours agreed at the panel"})
    assert issued.status_code == 302
    plan = Plan.objects.get(pk=request.plan.pk)
    assert plan.status == Plan.Status.ACTIVE
    rows = list(ConsideredFinding.objects.filter(plan=plan))
    assert rows and all(r.at_issue and r.reason == "Speech therapy hours agreed at the panel"
                        for r in rows)
    assert "provision_vague" in {r.code for r in rows}
    event = AuditEvent.objects.get(subject="EHC plan issued with quality findings open")
    assert event.child_id == world.esi.pk


def test_a_plan_with_nothing_open_is_issued_without_a_reason(world) -> None:
    request = _ready_for_final(world, {})
    with time_machine.travel(AFTER_15_DAYS, tick=False):
        plan = request.plan
        draft = plan.versions.get()
        open_ = quality_facts.plan_quality(plan, draft.sections, AFTER_15_DAYS, final=True).open
        actions.do_consider_findings(world.users["caseworker"], plan,
                                     [(c.finding, "Reviewed with the family") for c in open_])
        actions.do_issue_final_plan(world.users["caseworker"], request,
                                    named_setting=world.school_a, setting_type="mainstream")
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.ACTIVE
    assert not ConsideredFinding.objects.filter(at_issue=True).exists()


def test_sign_off_owners_see_the_findings_for_their_sections_only(world, client_for) -> None:
    request = _ready_for_final(world, {"G": VAGUE, "F": VAGUE})
    item = request.plan.versions.get().sign_offs.get(area="health")
    with time_machine.travel(AFTER_15_DAYS, tick=False):
        response = client_for("dco").get(reverse("ehc:sign_off",
                                                 kwargs={"sign_off_id": item.pk}))
    assert response.status_code == 200
    shown = {c.finding.section for _k, _t, _v, found in response.context["sections"]
             for c in found}
    assert shown == {"G"}
    text = response.content.decode()
    assert 'id="quality-G"' in text and 'id="quality-F"' not in text
