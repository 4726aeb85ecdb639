"""Builds a synthetic local area: organisations, families, children, staff, involvements, consent.

Reproducible from a seed (the same seed and size give the same area), realistic in shape
(SEN support about 13% and EHC plans about 5% of children, primary needs in approximately the
national proportions of the DfE's 'Special educational needs in England'), and fast enough to
build the largest English authority (300,000 children, 25,000 plans) in a few minutes: rows
are made in memory and written with bulk_create.

Names are combinations of common first names and surnames, the places are invented, and NHS
numbers come from the 999 range, which is never issued to a real person.

Other apps add to the area through `tellonce.demo.<app>.generate(area)` (see EXTENSIONS): the
generator lives in this package only, so product code never imports it.
"""

from __future__ import annotations

import importlib
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import nhs_number
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from tellonce.access import chain
from tellonce.access.models import AuditEvent, Consent, StatutoryBasis
from tellonce.access.policy import Basis
from tellonce.people.models import (
    Adult,
    Child,
    FamilyLink,
    Involvement,
    Locality,
    Organisation,
    StaffMembership,
    User,
)
from tellonce.people.validators import upn_check_letter
from tellonce.profile.models import AboutMeVersion

Kind = Organisation.Kind
Role = StaffMembership.Role
Status = Child.SendStatus

DEMO_PASSWORD = "tell-it-once-demo"
# Apps that add their own demo data once people and organisations exist.
EXTENSIONS = [
    "tellonce.demo.directory",
    "tellonce.demo.health",
    "tellonce.demo.ehc",
    "tellonce.demo.invitations",
    "tellonce.demo.insight",
    "tellonce.demo.quality",
    "tellonce.demo.feeds",
]
BATCH = 5000

# Approximate shares of primary need (DfE, Special educational needs in England, 2025).
EHC_NEEDS = {
    "ASD": 33,
    "SLCN": 21,
    "SEMH": 14,
    "SLD": 8,
    "MLD": 7,
    "PD": 3,
    "SPLD": 3,
    "OTH": 3,
    "PMLD": 2,
    "HI": 2,
    "VI": 1,
    "MSI": 0.3,
}
SUPPORT_NEEDS = {
    "SLCN": 25,
    "SEMH": 20,
    "MLD": 14,
    "SPLD": 13,
    "ASD": 10,
    "NSA": 6,
    "OTH": 4,
    "PD": 2,
    "HI": 1.5,
    "VI": 1,
    "SLD": 1,
    "MSI": 0.2,
    "PMLD": 0.1,
}
FIRST_NAMES = [
    "Oliver",
    "Amelia",
    "Noah",
    "Isla",
    "Muhammad",
    "Ava",
    "Leo",
    "Freya",
    "George",
    "Lily",
    "Arthur",
    "Ivy",
    "Oscar",
    "Florence",
    "Harry",
    "Mia",
    "Jack",
    "Willow",
    "Charlie",
    "Rosie",
    "Theo",
    "Sophia",
    "Henry",
    "Grace",
    "Alfie",
    "Evie",
    "Jacob",
    "Ella",
    "Archie",
    "Poppy",
    "Thomas",
    "Aisha",
    "Joshua",
    "Maya",
    "Finley",
    "Zara",
    "Logan",
    "Hannah",
    "Ethan",
    "Layla",
    "Aarav",
    "Ruby",
    "Kai",
    "Nia",
    "Reuben",
    "Erin",
    "Ibrahim",
    "Phoebe",
    "Dylan",
    "Amara",
    "Samuel",
    "Chloe",
    "Yusuf",
    "Niamh",
    "Elijah",
    "Priya",
    "Tomasz",
    "Zofia",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Wright",
    "Robinson",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Khan",
    "Lewis",
    "Hughes",
    "Edwards",
    "Hill",
    "Moore",
    "Clark",
    "Harrison",
    "Scott",
    "Young",
    "Morris",
    "Ahmed",
    "Ward",
    "Turner",
    "Cooper",
    "King",
    "Baker",
    "Begum",
    "Okafor",
    "Nowak",
    "Mensah",
    "Hussain",
    "Kelly",
    "Murphy",
    "Shaw",
    "Lloyd",
    "Ali",
    "Campbell",
    "Chen",
    "Mistry",
    "Kowalski",
    "Adeyemi",
]
LOCALITY_NAMES = ["Northbank", "Southbank", "Eastmoor", "Westford"]
NEIGHBOURHOODS = [
    name.replace("_", " ")
    for name in [
        "Oakfield",
        "Riverside",
        "Meadowbank",
        "Hillcrest",
        "Brookside",
        "Ashgrove",
        "Kingsmere",
        "Larkhill",
        "Millbrook",
        "Fernlea",
        "Harbourside",
        "Elmwood",
        "Stoneygate",
        "Willowdene",
        "Castlefield",
        "Primrose",
        "Thornbury",
        "Redcliffe",
        "Beechwood",
        "Foxhollow",
        "Marshgate",
        "Holly_Bank",
        "Cedar_Park",
        "Windmill_Hill",
        "Cherry_Tree",
        "Orchard_Way",
        "Highfield",
        "Lowther",
        "Greenacre",
        "Parkside",
        "Moorside",
        "Quarry_Bank",
        "Saltmarsh",
        "Heathfield",
        "Rookwood",
    ]
]

AREA_NAME = "Rivermouth"


@dataclass
class Area:
    """What the generator made, handed to each app's demo extension."""

    seed: int
    rng: random.Random
    today: date
    progress: Callable[[str], None]
    local_authority: Organisation = None  # type: ignore[assignment]
    icb: Organisation = None  # type: ignore[assignment]
    trust: Organisation = None  # type: ignore[assignment]
    localities: list[Locality] = field(default_factory=list)
    schools: list[Organisation] = field(default_factory=list)
    early_years: list[Organisation] = field(default_factory=list)
    colleges: list[Organisation] = field(default_factory=list)
    health_services: dict[str, Organisation] = field(default_factory=dict)
    la_teams: dict[str, Organisation] = field(default_factory=dict)
    social_care: list[Organisation] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)  # demo accounts by username
    demo_children: dict[str, Child] = field(default_factory=dict)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _nhs_numbers(rng: random.Random) -> Callable[[], str]:
    """Valid NHS numbers in the never-issued 999 range, unique within one run."""
    serial = rng.randrange(0, 400_000)

    def next_number() -> str:
        nonlocal serial
        while True:
            serial += 1
            body = f"999{serial:06d}"
            check = nhs_number.calculate_checksum(body)
            if check is not None and check != 10:
                return f"{body}{check}"

    return next_number


def _upn(establishment: int, year: int, serial: int) -> str:
    body = f"999{establishment:04d}{year % 100:02d}{serial:03d}"
    return upn_check_letter(body) + body


def _aware(d: date, hour: int = 10) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


class AreaBuilder:
    def __init__(
        self,
        seed: int,
        children: int,
        plans: int | None,
        today: date,
        progress: Callable[[str], None],
    ) -> None:
        self.area = Area(seed=seed, rng=random.Random(seed), today=today, progress=progress)
        self.n_children = children
        self.n_plans = plans if plans is not None else round(children * 0.053)
        self.started = time.monotonic()
        self.next_nhs = _nhs_numbers(self.area.rng)
        self.password = make_password(DEMO_PASSWORD)
        self._nearby: dict[tuple[int, int], list[Organisation]] = {}

    def say(self, message: str) -> None:
        self.area.progress(f"[{time.monotonic() - self.started:6.1f}s] {message}")

    # ----- organisations -----

    def organisations(self) -> None:
        a, n = self.area, self.n_children
        la = Organisation.objects.create(
            name=f"{AREA_NAME} Borough Council", kind=Kind.LOCAL_AUTHORITY, code="999"
        )
        a.local_authority = la
        n_localities = 2 if n < 100_000 else 4
        a.localities = [
            Locality.objects.create(name=name, local_authority=la)
            for name in LOCALITY_NAMES[:n_localities]
        ]
        la.locality = None
        a.icb = Organisation.objects.create(
            name=f"{AREA_NAME} and Westshire Integrated Care Board",
            kind=Kind.ICB,
            local_authority=la,
        )
        a.trust = Organisation.objects.create(
            name=f"{AREA_NAME} Community Health NHS Trust", kind=Kind.NHS_TRUST, local_authority=la
        )
        for key, name in [
            ("slt", "Speech and Language Therapy"),
            ("ot", "Occupational Therapy"),
            ("paediatrics", "Community Paediatrics"),
            ("neurodevelopmental", "Neurodevelopmental (Autism and ADHD) Assessment"),
            ("physio", "Children's Physiotherapy"),
            ("audiology", "Children's Audiology"),
            ("camhs", "Children and Young People's Mental Health Service"),
        ]:
            a.health_services[key] = Organisation.objects.create(
                name=f"{name}, {AREA_NAME} Community Health",
                kind=Kind.HEALTH_SERVICE,
                parent=a.trust,
                local_authority=la,
            )
        for key, name in [("send", "SEND Team"), ("ep", "Educational Psychology Service")]:
            a.la_teams[key] = Organisation.objects.create(
                name=f"{AREA_NAME} {name}", kind=Kind.LOCAL_AUTHORITY, parent=la, local_authority=la
            )
        a.social_care = [
            Organisation.objects.create(
                name=f"Children's Social Care, {loc.name}",
                kind=Kind.SOCIAL_CARE,
                parent=la,
                local_authority=la,
                locality=loc,
            )
            for loc in a.localities
        ]
        settings_made: list[Organisation] = []

        def make(kind: str, count: int, names: list[str]) -> list[Organisation]:
            made: list[Organisation] = []
            for i in range(count):
                loc = a.localities[i % len(a.localities)]
                base = names[i % len(names)]
                # Invented neighbourhoods give each setting a name a family would recognise.
                place = NEIGHBOURHOODS[(i // len(names)) % len(NEIGHBOURHOODS)]
                if i // (len(names) * len(NEIGHBOURHOODS)):
                    place = f"{loc.name} {place}"
                made.append(
                    Organisation(
                        name=f"{place} {base}",
                        kind=kind,
                        local_authority=la,
                        locality=loc,
                        code=f"{1000 + len(settings_made) + len(made)}",
                    )
                )
            settings_made.extend(made)
            return made

        primaries = make(
            Kind.SCHOOL,
            max(2, n // 500),
            [
                "Primary School",
                "Church of England Primary",
                "Infant and Nursery School",
                "Junior School",
                "Catholic Primary School",
                "Community Primary",
            ],
        )
        secondaries = make(Kind.SCHOOL, max(1, n // 3000), ["Academy", "High School"])
        specials = make(Kind.SCHOOL, max(1, n // 15000), ["Special School"])
        early = make(
            Kind.EARLY_YEARS,
            max(2, n // 600),
            [
                "Day Nursery",
                "Pre-school",
                "Children's Centre Nursery",
                "Playgroup",
            ],
        )
        colleges = make(Kind.COLLEGE, max(1, n // 20000), ["College"])
        Organisation.objects.bulk_create(settings_made, batch_size=BATCH)
        a.schools = primaries + secondaries + specials
        a.early_years, a.colleges = early, colleges
        self.primaries, self.secondaries, self.specials = primaries, secondaries, specials
        self.say(
            f"organisations: {Organisation.objects.count()} "
            f"({len(a.schools)} schools, {len(early)} early years settings, "
            f"{len(colleges)} colleges), {len(a.localities)} localities"
        )

    # ----- staff -----

    def staff(self) -> None:
        a = self.area
        la, send, ep = a.local_authority, a.la_teams["send"], a.la_teams["ep"]
        school = self.primaries[0]
        accounts = [
            # username, display name, organisation, role, job title
            ("senco", "Priya Mistry", school, Role.SENCO, "SENCO"),
            (
                "slt",
                "Sam Okafor",
                a.health_services["slt"],
                Role.HEALTH_PRACTITIONER,
                "Speech and language therapist",
            ),
            ("dco", "Helen Ward", a.icb, Role.DCO, "Designated clinical officer"),
            ("socialworker", "Tomasz Nowak", a.social_care[0], Role.SOCIAL_WORKER, "Social worker"),
            ("ep", "Grace Adeyemi", ep, Role.EDUCATIONAL_PSYCHOLOGIST, "Educational psychologist"),
            ("caseworker", "Jack Turner", send, Role.LA_CASEWORKER, "SEND caseworker"),
            ("manager", "Aisha Khan", send, Role.LA_MANAGER, "SEND team manager"),
            ("leader", "Ruth Campbell", a.icb, Role.LEADER, "Director of SEND partnership"),
            ("editor", "Ben Lloyd", la, Role.LOCAL_OFFER_EDITOR, "Local offer editor"),
            ("orgadmin", "Maya Chen", a.trust, Role.ORG_ADMIN, "Systems administrator"),
        ]
        for username, display, org, role, title in accounts:
            first, last = display.split(" ", 1)
            user = User.objects.create(
                username=username,
                display_name=display,
                first_name=first,
                last_name=last,
                password=self.password,
                email=f"{username}@demo.invalid",
            )
            StaffMembership.objects.create(
                user=user,
                organisation=org,
                role=role,
                job_title=title,
                start=a.today - timedelta(days=900),
            )
            a.users[username] = user
        # Everyday staff (no password: they exist so work can be shared out realistically).
        rng = a.rng
        teams: list[tuple[Organisation, str, str, int]] = [
            (send, Role.LA_CASEWORKER, "SEND caseworker", max(3, self.n_plans // 150)),
            (
                ep,
                Role.EDUCATIONAL_PSYCHOLOGIST,
                "Educational psychologist",
                max(2, self.n_plans // 400),
            ),
        ]
        teams += [(s, Role.SENCO, "SENCO", 1) for s in a.schools + a.early_years + a.colleges]
        teams += [(s, Role.HEALTH_PRACTITIONER, "Clinician", 3) for s in a.health_services.values()]
        teams += [(s, Role.SOCIAL_WORKER, "Social worker", 3) for s in a.social_care]
        users: list[User] = []
        memberships: list[tuple[User, Organisation, str, str]] = []
        for org, team_role, title, count in teams:
            for _ in range(count):
                first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
                user = User(
                    username=f"staff{len(users) + 1:05d}",
                    first_name=first,
                    last_name=last,
                    display_name=f"{first} {last}",
                    password="!",
                )
                users.append(user)
                memberships.append((user, org, team_role, title))
        User.objects.bulk_create(users, batch_size=BATCH)
        StaffMembership.objects.bulk_create(
            [
                StaffMembership(
                    user=u,
                    organisation=o,
                    role=r,
                    job_title=t,
                    start=a.today - timedelta(days=rng.randrange(30, 2000)),
                )
                for u, o, r, t in memberships
            ],
            batch_size=BATCH,
        )
        self.caseworkers = [u for u, _o, r, _t in memberships if r == Role.LA_CASEWORKER]
        self.caseworkers.append(a.users["caseworker"])
        self.eps = [u for u, _o, r, _t in memberships if r == Role.EDUCATIONAL_PSYCHOLOGIST]
        self.eps.append(a.users["ep"])
        self.say(f"staff: {len(accounts)} demo accounts and {len(users)} other staff")

    # ----- children and families -----

    def _setting_for(self, age: int, status: str, locality: Locality) -> Organisation | None:
        rng = self.area.rng

        def local(orgs: list[Organisation]) -> Organisation:
            # Settings near the family's home, grouped once per list (this runs per child).
            key = (id(orgs), locality.pk)
            nearby = self._nearby.get(key)
            if nearby is None:
                nearby = [o for o in orgs if o.locality_id == locality.pk] or orgs
                self._nearby[key] = nearby
            return rng.choice(nearby)

        if age < 2:
            return None
        if age < 4:
            return local(self.area.early_years) if rng.random() < 0.7 else None
        if age < 19 and status == Status.EHC_PLAN and age >= 5 and rng.random() < 0.4:
            return local(self.specials)
        if age < 11:
            return local(self.primaries)
        if age < 16:
            return local(self.secondaries)
        if age < 19:
            return local(self.area.colleges) if rng.random() < 0.6 else local(self.secondaries)
        return (
            local(self.area.colleges) if status == Status.EHC_PLAN and rng.random() < 0.5 else None
        )

    def children(self) -> None:
        a, rng, today = self.area, self.area.rng, self.area.today
        n = self.n_children
        plan_share = self.n_plans / n
        # Plans cluster in school ages; scale so the overall count meets the target.
        children: list[Child] = []
        adults: list[Adult] = []
        links: list[tuple[int, int, str, bool]] = []  # (adult index, child index, rel, PR)
        upn_serial: dict[tuple[int, int], int] = {}
        reported = 0
        while len(children) < n:
            family_name = rng.choice(SURNAMES)
            locality = rng.choice(a.localities)
            first_adult = len(adults)
            for _ in range(rng.choices([1, 2], weights=[35, 65])[0]):
                adults.append(
                    Adult(
                        given_name=rng.choice(FIRST_NAMES),
                        family_name=family_name,
                    )
                )
            for _ in range(rng.choices([1, 2, 3], weights=[45, 40, 15])[0]):
                if len(children) >= n:
                    break
                age_days = (
                    rng.randrange(0, 26 * 365 - 1)
                    if rng.random() < 0.25
                    else rng.randrange(0, 19 * 365)
                )
                dob = today - timedelta(days=age_days)
                age = age_days // 365
                roll = rng.random()
                status = Status.NONE
                if 2 <= age <= 25:
                    if roll < plan_share * (1.15 if age <= 18 else 0.5):
                        status = Status.EHC_PLAN
                    elif roll < plan_share * 1.2:
                        status = Status.ASSESSMENT if age <= 18 else Status.NONE
                    elif age <= 18 and roll < plan_share * 1.2 + 0.13:
                        status = Status.SEN_SUPPORT
                need = ""
                if status in (Status.EHC_PLAN, Status.ASSESSMENT):
                    need = _weighted(rng, EHC_NEEDS)
                elif status == Status.SEN_SUPPORT:
                    need = _weighted(rng, SUPPORT_NEEDS)
                setting = self._setting_for(age, status, locality)
                upn = None
                if setting is not None and setting.kind == Kind.SCHOOL:
                    # DfE establishment number and year of first entry make the UPN unique.
                    key = (int(setting.code), dob.year + 5)
                    upn_serial[key] = upn_serial.get(key, 0) + 1
                    if upn_serial[key] < 1000:
                        upn = _upn(key[0], key[1], upn_serial[key])
                held_by = (
                    a.local_authority
                    if status in (Status.EHC_PLAN, Status.ASSESSMENT)
                    else (setting or a.local_authority)
                )
                children.append(
                    Child(
                        id=a.uuid(),
                        given_name=rng.choice(FIRST_NAMES),
                        family_name=family_name,
                        date_of_birth=dob,
                        nhs_number=self.next_nhs() if rng.random() < 0.97 else None,
                        upn=upn,
                        local_authority=a.local_authority,
                        locality=locality,
                        setting=setting,
                        held_by=held_by,
                        send_status=status,
                        primary_need=need,
                    )
                )
                for adult_index in range(first_adult, len(adults)):
                    relationship = ("mother", "father")[(adult_index - first_adult) % 2]
                    links.append((adult_index, len(children) - 1, relationship, True))
            if len(children) // 50_000 > reported:
                reported = len(children) // 50_000
                self.say(f"children: {len(children):,} of {n:,} made in memory")
        Adult.objects.bulk_create(adults, batch_size=BATCH)
        self.say(f"adults: {len(adults):,} written")
        for start in range(0, len(children), BATCH):
            Child.objects.bulk_create(children[start : start + BATCH])
            if (start // BATCH) % 10 == 9:
                self.say(f"children: {start + BATCH:,} of {n:,} written")
        FamilyLink.objects.bulk_create(
            [
                FamilyLink(
                    adult=adults[ai],
                    child=children[ci],
                    relationship=rel,
                    parental_responsibility=pr,
                )
                for ai, ci, rel, pr in links
            ],
            batch_size=BATCH,
        )
        self.all_children, self.adults = children, adults
        counts = {s: sum(1 for c in children if c.send_status == s) for s in Status.values}
        self.say(
            f"children: {len(children):,} written; EHC plans {counts['ehc_plan']:,}, "
            f"assessments {counts['assessment']:,}, SEN support {counts['sen_support']:,}; "
            f"family links {len(links):,}"
        )

    # ----- involvements and consent -----

    def involvements(self) -> None:
        a, rng, today = self.area, self.area.rng, self.area.today
        involvements: list[Involvement] = []
        consents: list[Consent] = []
        bases: list[StatutoryBasis] = []
        health_for_need = {
            "SLCN": "slt",
            "ASD": "neurodevelopmental",
            "PD": "physio",
            "HI": "audiology",
            "SEMH": "camhs",
            "PMLD": "paediatrics",
            "SLD": "paediatrics",
            "MSI": "audiology",
            "VI": "paediatrics",
            "SPLD": "ot",
            "MLD": "paediatrics",
            "OTH": "ot",
            "NSA": "slt",
        }
        for child in self.all_children:
            if child.send_status == Status.NONE:
                continue
            start = max(child.date_of_birth, today - timedelta(days=rng.randrange(30, 1500)))
            orgs: list[Organisation] = []
            if child.setting is not None:
                involvements.append(
                    Involvement(
                        child=child,
                        organisation=child.setting,
                        role="SEN support at school or setting",
                        start=start,
                    )
                )
                orgs.append(child.setting)
            if child.send_status in (Status.EHC_PLAN, Status.ASSESSMENT):
                send = a.la_teams["send"]
                involvements.append(
                    Involvement(
                        child=child,
                        organisation=send,
                        staff=rng.choice(self.caseworkers),
                        role="SEND caseworker",
                        start=start,
                    )
                )
                bases.append(
                    StatutoryBasis(
                        child=child,
                        organisation=send,
                        basis=StatutoryBasis.Basis.EHC_PLAN
                        if child.send_status == Status.EHC_PLAN
                        else StatutoryBasis.Basis.EHC_ASSESSMENT,
                        reason="The local authority maintains the plan or is assessing needs",
                        start=start,
                    )
                )
                if rng.random() < 0.35:
                    involvements.append(
                        Involvement(
                            child=child,
                            organisation=a.la_teams["ep"],
                            staff=rng.choice(self.eps),
                            role="Educational psychologist",
                            start=start,
                        )
                    )
                    orgs.append(a.la_teams["ep"])
            if rng.random() < (0.55 if child.send_status == Status.EHC_PLAN else 0.25):
                service = a.health_services[health_for_need.get(child.primary_need, "paediatrics")]
                involvements.append(
                    Involvement(
                        child=child,
                        organisation=service,
                        role=service.name.split(",")[0],
                        start=start,
                    )
                )
                orgs.append(service)
            if rng.random() < (0.12 if child.send_status == Status.EHC_PLAN else 0.03):
                team = next(
                    (s for s in a.social_care if s.locality_id == child.locality_id),
                    a.social_care[0],
                )
                involvements.append(
                    Involvement(
                        child=child,
                        organisation=team,
                        role="Social worker",
                        start=start,
                    )
                )
                orgs.append(team)
            for org in orgs:
                # The family agreed to share the record with each service that works with
                # their child (telling it once): without, the service could not see what
                # it works from. Families withdraw consent on the consent page.
                if org.pk != child.held_by_id:
                    consents.append(
                        Consent(
                            child=child,
                            organisation=org,
                            given_by_name="Parent (recorded by staff)",
                            given_at=_aware(start),
                        )
                    )
        Involvement.objects.bulk_create(involvements, batch_size=BATCH)
        Consent.objects.bulk_create(consents, batch_size=BATCH)
        StatutoryBasis.objects.bulk_create(bases, batch_size=BATCH)
        self.say(
            f"involvements: {len(involvements):,}; consents: {len(consents):,}; "
            f"statutory bases: {len(bases):,}"
        )

    # ----- the demo accounts' families -----

    def demo_families(self) -> None:
        """Named families for the demo accounts, with histories worth looking at."""
        a, today = self.area, self.area.today
        school = self.primaries[0]
        slt, senco = a.health_services["slt"], a.users["senco"]
        parent_user = User.objects.create(
            username="parent",
            display_name="Amara Mensah",
            first_name="Amara",
            last_name="Mensah",
            password=self.password,
            email="parent@demo.invalid",
        )
        a.users["parent"] = parent_user
        amara = Adult.objects.create(given_name="Amara", family_name="Mensah", user=parent_user)
        kofi_dad = Adult.objects.create(given_name="Kwame", family_name="Mensah")

        def child(
            given: str,
            age_years: int,
            status: str,
            need: str,
            setting: Organisation | None,
            held_by: Organisation,
        ) -> Child:
            return Child.objects.create(
                id=a.uuid(),
                given_name=given,
                family_name="Mensah",
                date_of_birth=today - timedelta(days=age_years * 365 + 100),
                nhs_number=self.next_nhs(),
                local_authority=a.local_authority,
                locality=a.localities[0],
                setting=setting,
                held_by=held_by,
                send_status=status,
                primary_need=need,
            )

        kofi = child("Kofi", 9, Status.EHC_PLAN, "ASD", school, a.local_authority)
        esi = child("Esi", 6, Status.SEN_SUPPORT, "SLCN", school, school)
        for c in (kofi, esi):
            FamilyLink.objects.create(
                adult=amara, child=c, relationship="mother", parental_responsibility=True
            )
            FamilyLink.objects.create(
                adult=kofi_dad, child=c, relationship="father", parental_responsibility=True
            )
        start = today - timedelta(days=400)
        Involvement.objects.create(
            child=kofi, organisation=school, role="SEN support at school", start=start
        )
        Involvement.objects.create(
            child=esi, organisation=school, role="SEN support at school", start=start
        )
        Involvement.objects.create(
            child=kofi,
            organisation=slt,
            staff=a.users["slt"],
            role="Speech and language therapist",
            start=start,
        )
        Involvement.objects.create(
            child=kofi,
            organisation=a.la_teams["send"],
            staff=a.users["caseworker"],
            role="SEND caseworker",
            start=start,
        )
        Involvement.objects.create(
            child=kofi,
            organisation=a.la_teams["ep"],
            staff=a.users["ep"],
            role="Educational psychologist",
            start=start,
        )
        Involvement.objects.create(
            child=kofi,
            organisation=a.icb,
            staff=a.users["dco"],
            role="Designated clinical officer",
            start=start,
        )
        Involvement.objects.create(
            child=esi,
            organisation=a.social_care[0],
            staff=a.users["socialworker"],
            role="Social worker (early help)",
            start=start,
        )
        StatutoryBasis.objects.create(
            child=kofi,
            organisation=a.la_teams["send"],
            basis=StatutoryBasis.Basis.EHC_PLAN,
            reason="Kofi has an EHC plan maintained by the council",
            start=start,
        )
        for c, org in [
            (kofi, slt),
            (kofi, school),
            (kofi, a.la_teams["ep"]),
            (kofi, a.icb),
            (esi, a.social_care[0]),
        ]:
            Consent.objects.create(
                child=c,
                organisation=org,
                given_by=parent_user,
                given_by_name="Amara Mensah",
                given_at=_aware(start),
            )
        about = dict(
            people_like="Kofi is funny and kind. He knows everything about trains and buses.",
            matters="My mum, my sister Esi, my train timetables, and knowing what happens next.",
            support="Tell me about changes before they happen. Give me time to answer. "
            "Loud rooms are hard: let me go somewhere quiet.",
            communication="I talk in short sentences. I understand more than I can say. "
            "Pictures help me.",
            health="Autism (diagnosed at 6). Sleeps badly. No medicines.",
            aspirations="I want to drive a train. I want to have a friend at school.",
        )
        AboutMeVersion.objects.create(
            child=kofi,
            number=1,
            written_by=AboutMeVersion.WrittenBy.FAMILY,
            author=parent_user,
            author_description="Amara Mensah (family)",
            created_at=_aware(today - timedelta(days=300)),
            **about,
        )
        about["support"] += " A visual timetable on my desk helps every day."
        AboutMeVersion.objects.create(
            child=kofi,
            number=2,
            written_by=AboutMeVersion.WrittenBy.WITH_PRACTITIONER,
            author=senco,
            author_description="Priya Mistry (SENCO, " + school.name + ")",
            created_at=_aware(today - timedelta(days=60)),
            **about,
        )
        # A 17-year-old with her own account, who decides what her parents see.
        yp_user = User.objects.create(
            username="youngperson",
            display_name="Zara Hussain",
            first_name="Zara",
            last_name="Hussain",
            password=self.password,
            email="youngperson@demo.invalid",
        )
        a.users["youngperson"] = yp_user
        college = a.colleges[0]
        zara = Child.objects.create(
            id=a.uuid(),
            given_name="Zara",
            family_name="Hussain",
            date_of_birth=today - timedelta(days=17 * 365 + 40),
            nhs_number=self.next_nhs(),
            local_authority=a.local_authority,
            locality=a.localities[-1],
            setting=college,
            held_by=a.local_authority,
            send_status=Status.EHC_PLAN,
            primary_need="PD",
            user=yp_user,
        )
        mum = Adult.objects.create(given_name="Nadia", family_name="Hussain")
        FamilyLink.objects.create(
            adult=mum, child=zara, relationship="mother", parental_responsibility=True
        )
        Involvement.objects.create(
            child=zara, organisation=college, role="Learning support", start=start
        )
        # Her plan is the council's to maintain: its SEND team's caseworker, on that basis.
        Involvement.objects.create(
            child=zara,
            organisation=a.la_teams["send"],
            staff=a.users["caseworker"],
            role="SEND caseworker",
            start=start,
        )
        StatutoryBasis.objects.create(
            child=zara,
            organisation=a.la_teams["send"],
            basis=StatutoryBasis.Basis.EHC_PLAN,
            reason="Zara has an EHC plan maintained by the council",
            start=start,
        )
        Involvement.objects.create(
            child=zara,
            organisation=a.health_services["physio"],
            role="Children's physiotherapy",
            start=start,
        )
        Consent.objects.create(
            child=zara,
            organisation=college,
            given_by=yp_user,
            given_by_name="Zara Hussain",
            given_at=_aware(start),
        )
        a.demo_children = {"kofi": kofi, "esi": esi, "zara": zara}
        # Some history, so "who has looked" is not empty on first start.
        events = []
        for days_ago, user, subject in [
            (40, a.users["slt"], "Child record"),
            (30, a.users["senco"], "About me"),
            (12, a.users["caseworker"], "Child record"),
            (3, a.users["ep"], "Child record"),
        ]:
            events.append(
                AuditEvent(
                    at=_aware(today - timedelta(days=days_ago)),
                    user=user,
                    actor_description=f"{user.display_name} ({user.memberships.get().job_title})",
                    child=kofi,
                    action=AuditEvent.Action.VIEW,
                    subject=subject,
                    basis=Basis.INVOLVEMENT,
                )
            )
        for event in events:
            chain.append(event)
        self.say("demo families: the Mensah family (parent) and Zara Hussain (young person)")

    def extensions(self) -> None:
        for module_name in EXTENSIONS:
            module = importlib.import_module(module_name)
            self.say(f"{module_name}: generating")
            module.generate(self.area)

    def build(self) -> Area:
        with transaction.atomic():
            self.organisations()
            self.staff()
            self.children()
            self.involvements()
            self.demo_families()
            self.extensions()
        # Fresh statistics, as a running database keeps, so the query planner picks the indexes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.say("done")
        return self.area


def generate_area(
    seed: int = 2026,
    children: int = 30_000,
    plans: int | None = None,
    today: date | None = None,
    progress: Callable[[str], None] = print,
) -> Area:
    return AreaBuilder(seed, children, plans, today or date.today(), progress).build()
