"""The ORUK 3.0 API: every response checked against the spec's schema files."""

from __future__ import annotations

import json
from datetime import timedelta
from uuid import uuid4

import pytest
from django.test import Client
from django.utils import timezone

from tellonce.directory import taxonomy
from tellonce.directory.models import Service
from tests.directory.helpers import make_full_service, make_organization, make_service
from tests.directory.oruk_schema import assert_no_empty_values, assert_valid

pytestmark = pytest.mark.django_db


def get(path: str, status: int = 200) -> object:
    response = Client().get(path)
    assert response.status_code == status, response.content[:300]
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def test_version_document_says_hsds_uk_3_and_links_the_openapi_document() -> None:
    data = get("/api/oruk/")
    assert_valid(data, "api_details.json")
    assert data["version"] == "HSDS-UK-3.0"
    assert data["openapi_url"].endswith("/api/openapi.json")


def test_services_list_is_a_valid_page_with_organisations_and_no_empty_fields() -> None:
    make_full_service(name="Autism family support")
    make_service(name="Sensory play")
    data = get("/api/oruk/services")
    assert_valid(data, "service_list.json")
    assert_no_empty_values(data["contents"])
    assert data["total_items"] == 2 and data["page_number"] == 1 and data["first_page"]
    assert data["contents"][0]["organization"]["name"]
    assert "schedules" not in data["contents"][0]


def test_service_by_id_is_fully_nested_and_valid() -> None:
    service = make_full_service()
    data = get(f"/api/oruk/services/{service.pk}")
    assert_valid(data, "service.json")
    assert_no_empty_values(data)
    assert data["id"] == str(service.pk)
    assert data["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "RV1 1AA"
    assert data["schedules"][0]["opens_at"] == "09:00:00"
    assert data["minimum_age"] == 4
    assert data["last_modified"].endswith("Z") and "." in data["last_modified"]
    codes = {a["taxonomy_term"]["code"] for a in data["attributes"]}
    assert {"need-asd", "wait-neurodevelopmental"} <= codes


def test_unknown_and_malformed_ids_are_json_404s_with_cors() -> None:
    for path in ("services", "organizations", "taxonomies", "taxonomy_terms",
                 "service_at_locations"):
        assert get(f"/api/oruk/{path}/{uuid4()}", 404)["error"] == "not_found"
        assert get(f"/api/oruk/{path}/not-a-uuid", 404)["error"] == "not_found"
    assert get("/api/oruk/no-such-endpoint", 404)["error"] == "not_found"


@pytest.mark.parametrize("query", [
    "page=0", "page=abc", "per_page=-1", "per_page=1.5", "minimal=maybe", "full=2",
    "taxonomy_term_id=xyz", "organization_id=1", "modified_after=yesterday", "format=xml",
    "search=" + "a" * 300,
])
def test_bad_parameters_are_json_400s(query: str) -> None:
    assert get(f"/api/oruk/services?{query}", 400)["error"] == "bad_request"


def test_paging_counts_from_one_and_a_page_past_the_end_is_empty() -> None:
    for i in range(5):
        make_service(name=f"Service {i}")
    first = get("/api/oruk/services?per_page=2")
    assert (first["total_pages"], first["size"], first["last_page"]) == (3, 2, False)
    last = get("/api/oruk/services?per_page=2&page=3")
    assert last["size"] == 1 and last["last_page"] and not last["first_page"]
    beyond = get("/api/oruk/services?per_page=2&page=9")
    assert beyond["empty"] and beyond["contents"] == []
    assert_valid(beyond, "service_list.json")


def test_search_and_filters_narrow_the_services() -> None:
    org = make_organization("Rivermouth Parent Carer Forum")
    autism = make_service("Autism coffee morning", org, terms=("need-asd",))
    make_service("Swimming club", terms=("need-pd",))
    old = make_service("Old service", last_modified=timezone.now() - timedelta(days=400))
    names = lambda q: [s["name"] for s in get(f"/api/oruk/services?{q}")["contents"]]  # noqa: E731
    assert names("search=autism+coffee") == ["Autism coffee morning"]
    assert names("search=forum") == ["Autism coffee morning"]
    assert names(f"taxonomy_term_id={taxonomy.term_id('need-asd')}") == [autism.name]
    assert len(names(f"taxonomy_id={taxonomy.TAXONOMY_ID}")) == 2
    assert names(f"organization_id={org.pk}") == [autism.name]
    after = (timezone.now() - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert old.name not in names(f"modified_after={after}")


def test_minimal_gives_ids_and_modified_dates_and_full_gives_nested_services() -> None:
    make_full_service()
    minimal = get("/api/oruk/services?minimal=true")
    assert_valid(minimal, "service_list.json")
    assert set(minimal["contents"][0]) == {"id", "name", "status", "last_modified"}
    full = get("/api/oruk/services?full=true")
    assert_valid(full, "service_list.json")
    assert full["contents"][0]["service_at_locations"]


def test_ndjson_streams_every_service_one_per_line() -> None:
    for i in range(3):
        make_service(name=f"Service {i}")
    response = Client().get("/api/oruk/services?format=ndjson")
    assert response["Content-Type"] == "application/x-ndjson"
    assert response["Access-Control-Allow-Origin"] == "*"
    lines = b"".join(response.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 3 and json.loads(lines[0])["name"] == "Service 0"


def test_retired_services_stay_in_the_feed_marked_defunct() -> None:
    make_service("Closed group", status=Service.Status.DEFUNCT)
    assert get("/api/oruk/services")["contents"][0]["status"] == "defunct"


def test_organizations_endpoints_are_valid() -> None:
    service = make_full_service()
    listing = get("/api/oruk/organizations?full=true")
    assert_valid(listing, "organization_list.json")
    assert_no_empty_values(listing["contents"])
    one = get(f"/api/oruk/organizations/{service.organization_id}")
    assert_valid(one, "organization.json")
    assert one["services"][0]["id"] == str(service.pk)
    full = get(f"/api/oruk/organizations/{service.organization_id}?full_service=true")
    assert_valid(full, "organization.json")
    for nested in full["services"]:
        assert_valid(nested, "service.json")


def test_taxonomy_endpoints_serve_the_send_taxonomy() -> None:
    taxonomy.ensure_send_taxonomy()
    listing = get("/api/oruk/taxonomies")
    assert_valid(listing, "taxonomy_list.json")
    one = get(f"/api/oruk/taxonomies/{taxonomy.TAXONOMY_ID}")
    assert_valid(one, "taxonomy.json")
    assert len(one["taxonomy_terms"]) == len(taxonomy.ALL_TERMS)
    terms = get("/api/oruk/taxonomy_terms?per_page=100")
    assert_valid(terms, "taxonomy_term_list.json")
    for term in terms["contents"]:
        assert_valid(term, "taxonomy_term.json")
    top = get("/api/oruk/taxonomy_terms?top_only=true")
    assert {t["name"] for t in top["contents"]} == {t.name for t in taxonomy.TOP_TERMS}
    waits = get(f"/api/oruk/taxonomy_terms?parent_id={taxonomy.term_id('while-you-wait')}")
    assert waits["total_items"] == 3
    needs = get(f"/api/oruk/taxonomy_terms?parent_id={taxonomy.term_id('need')}")
    assert needs["total_items"] == 13
    term = get(f"/api/oruk/taxonomy_terms/{taxonomy.term_id('need-asd')}")
    assert_valid(term, "taxonomy_term.json")
    assert term["name"] == "Autistic spectrum disorder"


def test_service_at_locations_filter_by_postcode_and_proximity() -> None:
    near = make_service("Near", postcode="RV1 1AA")
    far = make_service("Far", postcode=_other_district_postcode())
    listing = get("/api/oruk/service_at_locations")
    assert_valid(listing, "service_at_location_list.json")
    assert listing["total_items"] == 2
    close = get("/api/oruk/service_at_locations?postcode=RV1%201AA&proximity=1000")
    assert [c["service_id"] for c in close["contents"]] == [str(near.pk)]
    assert get("/api/oruk/service_at_locations?postcode=ZZ9%209ZZ")["total_items"] == 0
    assert get("/api/oruk/service_at_locations?postcode=not-a-postcode", 400)
    assert get("/api/oruk/service_at_locations?proximity=100")["total_items"] == 2
    sal = far.service_at_locations.get()
    one = get(f"/api/oruk/service_at_locations/{sal.pk}")
    assert_valid(one, "service_at_location.json")
    full = get("/api/oruk/service_at_locations?full=true")
    assert_valid(full, "service_at_location_list.json")


def _other_district_postcode() -> str:
    from tellonce.directory import postcodes

    return next(p.postcode for p in postcodes.all_places() if p.postcode.startswith("RV4"))


def test_oruk_endpoints_appear_in_the_projects_openapi_document_with_orukparameters() -> None:
    doc = json.loads(Client().get("/api/openapi.json").content)
    services = doc["paths"]["/api/oruk/services"]["get"]
    names = [p["name"] for p in services["parameters"]]
    assert names == ["search", "page", "per_page", "format", "taxonomy_term_id", "taxonomy_id",
                     "organization_id", "modified_after", "minimal", "full"]
    schema = services["responses"]["200"]["content"]["application/json"]["schema"]
    assert "$ref" not in json.dumps(schema)  # inlined: nothing to fetch from outside
    assert "/api/oruk/service_at_locations/{id}" in doc["paths"]


def test_modified_after_with_an_unusual_offset_is_read_in_utc() -> None:
    make_service("Recent")
    data = get("/api/oruk/services?modified_after=2001-05-05T23:49:46-23:37")
    assert data["total_items"] == 1


def test_full_service_at_locations_reads_a_page_in_a_fixed_number_of_queries(  # type: ignore[no-untyped-def]
    client, django_assert_max_num_queries
) -> None:
    for _ in range(6):
        make_full_service()
    with django_assert_max_num_queries(25):
        response = client.get("/api/oruk/service_at_locations?full=true")
    data = response.json()
    assert data["total_items"] == 6
    assert_valid(data, "service_at_location_list.json")
