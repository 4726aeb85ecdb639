"""Each indicator's arithmetic against hand-worked examples."""

from __future__ import annotations

from datetime import date

import pytest

from tellonce.ehc.models import AppealEvent, Decision, Step
from tellonce.insight import indicators, timeliness
from tellonce.insight.indicators import Scope
from tellonce.insight.scorecard import Period, indicator_row
from tests.insight.helpers import children_in, final_plan_step, step

pytestmark = pytest.mark.django_db

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def test_day_140_is_within_20_weeks_and_day_141_is_not() -> None:
    # Received Monday 5 January 2026: 20 weeks is Monday 25 May 2026 (docs/statutory.md).
    assert timeliness.within_20_weeks(date(2026, 1, 5), date(2026, 5, 25))
    assert not timeliness.within_20_weeks(date(2026, 1, 5), date(2026, 5, 26))


def test_twenty_weeks_including_and_excluding_exceptions(world) -> None:  # type: ignore[no-untyped-def]
    kids = children_in(world.la, "North", 5)
    received = date(2026, 1, 5)
    final_plan_step(kids[0], received, date(2026, 5, 25))                   # in time (day 140)
    final_plan_step(kids[1], received, date(2026, 5, 26))                   # late (day 141)
    final_plan_step(kids[2], received, date(2026, 4, 1), exception="reg 10(4)(a)")  # in time
    final_plan_step(kids[3], received, date(2026, 9, 1), exception="reg 10(4)(b)")  # late
    final_plan_step(kids[4], received, None)                                # not issued yet
    scope = Scope((world.la.pk,))
    incl = timeliness.twenty_weeks_including(scope, *YEAR)
    excl = timeliness.twenty_weeks_excluding(scope, *YEAR)
    # Including: 2 of 4 issued were within 140 days. Excluding: 1 of the 2 without exception.
    assert indicators.totals(incl) == (2, 4)
    assert indicators.totals(excl) == (1, 2)


def test_cancelled_final_plan_steps_and_other_authorities_are_not_counted(world) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_org

    other = make_org("Elsewhere Council", "local_authority")
    mine = children_in(world.la, "North", 1)[0]
    theirs = children_in(other, "Far", 1)[0]
    final_plan_step(mine, date(2026, 1, 5), date(2026, 2, 1), cancelled=True)
    final_plan_step(theirs, date(2026, 1, 5), date(2026, 2, 1))
    assert timeliness.twenty_weeks_including(Scope((world.la.pk,)), *YEAR) == []


def test_six_week_request_decisions(world) -> None:  # type: ignore[no-untyped-def]
    a, b = children_in(world.la, "North", 2)
    step(a, Step.Kind.ASSESSMENT_DECISION, date(2026, 1, 5), date(2026, 2, 16))  # day 42
    step(b, Step.Kind.ASSESSMENT_DECISION, date(2026, 1, 5), date(2026, 2, 17))  # day 43
    cases = timeliness.request_decisions_6_weeks(Scope((world.la.pk,)), *YEAR)
    assert indicators.totals(cases) == (1, 2)


def test_review_decisions_within_4_weeks_of_the_meeting(world) -> None:  # type: ignore[no-untyped-def]
    a, b, c = children_in(world.la, "North", 3)
    step(a, Step.Kind.REVIEW_DECISION, date(2026, 3, 2), date(2026, 3, 30))  # day 28
    step(b, Step.Kind.REVIEW_DECISION, date(2026, 3, 2), date(2026, 3, 31))  # day 29
    step(c, Step.Kind.REVIEW_DECISION, date(2026, 3, 2), None)               # not sent
    cases = timeliness.review_decisions_4_weeks(Scope((world.la.pk,)), *YEAR)
    assert indicators.totals(cases) == (1, 2)


def test_sixteen_week_decisions_not_to_issue(world) -> None:  # type: ignore[no-untyped-def]
    from tellonce.ehc.models import AssessmentRequest

    a, b = children_in(world.la, "North", 2)
    for child, sent in ((a, date(2026, 4, 27)), (b, date(2026, 4, 28))):  # days 112 and 113
        request = AssessmentRequest.objects.create(
            child=child, requester="parent", requested_by_name="P", received_on=date(2026, 1, 5),
            reasons="r", stage="not_issuing")
        Decision.objects.create(child=child, request=request, kind=Decision.Kind.NOT_ISSUE,
                                notice_sent_on=sent)
    cases = timeliness.no_issue_16_weeks(Scope((world.la.pk,)), *YEAR)
    assert indicators.totals(cases) == (1, 2)


def test_appeals_per_appealable_decision(world) -> None:  # type: ignore[no-untyped-def]
    kids = children_in(world.la, "North", 4)
    decisions = [Decision.objects.create(child=k, kind=kind, notice_sent_on=date(2026, 3, 1))
                 for k, kind in zip(kids, [Decision.Kind.NOT_ISSUE, Decision.Kind.CEASE,
                                           Decision.Kind.FINAL_PLAN, Decision.Kind.ASSESS],
                                    strict=True)]
    AppealEvent.objects.create(decision=decisions[0], kind=AppealEvent.Kind.APPEAL_REGISTERED,
                               on=date(2026, 4, 1))
    AppealEvent.objects.create(decision=decisions[1], kind=AppealEvent.Kind.MEDIATION_HELD,
                               on=date(2026, 4, 1))
    # ASSESS is not appealable: 1 appeal over 3 appealable decisions.
    cases = timeliness.appeals_per_decision(Scope((world.la.pk,)), *YEAR)
    assert indicators.totals(cases) == (1, 3)


def test_annual_reviews_overdue_on_a_day(world) -> None:  # type: ignore[no-untyped-def]
    from tellonce.ehc.models import Plan

    kids = children_in(world.la, "North", 3)
    on = date(2026, 6, 30)
    plans = [Plan.objects.create(child=k, status="active", issued_on=date(2025, 1, 10))
             for k in kids]
    step(kids[0], Step.Kind.ANNUAL_REVIEW, date(2025, 1, 10), None, plan=plans[0],
         due=date(2026, 1, 9))                          # overdue: due in January, not held
    step(kids[1], Step.Kind.ANNUAL_REVIEW, date(2025, 1, 10), date(2026, 1, 5), plan=plans[1],
         due=date(2026, 1, 9))                          # held in time
    step(kids[2], Step.Kind.ANNUAL_REVIEW, date(2025, 1, 10), date(2026, 7, 5), plan=plans[2],
         due=date(2026, 1, 9))                          # held, but after the day: overdue then
    cases = timeliness.annual_reviews_overdue(Scope((world.la.pk,)), on, on)
    assert indicators.totals(cases) == (2, 3)


def test_period_is_the_twelve_months_to_the_last_full_month() -> None:
    period = Period.ending_before(date(2026, 12, 4))
    assert (period.start, period.end) == (date(2025, 12, 1), date(2026, 11, 30))
    assert (period.previous.start, period.previous.end) == (date(2024, 12, 1),
                                                            date(2025, 11, 30))


def test_scorecard_row_adds_up_the_period_and_marks_improvement(world) -> None:  # type: ignore[no-untyped-def]
    kids = children_in(world.la, "North", 30)
    # Previous period (Dec 2024 - Nov 2025): 3 of 10 in time. This period: 8 of 10.
    for i, child in enumerate(kids[:10]):
        final_plan_step(child, date(2025, 1, 6), date(2025, 5, 26) if i < 3 else date(2025, 8, 1))
    for i, child in enumerate(kids[10:20]):
        final_plan_step(child, date(2026, 1, 5), date(2026, 5, 25) if i < 8 else date(2026, 9, 1))
    ind = indicators.get("ehc_20_weeks_including")
    assert ind is not None
    row = indicator_row(ind, Scope((world.la.pk,)), date(2026, 12, 4))
    assert (row.numerator, row.denominator, row.value, row.before) == (8, 10, 80.0, 30.0)
    assert row.improving == "improving"
    assert row.on_target is True  # target 60%
    assert len(row.trend) == 24


def test_every_indicator_has_a_definition_and_comparators_name_a_source() -> None:
    from tellonce.insight import comparators

    found = indicators.all_indicators()
    assert len({i.key for i in found}) == len(found) >= 11
    for ind in found:
        assert ind.numerator and ind.denominator and ind.period and ind.good in ("higher",
                                                                                 "lower")
    data = comparators.load()
    assert data.for_indicator("ehc_20_weeks_excluding")[0].value == 46.4
    for key, figures in data.figures.items():
        assert indicators.get(key) is not None, key
        for figure in figures:
            assert figure.source.startswith("https://")


def test_annual_reviews_overdue_month_by_month_agrees_with_the_day_rule(world) -> None:  # type: ignore[no-untyped-def]
    """The trend's one-read computation gives what the day-by-day rule gives."""
    from tellonce.ehc.models import Plan
    from tellonce.insight.scorecard import add_months, month_end

    kids = children_in(world.la, "North", 4)
    plans = [Plan.objects.create(child=k, status="active", issued_on=date(2024, 3, 10))
             for k in kids]
    step(kids[0], Step.Kind.ANNUAL_REVIEW, date(2024, 3, 10), None, plan=plans[0],
         due=date(2025, 3, 9))
    step(kids[1], Step.Kind.ANNUAL_REVIEW, date(2024, 3, 10), date(2025, 6, 1), plan=plans[1],
         due=date(2025, 3, 9))
    step(kids[2], Step.Kind.ANNUAL_REVIEW, date(2024, 3, 10), date(2025, 2, 1), plan=plans[2],
         due=date(2025, 3, 9))
    today = date(2026, 1, 20)
    scope = Scope((world.la.pk,))
    monthly = timeliness.annual_reviews_overdue_monthly(scope, today)
    for i in range(25):
        m = add_months(date(2025, 12, 1), -i)
        cases = timeliness.annual_reviews_overdue(scope, month_end(m), month_end(m))
        assert monthly[m] == indicators.totals(cases), m
    assert monthly[date(2025, 4, 1)] == (2, 4)  # kids 0 and 1 overdue at the end of April
