"""Tests for the statutory clocks: worked examples derived by hand from the law, and properties.

Expected dates below were worked out by hand from STATUTORY.md and the Regulations, with
weekdays read off a printed calendar and the published England and Wales bank holidays (Easter
Sunday 2026 is 5 April; 1 January 2028 is a Saturday, so Monday 3 January is the substitute
day), not copied from the code's output.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import holidays
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tellonce.ehc.clock import (
    CLOCKS,
    EXCEPTIONS,
    add_months,
    amended_plan_latest_from_meeting,
    days_late,
    due,
)

ALL_CLOCKS = {
    "assessment_decision",
    "advice",
    "no_plan_notice",
    "draft_comment_end",
    "final_plan",
    "annual_review",
    "review_decision_notice",
    "amended_plan",
    "phase_transfer",
    "reassessment_decision",
    "reassessment_final",
    "appeal_deadline",
    "cease_notice",
    "section23_notification",
}

# "Within N weeks of": N from the Regulations, written out here rather than read from the code.
WEEK_CLOCKS = {
    "assessment_decision": 6,  # reg 5(1)
    "advice": 6,  # reg 8(1)
    "no_plan_notice": 16,  # reg 10(1)
    "final_plan": 20,  # reg 13(2)
    "review_decision_notice": 4,  # reg 20(10)
    "amended_plan": 8,  # reg 22(3)
    "reassessment_final": 14,  # reg 27(2)
}

# Facts that make each clock compute a date, for tests that loop over every clock.
SAMPLE_FACTS: dict[str, dict[str, object]] = {
    "phase_transfer": {"transfer_type": "school_phase", "transfer_year": 2027},
    "cease_notice": {"review_meeting": date(2026, 3, 10)},
}

# Dates the `holidays` library covers comfortably, spanning many leap years and year ends.
dates = st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31))

ENGLAND = holidays.country_holidays("GB", subdiv="ENG", years=range(2000, 2101))


def working_day(d: date) -> bool:
    """Independent oracle for a HESC r.1(3) working day."""
    return d.weekday() < 5 and d not in ENGLAND


def christmas_closure(d: date) -> bool:
    return (d.month, d.day) >= (12, 25) or (d.month, d.day) == (1, 1)


# ---------------------------------------------------------------------------------------------
# Week and day clocks: the worked examples in STATUTORY.md
# ---------------------------------------------------------------------------------------------


def test_assessment_decision_due_6_weeks_after_request() -> None:
    # Received Monday 5 January 2026: 6 weeks -> Monday 16 February 2026.
    assert due("assessment_decision", date(2026, 1, 5)) == date(2026, 2, 16)


def test_advice_due_6_weeks_after_adviser_receives_request() -> None:
    assert due("advice", date(2026, 1, 5)) == date(2026, 2, 16)


def test_no_plan_notice_due_16_weeks_after_request() -> None:
    # 5 Jan + 112 days: 26 to end of Jan, 28 in Feb (54), 31 in Mar (85), 27 in Apr.
    assert due("no_plan_notice", date(2026, 1, 5)) == date(2026, 4, 27)


def test_final_plan_due_20_weeks_after_request_and_stays_on_bank_holiday() -> None:
    # 25 May 2026 is the Spring bank holiday; no rule moves an LA deadline.
    assert due("final_plan", date(2026, 1, 5)) == date(2026, 5, 25)


def test_final_plan_counts_across_year_end_into_leap_february() -> None:
    # 1 Nov 2027 + 140 days: 29 to 30 Nov, 31 in Dec (60), 31 in Jan (91), 29 in Feb 2028
    # (120), then 20 March 2028.
    assert due("final_plan", date(2027, 11, 1)) == date(2028, 3, 20)


def test_review_decision_notice_due_4_weeks_after_meeting() -> None:
    assert due("review_decision_notice", date(2026, 3, 10)) == date(2026, 4, 7)


def test_amended_plan_due_8_weeks_after_amendment_notice() -> None:
    # 2 Feb 2026 + 56 days: 26 to end of Feb, then 30 March.
    assert due("amended_plan", date(2026, 2, 2)) == date(2026, 3, 30)


def test_amended_plan_latest_is_12_weeks_from_meeting() -> None:
    # 10 March 2026 + 84 days: 21 to end of Mar, 30 in Apr (51), 31 in May (82), 2 June.
    assert amended_plan_latest_from_meeting(date(2026, 3, 10)) == date(2026, 6, 2)


def test_reassessment_final_due_14_weeks_after_notice_of_decision() -> None:
    # 1 Sep 2026 + 98 days: 29 to end of Sep, 31 Oct (60), 30 Nov (90), 8 December.
    assert due("reassessment_final", date(2026, 9, 1)) == date(2026, 12, 8)


def test_reassessment_decision_due_15_days_after_request_across_year_end() -> None:
    assert due("reassessment_decision", date(2026, 12, 20)) == date(2027, 1, 4)


def test_draft_comment_period_is_15_days_beginning_with_service_day() -> None:
    # Served 1 March 2026 = day 1; day 15 is 15 March.
    assert due("draft_comment_end", date(2026, 3, 1)) == date(2026, 3, 15)


def test_draft_comment_period_counts_29_february() -> None:
    # Served 23 Feb 2028: days 23..29 Feb are 7 days, 1..8 March are 8 more: day 15 = 8 March.
    assert due("draft_comment_end", date(2028, 2, 23)) == date(2028, 3, 8)


# ---------------------------------------------------------------------------------------------
# Months and the corresponding-date rule
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 8, 31), 2, date(2026, 10, 31)),
        (date(2024, 12, 31), 2, date(2025, 2, 28)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 3, 15), 12, date(2027, 3, 15)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 7, 31), -5, date(2027, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 5, 20), 0, date(2026, 5, 20)),
    ],
)
def test_add_months_uses_corresponding_date_rule(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_annual_review_due_day_before_anniversary() -> None:
    # Made 15 March 2026 -> "period of 12 months starting with" ends 14 March 2027.
    assert due("annual_review", date(2026, 3, 15)) == date(2027, 3, 14)


def test_annual_review_of_plan_made_29_february_ends_with_february() -> None:
    # No 29 Feb 2029, so the period ends at the end of February 2029.
    assert due("annual_review", date(2028, 2, 29)) == date(2029, 2, 28)


def test_annual_review_starting_1_march_ends_on_leap_day() -> None:
    # 12 months starting with 1 March 2027 end the day before 1 March 2028: 29 Feb 2028.
    assert due("annual_review", date(2027, 3, 1)) == date(2028, 2, 29)


def test_annual_review_starting_1_january_ends_31_december() -> None:
    assert due("annual_review", date(2026, 1, 1)) == date(2026, 12, 31)


# ---------------------------------------------------------------------------------------------
# Phase transfers (reg 18)
# ---------------------------------------------------------------------------------------------


def test_phase_transfer_before_15_february_means_14_february() -> None:
    assert due(
        "phase_transfer", date(2026, 9, 1), transfer_type="school_phase", transfer_year=2027
    ) == date(2027, 2, 14)


def test_early_years_to_school_transfer_before_15_february_in_leap_year() -> None:
    assert due(
        "phase_transfer",
        date(2027, 9, 1),
        transfer_type="early_years_to_school",
        transfer_year=2028,
    ) == date(2028, 2, 14)


def test_secondary_to_post16_transfer_before_31_march_means_30_march() -> None:
    assert due(
        "phase_transfer",
        date(2026, 9, 1),
        transfer_type="secondary_to_post16",
        transfer_year=2027,
    ) == date(2027, 3, 30)


@pytest.mark.parametrize(
    ("transfer", "expected"),
    [
        # 5 months before 1 January 2027 is 1 August 2026: exactly five months ahead.
        (date(2027, 1, 1), date(2026, 8, 1)),
        # 5 months before 31 July: no 31 February, so the last day of February. 1 March would
        # be less than five months before (1 March + 5 months = 1 August).
        (date(2027, 7, 31), date(2027, 2, 28)),
        (date(2028, 7, 31), date(2028, 2, 29)),
        (date(2026, 4, 20), date(2025, 11, 20)),
    ],
)
def test_post16_to_post16_transfer_at_least_5_months_before(transfer: date, expected: date) -> None:
    result = due(
        "phase_transfer",
        date(2025, 1, 1),
        transfer_type="post16_to_post16",
        transfer_date=transfer,
    )
    assert result == expected
    # And it really is at least five months before: five months on is not after the transfer.
    assert add_months(expected, 5) <= transfer


# ---------------------------------------------------------------------------------------------
# Appeals: r.20(1)(c) then r.12(2) and r.12(3)(a)
# ---------------------------------------------------------------------------------------------


def test_appeal_deadline_two_months_on_ordinary_working_day() -> None:
    # Decision sent 10 Feb 2026 -> 10 April 2026, a Friday after Easter week.
    assert due("appeal_deadline", date(2026, 2, 10)) == date(2026, 4, 10)


def test_appeal_deadline_month_end_uses_corresponding_date() -> None:
    # 31 Dec 2024 + 2 months = 28 Feb 2025, a Friday.
    assert due("appeal_deadline", date(2024, 12, 31)) == date(2025, 2, 28)


def test_appeal_deadline_on_saturday_moves_to_monday() -> None:
    # 7 Jan 2026 + 2 months = Saturday 7 March 2026 -> Monday 9 March (r.12(2)).
    assert due("appeal_deadline", date(2026, 1, 7)) == date(2026, 3, 9)


def test_appeal_deadline_on_bank_holiday_moves_to_next_working_day() -> None:
    # 25 March 2026 + 2 months = Monday 25 May 2026, Spring bank holiday -> Tuesday 26 May.
    assert due("appeal_deadline", date(2026, 3, 25)) == date(2026, 5, 26)


def test_appeal_deadline_on_good_friday_skips_easter_weekend() -> None:
    # 3 Feb 2026 + 2 months = Good Friday 3 April 2026; Sat, Sun, Easter Monday 6 April are
    # not working days -> Tuesday 7 April.
    assert due("appeal_deadline", date(2026, 2, 3)) == date(2026, 4, 7)


def test_appeal_deadline_in_august_moves_to_first_working_day_of_september() -> None:
    # 15 June 2026 + 2 months = 15 August -> first working day after 31 August: Tue 1 Sept.
    assert due("appeal_deadline", date(2026, 6, 15)) == date(2026, 9, 1)


def test_appeal_deadline_in_august_when_1_september_is_a_sunday() -> None:
    # 10 June 2024 + 2 months = 10 August 2024 -> 1 Sept 2024 is a Sunday -> Mon 2 Sept.
    assert due("appeal_deadline", date(2024, 6, 10)) == date(2024, 9, 2)


def test_appeal_deadline_on_31_august_moves_to_september() -> None:
    # 30 June 2026 + 2 months = 30 Aug 2026 -> Tue 1 Sept 2026.
    assert due("appeal_deadline", date(2026, 6, 30)) == date(2026, 9, 1)


def test_appeal_deadline_at_christmas_moves_past_new_year_weekend() -> None:
    # 27 Oct 2026 + 2 months = 27 Dec 2026 -> first working day after 1 Jan 2027: Sat 2 and
    # Sun 3 January are not -> Monday 4 January 2027.
    assert due("appeal_deadline", date(2026, 10, 27)) == date(2027, 1, 4)


def test_appeal_deadline_on_christmas_day_skips_new_year_substitute_day() -> None:
    # 25 Oct 2027 + 2 months = 25 Dec 2027. 1 Jan 2028 is a Saturday, so Monday 3 January
    # 2028 is the substitute New Year bank holiday -> Tuesday 4 January 2028.
    assert due("appeal_deadline", date(2027, 10, 25)) == date(2028, 1, 4)


def test_appeal_deadline_on_1_january_moves_to_first_working_day_after() -> None:
    # 1 Nov 2026 + 2 months = 1 Jan 2027 -> Monday 4 January 2027.
    assert due("appeal_deadline", date(2026, 11, 1)) == date(2027, 1, 4)


def test_appeal_deadline_ending_on_christmas_eve_saturday_moves_only_to_next_working_day() -> None:
    # 24 Oct 2022 + 2 months = Saturday 24 Dec 2022: the time ends before 25 December, so
    # r.12(2) applies: Sun 25, Mon 26 (Boxing Day), Tue 27 (Christmas substitute) are not
    # working days -> Wednesday 28 December 2022. (The literal reading; see clock.py.)
    assert due("appeal_deadline", date(2022, 10, 24)) == date(2022, 12, 28)


def test_appeal_deadline_uses_mediation_certificate_when_later() -> None:
    # Decision 10 Feb 2026 -> 10 April; certificate 20 April 2026 -> 20 May 2026 (Wednesday).
    assert due(
        "appeal_deadline", date(2026, 2, 10), mediation_certificate=date(2026, 4, 20)
    ) == date(2026, 5, 20)


def test_appeal_deadline_ignores_mediation_certificate_when_earlier() -> None:
    # Certificate 1 March 2026 -> 1 April, earlier than 10 April from the decision.
    assert due(
        "appeal_deadline", date(2026, 2, 10), mediation_certificate=date(2026, 3, 1)
    ) == date(2026, 4, 10)


def test_appeal_deadline_mediation_certificate_ending_at_christmas() -> None:
    # IPSEA's example: decision 1 Oct 2025 -> 1 Dec 2025; certificate 29 Nov 2025 -> 29 Dec
    # 2025, later, and inside 25 Dec-1 Jan -> first working day after 1 Jan: Fri 2 Jan 2026.
    assert due(
        "appeal_deadline", date(2025, 10, 1), mediation_certificate=date(2025, 11, 29)
    ) == date(2026, 1, 2)


# ---------------------------------------------------------------------------------------------
# No time limit, exceptions
# ---------------------------------------------------------------------------------------------


def test_cease_notice_has_no_time_limit() -> None:
    assert due("cease_notice", date(2026, 5, 1)) is None


def test_cease_notice_after_review_is_due_4_weeks_from_meeting() -> None:
    assert due("cease_notice", date(2026, 3, 20), review_meeting=date(2026, 3, 10)) == date(
        2026, 4, 7
    )


def test_section23_notification_has_no_time_limit() -> None:
    assert due("section23_notification", date(2026, 5, 1)) is None


@pytest.mark.parametrize("clock", sorted(ALL_CLOCKS))
def test_recorded_exception_lifts_every_deadline(clock: str) -> None:
    facts = SAMPLE_FACTS.get(clock, {})
    assert due(clock, date(2026, 1, 5), exception="reg 5(4)(d)", **facts) is None


@pytest.mark.parametrize("code", ["reg 10(4)(c)", "reg 13(3)", True])
def test_final_plan_exception_returns_none(code: object) -> None:
    assert due("final_plan", date(2026, 1, 5), exception=code) is None


@pytest.mark.parametrize("falsy", [None, "", False])
def test_falsy_exception_keeps_the_deadline(falsy: object) -> None:
    assert due("final_plan", date(2026, 1, 5), exception=falsy) == date(2026, 5, 25)


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


def test_unknown_clock_lists_valid_names() -> None:
    with pytest.raises(ValueError, match="final_plans") as raised:
        due("final_plans", date(2026, 1, 5))
    for name in ALL_CLOCKS:
        assert name in str(raised.value)


def test_phase_transfer_without_transfer_type_says_so() -> None:
    with pytest.raises(ValueError, match="transfer_type"):
        due("phase_transfer", date(2026, 1, 5), transfer_year=2027)


def test_phase_transfer_without_transfer_year_says_so() -> None:
    with pytest.raises(ValueError, match="transfer_year"):
        due("phase_transfer", date(2026, 1, 5), transfer_type="school_phase")


def test_post16_transfer_without_transfer_date_says_so() -> None:
    with pytest.raises(ValueError, match="transfer_date"):
        due("phase_transfer", date(2026, 1, 5), transfer_type="post16_to_post16")


def test_unknown_transfer_type_is_rejected() -> None:
    with pytest.raises(ValueError, match="primary_to_university"):
        due(
            "phase_transfer",
            date(2026, 1, 5),
            transfer_type="primary_to_university",
            transfer_year=2027,
        )


def test_misspelt_fact_is_rejected_not_ignored() -> None:
    with pytest.raises(ValueError, match="mediation_cert"):
        due("appeal_deadline", date(2026, 1, 5), mediation_cert=date(2026, 2, 1))


def test_datetime_start_is_rejected() -> None:
    with pytest.raises(TypeError, match="start"):
        due("final_plan", datetime(2026, 1, 5, 9, 30))


def test_transfer_year_must_be_an_int() -> None:
    with pytest.raises(TypeError, match="transfer_year"):
        due("phase_transfer", date(2026, 1, 5), transfer_type="school_phase", transfer_year="2027")


# ---------------------------------------------------------------------------------------------
# days_late, CLOCKS, EXCEPTIONS
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "expected"),
    [
        (date(2026, 2, 10), 0),
        (date(2026, 2, 16), 0),
        (date(2026, 2, 17), 1),
        (date(2026, 3, 2), 14),
    ],
)
def test_days_late_counts_days_after_the_due_date(done: date, expected: int) -> None:
    assert days_late(date(2026, 2, 16), done) == expected


def test_clocks_describes_every_clock_with_a_citation() -> None:
    assert set(CLOCKS) == ALL_CLOCKS
    for info in CLOCKS.values():
        assert info.description.strip()
        assert any(mark in info.citation for mark in ("reg", "s.", "r."))


def test_exceptions_cover_the_regulation_codes() -> None:
    expected = {
        *(f"reg 5(4)({x})" for x in "abcd"),
        *(f"reg 8(2)({x})" for x in "abc"),
        *(f"reg 10(4)({x})" for x in "abcd"),
        "reg 13(3)",
        *(f"reg 27(3)({x})" for x in "abcd"),
    }
    assert set(EXCEPTIONS) == expected
    assert all(text.strip() for text in EXCEPTIONS.values())
    assert "appointment" in EXCEPTIONS["reg 8(2)(c)"]


def test_clock_exception_codes_are_all_described() -> None:
    for info in CLOCKS.values():
        assert set(info.exceptions) <= set(EXCEPTIONS)


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

# Each variant is a clock with fixed facts; the property varies only the start date.
MONOTONE_VARIANTS: list[tuple[str, dict[str, object]]] = [
    *((clock, {}) for clock in sorted(WEEK_CLOCKS)),
    ("draft_comment_end", {}),
    ("annual_review", {}),
    ("reassessment_decision", {}),
    ("appeal_deadline", {}),
    ("appeal_deadline", {"mediation_certificate": date(2050, 6, 15)}),
    ("phase_transfer", {"transfer_type": "school_phase", "transfer_year": 2040}),
    ("phase_transfer", {"transfer_type": "post16_to_post16", "transfer_date": date(2040, 7, 31)}),
    ("cease_notice", {"review_meeting": date(2040, 3, 1)}),
]


@pytest.mark.parametrize(("clock", "facts"), MONOTONE_VARIANTS)
@given(a=dates, b=dates)
@example(a=date(2027, 12, 31), b=date(2028, 1, 1))
@example(a=date(2028, 2, 28), b=date(2028, 2, 29))
@example(a=date(2026, 10, 24), b=date(2026, 10, 25))
def test_every_clock_is_monotone_in_its_start(
    clock: str, facts: dict[str, object], a: date, b: date
) -> None:
    early, late = min(a, b), max(a, b)
    due_early = due(clock, early, **facts)
    due_late = due(clock, late, **facts)
    assert due_early is not None and due_late is not None
    assert due_early <= due_late


# phase_transfer and cease-after-review are fixed by the transfer or the meeting, not the start,
# so a start after them is simply late; every other clock runs forward from its start.
FORWARD_VARIANTS = [
    (c, f) for c, f in MONOTONE_VARIANTS if c not in {"phase_transfer", "cease_notice"}
]


@pytest.mark.parametrize(("clock", "facts"), FORWARD_VARIANTS)
@given(start=dates)
def test_due_is_never_before_start(clock: str, facts: dict[str, object], start: date) -> None:
    result = due(clock, start, **facts)
    assert result is not None
    assert result >= start


@pytest.mark.parametrize(("clock", "weeks"), sorted(WEEK_CLOCKS.items()))
@given(start=dates)
@example(start=date(2027, 12, 31))
@example(start=date(2028, 2, 29))
@example(start=date(2024, 2, 28))
def test_week_clocks_are_exactly_7n_days(clock: str, weeks: int, start: date) -> None:
    result = due(clock, start)
    assert result == date.fromordinal(start.toordinal() + 7 * weeks)
    assert result.weekday() == start.weekday()


@given(start=dates)
def test_fifteen_day_clocks_count_days(start: date) -> None:
    # Draft: 15 days *beginning with* service (service day is day 1). Re-assessment decision:
    # 15 days *of* receipt (receipt day not counted).
    assert due("draft_comment_end", start) == date.fromordinal(start.toordinal() + 14)
    assert due("reassessment_decision", start) == date.fromordinal(start.toordinal() + 15)


@given(
    d=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), n=st.integers(-600, 600)
)
@example(d=date(2027, 12, 31), n=2)
@example(d=date(2028, 2, 29), n=12)
@example(d=date(2024, 1, 31), n=1)
def test_add_months_never_overflows_and_keeps_day_when_possible(d: date, n: int) -> None:
    result = add_months(d, n)
    # Exactly n calendar months apart.
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    # Never spills into the next month; keeps the day whenever the month has it.
    assert result.day <= d.day
    if d.day <= 28:
        assert result.day == d.day
    if result.day < d.day:
        assert (result + timedelta(days=1)).day == 1


@given(start=dates)
@example(start=date(2028, 2, 29))
@example(start=date(2027, 3, 1))
def test_annual_review_ends_the_day_before_the_anniversary(start: date) -> None:
    result = due("annual_review", start)
    assert result is not None
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February with no 29 February next year: period ends with Feb
        anniversary = date(start.year + 1, 3, 1)
    assert result == anniversary - timedelta(days=1)


@given(decision=dates, certificate=st.none() | dates)
@example(decision=date(2026, 10, 27), certificate=None)
@example(decision=date(2025, 10, 1), certificate=date(2025, 11, 29))
@example(decision=date(2004, 5, 31), certificate=None)
def test_appeal_deadline_obeys_tribunal_rules(decision: date, certificate: date | None) -> None:
    result = due("appeal_deadline", decision, mediation_certificate=certificate)
    assert result is not None
    ends = add_months(decision, 2)
    if certificate is not None:
        ends = max(ends, add_months(certificate, 1))
    assert result >= ends
    assert working_day(result)
    if ends.month == 8 or christmas_closure(ends):
        assert result.month != 8
        assert not christmas_closure(result)
    else:
        # r.12(2) alone: a time ending on a non-working day (31 July 2004, a Saturday) moves
        # to the next working day, even into August (Monday 2 August); see the docstring.
        assert all(not working_day(ends + timedelta(days=n))
                   for n in range((result - ends).days))
    # Every day skipped was one the rules skip: a non-working day, August or 25 Dec-1 Jan.
    day = ends
    while day < result:
        assert not working_day(day) or day.month == 8 or christmas_closure(day)
        day += timedelta(days=1)


def test_review_reports_are_due_two_weeks_before_the_meeting() -> None:
    from tellonce.ehc.clock import review_reports_latest

    assert review_reports_latest(date(2026, 3, 16)) == date(2026, 3, 2)
    assert review_reports_latest(date(2026, 1, 5)) == date(2025, 12, 22)
