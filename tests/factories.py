"""Small factories for tests: each makes one thing with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import nhs_number

from tellonce.access.models import Consent, StatutoryBasis
from tellonce.people.models import (
    Adult,
    Child,
    FamilyLink,
    Involvement,
    Organisation,
    StaffMembership,
    User,
)

_serial = itertools.count(1)


def next_nhs_number() -> str:
    """A valid NHS number from the never-issued 999 range."""
    while True:
        body = f"999{next(_serial) + 500_000:06d}"
        check = nhs_number.calculate_checksum(body)
        if check is not None and check != 10:
            return f"{body}{check}"


def make_org(name: str, kind: str = Organisation.Kind.SCHOOL, **kwargs: Any) -> Organisation:
    return Organisation.objects.create(name=name, kind=kind, **kwargs)


def make_user(username: str, **kwargs: Any) -> User:
    kwargs.setdefault("display_name", username.title())
    user = User.objects.create(username=username, **kwargs)
    user.set_unusable_password()
    user.save()
    return user


def make_staff(username: str, org: Organisation, role: str, **kwargs: Any) -> User:
    user = make_user(username)
    StaffMembership.objects.create(
        user=user, organisation=org, role=role, start=date.today() - timedelta(days=10), **kwargs
    )
    return user


def make_child(la: Organisation, held_by: Organisation | None = None, **kwargs: Any) -> Child:
    kwargs.setdefault("given_name", "Test")
    kwargs.setdefault("family_name", f"Child{next(_serial)}")
    kwargs.setdefault("date_of_birth", date.today() - timedelta(days=9 * 365))
    kwargs.setdefault("nhs_number", next_nhs_number())
    return Child.objects.create(local_authority=la, held_by=held_by or la, **kwargs)


def make_parent(child: Child, username: str | None = None, pr: bool = True) -> Adult:
    user = make_user(username) if username else None
    adult = Adult.objects.create(given_name="Parent", family_name=child.family_name, user=user)
    FamilyLink.objects.create(
        adult=adult, child=child, relationship="mother", parental_responsibility=pr
    )
    return adult


def involve(
    child: Child, org: Organisation, staff: User | None = None, role: str = "Worker", **kwargs: Any
) -> Involvement:
    kwargs.setdefault("start", date.today() - timedelta(days=5))
    return Involvement.objects.create(
        child=child, organisation=org, staff=staff, role=role, **kwargs
    )


def consent(child: Child, org: Organisation) -> Consent:
    return Consent.objects.create(child=child, organisation=org, given_by_name="Parent")


def statutory_basis(child: Child, org: Organisation, basis: str = "ca_s47") -> StatutoryBasis:
    return StatutoryBasis.objects.create(
        child=child, organisation=org, basis=basis, reason="Test", start=date.today()
    )
