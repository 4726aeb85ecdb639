"""Audit rows are sealed into the hash chain just after their transaction commits: a row
committed but not yet sealed waits for the next seal (the backstop), rows are sealed in the
order they were committed, and the database lets only that one update of a row through."""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, OperationalError, connection, connections, transaction

from tellonce.access import append_only, audit, chain
from tellonce.access.models import AuditEvent
from tests.access.test_audit_chain import behind_the_applications_back, verify_audit_fails


def _record(world, subject: str) -> AuditEvent:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        event = audit.record(world.users["slt"], world.kofi, "view", subject, "consent")
    return AuditEvent.objects.get(pk=event.pk)


def _commit_and_die_before_the_seal(world, subject: str, monkeypatch) -> AuditEvent:  # type: ignore[no-untyped-def]
    """A request whose process stops between its commit and its seal: the row is committed,
    and its seal never runs."""
    with monkeypatch.context() as patched:
        patched.setattr(chain, "_seal_after_commit", lambda connection, using: None)
        return _record(world, subject)


@pytest.mark.django_db(transaction=True)
def test_a_row_committed_but_never_sealed_is_sealed_by_the_backstop_and_verifies(
    world, monkeypatch
) -> None:
    first = _record(world, "Child record")
    lost = _commit_and_die_before_the_seal(world, "About me", monkeypatch)
    assert first.sequence == 1 and lost.sequence is None and lost.hash == ""
    # Not yet in the chain is not broken: verifying alone counts it as waiting.
    out = StringIO()
    call_command("verify_audit", no_seal=True, stdout=out)
    assert "1 rows" in out.getvalue() and "1 rows committed since are not yet sealed" in (
        out.getvalue()
    )
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "Sealed 1 rows" in out.getvalue() and "2 rows" in out.getvalue()
    lost.refresh_from_db()
    assert lost.sequence == 2
    assert lost.hash == chain.link(first.hash, lost)


@pytest.mark.django_db(transaction=True)
def test_the_next_audited_request_seals_a_row_left_waiting_before_its_own(
    world, monkeypatch
) -> None:
    """A row committed earlier comes earlier in the chain, whoever seals it."""
    lost = _commit_and_die_before_the_seal(world, "About me", monkeypatch)
    later = _record(world, "Child record")
    lost.refresh_from_db()
    assert (lost.sequence, later.sequence) == (1, 2)
    call_command("verify_audit", no_seal=True)


@pytest.mark.django_db(transaction=True)
def test_tampering_with_a_row_the_backstop_sealed_is_detected(world, monkeypatch) -> None:
    _record(world, "Child record")
    lost = _commit_and_die_before_the_seal(world, "About me", monkeypatch)
    _record(world, "Consent")  # seals the waiting row, then its own
    call_command("verify_audit")
    behind_the_applications_back(
        "UPDATE access_auditevent SET subject = %s WHERE id = %s", ["Nothing", lost.pk]
    )
    message = verify_audit_fails()
    assert f"row id {lost.pk}" in message and "1 rows verified before it" in message


@pytest.mark.django_db(transaction=True)
def test_a_row_is_sealed_once_and_nothing_else_about_it_may_change(world, monkeypatch) -> None:
    """What the triggers (and on PostgreSQL the role's column grant) let through: giving a
    waiting row its seal; not changing its content, with the seal or without it."""
    waiting = _commit_and_die_before_the_seal(world, "About me", monkeypatch)
    table = "access_auditevent"
    refused = [
        f"UPDATE {table} SET subject = 'Nothing' WHERE id = %s",
        f"UPDATE {table} SET sequence = 1, hash = 'x', subject = 'Nothing' WHERE id = %s",
        f"UPDATE {table} SET sequence = 1, hash = '' WHERE id = %s",  # a seal has a hash
        f"DELETE FROM {table} WHERE id = %s",
    ]
    if connection.vendor == "sqlite":  # PostgreSQL's role may not name `subject` at all
        refused.append(f"UPDATE {table} SET sequence = 1, hash = 'x', basis = 'x' WHERE id = %s")
    for statement in refused:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [waiting.pk])
    assert AuditEvent.objects.get(pk=waiting.pk).subject == "About me"
    assert chain.seal_committed() == 1
    sealed = AuditEvent.objects.get(pk=waiting.pk)
    assert sealed.sequence == 1 and sealed.detail_salt == waiting.detail_salt
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET hash = %s WHERE id = %s", ["0" * 64, waiting.pk])
    call_command("verify_audit")


def test_sqlites_trigger_names_every_column_that_is_not_the_seal() -> None:
    """SQLite's trigger lists the columns sealing must leave alone: a column added to the
    audit log without adding it there would be changeable while a row waits for its seal."""
    columns = {field.column for field in AuditEvent._meta.concrete_fields}
    assert set(append_only.CONTENT_COLUMNS) | set(append_only.SEAL_COLUMNS) == columns
    assert not set(append_only.CONTENT_COLUMNS) & set(append_only.SEAL_COLUMNS)


@pytest.mark.django_db(transaction=True)
def test_two_transactions_are_sealed_in_the_order_they_commit(world) -> None:
    """The first to write commits last: its row has the lower id but the later place in the
    chain. On PostgreSQL the two run at once (threads); SQLite lets one transaction write at
    a time, so there the second cannot even write until the first has ended."""
    first_wrote, second_committed = threading.Event(), threading.Event()
    ids: dict[str, int] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                ids["first"] = audit.record(
                    world.users["slt"], world.kofi, "view", "First to write", "consent"
                ).pk
                first_wrote.set()
                assert second_committed.wait(20), "the second transaction never committed"
        except BaseException as error:
            errors.append(error)
            first_wrote.set()
        finally:
            connections.close_all()

    def second() -> None:
        try:
            assert first_wrote.wait(20)
            with transaction.atomic():
                ids["second"] = audit.record(
                    world.users["senco"], world.kofi, "view", "First to commit", "consent"
                ).pk
            second_committed.set()
        except BaseException as error:
            errors.append(error)
            second_committed.set()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if connection.vendor == "sqlite":
        assert len(errors) == 1 and isinstance(errors[0], OperationalError)
        assert "locked" in str(errors[0])
        assert "second" not in ids
        return
    assert errors == []
    sequence = dict(AuditEvent.objects.filter(pk__in=ids.values()).values_list("pk", "sequence"))
    assert ids["first"] < ids["second"]
    assert sequence[ids["second"]] < sequence[ids["first"]]
    call_command("verify_audit", no_seal=True)
