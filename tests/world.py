"""A small local area for tests: one of each role, children with different sharing.

- Kofi (9, EHC plan, held by the LA): his school (team), the SLT service (consent given),
  the caseworker's team (statutory). Mother `parent` has parental responsibility.
- Esi (6, SEN support, held by school A): `parent`'s other child; no consent to SLT.
- Bea (10, SEN support, held by school B): another school's child. `senco_b` sees her.
- Zara (17, EHC plan): her own account `youngperson`; mother `zara_mum`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tellonce.people.models import Child, Organisation, StaffMembership, User
from tests.factories import consent, involve, make_child, make_org, make_parent, make_staff

Kind = Organisation.Kind
Role = StaffMembership.Role
Status = Child.SendStatus


@dataclass
class World:
    la: Organisation
    send_team: Organisation
    school_a: Organisation
    school_b: Organisation
    slt: Organisation
    trust: Organisation
    icb: Organisation
    kofi: Child
    esi: Child
    bea: Child
    zara: Child
    users: dict[str, User]


def build_world() -> World:
    la = make_org("Testshire Council", Kind.LOCAL_AUTHORITY)
    send = make_org("Testshire SEND Team", Kind.LOCAL_AUTHORITY, parent=la, local_authority=la)
    school_a = make_org("Alpha Primary", Kind.SCHOOL, local_authority=la)
    school_b = make_org("Beta Primary", Kind.SCHOOL, local_authority=la)
    trust = make_org("Testshire NHS Trust", Kind.NHS_TRUST, local_authority=la)
    slt = make_org("Speech and Language Therapy", Kind.HEALTH_SERVICE, parent=trust)
    icb = make_org("Testshire ICB", Kind.ICB, local_authority=la)
    ep_service = make_org("Testshire EP Service", Kind.LOCAL_AUTHORITY, parent=la)
    social = make_org("Children's Social Care", Kind.SOCIAL_CARE, parent=la)
    users = {
        "senco": make_staff("senco", school_a, Role.SENCO),
        "senco_b": make_staff("senco_b", school_b, Role.SENCO),
        "slt": make_staff("slt", slt, Role.HEALTH_PRACTITIONER),
        "dco": make_staff("dco", icb, Role.DCO),
        "socialworker": make_staff("socialworker", social, Role.SOCIAL_WORKER),
        "ep": make_staff("ep", ep_service, Role.EDUCATIONAL_PSYCHOLOGIST),
        "caseworker": make_staff("caseworker", send, Role.LA_CASEWORKER),
        "leader": make_staff("leader", icb, Role.LEADER),
        "editor": make_staff("editor", la, Role.LOCAL_OFFER_EDITOR),
        "orgadmin": make_staff("orgadmin", trust, Role.ORG_ADMIN),
        # Brings in the agencies' files and decides their matches (tellonce/matching).
        "dataofficer": make_staff("dataofficer", send, Role.DATA_OFFICER),
    }
    kofi = make_child(
        la,
        given_name="Kofi",
        family_name="Mensah",
        setting=school_a,
        send_status=Status.EHC_PLAN,
        primary_need="ASD",
    )
    esi = make_child(
        la,
        held_by=school_a,
        given_name="Esi",
        family_name="Mensah",
        setting=school_a,
        send_status=Status.SEN_SUPPORT,
        date_of_birth=date.today() - timedelta(days=6 * 365),
    )
    bea = make_child(
        la,
        held_by=school_b,
        given_name="Bea",
        family_name="Jones",
        setting=school_b,
        send_status=Status.SEN_SUPPORT,
    )
    zara = make_child(
        la,
        given_name="Zara",
        family_name="Hussain",
        send_status=Status.EHC_PLAN,
        date_of_birth=date.today() - timedelta(days=17 * 365 + 30),
    )
    mother = make_parent(kofi, "parent")
    from tellonce.people.models import FamilyLink

    FamilyLink.objects.create(
        adult=mother, child=esi, relationship="mother", parental_responsibility=True
    )
    make_parent(zara, "zara_mum")
    from tests.factories import make_user

    users["youngperson"] = make_user("youngperson")
    zara.user = users["youngperson"]
    zara.save()
    users["parent"] = mother.user  # type: ignore[assignment]
    users["zara_mum"] = zara.family.get().adult.user  # type: ignore[assignment]
    users["stranger"] = make_user("stranger")
    involve(kofi, school_a, role="SEN support")
    involve(esi, school_a, role="SEN support")
    involve(bea, school_b, role="SEN support")
    involve(kofi, slt, staff=users["slt"], role="Speech and language therapist")
    consent(kofi, slt)
    consent(kofi, school_a)
    involve(esi, slt, staff=users["slt"], role="Speech and language therapist")  # no consent
    involve(kofi, send, staff=users["caseworker"], role="SEND caseworker")
    return World(la, send, school_a, school_b, slt, trust, icb, kofi, esi, bea, zara, users)
