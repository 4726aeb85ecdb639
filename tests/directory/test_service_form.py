"""The service form refuses what a family could not use: a phone number that is not one, a
postcode with no address to go with it (issue 11 item 8)."""

from __future__ import annotations

import pytest

from tellonce.directory.forms import ServiceForm
from tellonce.directory.models import Organization, Service
from tests.directory.helpers import make_organization

pytestmark = pytest.mark.django_db


def _data(org: Organization, **changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        "organization": str(org.pk), "name": "Play club", "description": "Play for all",
        "status": "active", "free": "yes", "phone": "0191 498 0123",
        "address_1": "2 Mill Street", "city": "Rivermouth", "postcode": "RV1 1AA",
    }
    data.update(changes)
    return data


def _form(**changes: str) -> ServiceForm:
    org = make_organization("Rivermouth Play")
    return ServiceForm(_data(org, **changes), organizations=Organization.objects.all())


@pytest.mark.parametrize("number", ["abc", "123", "0191 498", "01234 5678901234", "999"])
def test_a_phone_number_that_is_not_one_is_refused(number: str) -> None:
    form = _form(phone=number)
    assert not form.is_valid()
    assert form.errors["phone"] == [
        "Enter a real phone number, like 0191 498 0123, or leave the phone number empty"
    ]


@pytest.mark.parametrize(("number", "kept"), [
    ("0191 498 0123", "0191 498 0123"),
    ("01914980123", "0191 498 0123"),
    ("+44 191 498 0123", "0191 498 0123"),
    ("0800 123 4567", "0800 123 4567"),
])
def test_a_real_phone_number_is_kept_in_the_usual_format(number: str, kept: str) -> None:
    form = _form(phone=number)
    assert form.is_valid(), form.errors
    assert form.details().phone == kept


def test_a_postcode_without_an_address_is_refused_not_dropped() -> None:
    form = _form(address_1="", city="")
    assert not form.is_valid()
    assert form.errors["address_1"] == [
        "Enter the first line of the address, or leave the postcode empty"
    ]


def test_a_town_without_an_address_is_refused_not_dropped() -> None:
    form = _form(address_1="", postcode="")
    assert not form.is_valid()
    assert "address_1" in form.errors


def test_no_address_at_all_is_a_service_with_no_place(client_for) -> None:  # type: ignore[no-untyped-def]
    org = make_organization("Rivermouth Play")
    response = client_for("editor").post(
        "/manage-local-offer/services/new/", _data(org, address_1="", city="", postcode="")
    )
    assert response.status_code == 302
    assert not Service.objects.get(name="Play club").service_at_locations.exists()


def test_the_page_shows_the_phone_error_and_keeps_what_was_typed(client_for) -> None:  # type: ignore[no-untyped-def]
    org = make_organization("Rivermouth Play")
    response = client_for("editor").post("/manage-local-offer/services/new/",
                                         _data(org, phone="abc"))
    text = response.content.decode()
    assert response.status_code == 400  # the form again, with its errors
    assert "Enter a real phone number" in text
    assert "govuk-error-summary" in text and 'value="abc"' in text
    assert not Service.objects.filter(name="Play club").exists()
