"""The DfE's timeliness rules for the EHC process, and the cases they count, from the record.

The rules are pure functions of two dates, as the DfE derives them from SEN2 (received date,
outcome date): a new plan counts as issued within 20 weeks when it was issued no later than
140 days after the request was received. "Including exceptions" counts every plan issued;
"excluding exceptions" leaves out plans where a 20-week exception applied (SEN2 Week20 = 1),
which is the DfE's headline measure. The scorecard's indicators and the SEN2 summary both call
`twenty_week_cases`: one computation.

Where the DfE's reading of "within" is not confirmed (day 140 counted in time), the code says
so in `sen2_spec.UNVERIFIED`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.db.models import Exists, OuterRef

from tellonce.ehc.models import AppealEvent, Decision, Plan, Step
from tellonce.insight.indicators import Case, Scope

TWENTY_WEEKS = 140  # days (20 x 7): the request's day excluded (docs/statutory.md)
SIX_WEEKS = 42
SIXTEEN_WEEKS = 112
FOUR_WEEKS = 28


def within(received: date, done: date, days: int) -> bool:
    """Done no later than `days` after `received` (the day received is not counted)."""
    return (done - received).days <= days


def within_20_weeks(received: date, issued: date) -> bool:
    return within(received, issued, TWENTY_WEEKS)


@dataclass(frozen=True)
class PlanIssued:
    """A new plan issued: the request's received day, the day issued, any 20-week exception."""

    child_id: UUID
    request_id: int | None
    received_on: date
    issued_on: date
    exception: str

    @property
    def week20(self) -> int:
        """SEN2 Week20: 1 when a 20-week exception applies."""
        return 1 if self.exception else 0

    @property
    def in_time(self) -> bool:
        return within_20_weeks(self.received_on, self.issued_on)


def plans_issued(scope: Scope, start: date, end: date) -> list[PlanIssued]:
    """New plans issued in [start, end]: the "issue the final plan" steps done then, which
    start on the day the request was received (ehc.actions opens them so)."""
    rows = Step.objects.filter(
        local_authority_id__in=scope.local_authority_ids, kind=Step.Kind.FINAL_PLAN,
        done_on__gte=start, done_on__lte=end, cancelled=False,
    ).order_by().values_list("child_id", "request_id", "start", "done_on", "exception")
    return [PlanIssued(child, request, received, issued, exception)
            for child, request, received, issued, exception in rows
            if issued is not None]  # the filter says so; the type does not


def twenty_week_cases(scope: Scope, start: date, end: date, *,
                      excluding_exceptions: bool) -> list[Case]:
    return [
        Case(p.child_id, p.issued_on, int(p.in_time))
        for p in plans_issued(scope, start, end)
        if not (excluding_exceptions and p.exception)
    ]


def twenty_weeks_including(scope: Scope, start: date, end: date) -> list[Case]:
    return twenty_week_cases(scope, start, end, excluding_exceptions=False)


def twenty_weeks_excluding(scope: Scope, start: date, end: date) -> list[Case]:
    return twenty_week_cases(scope, start, end, excluding_exceptions=True)


def request_decisions_6_weeks(scope: Scope, start: date, end: date) -> list[Case]:
    """Decisions whether to assess made in [start, end], within 6 weeks of the request."""
    rows = Step.objects.filter(
        local_authority_id__in=scope.local_authority_ids, kind=Step.Kind.ASSESSMENT_DECISION,
        done_on__gte=start, done_on__lte=end, cancelled=False,
    ).order_by().values_list("child_id", "start", "done_on")
    return [Case(child, done, int(within(received, done, SIX_WEEKS)))
            for child, received, done in rows if done is not None]


def no_issue_16_weeks(scope: Scope, start: date, end: date) -> list[Case]:
    """Decisions not to issue a plan notified in [start, end], within 16 weeks of the request
    (reg 10(1))."""
    rows = Decision.objects.filter(
        child__local_authority_id__in=scope.local_authority_ids,
        kind=Decision.Kind.NOT_ISSUE, notice_sent_on__gte=start, notice_sent_on__lte=end,
        request__isnull=False,
    ).order_by().values_list("child_id", "request__received_on", "notice_sent_on")
    return [Case(child, sent, int(within(received, sent, SIXTEEN_WEEKS)))
            for child, received, sent in rows]


def review_decisions_4_weeks(scope: Scope, start: date, end: date) -> list[Case]:
    """Annual review decisions sent in [start, end], within 4 weeks of the meeting (the step
    starts on the meeting's day; reg 20(10)). Exceptions are not left out: the DfE measure is
    LastReview minus ReviewMeeting."""
    rows = Step.objects.filter(
        local_authority_id__in=scope.local_authority_ids, kind=Step.Kind.REVIEW_DECISION,
        done_on__gte=start, done_on__lte=end, cancelled=False,
    ).order_by().values_list("child_id", "start", "done_on")
    return [Case(child, done, int(within(meeting, done, FOUR_WEEKS)))
            for child, meeting, done in rows if done is not None]


def _active_plans(scope: Scope, on: date):  # type: ignore[no-untyped-def]
    return Plan.objects.filter(
        child__local_authority_id__in=scope.local_authority_ids, issued_on__isnull=False,
        issued_on__lte=on,
    ).exclude(ceased_on__lte=on)


def annual_reviews_overdue(scope: Scope, start: date, end: date) -> list[Case]:
    """Plans maintained on `end`, and whether one of their annual reviews was overdue that day:
    due before it and not held by it (CFA s.44(1))."""
    plans = list(_active_plans(scope, end).order_by().values_list("pk", "child_id"))
    overdue = set(
        Step.objects.filter(
            local_authority_id__in=scope.local_authority_ids, kind=Step.Kind.ANNUAL_REVIEW,
            cancelled=False, due__lt=end, start__lte=end,
        ).exclude(done_on__lte=end).order_by().values_list("plan_id", flat=True)
    )
    return [Case(child, end, int(pk in overdue)) for pk, child in plans]


def eotas_reviewed(scope: Scope, start: date, end: date) -> list[Case]:
    """Plans for education otherwise than at school (CFA s.61) maintained on `end`, and
    whether each was reviewed in the 12 months before."""
    year_before = end - timedelta(days=365)
    rows = _active_plans(scope, end).filter(eotas=True).order_by().values_list(
        "child_id", "last_reviewed_on")
    return [Case(child, end, int(reviewed is not None and year_before < reviewed <= end))
            for child, reviewed in rows]


def appeals_per_decision(scope: Scope, start: date, end: date) -> list[Case]:
    """Appealable decisions notified in [start, end], and whether an appeal to the SEND
    Tribunal was registered against each (the record keeps appeals against the decision)."""
    appealed = AppealEvent.objects.filter(decision=OuterRef("pk"),
                                          kind=AppealEvent.Kind.APPEAL_REGISTERED)
    rows = Decision.objects.filter(
        child__local_authority_id__in=scope.local_authority_ids,
        kind__in=Decision.APPEALABLE, notice_sent_on__gte=start, notice_sent_on__lte=end,
    ).annotate(appealed=Exists(appealed)).order_by().values_list(
        "child_id", "notice_sent_on", "appealed")
    return [Case(child, sent, int(was)) for child, sent, was in rows]


def annual_reviews_overdue_monthly(scope: Scope, today: date) -> dict[date, tuple[int, int]]:
    """The same rule as `annual_reviews_overdue`, at the end of each of the last 25 months,
    from one read of the plans and their review steps (24 reads of every plan were most of
    the scorecard's time)."""
    from tellonce.insight.scorecard import add_months, month_end

    last = add_months(today.replace(day=1), -1)
    months = [add_months(last, -i) for i in range(25)]
    first_end = month_end(months[-1])
    plans = list(Plan.objects.filter(
        child__local_authority_id__in=scope.local_authority_ids, issued_on__isnull=False,
        issued_on__lte=month_end(last)).exclude(ceased_on__lte=first_end).order_by()
        .values_list("pk", "issued_on", "ceased_on"))
    reviews: dict[int, list[tuple[date, date | None, date]]] = {}
    for plan_id, due, done, start in Step.objects.filter(
            local_authority_id__in=scope.local_authority_ids, kind=Step.Kind.ANNUAL_REVIEW,
            cancelled=False, due__isnull=False, plan__isnull=False).order_by().values_list(
            "plan_id", "due", "done_on", "start"):
        if due is None:  # excluded by the filter; says so to the type checker
            continue
        reviews.setdefault(plan_id, []).append((due, done, start))
    out = {}
    for m in months:
        end = month_end(m)
        n = d = 0
        for pk, issued, ceased in plans:
            if issued is None or issued > end or (ceased is not None and ceased <= end):
                continue
            d += 1
            if any(due < end and start <= end and (done is None or done > end)
                   for due, done, start in reviews.get(pk, ())):
                n += 1
        out[m] = (n, d)
    return out
