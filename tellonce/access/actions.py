"""Changes to consent and to a young person's sharing decision, each audited in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tellonce.access import audit
from tellonce.access.models import Consent
from tellonce.access.policy import ChildAccess
from tellonce.people.models import Child, Organisation, User


class NothingToChange(Exception):
    """The request asks for the state the record is already in."""


def active_consent(child: Child, organisation: Organisation) -> Consent | None:
    return Consent.objects.filter(
        child=child, organisation=organisation, withdrawn_at__isnull=True
    ).first()


def do_give_consent(
    user: User, child: Child, access: ChildAccess, organisation: Organisation
) -> Consent:
    with transaction.atomic():
        if active_consent(child, organisation):
            raise NothingToChange(f"{organisation} can already see the record")
        consent = Consent.objects.create(
            child=child, organisation=organisation, given_by=user, given_by_name=str(user)
        )
        audit.record(
            user,
            child,
            audit.Action.CONSENT_GIVEN,
            f"Consent for {organisation}",
            access.basis,
            organisation_id=organisation.pk,
        )
        return consent


def do_withdraw_consent(
    user: User, child: Child, access: ChildAccess, organisation: Organisation
) -> Consent:
    """Takes effect on the next request: the policy reads consent rows on every request."""
    with transaction.atomic():
        consent = active_consent(child, organisation)
        if consent is None:
            raise NothingToChange(f"{organisation} has no consent to withdraw")
        Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now(), withdrawn_by=user)
        audit.record(
            user,
            child,
            audit.Action.CONSENT_WITHDRAWN,
            f"Consent for {organisation}",
            access.basis,
            organisation_id=organisation.pk,
        )
        consent.refresh_from_db()
        return consent


def do_set_parent_access(user: User, child: Child, access: ChildAccess, parent_access: str) -> None:
    with transaction.atomic():
        if child.parent_access == parent_access:
            raise NothingToChange("That is already your choice")
        Child.objects.filter(pk=child.pk).update(parent_access=parent_access)
        child.parent_access = parent_access
        audit.record(
            user,
            child,
            audit.Action.UPDATE,
            "Whether parents can see the record",
            access.basis,
            parent_access=parent_access,
        )
