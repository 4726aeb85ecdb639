"""The caseworker's worklist: scoped by the policy through the copies of the child each step
keeps, which follow the child's changes; sorted; a fixed number of queries whatever it shows."""

from __future__ import annotations

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tellonce.ehc import actions
from tellonce.ehc.models import Step
from tellonce.ehc.policy import ehc_step_caseload_q, statutory_caseload_q
from tellonce.people.models import Child, Locality
from tests.ehc.cases import esi_case
from tests.factories import make_child

Kind, Stage = Step.Kind, Step.Stage
TODAY = date.today()


@pytest.fixture(autouse=True)
def _today_at_the_test() -> None:
    """Read the day as each test starts, not when the module was imported: a run that crosses
    midnight would otherwise compare yesterday with records the factories date today."""
    global TODAY
    TODAY = date.today()


def open_step(child: Child, title: str, due: date | None) -> Step:
    return actions._open_step(child, Kind.FINAL_PLAN, Stage.FINAL, title,
                              TODAY - timedelta(days=100), due=due)


def worklist_titles(client, query: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(reverse("ehc:worklist") + query)
    assert response.status_code == 200
    return [v.step.title for v in response.context["rows"]]


def test_a_new_step_copies_its_childs_status_and_name(world) -> None:
    esi_case(world, "received")
    step = Step.objects.get(child=world.esi)
    assert (step.child_send_status, step.child_family_name, step.child_given_name) == (
        Child.SendStatus.ASSESSMENT, "Mensah", "Esi")
    assert step.local_authority_id == world.esi.local_authority_id


def test_a_refused_request_takes_the_childs_steps_out_of_the_caseload(world) -> None:
    request = esi_case(world, "received")
    actions.do_decide_assessment(world.users["caseworker"], request, agree=False,
                                 reasons="Needs can be met at SEN support")
    assert set(Step.objects.filter(child=world.esi).values_list("child_send_status",
                                                                 flat=True)) == {"sen_support"}


def test_the_final_plan_puts_every_step_of_the_child_under_the_plan_status(world) -> None:
    esi_case(world, "final_issued")
    statuses = set(Step.objects.filter(child=world.esi).values_list("child_send_status",
                                                                     flat=True))
    assert statuses == {Child.SendStatus.EHC_PLAN}


def test_copy_child_onto_steps_follows_a_renamed_child(world) -> None:
    step = open_step(world.kofi, "Issue the final EHC plan", TODAY)
    Child.objects.filter(pk=world.kofi.pk).update(family_name="Asante", given_name="Kwesi")
    world.kofi.refresh_from_db()
    assert actions.copy_child_onto_steps(world.kofi) == 1
    step.refresh_from_db()
    assert (step.child_family_name, step.child_given_name) == ("Asante", "Kwesi")


def test_the_step_caseload_condition_agrees_with_the_childs(world) -> None:
    elsewhere = make_child(world.school_b, send_status=Child.SendStatus.EHC_PLAN)
    assessed = make_child(world.la, send_status=Child.SendStatus.ASSESSMENT)
    for child in [*Child.objects.exclude(pk=elsewhere.pk), elsewhere, assessed]:
        open_step(child, f"Step for {child.given_name}", TODAY)
    user = world.users["caseworker"]
    caseload_q = ehc_step_caseload_q(user)
    child_q = statutory_caseload_q(user)
    assert caseload_q is not None and child_q is not None
    by_step = set(Step.objects.filter(caseload_q).values_list("child_id", flat=True))
    by_child = set(Child.objects.filter(child_q, ehc_steps__isnull=False)
                   .values_list("pk", flat=True))
    assert by_step == by_child == {world.kofi.pk, world.zara.pk, assessed.pk}


@pytest.mark.parametrize("username", ["senco", "ep", "parent", "leader"])
def test_the_step_caseload_condition_is_none_without_a_caseload(world, username: str) -> None:
    assert ehc_step_caseload_q(world.users[username]) is None


def test_the_backfill_copies_each_childs_status_and_name_onto_its_steps(world) -> None:
    open_step(world.kofi, "Kofi's", TODAY)
    open_step(world.esi, "Esi's", TODAY)
    Step.objects.update(child_send_status="none", child_family_name="", child_given_name="")
    migration = importlib.import_module("tellonce.ehc.migrations.0004_copy_child_onto_steps")
    migration.copy_child_onto_steps(apps, None)
    assert set(Step.objects.values_list("child_send_status", "child_given_name")) == {
        ("ehc_plan", "Kofi"), ("sen_support", "Esi")}


def test_worklist_shows_open_caseload_steps_soonest_first_and_no_date_last(world,
                                                                          client_for) -> None:
    open_step(world.kofi, "No date", None)
    open_step(world.kofi, "Later", TODAY + timedelta(days=30))
    open_step(world.zara, "Overdue", TODAY - timedelta(days=3))
    done = open_step(world.zara, "Done", TODAY)
    Step.objects.filter(pk=done.pk).update(done_on=TODAY)
    open_step(world.esi, "Not in the caseload", TODAY)  # SEN support
    client = client_for("caseworker")
    assert worklist_titles(client) == ["Overdue", "Later", "No date"]
    assert worklist_titles(client, "?lateness=overdue") == ["Overdue"]
    assert worklist_titles(client, "?sort=child") == ["Overdue", "No date", "Later"]


def test_worklist_sorts_by_family_name_then_given_name(world, client_for) -> None:
    for given, family in [("Ama", "Owusu"), ("Ben", "Adams"), ("Abe", "Owusu")]:
        child = make_child(world.la, given_name=given, family_name=family,
                           send_status=Child.SendStatus.EHC_PLAN)
        open_step(child, f"{given} {family}", TODAY)
    assert worklist_titles(client_for("caseworker"), "?sort=child") == [
        "Ben Adams", "Abe Owusu", "Ama Owusu"]


def test_worklist_query_count_does_not_grow_with_its_rows(world, client_for) -> None:
    client = client_for("caseworker")
    open_step(world.kofi, "First", TODAY)
    client.get(reverse("ehc:worklist"))
    with CaptureQueriesContext(connection) as few:
        assert len(worklist_titles(client)) == 1
    for i in range(40):
        child = make_child(world.la, send_status=Child.SendStatus.EHC_PLAN)
        open_step(child, f"Step {i}", TODAY + timedelta(days=i))
    with CaptureQueriesContext(connection) as many:
        assert len(worklist_titles(client)) == 41
    assert len(many) == len(few)


def test_worklist_is_for_caseworkers_only(world, client_for) -> None:
    assert client_for("senco").get(reverse("ehc:worklist")).status_code == 404
    response = client_for("anonymous").get(reverse("ehc:worklist"))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_worklist_with_a_bad_filter_says_so_and_lists_nothing(world, client_for) -> None:
    open_step(world.kofi, "Hidden while the filter is wrong", TODAY)
    response = client_for("caseworker").get(reverse("ehc:worklist") + "?stage=nonsense")
    assert response.status_code == 200
    assert response.context["form"].errors and response.context["rows"] == []


@pytest.mark.parametrize("change", ["orm_save", "queryset_update"])
def test_the_database_keeps_each_steps_copy_of_the_child_true(world, client_for, change) -> None:  # type: ignore[no-untyped-def]
    """Whatever code changes the child (a model save, a bulk update), the worklist shows the
    child as they are now: no action has to remember to copy."""
    step = open_step(world.kofi, "Issue the final EHC plan", TODAY)
    new_locality = Locality.objects.create(name="Eastfield", local_authority=world.la)
    fields = {"given_name": "Kwesi", "family_name": "Asante",
              "send_status": Child.SendStatus.ASSESSMENT, "locality": new_locality}
    if change == "orm_save":
        for name, value in fields.items():
            setattr(world.kofi, name, value)
        world.kofi.save()
    else:
        Child.objects.filter(pk=world.kofi.pk).update(**fields)
    step.refresh_from_db()
    assert (step.child_given_name, step.child_family_name) == ("Kwesi", "Asante")
    assert step.child_send_status == Child.SendStatus.ASSESSMENT
    assert step.child_locality_id == new_locality.pk
    page = client_for("caseworker").get("/ehc/worklist/").content.decode()
    assert "Asante" in page and "Mensah" not in page
