"""Dates that make sense in use: a meeting or appointment in 2099 is refused before anyone is
told about it, and no message states a deadline that has passed as if it were still to come.

`test_every_deadline_sentence_goes_through_dates_deadline` enumerates every sentence in the
code that says something happens "by" a date: each goes through `tellonce.dates.deadline`
with a wording for a date to come and one for a date gone. The scenario tests then drive the
messages whose deadline can already have passed when they are written, and read every message
sent for a past date stated in the future tense.
"""

from __future__ import annotations

import ast
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

import tellonce
from tellonce import dates
from tellonce.access.policy import get_child_or_404
from tellonce.ehc import actions
from tellonce.ehc.models import Step
from tellonce.health import actions as health_actions
from tellonce.notify import tasks
from tellonce.notify.models import Message
from tellonce.notify.outbox import queue
from tests.ehc.cases import esi_case
from tests.health.helpers import kofi_referral

ROOT = Path(tellonce.__file__).parent
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December")
# A Monday after the test world's staff memberships start (ten days before today).
START = date(2027, 1, 4)
DATE_IN_TEXT = re.compile(rf"\b(\d{{1,2}}) ({MONTHS}) (\d{{4}})\b")
PAST_WORDS = ("was due", "were due", "had to", "ended", "should have", "has passed", "late")


def _date_part(prefix: str, d: date) -> dict[str, str]:
    return {f"{prefix}_0": str(d.day), f"{prefix}_1": str(d.month), f"{prefix}_2": str(d.year)}


def past_dates_stated_as_to_come(text: str, written_on: date) -> list[str]:
    """Each "by <date>" (or "until <date>") before the day the text was written, in a
    sentence that does not say it has passed."""
    from datetime import datetime

    found = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        for match in DATE_IN_TEXT.finditer(sentence):
            when = datetime.strptime(match.group(0), "%d %B %Y").date()
            before = sentence[:match.start()].rstrip().lower()
            if when < written_on and before.endswith(("by", "until")) and not any(
                    w in sentence.lower() for w in PAST_WORDS):
                found.append(sentence)
    return found


def assert_no_message_states_a_past_deadline_as_to_come() -> int:
    messages = list(Message.objects.all())
    for m in messages:
        written = m.created_at.date()
        for text in (m.subject, m.what_changed, m.what_next):
            assert past_dates_stated_as_to_come(text, written) == [], (m.subject, text)
    return len(messages)


def test_the_checker_catches_the_reported_sentence() -> None:
    told = "Reports will be sent to you by 1 December 2026."
    assert past_dates_stated_as_to_come(told, date(2026, 12, 4)) == [told]
    assert past_dates_stated_as_to_come(told, date(2026, 11, 30)) == []
    assert past_dates_stated_as_to_come("Reports were due to be sent to you by 1 December "
                                        "2026.", date(2026, 12, 4)) == []


# ----- every sentence with a deadline, enumerated from the code -----


def _deadline_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "dates.deadline":
                calls.append((f"{path.relative_to(ROOT.parent)}:{node.lineno}", node))
    return calls


def _raw_by_date_fstrings() -> list[str]:
    """f-strings writing "by {a date}" themselves, outside dates.deadline."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.JoinedStr):
                continue
            for text, value in zip(node.values, node.values[1:], strict=False):
                if not (isinstance(text, ast.Constant) and isinstance(text.value, str)
                        and re.search(r"\bby $", text.value)
                        and isinstance(value, ast.FormattedValue)):
                    continue
                source = ast.unparse(value.value)
                spec = ast.unparse(value.format_spec) if value.format_spec else ""
                is_date = "fmt(" in source or "strftime" in source or "%" in spec
                past = re.search(r"(was|were) due by $", text.value)
                if is_date and not past:
                    found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: "
                                 f"...{text.value[-30:]}{{{source}}}")
    return found


def test_every_deadline_sentence_goes_through_dates_deadline() -> None:
    assert _raw_by_date_fstrings() == []
    calls = _deadline_calls()
    # The messages of the EHC process and of health referrals, and the timeline's sentence.
    files = {where.split(":")[0] for where, _call in calls}
    assert {"tellonce/ehc/actions.py", "tellonce/health/actions.py",
            "tellonce/ehc/queries.py"} <= files
    assert len(calls) >= 14
    for where, call in calls:
        assert len(call.args) == 4, where
        to_come, passed = call.args[2], call.args[3]

        def literal(node: ast.expr) -> str:
            return "".join(
                part.value if isinstance(part, ast.Constant) else "…"
                for part in (node.values if isinstance(node, ast.JoinedStr) else [node])
                if isinstance(part, ast.Constant | ast.FormattedValue)
            ) if isinstance(node, ast.JoinedStr | ast.Constant) else ast.unparse(node)

        came, gone = literal(to_come), literal(passed)
        assert "{date}" in came and "{date}" in gone, where
        assert any(w in gone.lower() for w in PAST_WORDS), f"{where}: {gone!r}"
        assert not any(w in came.lower() for w in ("was due", "were due", "had to",
                                                   "has passed")), f"{where}: {came!r}"


# ----- the reported cases, and every message a late process sends -----


def test_a_review_meeting_in_2099_is_refused_and_no_one_told(world, client_for) -> None:
    review = esi_case(world, "final_issued").plan.reviews.get()
    before = Message.objects.count()
    response = client_for("caseworker").post(
        reverse("ehc:review", kwargs={"review_id": review.pk}),
        {"action": "meeting", **_date_part("meeting-meeting_on", date(2099, 1, 1)),
         "meeting-invited": "Family"},
    )
    assert response.status_code == 200
    assert "Date of the review meeting must be within the next 12 months" in \
        response.content.decode()
    review.refresh_from_db()
    assert review.meeting_on is None and Message.objects.count() == before
    with pytest.raises(actions.ProcessError, match="within the next 12 months"):
        actions.do_schedule_review_meeting(world.users["caseworker"], review,
                                           meeting_on=date(2099, 1, 1), invited="")


def test_a_first_appointment_in_2099_is_refused_and_no_one_told(world, client_for) -> None:
    referral = kofi_referral(world)
    response = client_for("slt").post(f"/referrals/{referral.pk}/appointment/",
                                      _date_part("on", date(2099, 1, 1)))
    assert response.status_code == 200
    assert "Date of the first appointment must be within the next 12 months" in \
        response.content.decode()
    referral.refresh_from_db()
    assert referral.first_appointment_on is None and not Message.objects.exists()
    with pytest.raises(health_actions.ReferralChangeRefused, match="within the next 12"):
        health_actions.do_book_first_appointment(world.users["slt"], referral,
                                                 on=date(2099, 1, 1), booked_on=date.today())


def test_a_meeting_within_two_weeks_says_the_reports_are_late(world) -> None:
    """The report: told on 4 December that reports "will be sent by 1 December". (The test
    world's staff start ten days before today, so its dates are after today.)"""
    with time_machine.travel(START, tick=False):
        review = esi_case(world, "final_issued").plan.reviews.get()
    with time_machine.travel(date(2027, 3, 4), tick=False):
        Message.objects.all().delete()
        actions.do_schedule_review_meeting(world.users["caseworker"], review,
                                           meeting_on=date(2027, 3, 15), invited="Family")
        told = Message.objects.get(to=world.users["parent"])
        assert "will be sent to you by" not in told.what_next
        assert "were due to be sent to you by 1 March 2027" in told.what_next
    assert_no_message_states_a_past_deadline_as_to_come()


def test_every_message_of_a_late_request_words_its_deadlines_as_passed(world) -> None:
    """A request received long ago and handled late: every message sent along the way."""
    parent, cw = world.users["parent"], world.users["caseworker"]
    start = START
    with time_machine.travel(start, tick=False):
        child, access = get_child_or_404(parent, world.esi.pk)
        request = actions.do_request_assessment(
            parent, child, access, reasons="Assess", received_on=start - timedelta(weeks=30))
        said = Message.objects.filter(to=parent).latest("pk").what_next
        assert "had to decide whether to assess by" in said and "was due by" in said
        actions.do_decide_assessment(cw, request, agree=True)
        said = Message.objects.filter(to=parent).latest("pk").what_next
        assert "was due by" in said
    assert assert_no_message_states_a_past_deadline_as_to_come() >= 3


def test_every_message_of_a_late_review_words_its_deadlines_as_passed(world) -> None:
    """A review meeting recorded weeks after it was held, and its decision a year late."""
    parent, cw = world.users["parent"], world.users["caseworker"]
    start = START
    with time_machine.travel(start + timedelta(days=10), tick=False):
        review = esi_case(world, "final_issued").plan.reviews.get()
    with time_machine.travel(start + timedelta(days=12), tick=False):
        actions.do_schedule_review_meeting(cw, review, meeting_on=start + timedelta(days=20),
                                           invited="Family")
    with time_machine.travel(start + timedelta(days=60), tick=False):
        actions.do_hold_review_meeting(cw, review, held_on=start + timedelta(days=20))
        said = Message.objects.filter(to=parent).latest("pk").what_next
        assert "had to tell you by" in said
    with time_machine.travel(start + timedelta(days=420), tick=False):
        actions.do_decide_review(cw, review, outcome="maintain")
        said = Message.objects.filter(to=parent).latest("pk").what_next
        assert "The next review was due by" in said
    assert assert_no_message_states_a_past_deadline_as_to_come() >= 10


def test_a_risk_review_due_before_today_is_said_to_be_overdue(world) -> None:
    referral = kofi_referral(world)
    today = date.today()
    health_actions.do_risk_review(world.users["slt"], referral, reviewed_on=today,
                                  outcome="continue", next_review_on=today - timedelta(days=2))
    said = Message.objects.get(to=world.users["parent"]).what_next
    assert "The next review was due by" in said
    assert_no_message_states_a_past_deadline_as_to_come()


def test_a_by_when_that_has_passed_is_shown_and_sent_as_passed(world, client_for) -> None:
    parent = world.users["parent"]
    with time_machine.travel(date(2027, 3, 4), tick=False):
        message = queue(to=parent, child=world.kofi, subject="Late", what_changed="x",
                        what_next="y", by_when=date(2027, 3, 1))
        on_time = queue(to=parent, child=world.kofi, subject="On time", what_changed="x",
                        what_next="y", by_when=date(2027, 3, 9))
        assert message.by_when_passed and not on_time.by_when_passed
        assert tasks.personalisation(message)["by_when"] == \
            "was due by 1 March 2027: this date has passed"
        assert tasks.personalisation(on_time)["by_when"] == "9 March 2027"
        text = client_for("parent").get(reverse("notify:outbox")).content.decode()
    assert "Was due by" in text and "(this date has passed)" in text


def test_the_timeline_says_a_late_step_is_late(world, client_for) -> None:
    with time_machine.travel(START, tick=False):
        esi_case(world, "received")
    with time_machine.travel(START + timedelta(weeks=9), tick=False):
        step = Step.objects.get(kind=Step.Kind.ASSESSMENT_DECISION)
        text = client_for("caseworker").get(
            reverse("ehc:timeline", kwargs={"child_id": world.esi.pk})).content.decode()
        due = dates.fmt(step.due)
        assert f"it was due by {due} and is" in text
        assert f"by {due}." not in text.replace(f"was due by {due}", "")
