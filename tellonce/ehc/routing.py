"""Where the EHC process sends things: the SEND team, and who gives each kind of advice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tellonce.access.policy import PRACTITIONER_ROLES, family_users
from tellonce.people.models import Child, Organisation, StaffMembership, User

if TYPE_CHECKING:
    from tellonce.ehc.models import Step

Role = StaffMembership.Role
Kind = Organisation.Kind


def _staffed_by(role: str, **filters: object) -> Organisation | None:
    return (
        Organisation.objects.filter(
            StaffMembership.active_q("staff__"), staff__role=role, **filters
        )
        .order_by("pk")
        .first()
    )


def send_team(local_authority: Organisation) -> Organisation:
    """The LA's SEND team: the team under the LA where its caseworkers work (else the LA)."""
    for role in (Role.LA_CASEWORKER, Role.LA_MANAGER):
        team = _staffed_by(role, parent=local_authority) or _staffed_by(
            role, pk=local_authority.pk
        )
        if team is not None:
            return team
    return local_authority


def send_team_staff(local_authority: Organisation) -> list[User]:
    """Everyone who works the LA's caseload (told of new requests until one takes the case)."""
    team = send_team(local_authority)
    return list(
        User.objects.filter(
            StaffMembership.active_q("memberships__"),
            memberships__organisation=team,
            memberships__role__in=[Role.LA_CASEWORKER, Role.LA_MANAGER],
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def advice_giver(child: Child, kind: str) -> tuple[Organisation, User | None] | None:
    """Who the LA asks for each kind of advice (reg 6(1)); None if the area has no such service.

    Psychological advice goes to a named educational psychologist; health advice to the
    ICB, through its designated clinical officer; social care to the LA's social care team;
    educational advice to the child's school or setting (its SENCO team).
    """
    la = child.local_authority
    if kind == "ep":
        org = _staffed_by(Role.EDUCATIONAL_PSYCHOLOGIST, parent=la)
        if org is None:
            return None
        ep = (
            User.objects.filter(
                StaffMembership.active_q("memberships__"),
                memberships__organisation=org,
                memberships__role=Role.EDUCATIONAL_PSYCHOLOGIST,
                is_active=True,
            )
            .order_by("pk")
            .first()
        )
        return org, ep
    if kind == "health":
        org = _staffed_by(Role.DCO, local_authority=la) or _staffed_by(Role.DCO)
        if org is None:
            return None
        dco = (
            User.objects.filter(
                StaffMembership.active_q("memberships__"),
                memberships__organisation=org,
                memberships__role=Role.DCO,
                is_active=True,
            )
            .order_by("pk")
            .first()
        )
        return org, dco
    if kind == "social_care":
        org = _staffed_by(Role.SOCIAL_WORKER, parent=la) or _staffed_by(
            Role.SOCIAL_WORKER, local_authority=la
        )
        return None if org is None else (org, None)
    if kind == "education":
        return None if child.setting is None else (child.setting, None)
    raise ValueError(f"unknown kind of advice {kind!r}")


def org_contacts(organisation: Organisation, named: User | None = None) -> list[User]:
    """Who to tell about a request to an organisation: the named person, else its practitioners."""
    if named is not None:
        return [named]
    return list(
        User.objects.filter(
            StaffMembership.active_q("memberships__"),
            memberships__organisation=organisation,
            memberships__role__in=[
                Role.SENCO, Role.HEALTH_PRACTITIONER, Role.DCO, Role.SOCIAL_WORKER,
                Role.EDUCATIONAL_PSYCHOLOGIST,
            ],
            is_active=True,
        )
        .distinct()
        .order_by("pk")[:10]
    )


def step_actors(step: Step) -> list[User]:
    """Everyone who can act on an open step, as the actions check it: the family for the
    family's steps (family_users); the SEND team's caseworkers and managers for the council's;
    for a service's or setting's, the person named, else every practitioner there (as
    `ehc.policy.acts_for` allows). Each must find the step in their own list and be able to
    open the child's record (tests/ehc/test_waiting_on.py holds that for every step)."""
    from tellonce.ehc.models import Step

    if step.waiting_on == Step.WaitingOn.FAMILY:
        return family_users(step.child)
    if step.waiting_on == Step.WaitingOn.LOCAL_AUTHORITY:
        return send_team_staff(step.child.local_authority)
    if step.waiting_on_organisation_id is None:
        return []
    practitioners = User.objects.filter(
        StaffMembership.active_q("memberships__"),
        memberships__organisation_id=step.waiting_on_organisation_id,
        memberships__role__in=PRACTITIONER_ROLES,
        is_active=True,
    )
    if step.waiting_on_user_id is not None:  # only the person named, while they work there
        practitioners = practitioners.filter(pk=step.waiting_on_user_id)
    return list(practitioners.distinct().order_by("pk"))
