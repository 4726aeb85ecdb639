"""Importing another ORUK 3.0 publisher's feed: all or nothing, with a report per record."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from uuid import uuid4

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tellonce.directory.models import Service, ServiceChange
from tests.directory.helpers import make_full_service

pytestmark = pytest.mark.django_db


def record(name: str = "Imported club", **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "id": str(uuid4()), "name": name, "status": "active", "description": "Fun",
        "minimum_age": 5, "maximum_age": 11,
        "organization": {"id": str(uuid4()), "name": "Westshire Play",
                         "description": "A charity"},
        "service_at_locations": [{"id": str(uuid4()), "location": {
            "id": str(uuid4()), "location_type": "physical", "latitude": 53.3,
            "longitude": -2.7, "addresses": [{
                "id": str(uuid4()), "address_1": "1 Main St", "city": "Westshire",
                "state_province": "England", "postal_code": "WS1 1AA", "country": "GB",
                "address_type": "physical"}]}}],
        "schedules": [{"id": str(uuid4()), "description": "Saturdays"}],
        "attributes": [{"id": str(uuid4()), "taxonomy_term": {
            "id": str(uuid4()), "name": "Play", "description": "Play schemes"}}],
    }
    data.update(extra)
    return data


def upload(client, payload: object):  # type: ignore[no-untyped-def]
    content = json.dumps(payload).encode()
    return client.post("/manage-local-offer/import/",
                       {"file": SimpleUploadedFile("feed.json", content, "application/json")})


def test_a_clean_feed_is_imported_with_its_places_and_terms(client_for) -> None:  # type: ignore[no-untyped-def]
    response = upload(client_for("editor"), {"contents": [record(), record("Second club")]})
    assert response.status_code == 302
    club = Service.objects.get(name="Imported club")
    assert club.organization.name == "Westshire Play"
    assert club.service_at_locations.get().location.addresses.get().postal_code == "WS1 1AA"
    assert club.attributes.get().taxonomy_term.name == "Play"
    assert ServiceChange.objects.filter(kind=ServiceChange.Kind.IMPORTED).count() == 2


def test_one_bad_record_means_nothing_is_imported_and_each_problem_is_reported(client_for) -> None:  # type: ignore[no-untyped-def]
    bad_status = record("Bad status", status="open")
    bad_id = record("Bad id", id="not-a-uuid")
    no_org = record("No organisation")
    del no_org["organization"]
    response = upload(client_for("editor"), [record(), bad_status, bad_id, no_org])
    assert response.status_code == 400
    content = response.content.decode()
    assert "Nothing has been imported" in content
    assert "Record 2 (Bad status)" in content and "Record 3 (Bad id)" in content
    assert "Record 4 (No organisation)" in content and "organization_id is missing" in content
    assert not Service.objects.exists()


def test_reimporting_the_same_feed_updates_rather_than_duplicates(client_for) -> None:  # type: ignore[no-untyped-def]
    item = record()
    editor = client_for("editor")
    upload(editor, [item])
    item["name"] = "Renamed club"
    assert upload(editor, [item]).status_code == 302
    assert list(Service.objects.values_list("name", flat=True)) == ["Renamed club"]


def test_our_own_feed_round_trips(client, client_for) -> None:  # type: ignore[no-untyped-def]
    service = make_full_service(name="Round trip")
    feed = json.loads(client.get(f"/api/oruk/services/{service.pk}").content)
    Service.objects.all().delete()
    assert upload(client_for("editor"), feed).status_code == 302
    again = Service.objects.get(pk=service.pk)
    assert again.name == "Round trip" and again.phones.get().number == "01632 960000"


def test_not_json_is_reported(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("editor").post("/manage-local-offer/import/", {
        "file": SimpleUploadedFile("feed.json", b"{not json", "application/json")})
    assert response.status_code == 400 and b"is not valid JSON" in response.content


def test_neither_file_nor_address_is_an_error(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("editor").post("/manage-local-offer/import/", {})
    assert response.status_code == 400 and b"Choose a file or enter an address" in response.content


def test_only_editors_may_import(client_for) -> None:  # type: ignore[no-untyped-def]
    assert upload(client_for("orgadmin"), [record()]).status_code == 404
    assert not Service.objects.exists()


class _Feed(BaseHTTPRequestHandler):
    pages: dict[str, bytes] = {}

    def do_GET(self) -> None:  # noqa: N802
        body = self.pages.get(self.path, b'{"contents": []}')
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_feed():  # type: ignore[no-untyped-def]
    """A local ORUK publisher (never an outside address) with two pages of services."""
    first = {"total_pages": 2, "page_number": 1, "contents": [record("Page one club")]}
    second = {"total_pages": 2, "page_number": 2, "contents": [record("Page two club")]}
    _Feed.pages = {"/services": json.dumps(first).encode(),
                   "/services?page=2": json.dumps(second).encode()}
    server = HTTPServer(("127.0.0.1", 0), _Feed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_an_editor_imports_from_a_url_following_its_pages(client_for, local_feed, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DIRECTORY_IMPORT_ALLOW_PRIVATE_HOSTS = True
    response = client_for("editor").post("/manage-local-offer/import/",
                                         {"url": f"{local_feed}/services"})
    assert response.status_code == 302
    assert set(Service.objects.values_list("name", flat=True)) == {"Page one club",
                                                                   "Page two club"}


def test_private_addresses_are_refused_unless_allowed(client_for, local_feed) -> None:  # type: ignore[no-untyped-def]
    response = client_for("editor").post("/manage-local-offer/import/",
                                         {"url": f"{local_feed}/services"})
    assert response.status_code == 400 and b"private or local address" in response.content
    assert not Service.objects.exists()


def test_an_address_that_does_not_answer_is_reported(client_for, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DIRECTORY_IMPORT_ALLOW_PRIVATE_HOSTS = True
    response = client_for("editor").post("/manage-local-offer/import/",
                                         {"url": "http://127.0.0.1:9/services"})
    assert response.status_code == 400 and b"could not be read" in response.content


# ----- fetching: the address checked is the address connected to -----

PUBLIC = "93.184.216.34"  # what the test's name server says feed.example is, when asked first


class _Moving(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", f"http://10.0.0.5:{self.server.server_port}/services")
            self.end_headers()
            return
        body = json.dumps([record("Fetched club")]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def rebinding(monkeypatch):  # type: ignore[no-untyped-def]
    """feed.example resolves to a public address the first time it is asked and to
    127.0.0.1 after (DNS rebinding). Every connection is recorded by the address it was
    made to, and served by one local server standing in for all of them."""
    import socket

    server = HTTPServer(("127.0.0.1", 0), _Moving)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.create_connection
    asked = []
    connected: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host != "feed.example":
            return real_getaddrinfo(host, port, *args, **kwargs)
        asked.append(host)
        address = PUBLIC if len(asked) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    def create_connection(address, *args, **kwargs):  # type: ignore[no-untyped-def]
        host, port = address
        ip = getaddrinfo(host, port)[0][4][0]
        connected.append(ip)
        return real_connect(("127.0.0.1", server.server_port), *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    yield server.server_port, connected
    server.shutdown()


def test_the_feed_is_fetched_from_the_address_that_was_checked(client_for, rebinding) -> None:  # type: ignore[no-untyped-def]
    port, connected = rebinding
    response = client_for("editor").post("/manage-local-offer/import/",
                                         {"url": f"http://feed.example:{port}/services"})
    assert connected == [PUBLIC]  # not 127.0.0.1, which a second look-up would have given
    assert response.status_code == 302 and Service.objects.get().name == "Fetched club"


def test_a_redirect_to_a_private_address_is_refused(client_for, rebinding) -> None:  # type: ignore[no-untyped-def]
    port, connected = rebinding
    response = client_for("editor").post("/manage-local-offer/import/",
                                         {"url": f"http://feed.example:{port}/moved"})
    assert response.status_code == 400
    assert b"10.0.0.5 is a private or local address" in response.content
    assert connected == [PUBLIC] and not Service.objects.exists()
