"""The stored copies of each service's ORUK list item and result card stay true: every way a
service or what they show can change rewrites them, and the API and search serve them."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from tellonce.directory import oruk, stored
from tellonce.directory.models import Organization, Service
from tests.directory.helpers import make_organization, make_service
from tests.directory.oruk_schema import assert_valid
from tests.directory.test_import import record, upload
from tests.directory.test_views import _form

pytestmark = pytest.mark.django_db


def assert_copies_are_current(service: Service) -> None:
    """The stored copies are exactly what would be built from the database now."""
    fresh = Service.objects.select_related("organization").get(pk=service.pk)
    assert fresh.oruk_item and fresh.result_card
    assert json.loads(fresh.oruk_item) == json.loads(json.dumps(
        oruk.service_basic(fresh), default=str))
    assert fresh.oruk_item == stored.oruk_item(fresh)
    assert fresh.result_card == stored.result_card(fresh)


def test_editing_a_service_its_place_and_terms_rewrites_its_copies(client_for) -> None:  # type: ignore[no-untyped-def]
    service = make_service("Play club", terms=("need-asd",), postcode="RV1 1AA")
    assert_copies_are_current(service)
    editor = client_for("editor")
    response = editor.post(f"/manage-local-offer/services/{service.pk}/edit/", _form(
        service, name="Play club (Saturdays)", description="New words", free="no",
        fees="£2 a session", minimum_age="3", needs=["PD"], postcode="RV1 1FZ",
        address_1="3 Mill Street", status="temporarily closed"))
    assert response.status_code == 302
    assert_copies_are_current(service)
    item = json.loads(Service.objects.get(pk=service.pk).oruk_item)
    assert item["name"] == "Play club (Saturdays)" and item["minimum_age"] == 3
    assert item["status"] == "temporarily closed"
    page = client_for("anonymous").get("/local-offer/?q=saturdays&postcode=RV1+1AA")
    assert "Play club (Saturdays)" in page.content.decode()
    assert "£2 a session" in page.content.decode() and "Temporarily closed" in page.content.decode()
    assert "miles from RV1 1AA" in page.content.decode()


def test_review_and_retirement_rewrite_the_copies(client_for) -> None:  # type: ignore[no-untyped-def]
    service = make_service("Swim club")
    before = json.loads(service.oruk_item)
    editor = client_for("editor")
    editor.post(f"/manage-local-offer/services/{service.pk}/review/")
    assert_copies_are_current(service)
    after = json.loads(Service.objects.get(pk=service.pk).oruk_item)
    assert after["assured_date"] and after["last_modified"] >= before["last_modified"]
    editor.post(f"/manage-local-offer/services/{service.pk}/retire/", {"reason": "Closed"})
    assert_copies_are_current(service)
    assert json.loads(Service.objects.get(pk=service.pk).oruk_item)["status"] == "defunct"


def test_import_writes_copies_and_renaming_an_organisation_rewrites_all(client_for) -> None:  # type: ignore[no-untyped-def]
    editor = client_for("editor")
    first = record("Imported club")
    assert upload(editor, [first]).status_code == 302
    imported = Service.objects.get(name="Imported club")
    assert_copies_are_current(imported)
    org = imported.organization
    other = make_service("Not in the feed", organization=org)
    renamed = dict(first, organization={**first["organization"], "name": "Westshire Play Trust"},  # type: ignore[dict-item]
                   name="Imported club, renamed")
    assert upload(editor, [renamed]).status_code == 302
    assert Organization.objects.get(pk=org.pk).name == "Westshire Play Trust"
    for service in (imported, other):
        assert_copies_are_current(service)
        item = json.loads(Service.objects.get(pk=service.pk).oruk_item)
        assert item["organization"]["name"] == "Westshire Play Trust"


def test_services_list_is_joined_from_copies_and_builds_missing_ones_live(client) -> None:  # type: ignore[no-untyped-def]
    org = make_organization("Rivermouth Play")
    make_service("Ärzte club", organization=org, description="Spiel und Spaß")
    unwritten = make_service("Bench club", organization=org)
    Service.objects.filter(pk=unwritten.pk).update(oruk_item="", result_card="")
    live = [json.loads(json.dumps(oruk.service_basic(s), default=str)) for s in
            Service.objects.select_related("organization").order_by("name", "pk")]
    response = client.get("/api/oruk/services?per_page=1&page=2")
    data = response.json()
    assert response["Access-Control-Allow-Origin"] == "*"
    assert_valid(data, "service_list.json")
    assert data["total_items"] == 2 and data["size"] == 1 and data["total_pages"] == 2
    assert data["contents"] == live[1:]
    assert client.get("/api/oruk/services").json()["contents"] == live
    assert "Ärzte club" in client.get("/api/oruk/services").content.decode()
    page = client.get("/local-offer/")
    assert "Bench club" in page.content.decode() and "Ärzte club" in page.content.decode()
    empty = client.get("/api/oruk/services?page=5").json()
    assert empty["contents"] == [] and empty["empty"] is True and empty["size"] == 0


class _Balance(HTMLParser):
    """Fails on an element closed that was not open, or left open at the end."""

    VOID = {"br", "img", "input", "meta", "link", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()


def test_every_stored_card_of_the_demo_directory_is_whole_html() -> None:
    from tellonce.demo.area import generate_area

    generate_area(seed=4, children=200, progress=lambda message: None)
    cards = list(Service.objects.values_list("result_card", flat=True))
    assert len(cards) >= 100
    for card in cards:
        parser = _Balance()
        parser.feed(card)
        assert parser.open == [], f"left open: {parser.open} in {card[:80]}"
        assert stored.DISTANCE_SLOT in card


def test_copies_written_by_other_code_are_never_served(client) -> None:  # type: ignore[no-untyped-def]
    service = make_service("Stalecheck swimming")
    Service.objects.filter(pk=service.pk).update(
        result_card="<li>OLD CARD</li>", oruk_item='{"name": "OLD ITEM"}',
        copies_version="0000000000000000")
    page = client.get("/local-offer/?q=stalecheck").content.decode()
    assert "OLD CARD" not in page and "Stalecheck swimming" in page
    listing = client.get("/api/oruk/services?search=stalecheck").content.decode()
    assert "OLD ITEM" not in listing and "Stalecheck swimming" in listing
    # migrate rewrites them (its post_migrate handler; the command does the same).
    from tellonce.directory import apps as directory_apps

    assert stored.outdated().filter(pk=service.pk).exists()
    directory_apps._refresh_outdated_copies(sender=None, verbosity=0)  # type: ignore[arg-type]
    assert not stored.outdated().exists()
    assert Service.objects.get(pk=service.pk).copies_version == stored.COPIES_VERSION
