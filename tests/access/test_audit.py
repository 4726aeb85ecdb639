"""The audit log: written with every read and change, and never changed or deleted."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.db.utils import DatabaseError

from tellonce.access import audit
from tellonce.access.models import AuditEvent


@pytest.mark.django_db
def test_viewing_a_record_writes_one_audit_event_with_who_and_why(world, client_for) -> None:
    response = client_for("slt").get(f"/children/{world.kofi.pk}/")
    assert response.status_code == 200
    event = AuditEvent.objects.get(child=world.kofi)
    assert event.user == world.users["slt"]
    assert event.action == "view"
    assert event.subject == "Child record"
    assert "consent" in event.basis


@pytest.mark.django_db
def test_a_refused_view_writes_no_audit_event_about_the_child(world, client_for) -> None:
    assert client_for("senco_b").get(f"/children/{world.kofi.pk}/").status_code == 404
    assert not AuditEvent.objects.filter(child=world.kofi).exists()


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_through_the_orm(world) -> None:
    with transaction.atomic():
        event = audit.record(world.users["slt"], world.kofi, "view", "Child record", "test")
    event.subject = "Something else"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(subject="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE access_auditevent SET subject = 'rewritten'",
        "DELETE FROM access_auditevent",
    ],
)
def test_the_database_rejects_update_and_delete_of_audit_rows(world, statement: str) -> None:
    with transaction.atomic():
        audit.record(world.users["slt"], world.kofi, "view", "Child record", "test")
    with (
        pytest.raises((IntegrityError, InternalError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.get().subject == "Child record"


@pytest.mark.django_db(transaction=True)
def test_audit_must_be_written_inside_a_transaction(world) -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit.record(world.users["slt"], world.kofi, "view", "Child record", "test")


@pytest.mark.django_db
def test_every_child_page_audits_the_read(world, client_for) -> None:
    parent = client_for("parent")
    for path in ["", "about-me/", "about-me/history/", "consent/", "who-has-looked/"]:
        before = AuditEvent.objects.filter(child=world.kofi).count()
        assert parent.get(f"/children/{world.kofi.pk}/{path}").status_code == 200, path
        assert AuditEvent.objects.filter(child=world.kofi).count() == before + 1, path
