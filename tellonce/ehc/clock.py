"""Statutory clocks of the EHC process: the only place that computes a statutory due date.

Every function here is pure: dates and facts in, a date (or ``None``) out. No Django, no
database, no "today". Callers (worklist, timeline, reminders, measures, API) use ``due()``.

Law: Children and Families Act 2014 ("CFA"), the Special Educational Needs and Disability
Regulations 2014 (SI 2014/1530, "reg"), and the Tribunal Procedure (First-tier Tribunal)
(Health, Education and Social Care Chamber) Rules 2008 ("r."). The clocks and the counting
rules are set out in docs/statutory.md:

* "within N weeks of" an event excludes the event's day, so the due date is event + 7N days
  (Dodds v Walker [1981] 1 WLR 1027, HL);
* months are calendar months with the corresponding-date rule (see ``add_months``);
* no rule moves a local authority deadline off a weekend or bank holiday; only the Tribunal
  rules (appeals) do, and those use the England and Wales bank holidays from ``holidays``.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Final

import holidays

__all__ = [
    "CLOCKS",
    "EXCEPTIONS",
    "FACTS",
    "TRANSFER_TYPES",
    "ClockInfo",
    "add_months",
    "amended_plan_latest_from_meeting",
    "days_late",
    "review_reports_latest",
    "due",
    "is_working_day",
    "tribunal_time_limit",
]

Facts = Mapping[str, object]


# --------------------------------------------------------------------------------------------
# Date arithmetic
# --------------------------------------------------------------------------------------------


def add_months(d: date, n: int) -> date:
    """Return the date ``n`` calendar months after ``d`` (before it if ``n`` is negative).

    Corresponding-date rule: the same day-of-month ``n`` months on; where that month is too
    short, its last day. 31 August + 2 months = 31 October; 31 December 2024 + 2 months =
    28 February 2025; 31 December 2027 + 2 months = 29 February 2028.
    """
    months = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(months, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last_day))


def _weeks_after(start: date, weeks: int) -> date:
    # "Within N weeks of" an event: the event's own day is excluded (Dodds v Walker), so the
    # last day in time falls on the same weekday N weeks later.
    return start + timedelta(weeks=weeks)


def _days_after(start: date, days: int) -> date:
    # "Within N days of" an event: as for weeks, the event's own day is not counted.
    return start + timedelta(days=days)


def _period_of_months_starting_with(start: date, months: int) -> date:
    """Last day of "the period of ``months`` months starting with" ``start``.

    The period ends the day before the corresponding date ``months`` months on, or, where
    that month has no corresponding date (a period starting 29 February), at the end of that
    month: 15 March 2026 -> 14 March 2027; 29 February 2028 -> 28 February 2029.
    """
    corresponding = add_months(start, months)
    if corresponding.day != start.day:
        # No corresponding date: add_months has already given the last day of the month.
        return corresponding
    return corresponding - timedelta(days=1)


def days_late(due: date, done_or_today: date) -> int:
    """Calendar days by which ``done_or_today`` is after ``due``; 0 if in time.

    ``due`` is the last day in time, so an act done on the due date is 0 days late and one
    done the day after is 1 day late. Pass today's date for an act not yet done.
    """
    return max(0, (done_or_today - due).days)


# --------------------------------------------------------------------------------------------
# Tribunal working days (appeals only)
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    # England and Wales bank holidays (with substitute days), plus Christmas Day and Good
    # Friday, which the library lists for England. Cached per year as an immutable set so
    # the lazily-filled holidays object is never shared between threads.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(d: date) -> bool:
    """A "working day" as defined in r.1(3) of the HESC Rules 2008.

    "any day except a Saturday or Sunday, Christmas Day, Good Friday or a bank holiday under
    section 1 of the Banking and Financial Dealings Act 1971" (England and Wales).
    """
    return d.weekday() < 5 and d not in _bank_holidays(d.year)


def _first_working_day_on_or_after(d: date) -> date:
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def tribunal_time_limit(ends: date) -> date:
    """Last day to send a SEN appeal whose time under r.20 ``ends`` on the given date.

    r.12(3)(a): "if the time for starting proceedings by providing the application notice to
    the Tribunal under rule 20 ... ends on a day from 25th December to 1st January inclusive,
    or on any day in August, the application notice is provided in time if it is provided to
    the Tribunal on the first working day after 1st January or 31st August, as appropriate".

    r.12(2): "If the time specified by these Rules ... for doing any act ends on a day other
    than a working day, the act is done in time if it is done on the next working day."

    Both paragraphs are tested against the day the time *ends*, as they are worded. A time
    ending on Saturday 24 December therefore moves only to the next working day (r.12(2)),
    even though that day falls inside 25 December to 1 January; we do not then apply r.12(3)
    a second time. That is the earlier, safer date to tell a parent.
    """
    if (ends.month == 12 and ends.day >= 25) or (ends.month == 1 and ends.day == 1):
        new_year = date(ends.year + 1 if ends.month == 12 else ends.year, 1, 1)
        return _first_working_day_on_or_after(new_year + timedelta(days=1))
    if ends.month == 8:
        return _first_working_day_on_or_after(date(ends.year, 9, 1))
    return _first_working_day_on_or_after(ends)


# --------------------------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------------------------

TRANSFER_TYPES: Final = (
    "school_phase",
    "early_years_to_school",
    "secondary_to_post16",
    "post16_to_post16",
)

FACTS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "exception": "a recorded exception (e.g. 'reg 5(4)(d)'); any truthy value lifts the "
        "deadline",
        "transfer_type": "phase_transfer only: one of " + ", ".join(TRANSFER_TYPES),
        "transfer_year": "phase_transfer only: calendar year of the transfer (int)",
        "transfer_date": "phase_transfer, post16_to_post16 only: date of the transfer",
        "mediation_certificate": "appeal_deadline only: date the mediation certificate was issued",
        "review_meeting": "cease_notice only: date of the review meeting the decision to "
        "cease follows, if any",
    }
)


def _plain_date(value: object, what: str) -> date:
    # datetime is a subclass of date; adding days to one keeps the time and the result would
    # no longer compare with dates, so insist on a plain date.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must be a datetime.date (not {type(value).__name__})")
    return value


def _required_date(clock: str, facts: Facts, name: str) -> date:
    if facts.get(name) is None:
        raise ValueError(f"clock {clock!r} needs the fact {name}=<date>")
    return _plain_date(facts[name], f"fact {name!r}")


def _optional_date(facts: Facts, name: str) -> date | None:
    value = facts.get(name)
    return None if value is None else _plain_date(value, f"fact {name!r}")


def _required_int(clock: str, facts: Facts, name: str) -> int:
    value = facts.get(name)
    if value is None:
        raise ValueError(f"clock {clock!r} needs the fact {name}=<int>")
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"fact {name!r} must be an int (not {type(value).__name__})")
    return value


# --------------------------------------------------------------------------------------------
# The clocks. Each takes the start date and the facts; exceptions are handled in due().
# --------------------------------------------------------------------------------------------


def _assessment_decision(start: date, facts: Facts) -> date | None:
    """Decision whether to carry out an EHC needs assessment: 6 weeks.

    reg 5(1): the LA "must notify the child's parent or the young person as soon as
    practicable and in any event within 6 weeks of (a) receiving a request for an assessment
    under section 36(1) of the Act, or (b) becoming responsible for the child or young person
    in accordance with section 24 of the Act of its decision whether or not it is necessary
    to secure an EHC needs assessment". Exceptions: reg 5(4)(a)-(d).
    """
    return _weeks_after(start, 6)


def _advice(start: date, facts: Facts) -> date | None:
    """Advice for an EHC needs assessment: 6 weeks from the day the adviser receives the request.

    reg 8(1): a body whose co-operation the LA requests in securing an EHC needs assessment
    "must comply with such a request within 6 weeks of the date on which they receive it".
    Exceptions: reg 8(2)(a)-(c), including a missed appointment for an examination or test.
    """
    return _weeks_after(start, 6)


def _no_plan_notice(start: date, facts: Facts) -> date | None:
    """Notice that the LA will not issue a plan after assessing: 16 weeks from the request.

    reg 10(1): the notification "must be given as soon as practicable, and in any event
    within 16 weeks of the local authority receiving a request for an EHC needs assessment".
    Exceptions: reg 10(4)(a)-(d).
    """
    return _weeks_after(start, 16)


def _draft_comment_end(start: date, facts: Facts) -> date | None:
    """Last day of the parent's period to comment on a draft plan or proposed amendments.

    reg 13(1)(a) (and reg 22(2)(c) for amendments): the LA must "give them at least 15 days,
    beginning with the day on which the draft plan was served, in which to (i) make
    representations about the content of the draft plan ...". "Beginning with" counts the
    service day as day 1, so day 15 is service + 14 (CoP 9.77).
    """
    return _days_after(start, 14)


def _final_plan(start: date, facts: Facts) -> date | None:
    """Final EHC plan: 20 weeks from the request for assessment.

    reg 13(2): the finalised plan must be sent "as soon as practicable, and in any event
    within 20 weeks of the local authority receiving a request for an EHC needs assessment".
    Exceptions: reg 13(3), which applies the circumstances in reg 10(4)(a)-(d).
    """
    return _weeks_after(start, 20)


def _annual_review(start: date, facts: Facts) -> date | None:
    """Review of a plan: within the 12 months starting with the date made or last reviewed.

    CFA s.44(1): the LA "must review an EHC plan that it maintains (a) in the period of 12
    months starting with the date on which the plan was first made, and (b) in each
    subsequent period of 12 months starting with the date on which the plan was last
    reviewed". Made 15 March 2026 -> review by 14 March 2027.
    """
    return _period_of_months_starting_with(start, 12)


def _review_decision_notice(start: date, facts: Facts) -> date | None:
    """Decision after a review meeting (keep, amend or cease): 4 weeks from the meeting.

    reg 20(10) (reg 21 where the child or young person attends no school or institution):
    within 4 weeks of the review meeting the LA must decide whether it proposes to keep the
    plan as it is, amend it or cease to maintain it, and notify the parent or young person.
    (Wording seen in secondary sources; the 4-week limit is not in doubt.)
    """
    return _weeks_after(start, 4)


def _amended_plan(start: date, facts: Facts) -> date | None:
    """Final amended plan: 8 weeks from sending the proposed amendments.

    reg 22(3): the LA must send the finalised plan "as soon as practicable, and in any event
    within 8 weeks of the local authority sending a copy of the EHC plan in accordance with
    paragraph (2)(a)" (the copy of the plan sent with the notice of proposed amendments).
    See also ``amended_plan_latest_from_meeting`` (R (L, M, P) v Devon CC).
    """
    return _weeks_after(start, 8)


def _phase_transfer(start: date, facts: Facts) -> date | None:
    """Review and amend before a transfer between phases: a fixed date set by the transfer.

    reg 18(1): where a child or young person "is within 12 months of a transfer between
    phases of education, the local authority must review and amend, where necessary, the
    child or young person's EHC plan before (a) 31 March in the calendar year of the child or
    young person's transfer from secondary school to a post-16 institution; and (b) 15
    February in the calendar year of the child's transfer in any other case".

    reg 18(2): for a transfer "from one post-16 institution to another post-16 institution
    at any other time", the review must be "at least five months before that transfer takes
    place".

    "Before 15 February" -> 14 February is the last day in time; "before 31 March" -> 30
    March. Five months before a transfer uses the corresponding-date rule backwards; where
    the month has no corresponding date we take its last day, which is still at least five
    months before (31 July -> end of February). The start date does not move this clock.
    """
    transfer_type = facts.get("transfer_type")
    if transfer_type is None:
        raise ValueError(
            "clock 'phase_transfer' needs the fact transfer_type=<one of "
            + ", ".join(TRANSFER_TYPES)
            + ">"
        )
    if transfer_type not in TRANSFER_TYPES:
        raise ValueError(
            f"unknown transfer_type {transfer_type!r}; expected one of " + ", ".join(TRANSFER_TYPES)
        )
    if transfer_type == "post16_to_post16":
        return add_months(_required_date("phase_transfer", facts, "transfer_date"), -5)
    year = _required_int("phase_transfer", facts, "transfer_year")
    if transfer_type == "secondary_to_post16":
        return date(year, 3, 31) - timedelta(days=1)
    return date(year, 2, 15) - timedelta(days=1)


def _reassessment_decision(start: date, facts: Facts) -> date | None:
    """Decision whether to re-assess: 15 days from receiving the request.

    reg 25(1): the LA must notify the parent or young person of its decision whether it is
    necessary to re-assess within 15 days of receiving a request for a re-assessment.
    UNVERIFIED wording: primary text not seen; guidance (IPSEA, SENDIASS) says "15 calendar
    days of receiving the request", and reg 27(2) counts from "the notification under
    regulation 25(1)".
    """
    return _days_after(start, 15)


def _reassessment_final(start: date, facts: Facts) -> date | None:
    """Final plan after a re-assessment: 14 weeks from the notice of the decision to re-assess.

    reg 27(2): the LA must send the finalised plan "as soon as practicable, and in any event
    within 14 weeks of the notification under regulation 25(1) or of deciding it is necessary
    to reassess under section 44(3)". Exceptions: reg 27(3)(a)-(d).
    """
    return _weeks_after(start, 14)


def _appeal_deadline(start: date, facts: Facts) -> date | None:
    """Last day to appeal to the SEND Tribunal.

    r.20(1)(c): in a special educational needs case the application notice must be received
    "(i) within 2 months after written notice of the decision being challenged was sent to
    the applicant; or (ii) within 1 month from the date of issue of the mediation certificate
    if that date would be a later date than the date calculated by reference to paragraph
    (i)". The result is then moved by r.12(2) and r.12(3)(a); see ``tribunal_time_limit``.
    """
    ends = add_months(start, 2)
    certificate = _optional_date(facts, "mediation_certificate")
    if certificate is not None:
        ends = max(ends, add_months(certificate, 1))
    return tribunal_time_limit(ends)


def _cease_notice(start: date, facts: Facts) -> date | None:
    """Notice of a decision to cease to maintain a plan: no time limit of its own.

    reg 31 sets out how the LA must inform and consult the parent or young person before
    deciding to cease, and notify them of the decision and the right to appeal, but gives no
    period. Where the decision follows a review, reg 20(10)'s 4 weeks from the review meeting
    apply: pass ``review_meeting=<date>``.
    """
    meeting = _optional_date(facts, "review_meeting")
    return None if meeting is None else _weeks_after(meeting, 4)


def _section23_notification(start: date, facts: Facts) -> date | None:
    """Health body's notice that a young child may have SEN or a disability: no time limit.

    CFA s.23(2): where a health body forms the opinion that a child under compulsory school
    age has (or probably has) special educational needs or a disability, it must inform the
    child's parent, give the parent an opportunity to discuss the opinion with an officer of
    the body, and then bring it to the attention of the appropriate local authority. The
    section sets no period.
    """
    return None


@dataclass(frozen=True, slots=True)
class ClockInfo:
    """What a clock is, for timelines and help text."""

    description: str
    citation: str
    starts: str
    exceptions: tuple[str, ...] = ()


_REG_10_4 = ("reg 10(4)(a)", "reg 10(4)(b)", "reg 10(4)(c)", "reg 10(4)(d)")

CLOCKS: Final[Mapping[str, ClockInfo]] = MappingProxyType(
    {
        "assessment_decision": ClockInfo(
            "Decide whether to carry out an EHC needs assessment, within 6 weeks",
            "SEND Regulations 2014 reg 5(1)",
            "the LA receives the request, or becomes responsible for the child (CFA s.24)",
            ("reg 5(4)(a)", "reg 5(4)(b)", "reg 5(4)(c)", "reg 5(4)(d)"),
        ),
        "advice": ClockInfo(
            "Give advice for the assessment, within 6 weeks",
            "SEND Regulations 2014 reg 8(1)",
            "the adviser receives the LA's request for advice",
            ("reg 8(2)(a)", "reg 8(2)(b)", "reg 8(2)(c)"),
        ),
        "no_plan_notice": ClockInfo(
            "Tell the family the LA will not issue a plan, within 16 weeks of the request",
            "SEND Regulations 2014 reg 10(1)",
            "the LA receives the request for assessment",
            _REG_10_4,
        ),
        "draft_comment_end": ClockInfo(
            "Last day for the family to comment on the draft plan or amendments (15 days)",
            "SEND Regulations 2014 reg 13(1)(a), reg 22(2)(c); SEND Code of Practice 9.77",
            "the draft plan or amendment notice is served (day 1)",
        ),
        "final_plan": ClockInfo(
            "Issue the final EHC plan, within 20 weeks of the request",
            "SEND Regulations 2014 reg 13(2)",
            "the LA receives the request for assessment",
            ("reg 13(3)", *_REG_10_4),
        ),
        "annual_review": ClockInfo(
            "Review the plan within 12 months of it being made or last reviewed",
            "Children and Families Act 2014 s.44(1)",
            "the plan is first made, then the date it was last reviewed",
        ),
        "review_decision_notice": ClockInfo(
            "Tell the family whether the LA will keep, amend or cease the plan, within 4 weeks",
            "SEND Regulations 2014 reg 20(10) (reg 21 where no school)",
            "the review meeting",
        ),
        "amended_plan": ClockInfo(
            "Issue the final amended plan, within 8 weeks of the proposed amendments",
            "SEND Regulations 2014 reg 22(3); R (L, M, P) v Devon CC [2022] EWHC 493 (Admin)",
            "the LA sends the amendment notice with a copy of the plan",
        ),
        "phase_transfer": ClockInfo(
            "Review and amend the plan before a move between phases (before 15 February; "
            "before 31 March for secondary to post-16; 5 months ahead for post-16 moves)",
            "SEND Regulations 2014 reg 18(1), 18(2)",
            "a transfer between phases in the coming year",
        ),
        "reassessment_decision": ClockInfo(
            "Decide whether to re-assess, within 15 days of the request",
            "SEND Regulations 2014 reg 25(1)",
            "the LA receives the request for re-assessment",
        ),
        "reassessment_final": ClockInfo(
            "Issue the final plan after re-assessment, within 14 weeks",
            "SEND Regulations 2014 reg 27(2)",
            "the LA's notice of its decision to re-assess",
            ("reg 27(3)(a)", "reg 27(3)(b)", "reg 27(3)(c)", "reg 27(3)(d)"),
        ),
        "appeal_deadline": ClockInfo(
            "Last day to appeal to the SEND Tribunal: 2 months, or 1 month from a mediation "
            "certificate if later, moved off holidays by the Tribunal's rules",
            "Tribunal Procedure (HESC) Rules 2008 r.20(1)(c), r.12(2), r.12(3)(a)",
            "the decision notice is sent",
        ),
        "cease_notice": ClockInfo(
            "Tell the family the LA has decided to stop maintaining the plan (no time limit, "
            "unless it follows a review: 4 weeks from the meeting)",
            "SEND Regulations 2014 reg 31; reg 20(10)",
            "the LA decides to cease",
        ),
        "section23_notification": ClockInfo(
            "Health body tells the parent, discusses, then informs the LA (no time limit)",
            "Children and Families Act 2014 s.23",
            "the health body forms the opinion",
        ),
    }
)

_DISPATCH: Final[Mapping[str, Callable[[date, Facts], date | None]]] = MappingProxyType(
    {
        "assessment_decision": _assessment_decision,
        "advice": _advice,
        "no_plan_notice": _no_plan_notice,
        "draft_comment_end": _draft_comment_end,
        "final_plan": _final_plan,
        "annual_review": _annual_review,
        "review_decision_notice": _review_decision_notice,
        "amended_plan": _amended_plan,
        "phase_transfer": _phase_transfer,
        "reassessment_decision": _reassessment_decision,
        "reassessment_final": _reassessment_final,
        "appeal_deadline": _appeal_deadline,
        "cease_notice": _cease_notice,
        "section23_notification": _section23_notification,
    }
)

# Descriptions written from the SEND Regulations 2014. reg 10(4), reg 27(3) and reg 8(2) were
# checked against the text (legislation.gov.uk, or guidance quoting it); reg 5(4)(a) was seen,
# but reg 5(4)(b)-(d) were not and are assumed to follow the same four-part list as
# reg 10(4) -- UNSURE.
_SCHOOL_CLOSED = (
    "advice was asked of a school or college head or principal from one week before it "
    "closed for 4 weeks or more until one week before it reopened"
)
_EARLY_YEARS_CLOSED = (
    "advice was asked of an early years provider from one week before it closed for 4 weeks "
    "or more until one week before it reopened"
)
_PERSONAL = "exceptional personal circumstances affect the child, the parent or the young person"
_ABSENT = (
    "the child, the parent or the young person is away from the LA's area for a continuous "
    "period of at least 4 weeks"
)

EXCEPTIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "reg 5(4)(a)": _SCHOOL_CLOSED,
        "reg 5(4)(b)": _EARLY_YEARS_CLOSED,  # UNSURE: wording not seen
        "reg 5(4)(c)": _PERSONAL,  # UNSURE: wording not seen
        "reg 5(4)(d)": _ABSENT,  # UNSURE: wording not seen
        "reg 8(2)(a)": "exceptional circumstances affect the child, the parent or the young "
        "person during the 6 weeks",
        "reg 8(2)(b)": _ABSENT + ", during the 6 weeks",
        "reg 8(2)(c)": "the child or young person missed an appointment for an examination or "
        "test made by the adviser during the 6 weeks",
        "reg 10(4)(a)": _SCHOOL_CLOSED,
        "reg 10(4)(b)": _EARLY_YEARS_CLOSED,
        "reg 10(4)(c)": _PERSONAL,
        "reg 10(4)(d)": _ABSENT,
        "reg 13(3)": "any of the reg 10(4)(a)-(d) circumstances, applied to the 20-week limit "
        "for the final plan",
        "reg 27(3)(a)": _SCHOOL_CLOSED,
        "reg 27(3)(b)": _EARLY_YEARS_CLOSED,
        "reg 27(3)(c)": _PERSONAL,
        "reg 27(3)(d)": _ABSENT,  # UNSURE: text seen only up to "(d) the ..."
    }
)


def amended_plan_latest_from_meeting(meeting: date) -> date:
    """Latest day for a final amended plan counted from the review meeting: 12 weeks.

    R (L, M, P) v Devon CC [2022] EWHC 493 (Admin): reg 20(10) and reg 22 are read together,
    so the proposed amendments go with the decision notice due within 4 weeks of the meeting
    and the final plan follows within 8 weeks of that (reg 22(3)): at most 12 weeks.
    """
    return _weeks_after(_plain_date(meeting, "meeting"), 4 + 8)


def review_reports_latest(meeting: date) -> date:
    """Last day to circulate advice and information for a review meeting: 2 weeks before it.

    reg 20(4)(c) (paragraph number UNVERIFIED; the two-week rule is not in doubt): the advice
    and information obtained for the review must be circulated to everyone invited "at least
    two weeks before the date of the meeting". Two weeks before a Monday meeting is the
    Monday a fortnight earlier, which is still "at least two weeks" before it.
    """
    return _plain_date(meeting, "meeting") - timedelta(weeks=2)


def due(clock: str, start: date, **facts: object) -> date | None:
    """The last calendar day on which the act measured by ``clock`` is still in time.

    ``None`` where no deadline applies: an exception is recorded (any truthy ``exception=``
    fact, e.g. ``exception="reg 5(4)(d)"``) or the clock has no time limit. The rule and
    regulation for each clock are in ``CLOCKS`` and in the docstring of the function it
    dispatches to.

    Raises ValueError for an unknown clock, an unknown fact name or a missing required fact,
    and TypeError for a start or fact of the wrong type.
    """
    rule = _DISPATCH.get(clock)
    if rule is None:
        raise ValueError(f"unknown clock {clock!r}; valid clocks: {', '.join(_DISPATCH)}")
    start = _plain_date(start, "start")
    unknown = sorted(set(facts) - set(FACTS))
    if unknown:
        raise ValueError(f"unknown fact(s) {', '.join(unknown)}; known facts: {', '.join(FACTS)}")
    if facts.get("exception"):
        return None
    return rule(start, facts)
