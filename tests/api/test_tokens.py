"""API tokens: they expire, a scope limits them to reading or to some of the API, the time
each was last used is kept, and their owner (or an operator's command) revokes them."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from tellonce.access.models import AuditEvent
from tellonce.api.models import ApiToken

pytestmark = pytest.mark.django_db


def bearer(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def about_me(world, key: str):  # type: ignore[no-untyped-def]
    return bearer(key).post(f"/api/children/{world.kofi.pk}/about-me",
                            json.dumps({"base_version": 0, "matters": "Trains"}),
                            content_type="application/json")


def test_an_expired_token_is_refused(world) -> None:
    token, key = ApiToken.issue(world.users["slt"], "Case system", days=30)
    assert token.expires_at - timezone.now() > timedelta(days=29)
    assert bearer(key).get("/api/children").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(key).get("/api/children").status_code == 401


def test_tokens_expire_after_api_token_days_by_default(world, settings) -> None:
    settings.API_TOKEN_DAYS = 7
    token, _key = ApiToken.issue(world.users["slt"], "Case system")
    assert timedelta(days=6) < token.expires_at - timezone.now() <= timedelta(days=7)


def test_a_read_token_reads_but_may_not_write(world) -> None:
    _token, key = ApiToken.issue(world.users["slt"], "Reporting", scope=ApiToken.Scope.READ)
    assert bearer(key).get(f"/api/children/{world.kofi.pk}").status_code == 200
    response = about_me(world, key)
    assert response.status_code == 403 and "read only" in response.json()["detail"]
    _token, writer = ApiToken.issue(world.users["slt"], "Case system", scope="write")
    assert about_me(world, writer).status_code == 201


def test_a_token_for_some_of_the_api_may_not_call_the_rest(world) -> None:
    _token, key = ApiToken.issue(world.users["caseworker"], "EHC hub", apis=("ehc",))
    assert bearer(key).get("/api/ehc/worklist").status_code == 200
    response = bearer(key).get("/api/children")
    assert response.status_code == 403 and "ehc" in response.json()["detail"]


def test_the_time_a_token_was_last_used_is_kept(world) -> None:
    token, key = ApiToken.issue(world.users["slt"], "Case system")
    assert token.last_used_at is None
    bearer(key).get("/api/children")
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < timedelta(minutes=5)


def test_the_owner_sees_their_tokens_and_revokes_one(world, client_for) -> None:
    token, key = ApiToken.issue(world.users["slt"], "Case system")
    ApiToken.issue(world.users["caseworker"], "Someone else's")
    client = client_for("slt")
    page = client.get("/account/api-tokens/").content.decode()
    assert "Case system" in page and "Someone else&#x27;s" not in page and "Never" in page
    response = client.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert bearer(key).get("/api/children").status_code == 401
    assert "Revoked on" in client.get("/account/api-tokens/").content.decode()
    assert AuditEvent.objects.filter(subject="API token revoked",
                                     detail__token=token.pk).exists()


def test_another_members_token_is_not_found(world, client_for) -> None:
    token, key = ApiToken.issue(world.users["caseworker"], "Case system")
    assert client_for("slt").post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    assert bearer(key).get("/api/children").status_code == 200


def test_the_command_revokes_by_id_or_every_token_of_a_user(world) -> None:
    first, first_key = ApiToken.issue(world.users["slt"], "One")
    _second, second_key = ApiToken.issue(world.users["slt"], "Two")
    _third, third_key = ApiToken.issue(world.users["caseworker"], "Three")
    out = StringIO()
    call_command("revoke_api_token", str(first.pk), stdout=out)
    assert f"Revoked {first.pk}: One (slt)" in out.getvalue()
    assert bearer(first_key).get("/api/children").status_code == 401
    assert bearer(second_key).get("/api/children").status_code == 200
    call_command("revoke_api_token", "--user", "slt", stdout=StringIO())
    assert bearer(second_key).get("/api/children").status_code == 401
    assert bearer(third_key).get("/api/children").status_code == 200
    with pytest.raises(CommandError, match="No unrevoked token"):
        call_command("revoke_api_token", str(first.pk))


def test_the_command_issues_read_only_tokens_unless_asked(world) -> None:
    out = StringIO()
    call_command("create_api_token", "slt", "Reporting", "--days", "10", stdout=out)
    key = out.getvalue().strip()
    token = ApiToken.objects.get(name="Reporting")
    assert token.scope == "read" and token.areas == ["children", "ehc"]
    assert about_me(world, key).status_code == 403
    call_command("create_api_token", "slt", "Writer", "--scope", "write", "--apis", "children",
                 stdout=StringIO())
    assert ApiToken.objects.get(name="Writer").areas == ["children"]
    with pytest.raises(CommandError, match="API areas"):
        call_command("create_api_token", "slt", "Bad", "--apis", "everything")
