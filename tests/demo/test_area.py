"""The synthetic local area: reproducible, realistic in shape, synthetic in every identifier."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.db import transaction

from tellonce.demo.area import DEMO_PASSWORD, generate_area
from tellonce.people.models import Child, Locality, Organisation, StaffMembership, User
from tellonce.people.validators import validate_nhs_number, validate_upn

SIZE = 3000


class Rollback(Exception):
    pass


def signature() -> list[tuple[str, str, str]]:
    return list(
        Child.objects.order_by("nhs_number", "given_name").values_list(
            "given_name", "family_name", "nhs_number"
        )[:200]
    )


@pytest.fixture
def area(db):  # type: ignore[no-untyped-def]
    return generate_area(seed=11, children=SIZE, progress=lambda message: None)


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_area() -> None:
    with pytest.raises(Rollback), transaction.atomic():
        generate_area(seed=5, children=500, progress=lambda m: None)
        first = signature()
        raise Rollback
    with pytest.raises(Rollback), transaction.atomic():
        generate_area(seed=5, children=500, progress=lambda m: None)
        assert signature() == first
        raise Rollback
    with transaction.atomic():
        generate_area(seed=6, children=500, progress=lambda m: None)
        assert signature() != first


def test_identifiers_are_valid_and_synthetic(area) -> None:  # type: ignore[no-untyped-def]
    numbers = list(Child.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True))
    assert len(numbers) > SIZE * 0.9
    for number in numbers:
        assert number.startswith("999")
        validate_nhs_number(number)
    upns = list(Child.objects.exclude(upn=None).values_list("upn", flat=True))
    assert len(upns) > SIZE * 0.3
    for upn in upns:
        validate_upn(upn)


def test_send_proportions_are_realistic(area) -> None:  # type: ignore[no-untyped-def]
    counts = Counter(Child.objects.values_list("send_status", flat=True))
    total = sum(counts.values())
    assert total == SIZE + 3  # plus the three named demo children
    assert 0.04 < counts["ehc_plan"] / total < 0.07
    school_age = Child.objects.filter(setting__kind="school")
    support = school_age.filter(send_status="sen_support").count() / school_age.count()
    assert 0.10 < support < 0.17
    needs = Counter(
        Child.objects.filter(send_status="ehc_plan").values_list("primary_need", flat=True)
    )
    assert needs.most_common(1)[0][0] == "ASD"  # the commonest need for plans nationally


def test_every_role_and_at_least_two_localities(area) -> None:  # type: ignore[no-untyped-def]
    assert Locality.objects.count() >= 2
    roles = set(StaffMembership.objects.values_list("role", flat=True))
    assert roles == set(StaffMembership.Role.values)
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {
        "local_authority",
        "icb",
        "nhs_trust",
        "health_service",
        "school",
        "early_years",
        "college",
        "social_care",
    } <= kinds


def test_demo_accounts_sign_in_with_the_documented_password(area) -> None:  # type: ignore[no-untyped-def]
    for username in [
        "parent",
        "youngperson",
        "senco",
        "slt",
        "dco",
        "socialworker",
        "ep",
        "caseworker",
        "manager",
        "leader",
        "editor",
        "orgadmin",
        "forum",
    ]:
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username
    assert User.objects.filter(username="staff00001", password="!").exists()


def test_two_professionals_in_different_organisations_see_different_children(area) -> None:  # type: ignore[no-untyped-def]
    from tellonce.access.policy import visible_children

    senco = set(visible_children(User.objects.get(username="senco")).values_list("pk", flat=True))
    slt = set(visible_children(User.objects.get(username="slt")).values_list("pk", flat=True))
    assert senco and slt and senco != slt
    kofi = area.demo_children["kofi"]
    assert kofi.pk in senco and kofi.pk in slt


def test_local_offer_contact_details_are_valid_and_synthetic(area) -> None:  # type: ignore[no-untyped-def]
    """A family taps these: every website and email in the demo directory must be well formed,
    and on example.org (reserved for examples, so never anyone's real address)."""
    from urllib.parse import urlsplit

    from django.core.validators import EmailValidator, URLValidator

    from tellonce.directory.models import Organization, Service

    urls = [*Organization.objects.exclude(website="").values_list("website", flat=True),
            *Service.objects.exclude(url="").values_list("url", flat=True)]
    emails = [*Organization.objects.exclude(email="").values_list("email", flat=True),
              *Service.objects.exclude(email="").values_list("email", flat=True)]
    assert len(urls) > 250 and len(emails) > 150
    for url in urls:
        URLValidator(schemes=["https"])(url)
        assert urlsplit(url).hostname.endswith(".example.org"), url  # type: ignore[union-attr]
    for email in emails:
        EmailValidator()(email)
        assert email.endswith(".example.org"), email


def test_a_local_offer_service_named_for_its_venue_meets_there(area) -> None:  # type: ignore[no-untyped-def]
    """'Drama club (Northbank, library)' meets at Northbank Library, not somewhere else."""
    import re

    from tellonce.directory.models import Service

    named = 0
    for service in Service.objects.prefetch_related("service_at_locations__location"):
        match = re.search(r"\((\w[\w ]*), ([^)]+)\)$", service.name)
        if not match:
            continue
        named += 1
        venues = [sal.location.name.lower() for sal in service.service_at_locations.all()]
        assert venues == [f"{match[1]} {match[2]}".lower()], (service.name, venues)
    assert named > 50


def test_the_demo_local_offer_has_comments_answered_in_public(area, client) -> None:  # type: ignore[no-untyped-def]
    """Reg 56: the demo's "You said, we did" shows this year's answered comments, and the
    editor has some still to answer."""
    from html import escape

    from tellonce.directory.models import Feedback

    answered = Feedback.objects.filter(status=Feedback.Status.RESPONDED)
    waiting = Feedback.objects.filter(status=Feedback.Status.NEW)
    assert answered.exists() and waiting.exists()
    assert all(f.responded_by and f.responded_by.username == "editor" and f.response
               and f.responded_at > f.received_at for f in answered)
    this_year = answered.filter(received_at__year=area.today.year)
    assert this_year.exists()
    page = client.get("/local-offer/you-said-we-did/").content.decode()
    for feedback in this_year:
        assert escape(feedback.response) in page
    for feedback in waiting:
        assert escape(feedback.comment) not in page  # nothing published before it is answered


def test_the_demo_local_offer_has_recent_changes(area, client) -> None:  # type: ignore[no-untyped-def]
    from tellonce.directory.models import ServiceChange

    changes = ServiceChange.objects.all()
    assert changes.count() > 20
    kinds = set(changes.values_list("kind", flat=True))
    assert {ServiceChange.Kind.REVIEWED, ServiceChange.Kind.UPDATED} <= kinds
    for change in changes:  # when the entry says it was last changed (or now, if earlier)
        assert change.service
        assert abs(change.at - change.service.last_modified) <= timedelta(hours=10)
    page = client.get("/local-offer/changes/").content.decode()
    assert "Checked and still correct" in page and "Changed " in page
