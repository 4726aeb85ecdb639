"""Demo waiting lists: three years of referrals on every pathway, a locality gap, one pathway
improving, and referrals for the demo families.

The queues come from the same synthetic model the forecast is backtested on
(backtest.generate_history): referrals arrive at random with fewer in school holidays,
capacity wanders and dips at Christmas and in August, children are seen in order and a few
withdraw. So the demo's lists have history long enough to backtest and look like real ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from tellonce.access.models import Consent
from tellonce.health.backtest import PathwaySpec, generate_history
from tellonce.health.models import (
    DEFAULT_TARGET_WEEKS,
    Pathway,
    PathwayKind,
    Referral,
    ReferralEvent,
    RiskReview,
)
from tellonce.health.queues import refresh_stats
from tellonce.people.models import Child, Involvement, Locality

if TYPE_CHECKING:
    from tellonce.demo.area import Area

Status = Referral.Status
BATCH = 5000
BASE_CHILDREN = 30_000


@dataclass(frozen=True)
class DemoPathway:
    kind: str
    service: str  # key of area.health_services
    referrals_per_week: float  # for the whole area at 30,000 children
    capacity_per_week: float
    initial_list: int
    per_locality: bool = False
    # Capacity of each locality's list relative to its demand, in turn: the locality gap.
    locality_capacity: tuple[float, ...] = (1.0,)
    change_week: int | None = None
    change_factor: float = 1.0


PATHWAYS = [
    # Demand well above capacity: the long autism and ADHD waits of the inspection reports.
    DemoPathway(PathwayKind.AUTISM, "neurodevelopmental", 6.0, 5.2, 260),
    DemoPathway(PathwayKind.ADHD, "neurodevelopmental", 4.0, 3.6, 180),
    DemoPathway(PathwayKind.SLT, "slt", 10.0, 10.0, 120, per_locality=True,
                locality_capacity=(0.96, 1.06)),
    # Sefton 2016: OT waits of 24 weeks in one locality and 9 in the other.
    DemoPathway(PathwayKind.OT, "ot", 6.0, 6.0, 90, per_locality=True,
                locality_capacity=(0.9, 1.12)),
    # Improving: extra clinicians from week 90 lift capacity by 35%.
    DemoPathway(PathwayKind.PAEDIATRICS, "paediatrics", 4.5, 4.0, 150, change_week=90,
                change_factor=1.35),
    DemoPathway(PathwayKind.PHYSIO, "physio", 2.0, 2.3, 15),
    DemoPathway(PathwayKind.AUDIOLOGY, "audiology", 2.5, 2.8, 15),
    DemoPathway(PathwayKind.MENTAL_HEALTH, "camhs", 5.0, 4.8, 120),
]
# Needs that make a referral to each pathway more likely (the rest are drawn from anyone).
LIKELY_NEEDS: dict[str, set[str]] = {
    PathwayKind.AUTISM: {"ASD", "SLCN", "SEMH"}, PathwayKind.ADHD: {"SEMH", "ASD", "MLD"},
    PathwayKind.SLT: {"SLCN", "ASD", "NSA"}, PathwayKind.OT: {"PD", "SPLD", "OTH", "ASD"},
    PathwayKind.PAEDIATRICS: {"PMLD", "SLD", "MLD", "PD"}, PathwayKind.PHYSIO: {"PD", "PMLD"},
    PathwayKind.AUDIOLOGY: {"HI", "MSI"}, PathwayKind.MENTAL_HEALTH: {"SEMH", "ASD"},
}
REFERRERS = [
    ("GP", "GP"), ("School SENCO", "SENCO"), ("Health visiting team", "Health visitor"),
    ("School nursing team", "School nurse"), ("Community paediatrician", "Paediatrician"),
    ("Early years setting", "Early years practitioner"),
]
DECLINE_REASONS = [
    "The referral did not include enough information about the child's needs. The school "
    "can send more and refer again.",
    "The child's needs can be met by the support the school already provides; we have "
    "sent the school advice.",
    "The child is under the age this service works with.",
]
REDIRECTS = ["Early Help Service", "School Nursing Service", "Children's Social Care",
             "Early Years Speech and Language Support"]
INTERIM = [
    "A place on the 'Understanding your child' parent workshop (4 sessions)",
    "Advice pack and a call with a clinician",
    "Drop-in advice clinic on Wednesdays",
    "Strategies shared with the school's SENCO",
]


def _start_of_history(today: date, years: int = 3) -> date:
    """The first Monday of September `years` school years ago (the synthetic history's week 0
    is the first week of the school year)."""
    year = today.year - years - (1 if today < date(today.year, 9, 1) else 0)
    start = date(year, 9, 1)
    return start + timedelta(days=(7 - start.weekday()) % 7)


def generate(area: Area) -> None:
    rng, today, la = area.rng, area.today, area.local_authority
    area.progress("health: pathways and three years of referrals")
    children = list(
        Child.objects.filter(local_authority=la).values_list(
            "pk", "locality_id", "primary_need", "date_of_birth"
        )
    )
    scale = max(len(children), 1000) / BASE_CHILDREN
    start = _start_of_history(today)
    weeks = (today - start).days // 7
    localities: list[Locality] = list(area.localities)

    pools: dict[tuple[int | None, str], list[tuple[UUID, date]]] = {}
    demo_ids = {c.pk for c in area.demo_children.values()}
    for pk, locality_id, need, dob in children:
        if (today - dob).days > 19 * 365 or pk in demo_ids:
            continue
        pools.setdefault((locality_id, "any"), []).append((pk, dob))
        pools.setdefault((None, "any"), []).append((pk, dob))
        if need:
            pools.setdefault((locality_id, need), []).append((pk, dob))
            pools.setdefault((None, need), []).append((pk, dob))

    pathways: list[Pathway] = []
    specs: list[PathwaySpec] = []
    for demo in PATHWAYS:
        lists: list[tuple[Locality | None, float, float]] = (
            [(loc, 1 / len(localities), demo.locality_capacity[i % len(demo.locality_capacity)])
             for i, loc in enumerate(localities)]
            if demo.per_locality else [(None, 1.0, 1.0)]
        )
        for locality, share, capacity in lists:
            pathways.append(Pathway(
                kind=demo.kind, provider=area.health_services[demo.service], local_authority=la,
                locality=locality, target_weeks=DEFAULT_TARGET_WEEKS.get(demo.kind, 18),
            ))
            specs.append(PathwaySpec(
                name=f"{demo.kind}:{locality.name if locality else 'area'}",
                referrals_per_week=demo.referrals_per_week * scale * share,
                capacity_per_week=demo.capacity_per_week * scale * share * capacity,
                initial_list=max(3, round(demo.initial_list * scale * share)),
                capacity_change_week=demo.change_week,
                capacity_change_factor=demo.change_factor,
            ))
    Pathway.objects.bulk_create(pathways)
    histories = generate_history(specs, weeks=weeks, follow_up_weeks=0,
                                 seed=rng.randrange(2**31))

    def on(week_time: float) -> date:
        return start + timedelta(days=math.floor(week_time * 7))

    def pick_child(kind: str, locality_id: int | None, before: date) -> UUID | None:
        for _ in range(6):
            if rng.random() < 0.6:
                need = rng.choice(sorted(LIKELY_NEEDS[kind]))
                pool = pools.get((locality_id, need)) or pools.get((None, need))
            else:
                pool = pools.get((locality_id, "any")) or pools.get((None, "any"))
            if not pool:
                continue
            pk, dob = rng.choice(pool)
            if dob < before - timedelta(days=365):
                return pk
        return None

    referrals: list[Referral] = []
    serial = 0
    for pathway, history in zip(pathways, histories, strict=True):
        for ref_time, removal_time, assessed in zip(
            history.referral_time.tolist(), history.removal_time.tolist(),
            history.assessed.tolist(), strict=True,
        ):
            received = on(ref_time)
            child_id = pick_child(pathway.kind, pathway.locality_id, received)
            if child_id is None:
                continue
            serial += 1
            who, role = rng.choice(REFERRERS)
            r = Referral(
                child_id=child_id, pathway=pathway, received_on=received,
                provider_reference=f"{pathway.kind[:3].upper()}{serial:07d}",
                referrer_name=who, referrer_role=role,
            )
            delay = rng.randint(2, 70 if pathway.kind in ("autism", "adhd") else 35)
            decided = received + timedelta(days=delay)
            left = None if math.isnan(removal_time) else on(removal_time)
            if left is not None and decided > left:
                decided = left
            if left is None and decided >= today:
                r.status = Status.AWAITING_TRIAGE
            else:
                r.triage_decision_on = decided
                if rng.random() < 0.88:
                    r.family_told_on = min(decided + timedelta(days=rng.randint(0, 21)), today)
                    r.last_contact_on, r.last_contact = r.family_told_on, (
                        "Told the family the referral was accepted")
                r.status = Status.WAITING
            if left is not None and assessed:
                r.first_seen_on = r.first_appointment_on = r.left_list_on = left
                r.last_contact_on, r.last_contact = left, "First appointment"
                completed = left + timedelta(weeks=rng.randint(2, 12))
                if completed <= today:
                    r.status, r.assessment_completed_on = Status.ASSESSED, completed
                    r.outcome = "Assessment completed; report sent to the family and referrer"
                    discharged = completed + timedelta(weeks=rng.randint(1, 16))
                    if discharged <= today:
                        r.status, r.discharged_on = Status.DISCHARGED, discharged
                        r.discharge_reason = Referral.DischargeReason.COMPLETED
                else:
                    r.status = Status.IN_ASSESSMENT
            elif left is not None:
                r.status, r.left_list_on, r.discharged_on = Status.DISCHARGED, left, left
                r.discharge_reason = rng.choice([Referral.DischargeReason.WITHDRAWN,
                                                 Referral.DischargeReason.MOVED_AWAY])
            elif r.status == Status.WAITING:
                waited = (today - received).days
                if rng.random() < 0.5:
                    r.interim_support = rng.choice(INTERIM)
                    r.interim_support_offered_on = min(decided + timedelta(days=14), today)
                if waited > 26 * 7:
                    # Reviewed every 12 weeks; about one in six reviews is late.
                    due = today + timedelta(days=rng.randint(-30, 84))
                    r.next_risk_review_on = due
            referrals.append(r)
        # Referrals that never join the list: declined or sent elsewhere at triage.
        for _ in range(round(len(history.referral_time) * 0.08)):
            received = on(rng.uniform(0, weeks - 1))
            child_id = pick_child(pathway.kind, pathway.locality_id, received)
            if child_id is None:
                continue
            serial += 1
            decided = min(received + timedelta(days=rng.randint(3, 42)), today)
            who, role = rng.choice(REFERRERS)
            r = Referral(
                child_id=child_id, pathway=pathway, received_on=received,
                provider_reference=f"{pathway.kind[:3].upper()}{serial:07d}",
                referrer_name=who, referrer_role=role, triage_decision_on=decided,
                left_list_on=decided, family_told_on=decided,
            )
            if rng.random() < 0.6:
                r.status, r.decline_reason = Status.DECLINED, rng.choice(DECLINE_REASONS)
            else:
                r.status, r.redirected_to = Status.REDIRECTED, rng.choice(REDIRECTS)
            referrals.append(r)
    Referral.objects.bulk_create(referrals, batch_size=BATCH)
    area.progress(f"health: {len(pathways)} pathways, {len(referrals):,} referrals")

    _open_referral_details(area, [r for r in referrals if r.status in Referral.OPEN_STATUSES])
    _demo_families(area, pathways)
    refresh_stats([p.pk for p in pathways], today, force=True)
    area.progress("health: waiting-time summaries computed")


def _open_referral_details(area: Area, open_referrals: list[Referral]) -> None:
    """History, reviews, and the service's involvement (with consent) for open referrals,
    so practitioners see their lists and families see what happened."""
    today = area.today
    events: list[ReferralEvent] = []
    reviews: list[RiskReview] = []
    involvements: list[Involvement] = []
    consents: list[Consent] = []
    existing = set(
        Involvement.objects.filter(organisation__in=area.health_services.values())
        .values_list("child_id", "organisation_id")
    )
    consented = set(
        Consent.objects.filter(organisation__in=area.health_services.values(),
                               withdrawn_at__isnull=True)
        .values_list("child_id", "organisation_id")
    )
    for r in open_referrals:
        events.append(ReferralEvent(referral=r, on=r.received_on,
                                    what=f"Referral received from {r.referrer_name} "
                                    f"({r.referrer_role})"))
        if r.triage_decision_on:
            events.append(ReferralEvent(referral=r, on=r.triage_decision_on,
                                        what="Referral accepted: added to the waiting list"))
        if r.interim_support:
            events.append(ReferralEvent(referral=r, on=r.interim_support_offered_on or today,
                                        what=f"Support offered while waiting: "
                                        f"{r.interim_support}"))
        if r.next_risk_review_on:
            reviewed = min(r.next_risk_review_on - timedelta(weeks=12), today)
            reviews.append(RiskReview(referral=r, reviewed_on=reviewed,
                                      outcome=RiskReview.Outcome.CONTINUE,
                                      next_review_on=r.next_risk_review_on,
                                      notes="Needs reviewed with the family by phone."))
            events.append(ReferralEvent(referral=r, on=reviewed,
                                        what="Clinical risk review: Safe to keep waiting"))
            r.last_contact_on, r.last_contact = reviewed, "Risk review call with the family"
        if r.first_seen_on:
            events.append(ReferralEvent(referral=r, on=r.first_seen_on,
                                        what="First appointment held"))
        key = (r.child_id, r.pathway.provider_id)
        if key not in existing:
            existing.add(key)
            involvements.append(Involvement(
                child_id=r.child_id, organisation_id=r.pathway.provider_id,
                role=f"Referral: {r.pathway.get_kind_display()}", start=r.received_on,
            ))
        # The family agreed at referral that the service may see the record it works from.
        if key not in consented:
            consented.add(key)
            consents.append(Consent(child_id=r.child_id, organisation_id=r.pathway.provider_id,
                                    given_by_name="Parent (recorded at referral)"))
    Referral.objects.bulk_update(
        [r for r in open_referrals if r.next_risk_review_on], ["last_contact_on", "last_contact"],
        batch_size=BATCH,
    )
    ReferralEvent.objects.bulk_create(events, batch_size=BATCH)
    RiskReview.objects.bulk_create(reviews, batch_size=BATCH)
    Involvement.objects.bulk_create(involvements, batch_size=BATCH)
    Consent.objects.bulk_create(consents, batch_size=BATCH)


def _aware(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 10, tzinfo=UTC)


def _demo_families(area: Area, pathways: list[Pathway]) -> None:
    """Kofi waits for speech and language therapy and for an ADHD assessment; Esi's SLT
    referral was completed; Zara is being seen by physiotherapy."""
    today, kids = area.today, area.demo_children
    kofi, esi, zara = kids.get("kofi"), kids.get("esi"), kids.get("zara")

    def pathway(kind: str, locality_id: int | None) -> Pathway:
        matching = [p for p in pathways if p.kind == kind]
        return next((p for p in matching if p.locality_id == locality_id), matching[0])

    def days(n: int) -> date:
        return today - timedelta(days=n)

    made: list[tuple[Referral, list[tuple[date, str]]]] = []
    if kofi is not None:
        slt = Referral(
            child=kofi, pathway=pathway(PathwayKind.SLT, kofi.locality_id),
            provider_reference="SLT-DEMO-KOFI", referrer_name="Priya Mistry",
            referrer_role="SENCO", received_on=days(150), status=Status.WAITING,
            triage_decision_on=days(130), family_told_on=days(126),
            interim_support="A place on the 'Talking together' parent workshop (4 Tuesday "
            "mornings) and a visual timetable pack for home",
            interim_support_offered_on=days(120), last_contact_on=days(25),
            last_contact="Risk review call with Kofi's mother", next_risk_review_on=days(-59),
        )
        adhd = Referral(
            child=kofi, pathway=pathway(PathwayKind.ADHD, None),
            provider_reference="ADHD-DEMO-KOFI", referrer_name="Dr Ama Owusu",
            referrer_role="GP", received_on=days(20), status=Status.AWAITING_TRIAGE,
        )
        made += [
            (slt, [(days(150), "Referral received from Priya Mistry (SENCO)"),
                   (days(130), "Referral accepted: added to the waiting list"),
                   (days(126), "Contact with the family: told Kofi's mother the referral was "
                    "accepted"),
                   (days(120), "Support offered while waiting: 'Talking together' workshop "
                    "and a visual timetable pack"),
                   (days(25), "Clinical risk review: Safe to keep waiting")]),
            (adhd, [(days(20), "Referral received from Dr Ama Owusu (GP)")]),
        ]
    if esi is not None:
        esi_slt = Referral(
            child=esi, pathway=pathway(PathwayKind.SLT, esi.locality_id),
            provider_reference="SLT-DEMO-ESI", referrer_name="Health visiting team",
            referrer_role="Health visitor", received_on=days(400), status=Status.DISCHARGED,
            triage_decision_on=days(390), family_told_on=days(388), first_seen_on=days(300),
            first_appointment_on=days(300), left_list_on=days(300),
            assessment_completed_on=days(250),
            outcome="Speech sound difficulties: a block of 8 therapy sessions, then a home "
            "programme with school", discharged_on=days(120),
            discharge_reason=Referral.DischargeReason.COMPLETED, last_contact_on=days(120),
            last_contact="Discharge letter sent",
        )
        made.append((esi_slt, [(days(400), "Referral received from Health visiting team"),
                               (days(390), "Referral accepted: added to the waiting list"),
                               (days(300), "First appointment held"),
                               (days(250), "Assessment completed"),
                               (days(120), "Discharged: Care completed")]))
    if zara is not None:
        physio = Referral(
            child=zara, pathway=pathway(PathwayKind.PHYSIO, None),
            provider_reference="PHY-DEMO-ZARA", referrer_name="Rivermouth College",
            referrer_role="Learning support", received_on=days(90), status=Status.IN_ASSESSMENT,
            triage_decision_on=days(84), family_told_on=days(84), first_seen_on=days(40),
            first_appointment_on=days(40), left_list_on=days(40), last_contact_on=days(40),
            last_contact="First appointment",
        )
        made.append((physio, [(days(90), "Referral received from Rivermouth College"),
                              (days(84), "Referral accepted: added to the waiting list"),
                              (days(40), "First appointment held")]))
    for referral, history in made:
        referral.save()
        ReferralEvent.objects.bulk_create(
            [ReferralEvent(referral=referral, on=d, what=w) for d, w in history]
        )
        provider_id = referral.pathway.provider_id
        if not Involvement.objects.filter(child=referral.child,
                                          organisation_id=provider_id).exists():
            # The service works with the child until it discharges them.
            Involvement.objects.create(
                child=referral.child, organisation_id=provider_id,
                role=f"Referral: {referral.pathway.get_kind_display()}",
                start=referral.received_on, end=referral.discharged_on,
            )
        if referral.status in Referral.OPEN_STATUSES and not Consent.objects.filter(
            child=referral.child, organisation_id=provider_id, withdrawn_at__isnull=True
        ).exists():
            # Whoever decides for the record (Zara herself at 17; Kofi's mother) agreed
            # that the service treating them may see it.
            decides = referral.child.user if referral.child.user_id is not None \
                else area.users.get("parent")
            Consent.objects.create(
                child=referral.child, organisation_id=provider_id, given_by=decides,
                given_by_name=str(decides) if decides is not None else "Parent",
                given_at=_aware(referral.received_on),
            )
    if kofi is not None:
        RiskReview.objects.create(
            referral=made[0][0], reviewed_on=days(25), outcome=RiskReview.Outcome.CONTINUE,
            notes="Sleep and communication discussed with mum; school strategies in place.",
            next_review_on=days(-59),
        )
