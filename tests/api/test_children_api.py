"""The children API: token authentication, the same scoping as the pages, audit, errors."""

from __future__ import annotations

import json
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from tellonce.access.models import AuditEvent
from tellonce.api.models import ApiToken
from tellonce.profile.models import AboutMeVersion


def api(world, username: str) -> Client:  # type: ignore[no-untyped-def]
    _token, key = ApiToken.issue(world.users[username], "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.mark.django_db
class TestChildrenApi:
    def test_list_is_scoped_by_the_policy(self, world) -> None:
        body = api(world, "slt").get("/api/children").json()
        assert [c["given_name"] for c in body["items"]] == ["Kofi"]
        assert body["total_items"] == 1

    def test_list_pages(self, world) -> None:
        body = api(world, "caseworker").get("/api/children?per_page=1&page=2").json()
        assert body["total_items"] == 2 and len(body["items"]) == 1 and body["page"] == 2

    @pytest.mark.parametrize("query", ["per_page=0", "per_page=101", "page=0", "page=x"])
    def test_bad_paging_is_a_422_not_a_crash(self, world, query: str) -> None:
        assert api(world, "caseworker").get(f"/api/children?{query}").status_code == 422

    def test_a_child_outside_scope_is_404(self, world) -> None:
        client = api(world, "slt")
        assert client.get(f"/api/children/{world.esi.pk}").status_code == 404
        assert client.get(f"/api/children/{uuid.uuid4()}").status_code == 404
        assert client.get("/api/children/not-a-uuid").status_code == 422

    def test_reading_a_child_is_audited(self, world) -> None:
        assert api(world, "slt").get(f"/api/children/{world.kofi.pk}").status_code == 200
        assert AuditEvent.objects.filter(child=world.kofi, subject="API: child record").exists()

    def test_no_token_revoked_token_or_family_token_is_401(self, world) -> None:
        assert Client().get("/api/children").status_code == 401
        token, key = ApiToken.issue(world.users["slt"], "old")
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/children").status_code == 401
        assert Client(HTTP_AUTHORIZATION="Bearer nonsense").get("/api/children").status_code == 401
        _t, family_key = ApiToken.issue(world.users["parent"], "not staff")
        assert (
            Client(HTTP_AUTHORIZATION=f"Bearer {family_key}").get("/api/children").status_code
            == 401
        )

    def test_about_me_round_trip_with_conflict_detection(self, world) -> None:
        client = api(world, "slt")
        url = f"/api/children/{world.kofi.pk}/about-me"
        assert client.get(url).status_code == 404
        created = client.post(
            url,
            json.dumps({"base_version": 0, "matters": "Trains"}),
            content_type="application/json",
        )
        assert created.status_code == 201 and created.json()["version"] == 1
        stale = client.post(
            url,
            json.dumps({"base_version": 0, "matters": "Buses"}),
            content_type="application/json",
        )
        assert stale.status_code == 409
        assert AboutMeVersion.objects.get(child=world.kofi).matters == "Trains"
        assert client.get(url).json()["matters"] == "Trains"

    def test_about_me_must_not_be_empty(self, world) -> None:
        response = api(world, "slt").post(
            f"/api/children/{world.kofi.pk}/about-me",
            json.dumps({"base_version": 0}),
            content_type="application/json",
        )
        assert response.status_code == 422
        assert not AboutMeVersion.objects.exists()

    def test_openapi_document_lists_the_children_endpoints(self, world) -> None:
        paths = Client().get("/api/openapi.json").json()["paths"]
        assert "/api/children" in paths and "/api/children/{child_id}/about-me" in paths


@pytest.mark.django_db
def test_create_api_token_command_prints_a_working_key(world) -> None:
    out = StringIO()
    call_command("create_api_token", "slt", "therapy system", stdout=out)
    key = out.getvalue().strip()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/children").status_code == 200
    with pytest.raises(CommandError, match="works for no organisation"):
        call_command("create_api_token", "parent", "x", stdout=StringIO())


@pytest.mark.django_db
def test_about_me_from_a_version_that_never_existed_is_a_409_not_a_crash(world) -> None:
    client = api(world, "slt")
    url = f"/api/children/{world.kofi.pk}/about-me"
    response = client.post(url, json.dumps({"base_version": 3, "matters": "Trains"}),
                           content_type="application/json")
    assert response.status_code == 409
    assert "Version 3 of About me does not exist" in response.json()["detail"]
    assert not AboutMeVersion.objects.exists()
