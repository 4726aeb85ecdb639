"""Small factories for the local offer tests."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django.utils import timezone

from tellonce.directory import taxonomy
from tellonce.directory.actions import refresh_service
from tellonce.directory.models import (
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from tellonce.people.models import Organisation

_serial = itertools.count(1)


def make_organization(name: str = "", provider: Organisation | None = None,
                      **kwargs: Any) -> Organization:
    return Organization.objects.create(
        name=name or f"Provider {next(_serial)}", description="A provider of support",
        provider=provider, **kwargs,
    )


def make_service(
    name: str = "",
    organization: Organization | None = None,
    terms: tuple[str, ...] = (),
    postcode: str | None = None,
    **kwargs: Any,
) -> Service:
    """A service tagged with SEND taxonomy codes, optionally at a place with a demo postcode."""
    taxonomy.ensure_send_taxonomy()
    organization = organization or make_organization()
    kwargs.setdefault("description", "Support for children and families")
    kwargs.setdefault("last_modified", timezone.now())
    kwargs.setdefault("reviewed_on", date.today())
    service = Service.objects.create(
        name=name or f"Service {next(_serial)}", organization=organization, **kwargs
    )
    for code in terms:
        Attribute.objects.create(service=service, taxonomy_term_id=taxonomy.term_id(code),
                                 link_type="service")
    if postcode:
        from tellonce.directory import postcodes

        place = postcodes.lookup(postcode)
        assert place is not None, postcode
        location = Location.objects.create(name=f"{service.name} centre",
                                           latitude=place.latitude, longitude=place.longitude)
        Address.objects.create(location=location, address_1="1 High Street", city="Rivermouth",
                               state_province="England", postal_code=place.postcode)
        ServiceAtLocation.objects.create(service=service, location=location)
    refresh_service(service)
    return service


def make_full_service(**kwargs: Any) -> Service:
    """A service with one of every related row, for checking the nested JSON."""
    service = make_service(terms=("need-asd", "age-5-10", "wait-neurodevelopmental"),
                           postcode="RV1 1AA", url="https://example.org/s",
                           email="hello@example.org", minimum_age=4, maximum_age=11,
                           fees="Free", assured_date=date.today(), **kwargs)
    Phone.objects.create(service=service, number="01632 960000")
    contact = Contact.objects.create(service=service, name="Duty worker", email="duty@example.org")
    Phone.objects.create(contact=contact, number="01632 960001")
    Schedule.objects.create(service=service, description="Mondays 9am to 5pm", freq="WEEKLY",
                            byday="MO", opens_at="09:00", closes_at="17:00")
    ServiceArea.objects.create(service=service, name="All of Rivermouth")
    Language.objects.create(service=service, name="English", code="en")
    CostOption.objects.create(service=service, option="Per session", amount="0")
    return service
