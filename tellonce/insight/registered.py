"""The indicators the scorecard shows, one registration each, in the order shown.

To add one (the early identification measures from tellonce/early/measures.py, the plan
quality scores from tellonce/ehc/quality.py when they land): write its cases function in its
own app, then register it here with its definition. Targets are the partnership's own.
"""

from __future__ import annotations

from tellonce.insight import imported, timeliness, waits
from tellonce.insight.indicators import Indicator, register

EHC = "EHC process (council)"
HEALTH = "Health waits (NHS)"

register(Indicator(
    key="ehc_20_weeks_excluding",
    title="New EHC plans issued within 20 weeks, excluding exceptions",
    numerator="New plans issued no later than 140 days after the request was received",
    denominator="New plans issued in the period where no 20-week exception applied",
    period="Plans issued in the 12 months to the end of the last full month",
    good="higher", cases=timeliness.twenty_weeks_excluding, target=60.0,
    law="SEND Regulations 2014 reg 13(2); exceptions reg 13(3). The DfE's headline measure.",
))
register(Indicator(
    key="ehc_20_weeks_including",
    title="New EHC plans issued within 20 weeks, including exceptions",
    numerator="New plans issued no later than 140 days after the request was received",
    denominator="All new plans issued in the period",
    period="Plans issued in the 12 months to the end of the last full month",
    good="higher", cases=timeliness.twenty_weeks_including, target=60.0,
    law="SEND Regulations 2014 reg 13(2)",
))
register(Indicator(
    key="request_decision_6_weeks",
    title="Requests for an assessment decided within 6 weeks",
    numerator="Decisions whether to assess made no later than 42 days after the request",
    denominator="Decisions whether to assess made in the period",
    period="Decisions made in the 12 months to the end of the last full month",
    good="higher", cases=timeliness.request_decisions_6_weeks, target=90.0,
    law="SEND Regulations 2014 reg 5(1)",
))
register(Indicator(
    key="no_issue_16_weeks",
    title="Decisions not to issue a plan notified within 16 weeks",
    numerator="Decisions not to issue notified no later than 112 days after the request",
    denominator="Decisions not to issue a plan notified in the period",
    period="Notices sent in the 12 months to the end of the last full month",
    good="higher", cases=timeliness.no_issue_16_weeks, target=90.0,
    law="SEND Regulations 2014 reg 10(1)",
))
register(Indicator(
    key="review_decision_4_weeks",
    title="Annual review decisions sent within 4 weeks of the meeting",
    numerator="Review decisions sent no later than 28 days after the review meeting",
    denominator="Review decisions sent in the period",
    period="Decisions sent in the 12 months to the end of the last full month",
    good="higher", cases=timeliness.review_decisions_4_weeks, target=80.0,
    law="SEND Regulations 2014 reg 20(10)",
))
register(Indicator(
    key="annual_reviews_overdue",
    title="EHC plans with an annual review overdue",
    numerator="Plans whose annual review was due before the day and not held by it",
    denominator="Plans maintained on the day",
    period="On the last day of the last full month", kind="stock",
    good="lower", cases=timeliness.annual_reviews_overdue,
    monthly=timeliness.annual_reviews_overdue_monthly, target=5.0,
    law="Children and Families Act 2014 s.44(1)",
))
register(Indicator(
    key="eotas_reviewed",
    title="Education otherwise than at school: packages reviewed in the last 12 months",
    numerator="EOTAS plans reviewed in the 12 months before the day",
    denominator="Plans maintained on the day that make provision otherwise than at school",
    period="On the last day of the last full month", kind="stock",
    good="higher", cases=timeliness.eotas_reviewed, target=100.0,
    law="Children and Families Act 2014 s.61, s.44",
))
register(Indicator(
    key="appeals_per_decision",
    title="Appealable decisions appealed to the SEND Tribunal",
    numerator="Appealable decisions with an appeal registered against them",
    denominator="Appealable decisions notified in the period",
    period="Decisions notified in the 12 months to the end of the last full month",
    good="lower", cases=timeliness.appeals_per_decision, target=3.0,
    law="Children and Families Act 2014 s.51",
))
register(Indicator(
    key="waits_over_standard",
    title="Children waiting longer than the standard for a health pathway",
    numerator="Children on a list waiting longer than its standard: 13 weeks (3 months) for "
              "an autism assessment (NICE QS51), 18 weeks for every other pathway",
    denominator="Children on the area's health pathway lists",
    period="At the end of the last full month", kind="stock",
    good="lower", cases=waits.over_standard_cases, monthly=waits.monthly_over_standard,
    target=8.0, target_note="NHS Constitution: 92% within 18 weeks",
    law="NICE quality standard QS51 statement 1; NHS Constitution (18 weeks)",
))
register(Indicator(
    key="waits_over_52_weeks",
    title="Children waiting over 52 weeks for a health pathway",
    numerator="Children on a list who have waited more than 52 weeks",
    denominator="Children on the area's health pathway lists",
    period="At the end of the last full month", kind="stock",
    good="lower", cases=waits.over_52_cases, monthly=waits.monthly_over_52, target=0.0,
))
register(Indicator(
    key="days_to_triage",
    title="Mean days from a health referral to the triage decision",
    numerator="Days from referral to the triage decision, added up",
    denominator="Triage decisions made in the period",
    period="Decisions made in the 12 months to the end of the last full month",
    good="lower", unit="days", cases=waits.triage_cases, monthly=waits.monthly_triage,
    target=14.0,
))

GROUPS = {
    "ehc_20_weeks_excluding": EHC, "ehc_20_weeks_including": EHC,
    "request_decision_6_weeks": EHC, "no_issue_16_weeks": EHC, "review_decision_4_weeks": EHC,
    "annual_reviews_overdue": EHC, "eotas_reviewed": EHC, "appeals_per_decision": EHC,
    "waits_over_standard": HEALTH, "waits_over_52_weeks": HEALTH, "days_to_triage": HEALTH,
}

# ----- figures the record does not hold (uploaded: tellonce/insight/imports.py) -----
IMPORTED = "Schools and other services (uploaded)"
_IMPORTED = [
    ("persistent_absence_ehc_plan", "Persistent absence: pupils with an EHC plan",
     "school_absence", "persistently_absent", "pupils", "ehc_plan", "%", 25.0,
     "Pupils with an EHC plan missing 10% or more of possible sessions",
     "Pupils with an EHC plan on roll"),
    ("persistent_absence_sen_support", "Persistent absence: pupils with SEN support",
     "school_absence", "persistently_absent", "pupils", "sen_support", "%", 22.0,
     "Pupils with SEN support missing 10% or more of possible sessions",
     "Pupils with SEN support on roll"),
    ("suspensions_ehc_plan", "Suspensions per 100 pupils with an EHC plan, in the month",
     "school_absence", "suspensions", "pupils", "ehc_plan", "per 100", 1.0,
     "Suspensions of pupils with an EHC plan in the month", "Pupils with an EHC plan on roll"),
    ("suspensions_sen_support", "Suspensions per 100 pupils with SEN support, in the month",
     "school_absence", "suspensions", "pupils", "sen_support", "per 100", 1.0,
     "Suspensions of pupils with SEN support in the month", "Pupils with SEN support on roll"),
    ("community_waits_over_52", "Community waiting lists (ICB): waiting over 52 weeks",
     "community_waits", "over_52_weeks", "waiting", None, "%", 0.0,
     "Children waiting more than 52 weeks", "Children on the ICB's community waiting lists"),
    ("camhs_over_4_weeks", "Children's mental health: waiting over 4 weeks",
     "camhs_waits", "over_4_weeks", "waiting", None, "%", 20.0,
     "Children waiting more than 4 weeks (the proposed 4-week standard)",
     "Children on the CAMHS waiting list"),
]
for key, title, source, num, den, group, unit, target, num_words, den_words in _IMPORTED:
    register(Indicator(
        key=key, title=title, numerator=num_words, denominator=den_words,
        period="The latest month uploaded", kind="stock", good="lower",
        cases=imported.no_cases, monthly=imported.monthly(source, num, den, group),
        unit=unit, source="imported", target=target, as_of=imported.as_of(source),  # type: ignore[arg-type]
        by_child=False,
    ))
    GROUPS[key] = IMPORTED
