"""Organisation administrators' changes: staff memberships and involvements, audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from tellonce.access import audit
from tellonce.people.models import Child, Involvement, Organisation, StaffMembership, User

BASIS_ORG_ADMIN = "Organisation administrator managing their organisation's involvements"


def do_add_staff(
    admin: User, organisation: Organisation, user: User, role: str, job_title: str
) -> StaffMembership:
    with transaction.atomic():
        return StaffMembership.objects.create(
            user=user, organisation=organisation, role=role, job_title=job_title
        )


def do_end_membership(admin: User, membership: StaffMembership, on: date) -> None:
    with transaction.atomic():
        StaffMembership.objects.filter(pk=membership.pk).update(end=on)


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
