"""The priority action plan: trajectories, overdue actions, owners' updates and history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tellonce.insight.models import BoardReport, ImpactMeasure, PlanAction, PlanChange
from tests.forms import date_fields
from tests.insight.helpers import make_plan

pytestmark = pytest.mark.django_db


def test_trajectory_is_a_straight_line_from_baseline_to_target() -> None:
    m = ImpactMeasure(indicator_key="x", baseline=30.0, baseline_on=date(2026, 1, 1),
                      target=70.0, target_on=date(2027, 1, 1))
    assert m.expected(date(2025, 12, 1)) == 30.0
    assert m.expected(date(2026, 7, 2)) == 49.9  # 182 of 365 days: 30 + 40 * 182/365 = 49.95
    assert m.expected(date(2027, 6, 1)) == 70.0


def test_overdue_counts_days_past_due_unless_done() -> None:
    a = PlanAction(what="x", due=date(2026, 3, 1), status=PlanAction.Status.IN_PROGRESS)
    assert a.overdue(date(2026, 3, 11)) == 10
    a.status = PlanAction.Status.DONE
    assert a.overdue(date(2026, 3, 11)) == 0


def test_the_plan_shows_overdue_actions_and_measures(world, client_for) -> None:  # type: ignore[no-untyped-def]
    make_plan(world)
    html = client_for("leader").get("/action-plan/").content.decode()
    assert "Send speech and language advice within 6 weeks" in html
    assert "days overdue" in html
    assert "New EHC plans issued within 20 weeks, excluding exceptions" in html
    assert "No figure yet" in html  # no plans issued in the test world


def test_owner_updates_their_action_and_the_change_is_kept(world, client_for) -> None:  # type: ignore[no-untyped-def]
    action = make_plan(world)
    slt = client_for("slt")
    answer = slt.post(f"/action-plan/actions/{action.pk}/", {
        "status": "done", **date_fields("due", action.due), "evidence": "Audit of 40 advices",
        "version": action.version})
    assert answer.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.done_on == date.today() and action.version == 2
    change = PlanChange.objects.get(action=action)
    assert change.detail["status"] == ["not_started", "done"] and change.by == world.users["slt"]
    # the council's action is not the SLT service's to change
    other = PlanAction.objects.exclude(pk=action.pk).get()
    assert slt.get(f"/action-plan/actions/{other.pk}/").status_code == 404


def test_a_stale_form_is_refused_and_loses_nothing(world, client_for) -> None:  # type: ignore[no-untyped-def]
    action = make_plan(world)
    slt = client_for("slt")
    form = {"status": "in_progress", **date_fields("due", action.due), "evidence": "First",
            "version": 1}
    assert slt.post(f"/action-plan/actions/{action.pk}/", form).status_code == 302
    stale = slt.post(f"/action-plan/actions/{action.pk}/", {**form, "evidence": "Second"})
    assert stale.status_code == 409
    assert "Someone else changed this action" in stale.content.decode()
    assert "Second" in stale.content.decode()  # what was typed is shown again
    action.refresh_from_db()
    assert action.evidence == "First"


def test_a_bad_date_names_the_field(world, client_for) -> None:  # type: ignore[no-untyped-def]
    action = make_plan(world)
    answer = client_for("slt").post(f"/action-plan/actions/{action.pk}/", {
        "status": "done", "due_0": "31", "due_1": "2", "due_2": "2027", "evidence": "",
        "version": 1})
    assert answer.status_code == 400
    assert "Due date must be a real date" in answer.content.decode()
    action.refresh_from_db()
    assert action.status == "not_started" and action.version == 1  # nothing was saved


def test_a_due_date_years_away_is_refused(world, client_for) -> None:  # type: ignore[no-untyped-def]
    action = make_plan(world)
    answer = client_for("slt").post(f"/action-plan/actions/{action.pk}/", {
        "status": "done", **date_fields("due", date.today() + timedelta(days=6 * 366)),
        "evidence": "", "version": 1})
    assert answer.status_code == 400
    assert "Due date must be within the next 5 years" in answer.content.decode()


def test_board_report_counts_changes_since_the_last(world, client_for) -> None:  # type: ignore[no-untyped-def]
    action = make_plan(world)
    leader = client_for("leader")
    leader.post(f"/action-plan/actions/{action.pk}/", {
        "status": "in_progress", **date_fields("due", action.due + timedelta(days=60)),
        "evidence": "", "version": 1})
    page = leader.get("/action-plan/board/").content.decode()
    assert "Changed the status, due date of" in page
    assert leader.post("/action-plan/board/record/").status_code == 302
    report = BoardReport.objects.get()
    assert report.content[0]["changes"]
    after = leader.get("/action-plan/board/").content.decode()
    assert "Changed the status, due date of" not in after  # counted from the report now
    assert leader.get("/action-plan/board.pdf").content.startswith(b"%PDF")
