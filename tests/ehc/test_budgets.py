"""Personal budgets (section J) and EOTAS packages: the rules, the counts, the pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from tellonce.access.models import AuditEvent
from tellonce.ehc import actions, budgets
from tellonce.ehc.models import EotasPackage, PersonalBudget, TimelineEvent
from tellonce.notify.models import Message
from tests.ehc.cases import esi_case
from tests.factories import make_staff

TODAY = date(2027, 3, 1)
K = PersonalBudget.Kind


def test_counts_take_up_by_kind_once_per_plan_and_count_overturned_refusals() -> None:
    counts = budgets.budget_counts([
        (1, "agreed", K.DIRECT_PAYMENT, ""),
        (1, "agreed", K.ORGANISED, ""),  # plan 1 has two: taken up once, in each kind
        (2, "refused", K.DIRECT_PAYMENT, "overturned"),
        (3, "refused", "", "upheld"),
        (4, "requested", "", ""),
        (5, "not_requested", "", ""),
        (6, "agreed", K.NOTIONAL, ""),
    ])
    assert (counts.requested, counts.taken_up, counts.refused, counts.refusals_reviewed) == (
        5, 3, 1, 2)
    assert (counts.direct_payment, counts.organised, counts.notional, counts.third_party) == (
        2, 1, 1, 0)


def test_an_eotas_review_is_due_the_set_period_after_the_last_review_or_the_start() -> None:
    start = date(2027, 1, 4)
    assert budgets.eotas_review_due(start, None, 12) == start + timedelta(weeks=12)
    assert budgets.eotas_review_due(start, date(2027, 2, 1), 6) == date(2027, 3, 15)


def _plan(world):  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        return esi_case(world, "final_issued").plan


def _d(prefix: str, d: date) -> dict[str, str]:
    return {f"{prefix}_0": str(d.day), f"{prefix}_1": str(d.month), f"{prefix}_2": str(d.year)}


def _url(name: str, **kwargs: int) -> str:
    return reverse(f"ehc:{name}", kwargs=kwargs)


def test_a_refusal_without_reasons_is_refused_naming_the_field_and_nothing_saved(
        world, client_for) -> None:
    plan = _plan(world)
    with time_machine.travel(TODAY, tick=False):
        response = client_for("caseworker").post(_url("personal_budgets", plan_id=plan.pk), {
            "status": "refused", **_d("requested_on", date(2027, 2, 1)),
            **_d("decided_on", date(2027, 2, 20))})
    assert response.status_code == 200
    assert "reasons" in response.context["form"].errors
    assert not PersonalBudget.objects.exists()


def test_a_refusal_reviewed_and_overturned_counts_as_taken_up(world, client_for) -> None:
    plan = _plan(world)
    with time_machine.travel(TODAY, tick=False):
        client = client_for("caseworker")
        before = Message.objects.count()
        response = client.post(_url("personal_budgets", plan_id=plan.pk), {
            "status": "refused", **_d("requested_on", date(2027, 2, 1)),
            **_d("decided_on", date(2027, 2, 20)),
            "reasons": "The provision is part of the school's offer"})
        assert response.status_code == 302
        budget = PersonalBudget.objects.get()
        assert Message.objects.count() > before  # the family is told the reasons
        assert budgets.personal_budget_counts([world.la.pk]).refused == 1
        response = client.post(_url("personal_budget", budget_id=budget.pk), {
            "status": "refused", **_d("requested_on", date(2027, 2, 1)),
            **_d("decided_on", date(2027, 2, 20)),
            "reasons": "The provision is part of the school's offer", "review": "overturned",
            **_d("review_asked_on", date(2027, 2, 22)),
            **_d("review_decided_on", date(2027, 2, 27)),
            "review_reasons": "Speech therapy is beyond the school's offer",
            "kind": "direct_payment", "amount": "1200", "period": "year",
            "provision_covered": "Speech and language therapy in F", "edition": "1"})
    assert response.status_code == 302
    counts = budgets.personal_budget_counts([world.la.pk])
    assert (counts.taken_up, counts.refused, counts.direct_payment) == (1, 0, 1)
    assert TimelineEvent.objects.filter(child=world.esi,
                                        summary__startswith="Reviewed: the budget").exists()
    assert AuditEvent.objects.filter(subject="EHC plan personal budget",
                                     child=world.esi).count() == 2


def test_a_change_made_from_an_older_edition_is_refused_and_loses_nothing(world,
                                                                        client_for) -> None:
    plan = _plan(world)
    with time_machine.travel(TODAY, tick=False):
        budget = actions.do_record_personal_budget(world.users["caseworker"], plan, {
            "status": "requested", "requested_on": date(2027, 2, 1)})
        actions.do_record_personal_budget(world.users["caseworker"], plan, {
            "status": "requested", "requested_on": date(2027, 2, 2), "edition": 1}, budget)
        response = client_for("caseworker").post(_url("personal_budget", budget_id=budget.pk), {
            "status": "not_requested", "edition": "1"})
    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    assert 'value="not_requested" selected' in response.content.decode()
    budget.refresh_from_db()
    assert (budget.status, budget.edition) == ("requested", 2)


def _package(world, plan, **changes):  # type: ignore[no-untyped-def]
    actions.do_set_eotas(world.users["caseworker"], plan, eotas=True)
    plan.refresh_from_db()
    data = {"providers": "Home tutor\nForest school", "hours_a_week": 15,
            "provision": "Literacy and numeracy tuition from F", "cost_a_year": 18000,
            "started_on": date(2026, 9, 1), "review_every_weeks": 12} | changes
    return actions.do_record_eotas_package(world.users["caseworker"], plan, data)


def test_only_a_send_manager_changes_how_often_a_package_is_reviewed(world) -> None:
    plan = _plan(world)
    with time_machine.travel(TODAY, tick=False):
        package = _package(world, plan)
        with pytest.raises(actions.ProcessError, match="Only a SEND manager"):
            actions.do_record_eotas_package(world.users["caseworker"], plan,
                                            {"review_every_weeks": 6, "edition": 1}, package)
        manager = make_staff("eotas_manager", world.send_team, "la_manager")
        actions.do_record_eotas_package(manager, plan, {"review_every_weeks": 6, "edition": 1},
                                        package)
    assert EotasPackage.objects.get().review_every_weeks == 6


def test_a_package_needs_the_plan_to_be_eotas(world) -> None:
    plan = _plan(world)
    with time_machine.travel(TODAY, tick=False), pytest.raises(actions.ProcessError,
                                                               match="EOTAS"):
        actions.do_record_eotas_package(world.users["caseworker"], plan, {
            "providers": "Tutor", "hours_a_week": 5, "provision": "x", "cost_a_year": 1,
            "started_on": TODAY, "review_every_weeks": 12})


def test_an_overdue_package_review_is_on_the_worklist_and_audited(world, client_for) -> None:
    plan = _plan(world)
    with time_machine.travel(TODAY, tick=False):
        package = _package(world, plan)  # started 1 Sept 2026, 12 weeks: due 24 Nov 2026
        assert budgets.is_overdue(package, TODAY)
        response = client_for("caseworker").get(reverse("ehc:worklist"))
        assert response.status_code == 200
        assert [p.pk for p, _due in response.context["eotas_overdue"]] == [package.pk]
        assert "Esi" in response.content.decode().split('id="eotas-overdue"')[1][:400]
        assert AuditEvent.objects.filter(subject="EHC worklist: EOTAS reviews overdue").exists()
        # A review held clears it, and the timeline says so.
        actions.do_record_eotas_package(world.users["caseworker"], plan, {
            "last_reviewed_on": date(2027, 2, 15), "edition": 1}, package)
        response = client_for("caseworker").get(reverse("ehc:worklist"))
    assert response.context["eotas_overdue"] == []
    assert TimelineEvent.objects.filter(child=world.esi,
                                        summary="The EOTAS package was reviewed").exists()


def test_the_package_form_names_the_field_for_bad_input(world, client_for) -> None:
    plan = _plan(world)
    with time_machine.travel(TODAY, tick=False):
        actions.do_set_eotas(world.users["caseworker"], plan, eotas=True)
        response = client_for("caseworker").post(_url("eotas_packages", plan_id=plan.pk), {
            "providers": "Tutor", "hours_a_week": "lots", "provision": "Tuition",
            "cost_a_year": "9000", **_d("started_on", date(2027, 1, 4)),
            "review_every_weeks": "12"})
    assert response.status_code == 200
    assert response.context["form"].errors["hours_a_week"] == ["Enter the hours as a number"]
    assert not EotasPackage.objects.exists()
