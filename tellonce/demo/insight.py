"""Demo data for the partnership's insight: sex and ethnicity for every child (the SEN2 Person
module and the breakdowns), and a second year of EHC history, so the scorecard's trend, its
comparison with the year before and a locality gap show on first start.

The EHC demo (tellonce/ehc/demo.py) gives the "issue the final plan" step only to plans issued
in the last year; this adds it to plans issued in the year before, received 14 to 30 weeks
earlier, slower in the first locality (the inequity a breakdown should show).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tellonce.ehc import clock
from tellonce.ehc.actions import recount_done_steps
from tellonce.ehc.models import Plan, Step
from tellonce.insight.models import Characteristics
from tellonce.people.models import Child

BATCH = 5000
# Rough shares of the school population (DfE, Schools, pupils and their characteristics).
ETHNICITY_WEIGHTS = {
    "WBRI": 0.64, "WOTH": 0.07, "MWBC": 0.02, "MWAS": 0.02, "MOTH": 0.03, "AIND": 0.035,
    "APKN": 0.045, "ABAN": 0.02, "AOTH": 0.02, "CHNE": 0.005, "BAFR": 0.04, "BCRB": 0.01,
    "BOTH": 0.01, "OOTH": 0.02, "NOBT": 0.01,
}


def generate(area: Any) -> None:
    rng, la, today = area.rng, area.local_authority, area.today
    codes, weights = list(ETHNICITY_WEIGHTS), list(ETHNICITY_WEIGHTS.values())
    batch: list[Characteristics] = []
    for pk in Child.objects.filter(local_authority=la).values_list("pk", flat=True).iterator():
        batch.append(Characteristics(child_id=pk, sex=rng.choice("MF"),
                                     ethnicity=rng.choices(codes, weights)[0]))
        if len(batch) >= BATCH:
            Characteristics.objects.bulk_create(batch)
            batch = []
    Characteristics.objects.bulk_create(batch)

    slow = area.localities[0].pk if area.localities else None
    have = set(Step.objects.filter(kind=Step.Kind.FINAL_PLAN, plan__isnull=False)
               .values_list("plan_id", flat=True))
    plans = Plan.objects.filter(
        child__local_authority=la, issued_on__gt=today - timedelta(days=730),
        issued_on__lt=today - timedelta(days=365)).exclude(pk__in=have).values_list(
        "pk", "child_id", "issued_on", "child__send_status", "child__family_name",
        "child__given_name", "child__locality_id")
    team = area.la_teams.get("send") if hasattr(area, "la_teams") else None
    steps = []
    for plan_pk, child_id, issued, status, family, given, locality in plans:
        if issued is None:  # the filter excludes it; the type does not know
            continue
        weeks = rng.choice([24, 26, 28, 30, 34] if locality == slow
                           else [14, 16, 18, 19, 20, 21, 24])
        received = issued - timedelta(weeks=weeks, days=rng.randrange(0, 6))
        exception = "reg 10(4)(c)" if rng.random() < 0.05 else ""
        steps.append(Step(
            child_id=child_id, local_authority=la, child_send_status=status,
            child_family_name=family, child_given_name=given, child_locality_id=locality,
            kind=Step.Kind.FINAL_PLAN, stage=Step.Stage.FINAL, title="Issue the final EHC plan",
            clock="final_plan", start=received,
            due=None if exception else clock.due("final_plan", received),
            exception=exception, exception_reason="Family abroad for six weeks (demo)"
            if exception else "", waiting_on=Step.WaitingOn.LOCAL_AUTHORITY,
            waiting_on_organisation=team, done_on=issued, outcome="Done", plan_id=plan_pk,
        ))
    Step.objects.bulk_create(steps, batch_size=BATCH)
    recount_done_steps({(la.pk, Step.Kind.FINAL_PLAN, s.done_on) for s in steps
                        if s.done_on is not None})
    forum(area)
    action_plan(area)
    area.progress(f"insight: characteristics for every child; {len(steps)} plans' 20-week "
                  "history for the year before last")


def forum(area: Any) -> None:
    """The area's parent carer forum, its demo account (`forum`), and a first published
    scorecard for it to read."""
    from tellonce.insight.actions import published_content
    from tellonce.insight.indicators import Scope
    from tellonce.insight.models import PublishedScorecard
    from tellonce.people.models import Organisation, StaffMembership, User

    la, today = area.local_authority, area.today
    org = Organisation.objects.create(name=f"{la.name.split(' ')[0]} Parent Carer Forum",
                                      kind=Organisation.Kind.VOLUNTARY, local_authority=la)
    leader = area.users.get("leader")
    user = User.objects.create(
        username="forum", display_name="Nadia Begum", first_name="Nadia", last_name="Begum",
        password=leader.password if leader else "!", email="forum@demo.invalid")
    StaffMembership.objects.create(user=user, organisation=org,
                                   role=StaffMembership.Role.PARENT_CARER_FORUM,
                                   job_title="Forum co-chair", start=today - timedelta(days=700))
    area.users["forum"] = user
    period, content = published_content(Scope((la.pk,)), today)
    PublishedScorecard.objects.create(
        local_authority=la, period_label=period.label, period_end=period.end,
        published_at=timezone.now(), published_by=leader,
        published_by_description="Ruth Campbell (Director of SEND partnership)",
        note="Published after the partnership board (demo).", content=content)


# Halton's five areas for priority action (Ofsted and CQC area SEND inspection, report
# published 26 January 2024; monitoring inspection letter, March 2026), in the inspection's
# words, with the demo's own actions and measures.
HALTON_2024 = [
    ("Strategic oversight and governance",
     "Leaders at the local authority and the ICB should cooperate at pace to improve the shared "
     "strategic oversight, governance, support and challenge to drive improvements to meet the "
     "needs of children and young people with SEND."),
    ("Information gathering and sharing",
     "Leaders in the local authority, ICB and education, health and social care providers "
     "should improve the efficiency and quality of their information-gathering and -sharing "
     "processes to ensure that children's and young people's needs are understood accurately "
     "and met more swiftly and effectively through coordinated approaches."),
    ("Joint commissioning",
     "Leaders across education, health and social care should improve the joint commissioning "
     "of services to ensure that children, young people and their families receive sufficient "
     "support to have their needs met effectively."),
    ("Early identification and specialist health pathways",
     "Leaders across education, health and social care should urgently improve the early "
     "identification of needs and access to specialist health pathways, including the "
     "neurodevelopmental assessment pathway and speech and language therapy and the support "
     "available, while children and young people wait."),
    ("Timeliness of EHC plans and annual reviews",
     "Leaders across education, health and social care should improve the timeliness of new "
     "EHC plans and updates to EHC plans following the annual review process, so that, if "
     "appropriate, children and young people receive an effective EHC plan within statutory "
     "timescales."),
]


def action_plan(area: Any) -> None:
    from tellonce.insight.models import ImpactMeasure, PlanAction, PlanChange, PriorityArea

    la, today, rng = area.local_authority, area.today, area.rng
    leader = area.users.get("leader")
    send, icb = area.la_teams["send"], area.icb
    slt = area.health_services.get("slt") or area.trust
    owners = {
        1: [("Ruth Campbell", icb, "Joint SEND partnership board with ICB and council "
             "directors, monthly, with the scorecard as its first item")],
        2: [("Jack Turner", send, "One request form shared by schools, health and social care"),
            ("Helen Ward", icb, "Health advice for EHC assessments through one inbox, tracked")],
        3: [("Ruth Campbell", icb, "Joint commissioning strategy for therapies, agreed by the "
             "council and the ICB")],
        4: [("Sam Okafor", slt, "Speech and language therapy drop-ins in every locality while "
             "children wait"),
            ("Helen Ward", icb, "Neurodevelopmental hub as the single point of coordination")],
        5: [("Aisha Khan", send, "Weekly tracking of every request against the 20-week clock"),
            ("Aisha Khan", send, "Clear the backlog of annual reviews overdue")],
    }
    measures = {
        1: [("ehc_20_weeks_excluding", 35.0, 65.0)],
        2: [("request_decision_6_weeks", 60.0, 90.0)],
        3: [("days_to_triage", 30.0, 14.0)],
        4: [("waits_over_standard", 55.0, 25.0), ("waits_over_52_weeks", 5.0, 0.0)],
        5: [("ehc_20_weeks_including", 35.0, 65.0), ("annual_reviews_overdue", 10.0, 3.0)],
    }
    start = today - timedelta(days=680)
    for number, (title, finding) in enumerate(HALTON_2024, start=1):
        priority = PriorityArea.objects.create(
            local_authority=la, number=number, title=title, finding=finding,
            source="Ofsted and CQC area SEND inspection, report published 26 January 2024")
        for key, baseline, target in measures[number]:
            ImpactMeasure.objects.create(area=priority, indicator_key=key, baseline=baseline,
                                         baseline_on=start, target=target,
                                         target_on=today + timedelta(days=300))
        for i, (who, org, what) in enumerate(owners[number]):
            late = (number + i) % 3 == 0  # some late, as the demo should show
            due = today - timedelta(days=rng.randrange(20, 90)) if late else \
                today + timedelta(days=rng.randrange(30, 200))
            action = PlanAction.objects.create(
                area=priority, what=what, owner_name=who, owner_organisation=org,
                owner=area.users.get({"Ruth Campbell": "leader", "Jack Turner": "caseworker",
                                      "Helen Ward": "dco", "Sam Okafor": "slt",
                                      "Aisha Khan": "manager"}[who]),
                start=start + timedelta(days=30 * i), due=due,
                status=PlanAction.Status.IN_PROGRESS if late or i else
                PlanAction.Status.NOT_STARTED,
                evidence="Minutes of the partnership board (demo)" if i else "")
            PlanChange.objects.create(
                area=priority, action=action, at=timezone.now() - timedelta(days=10), by=leader,
                by_description="Ruth Campbell (Director of SEND partnership)",
                summary=f"Added the action: {what[:200]}", detail={})
