"""The audit log keeps no search terms and no family member's name in clear."""

from __future__ import annotations

import json

import pytest

from tellonce.access import audit
from tellonce.access.models import AuditEvent


@pytest.mark.django_db
def test_a_search_is_audited_without_what_was_typed(world, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("caseworker").get("/children/", {"name": "Mensah"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(subject="Search for children")
    stored = json.dumps(event.detail).lower()
    assert "mensah" not in stored
    assert event.detail["criteria"]["name"] == audit.pseudonymous("  MENSAH ")


def test_pseudonyms_depend_on_the_key(settings) -> None:  # type: ignore[no-untyped-def]
    first = audit.pseudonymous("Kofi")
    assert first == audit.pseudonymous("kofi") != audit.pseudonymous("Esi")
    settings.AUDIT_PSEUDONYM_KEY = "another key"
    assert audit.pseudonymous("Kofi") != first


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["parent", "zara_mum", "youngperson"])
def test_family_reads_are_audited_without_their_names(world, client_for, username) -> None:  # type: ignore[no-untyped-def]
    user = world.users[username]
    user.first_name, user.last_name, user.display_name = "Amarachi", "Okonkwo-Test", "Amarachi O"
    user.save()
    child = world.zara if username != "parent" else world.kofi
    response = client_for(username).get(f"/children/{child.pk}/")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(user=user).latest("id")
    for name in (user.first_name, user.last_name, user.display_name):
        assert name.lower() not in event.actor_description.lower()
    assert event.actor_description in audit.FAMILY_ACTORS
