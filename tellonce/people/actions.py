"""Organisation administrators' changes: staff memberships and involvements, audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from tellonce.access import audit
from tellonce.access.policy import Refusal, end_refusal, grant_refusal
from tellonce.people.models import (
    Child,
    Involvement,
    Organisation,
    RoleChange,
    StaffMembership,
    User,
)

BASIS_ORG_ADMIN = "Organisation administrator managing their organisation's involvements"
BASIS_STAFF_ADMIN = "Organisation administrator managing their organisation's staff"


class Refused(Exception):
    """The policy refused a change; `refusal` says which field and why."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


def do_add_staff(
    admin: User, organisation: Organisation, user: User, role: str, job_title: str
) -> StaffMembership:
    """Give `user` a role in `organisation`: only a role of the organisation's kind, only in
    an organisation `admin` manages, only to their own staff (policy.grant_refusal)."""
    today = date.today()
    refusal = grant_refusal(admin, organisation, user, role, today)
    if refusal is not None:
        raise Refused(refusal)
    with transaction.atomic():
        membership = StaffMembership.objects.create(
            user=user, organisation=organisation, role=role, job_title=job_title, start=today
        )
        _record_change(admin, membership, RoleChange.Change.GRANTED, today)
        return membership


def do_end_membership(admin: User, membership: StaffMembership, on: date) -> None:
    refusal = end_refusal(admin, membership)
    if refusal is not None:
        raise Refused(refusal)
    with transaction.atomic():
        StaffMembership.objects.filter(pk=membership.pk).update(end=on)
        membership.end = on
        _record_change(admin, membership, RoleChange.Change.ENDED, on)


def _record_change(admin: User, membership: StaffMembership, change: str, on: date) -> None:
    """The organisation's history row and the audit event of one role given or ended."""
    granted = change == RoleChange.Change.GRANTED
    RoleChange.objects.create(
        membership=membership,
        organisation=membership.organisation,
        change=change,
        on=on,
        by=admin,
        by_description=audit.describe_actor(admin),
    )
    audit.record(
        admin,
        None,
        audit.Action.CREATE if granted else audit.Action.UPDATE,
        f"Staff role {'given' if granted else 'ended'}: {membership.get_role_display()}",
        BASIS_STAFF_ADMIN,
        membership_id=membership.pk,
        organisation_id=membership.organisation_id,
        organisation=membership.organisation.name,
        staff_user_id=membership.user_id,
        staff_username=membership.user.username,
        role=membership.role,
        on=on.isoformat(),
    )


def do_add_involvement(
    admin: User,
    organisation: Organisation,
    child: Child,
    staff: User | None,
    role: str,
    start: date,
) -> Involvement:
    with transaction.atomic():
        involvement = Involvement.objects.create(
            child=child,
            organisation=organisation,
            staff=staff,
            role=role,
            start=start,
            added_by=admin,
        )
        audit.record(
            admin,
            child,
            audit.Action.CREATE,
            f"Involvement: {organisation} ({role})",
            BASIS_ORG_ADMIN,
            involvement_id=involvement.pk,
        )
        return involvement


def do_end_involvement(admin: User, involvement: Involvement, on: date) -> None:
    with transaction.atomic():
        Involvement.objects.filter(pk=involvement.pk).update(end=on)
        audit.record(
            admin,
            involvement.child,
            audit.Action.UPDATE,
            f"Involvement ended: {involvement.organisation} ({involvement.role})",
            BASIS_ORG_ADMIN,
            involvement_id=involvement.pk,
            end=on.isoformat(),
        )
