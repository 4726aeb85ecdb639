"""The demo's local offer reads true (issue 11 item 8): every service sits under the provider
it names, and every service can be saved unchanged through the editors' form."""

from __future__ import annotations

import re

import pytest

from tellonce.demo.area import generate_area
from tellonce.directory.forms import ServiceForm, initial_for
from tellonce.directory.models import Organization, Service

# What each kind of service is, in words a family reads, and the words its provider's name
# must have: a speech and language service run by the speech and language therapists, the
# SENDIASS service by SENDIASS, a club by a youth or leisure provider, and so on.
PROVIDER_WORDS = {
    "Autism family support group": "Autism Support",
    "Understanding autism workshops": "Autism Support",
    "Online autism support for parents": "Autism Support",
    "ADHD parent course": "Neurodevelopmental",
    "Talk and play drop-in": "Speech and Language Therapy",
    "Early language groups": "Speech and Language Therapy",
    "Communication advice line": "Speech and Language Therapy",
    "Speech and language therapy": "Speech and Language Therapy",
    "Sensory and movement advice sessions": "Occupational Therapy",
    "Children's occupational therapy": "Occupational Therapy",
    "Children's physiotherapy": "Physiotherapy",
    "Wheelchair and equipment service": "Community Health",
    "Sleep support for families": "Community Paediatrics",
    "Emotional wellbeing drop-in": "Mental Health",
    "Children's audiology clinic": "Audiology",
    "Sensory support team": "SEND Services",
    "Specialist teaching service": "SEND Services",
    "Dyslexia drop-in": "SEND Services",
    "Travel training": "SEND Services",
    "Early years SEND inclusion team": "SEND Services",
    "Portage home visiting": "SEND Services",
    "Short breaks club": "Youth and Play",
    "Inclusive holiday activities": "Youth and Play",
    "Youth club for young people with SEND": "Youth and Play",
    "Sibling support group": "Youth and Play",
    "Disability swimming sessions": "Leisure",
    "Supported internships": "College",
    "Independent living skills course": "College",
    "SEND information, advice and support service (SENDIASS)": "SENDIASS",
    "Parent carer forum": "Parent Carer Forum",
}


@pytest.fixture
def area(db):  # type: ignore[no-untyped-def]
    # The local offer is the same size (about 300 services) whatever the number of children.
    return generate_area(seed=11, children=500, progress=lambda message: None)


def _kind_of(name: str) -> str:
    """The service's kind: its name without the place added to tell copies apart."""
    for kind in sorted(PROVIDER_WORDS, key=len, reverse=True):
        if name == kind or name.startswith(kind + " ("):
            return kind
    return name


def test_every_demo_service_sits_under_the_provider_it_names(area) -> None:  # type: ignore[no-untyped-def]
    services = list(Service.objects.select_related("organization"))
    assert len(services) >= 250
    wrong = []
    for service in services:
        kind = _kind_of(service.name)
        assert kind in PROVIDER_WORDS, f"a kind of service this test does not know: {kind}"
        if PROVIDER_WORDS[kind].lower() not in service.organization.name.lower():
            wrong.append(f"{service.name} under {service.organization.name}")
    assert wrong == []


def test_every_demo_service_can_be_saved_unchanged_through_the_form(area) -> None:  # type: ignore[no-untyped-def]
    services = list(Service.objects.all())
    refused = []
    for service in services:
        initial = initial_for(service)
        data = {k: ("" if v is None else v) for k, v in initial.items()}
        data["organization"] = str(initial["organization"])
        data["locality"] = "" if initial["locality"] is None else str(initial["locality"])
        form = ServiceForm(data, organizations=Organization.objects.all())
        if not form.is_valid():
            refused.append(f"{service.name}: {dict(form.errors)}")
    assert refused == []


def test_demo_phone_numbers_are_in_the_range_kept_for_drama(area) -> None:  # type: ignore[no-untyped-def]
    """Ofcom keeps 0191 498 0000 to 0191 498 0999 for fiction: no real person answers."""
    from tellonce.directory.models import Phone

    numbers = list(Phone.objects.values_list("number", flat=True))
    assert numbers
    assert all(re.fullmatch(r"0191 498 0\d{3}", n) for n in numbers), numbers[:5]
