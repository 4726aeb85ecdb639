"""No input makes a 500: NUL characters, too-deep JSON, huge page numbers, an oversized body
and an edit from a version that never existed each get a clear 4xx, pages and API alike.
(The whole suite runs on SQLite and on PostgreSQL: PostgreSQL refused NUL with a 500, SQLite
stored it.)"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tellonce import safeinput
from tellonce.api.models import ApiToken
from tellonce.directory.models import Service
from tellonce.health.models import Referral
from tellonce.profile.models import AboutMeVersion
from tests.health.helpers import slt_pathway

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000


def api(world, username: str = "caseworker") -> Client:  # type: ignore[no-untyped-def]
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(world.users[username], 't')[1]}")


# ----- NUL characters: refused with the field named, nothing stored -----


@pytest.mark.parametrize("url", ["/api/children?name=Ko%00fi", "/api/ehc/worklist?lateness=%00"])
def test_nul_in_an_api_query_is_a_json_400_naming_the_parameter(world, url: str) -> None:
    response = api(world).get(url)
    assert response.status_code == 400
    assert "NUL character" in response.json()["detail"]
    assert "query parameter" in response.json()["detail"]


def test_nul_in_a_json_body_is_a_400_and_nothing_is_saved(world) -> None:
    response = api(world, "slt").post(
        f"/api/children/{world.kofi.pk}/about-me",
        json.dumps({"base_version": 0, "matters": "Trains\u0000"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The JSON body contains a NUL character")
    assert not AboutMeVersion.objects.exists()


def test_nul_in_the_oruk_api_is_its_own_400_with_cors(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/oruk/services?search=play%00")
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_nul_in_a_form_field_is_a_govuk_error_page_naming_the_field(world, client_for) -> None:
    response = client_for("parent").post(
        f"/children/{world.kofi.pk}/about-me/edit/", {"base_version": "0", "matters": "a\x00b"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and "The field &#x27;matters&#x27; contains a NUL" in page
    assert not AboutMeVersion.objects.exists()


def test_nul_in_a_page_query_is_a_govuk_error_page(world, client_for) -> None:
    response = client_for("caseworker").get("/children/?name=Ko%00fi")
    assert response.status_code == 400 and b"contains a NUL character" in response.content


def test_nul_in_an_uploaded_csv_is_refused_naming_the_file(world, client_for) -> None:
    slt_pathway(world)
    content = (b"provider_reference,nhs_number,date_of_birth,pathway,received_on,referrer_name\n"
               b"R1\x00,9990000018,2015-01-01,slt,2026-01-01,Dr Owusu\n")
    response = client_for("slt").post("/referrals/import/", {
        "provider": str(world.slt.pk),
        "file": SimpleUploadedFile("referrals.csv", content, content_type="text/csv")})
    assert response.status_code == 400
    assert b"The file &#x27;referrals.csv&#x27; contains a NUL character" in response.content
    assert not Referral.objects.exists()


def test_an_escaped_nul_in_an_imported_json_file_is_reported(client_for) -> None:  # type: ignore[no-untyped-def]
    feed = json.dumps([{"id": "x", "name": "Club\u0000"}]).encode()
    response = client_for("editor").post("/manage-local-offer/import/", {
        "file": SimpleUploadedFile("feed.json", feed, "application/json")})
    assert response.status_code == 400 and b"contains a NUL character" in response.content
    assert not Service.objects.exists()


# ----- JSON nested too deeply -----


def test_a_deeply_nested_json_file_to_the_local_offer_import_is_reported(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("editor").post("/manage-local-offer/import/", {
        "file": SimpleUploadedFile("feed.json", DEEP.encode(), "application/json")})
    assert response.status_code == 400
    assert b"is nested more than 64 levels deep" in response.content


def test_a_deeply_nested_json_body_to_the_api_is_a_400(world) -> None:
    response = api(world, "slt").post(f"/api/children/{world.kofi.pk}/about-me", DEEP,
                                      content_type="application/json")
    assert response.status_code == 400 and "nested" in response.json()["detail"]


def test_loads_json_bounds_depth_without_recursing() -> None:
    ok = "[" * safeinput.MAX_JSON_DEPTH + "]" * safeinput.MAX_JSON_DEPTH
    assert safeinput.loads_json(ok) is not None
    with pytest.raises(safeinput.BadInput, match="nested"):
        safeinput.loads_json("[" + ok + "]")
    with pytest.raises(safeinput.BadInput, match="NUL"):
        safeinput.loads_json('{"a\\u0000": 1}')


# ----- huge page numbers -----


@pytest.mark.parametrize("url", ["/api/children?page=1000000000000000000000000000000",
                                 "/api/ehc/advice?page=1000000000000000000000000000000",
                                 "/api/ehc/worklist?page=1000000000000000000000000000000"])
def test_a_huge_page_number_on_the_api_is_a_422(world, url: str) -> None:
    response = api(world).get(url)
    assert response.status_code == 422
    assert "page" in json.dumps(response.json()["detail"])


def test_the_last_page_the_api_allows_is_an_empty_page(world) -> None:
    body = api(world).get("/api/children?page=1000000").json()
    assert body["items"] == [] and body["total_items"] == 2


@pytest.mark.parametrize("page", ["1000000000000000000000000000000", "9" * 5000, "²", "-3"])
def test_any_page_number_on_a_page_shows_a_page(world, client_for, page: str) -> None:
    response = client_for("caseworker").get(f"/children/?name=Mensah&page={page}")
    assert response.status_code == 200 and "Kofi" in response.content.decode()


# ----- oversized bodies -----


def test_an_oversized_upload_is_refused_before_it_is_read(client_for, settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 10_000
    response = client_for("editor").post("/manage-local-offer/import/", {
        "file": SimpleUploadedFile("feed.json", b"[" + b" " * 20_000 + b"]", "application/json")})
    assert response.status_code == 413
    assert b"larger than" in response.content and b"MB" in response.content
