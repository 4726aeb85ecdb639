"""Actions beyond the request-to-final path: reminders, exceptions, reviews and appeals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from tellonce.ehc import actions, queries
from tellonce.ehc.models import Review, Step
from tellonce.notify.models import Message
from tests.ehc.cases import esi_case


def test_advice_reminder_a_week_before_and_escalation_once_late(world) -> None:
    request = esi_case(world, "assessing")
    due = Step.objects.filter(kind=Step.Kind.ADVICE).first().due
    assert actions.do_send_advice_reminders(on=due - timedelta(days=10)) == (0, 0)
    assert actions.do_send_advice_reminders(on=due - timedelta(days=7)) == (4, 0)
    assert actions.do_send_advice_reminders(on=due - timedelta(days=6)) == (0, 0)  # once only
    assert actions.do_send_advice_reminders(on=due + timedelta(days=1)) == (0, 4)
    assert Message.objects.filter(to=world.users["caseworker"],
                                  subject__startswith="Advice is late").exists()
    assert request.events.filter(summary__contains="is late").count() == 4


def test_an_exception_lifts_the_deadline_and_leaves_the_case_out_of_measures(world) -> None:
    request = esi_case(world, "assessing")
    step = request.steps.get(kind=Step.Kind.FINAL_PLAN)
    with pytest.raises(actions.ProcessError, match="does not apply"):
        actions.do_record_exception(world.users["caseworker"], step, exception="reg 8(2)(a)",
                                    reason="x")
    actions.do_record_exception(world.users["caseworker"], step, exception="reg 10(4)(c)",
                                reason="Family bereavement")
    step.refresh_from_db()
    assert step.due is None and step.exception == "reg 10(4)(c)"
    view = queries.describe_step(step, date.today())
    assert view.state == "no_deadline" and "reg 10(4)(c)" in view.words
    actions._close(Step.objects.filter(pk=step.pk), date.today(), "Final plan issued")
    measure = queries.measures(world.users["caseworker"], date.today() - timedelta(days=1),
                               date.today())[0]
    assert (measure.total, measure.excluded) == (0, 1)


def test_annual_review_decision_within_4_weeks_then_amendment_route(world) -> None:
    request = esi_case(world, "final_issued")
    cw = world.users["caseworker"]
    review = request.plan.reviews.get()
    assert review.due_by == actions.clock.due("annual_review", date.today())
    meeting = date.today() + timedelta(days=20)
    actions.do_schedule_review_meeting(cw, review, meeting_on=meeting, invited="Family, school")
    reports = review.steps.get(kind=Step.Kind.REVIEW_REPORTS)
    assert reports.due == meeting - timedelta(days=14)
    with time_machine.travel(meeting + timedelta(days=1), tick=False):
        with pytest.raises(actions.ProcessError, match="today or in the past"):
            actions.do_hold_review_meeting(cw, review, held_on=meeting + timedelta(days=2))
        actions.do_hold_review_meeting(cw, review, held_on=meeting)
        decision_step = review.steps.get(kind=Step.Kind.REVIEW_DECISION)
        assert decision_step.due == meeting + timedelta(weeks=4)
        with pytest.raises(actions.ProcessError, match="reasons"):
            actions.do_decide_review(cw, review, outcome="amend")
        actions.do_decide_review(cw, review, outcome="amend", reasons="New needs",
                                 proposed={"F": "More help"})
        review.refresh_from_db()
        assert review.stage == Review.Stage.AMENDING
        amended = review.steps.get(kind=Step.Kind.AMENDED_PLAN)
        assert amended.due == date.today() + timedelta(weeks=8)
        with pytest.raises(actions.ProcessError, match="to comment on the amendments"):
            actions.do_issue_amended_plan(cw, review)
    with time_machine.travel(meeting + timedelta(days=20), tick=False):
        version = actions.do_issue_amended_plan(cw, review)
        assert version.kind == "amended_final" and version.sections["F"] == "More help"
        assert request.plan.reviews.filter(stage=Review.Stage.SCHEDULED).get().due_by == \
            actions.clock.due("annual_review", meeting)


def test_a_mediation_certificate_moves_the_appeal_deadline(world) -> None:
    request = esi_case(world, "final_issued")
    decision = request.decisions.get(kind="final_plan")
    before = decision.appeal_deadline
    certificate = before - timedelta(days=1)
    with time_machine.travel(certificate + timedelta(days=1), tick=False):
        actions.do_record_appeal_event(world.users["caseworker"], decision,
                                       kind="mediation_certificate", on=certificate)
    decision.refresh_from_db()
    assert decision.appeal_deadline == actions.clock.due(
        "appeal_deadline", decision.notice_sent_on, mediation_certificate=certificate)
    assert decision.appeal_deadline > before


def test_plan_versions_are_never_changed(world) -> None:
    request = esi_case(world, "draft_issued")
    version = request.plan.versions.get()
    version.sections = {"A": "rewritten"}
    with pytest.raises(PermissionError):
        version.save()
