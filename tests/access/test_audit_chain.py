"""The audit log as a hash chain, and who may change it: nobody through the application's
connection, and a change made past the triggers shows in `verify_audit`."""

from __future__ import annotations

import threading
import time
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, OperationalError, connection, connections, transaction

from tellonce.access import append_only, audit, chain, db_roles
from tellonce.access.models import AuditEvent
from tests.conftest import connect_as_app, connect_as_owner


def _record_three(world) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    """Three events in three transactions, as sealed at each commit (read back)."""
    events = []
    for subject in ["Child record", "About me", "Consent"]:
        with transaction.atomic():
            events.append(
                audit.record(world.users["slt"], world.kofi, "view", subject, "consent", q="Kofi")
            )
    return [AuditEvent.objects.get(pk=event.pk) for event in events]


def behind_the_applications_back(statement: str, params: list[object]) -> None:
    """Run SQL as whoever owns the table, with the append-only triggers lifted: what someone
    with the database's own tools could do. The application's connection comes back after."""
    connect_as_owner()
    with transaction.atomic():
        append_only.remove(connection)
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
        append_only.install(connection)
    connect_as_app()


def verify_audit_fails() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    return str(failure.value)


@pytest.mark.django_db(transaction=True)
def test_verify_audit_passes_an_untouched_chain_and_prints_its_head(world, capsys) -> None:
    events = _record_three(world)
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "3 rows" in out
    assert f"head 3:{events[-1].hash}" in out
    assert [e.sequence for e in events] == [1, 2, 3]
    assert len({e.hash for e in events}) == 3


@pytest.mark.django_db(transaction=True)
def test_a_row_changed_behind_the_applications_back_is_named(world) -> None:
    first, second, third = _record_three(world)
    behind_the_applications_back(
        "UPDATE access_auditevent SET basis = %s WHERE id = %s", ["safeguarding", second.pk]
    )
    message = verify_audit_fails()
    assert f"row id {second.pk}" in message
    assert "1 rows verified before it" in message


@pytest.mark.django_db(transaction=True)
def test_a_row_rewritten_with_a_fresh_hash_breaks_the_next_link(world) -> None:
    """Recomputing the changed row's own hash is not enough: the next row chained to the old."""
    first, second, third = _record_three(world)
    second.subject = "Nothing to see"
    forged = chain.link(first.hash, second)
    behind_the_applications_back(
        "UPDATE access_auditevent SET subject = %s, hash = %s WHERE id = %s",
        [second.subject, forged, second.pk],
    )
    assert f"row id {third.pk}" in verify_audit_fails()


@pytest.mark.django_db(transaction=True)
def test_a_search_term_changed_in_detail_is_caught(world) -> None:
    first, second, third = _record_three(world)
    behind_the_applications_back(
        "UPDATE access_auditevent SET detail = %s WHERE id = %s", ['{"q": "Esi"}', first.pk]
    )
    assert f"row id {first.pk}" in verify_audit_fails()


@pytest.mark.django_db(transaction=True)
def test_a_removed_row_shows_as_a_gap(world) -> None:
    first, second, third = _record_three(world)
    behind_the_applications_back("DELETE FROM access_auditevent WHERE id = %s", [second.pk])
    message = verify_audit_fails()
    assert f"row id {third.pk}" in message and "missing" in message


@pytest.mark.django_db(transaction=True)
def test_removing_the_newest_row_shows_at_the_head(world) -> None:
    first, second, third = _record_three(world)
    behind_the_applications_back("DELETE FROM access_auditevent WHERE id = %s", [third.pk])
    message = verify_audit_fails()
    assert "head" in message and "last row is 2" in message


@pytest.mark.django_db(transaction=True)
def test_a_head_recorded_earlier_catches_a_rewrite_of_the_whole_tail(world) -> None:
    """Someone who rewrites a row, every row after it and the head leaves a chain that
    verifies on its own; a head kept outside the database does not match it."""
    first, second, third = _record_three(world)
    kept = f"{third.sequence}:{third.hash}"
    third.subject = "Nothing to see"
    forged = chain.link(second.hash, third)
    behind_the_applications_back(
        "UPDATE access_auditevent SET subject = %s, hash = %s WHERE id = %s",
        [third.subject, forged, third.pk],
    )
    behind_the_applications_back("UPDATE access_auditchainhead SET hash = %s", [forged])
    call_command("verify_audit")  # verifies by itself
    with pytest.raises(CommandError, match=f"row id {third.pk}"):
        call_command("verify_audit", expect=kept)


@pytest.mark.django_db(transaction=True)
def test_a_row_slipped_in_with_a_place_in_the_chain_is_named(world) -> None:
    """A row inserted with a sequence of its own (not sealed by the chain) breaks the walk."""
    _record_three(world)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO access_auditevent (at, actor_description, action, subject, basis, "
            "detail, detail_salt, sequence, hash) "
            "VALUES (%s, 'Nobody', 'view', 'x', 'x', '{}', '', 4, %s)",
            ["2026-01-01T00:00:00Z", "f" * 64],
        )
        cursor.execute("SELECT max(id) FROM access_auditevent")
        (slipped,) = cursor.fetchone()
    assert f"row id {slipped}" in verify_audit_fails()


@pytest.mark.django_db(transaction=True)
def test_rows_a_migration_writes_without_the_chain_are_sealed_by_migrate(world) -> None:
    """A data migration's bulk insert through its historical model skips the chain; the end
    of `migrate` (post_migrate, as the owner) chains those rows, after the ones already there."""
    from django.apps import apps as real_apps

    from tellonce.access.apps import seal_after_migrate

    _record_three(world)
    with transaction.atomic():
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(actor_description="Migration", action="update", subject=s, basis="b")
                for s in ["one", "two"]
            ]
        )
    out = StringIO()
    call_command("verify_audit", no_seal=True, stdout=out)
    assert "3 rows" in out.getvalue() and "2 rows committed since are not yet sealed" in (
        out.getvalue()
    )
    connect_as_owner()
    seal_after_migrate(sender=None, using="default", apps=real_apps)
    connect_as_app()
    call_command("verify_audit")
    assert sorted(AuditEvent.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4, 5]


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_unbroken_chain(world) -> None:
    """Four writers appending at once: every event gets its own place and the chain verifies.

    SQLite's in-memory test database (shared cache) answers a second writer with "table is
    locked" at once instead of waiting, as a database file does: there the writer tries its
    transaction again, as a whole."""
    users = [world.users[name] for name in ["slt", "senco", "caseworker", "parent"]]
    errors: list[BaseException] = []
    start = threading.Barrier(len(users))

    def write(user) -> None:  # type: ignore[no-untyped-def]
        try:
            start.wait()
            for n in range(15):
                for _attempt in range(200):
                    try:
                        with transaction.atomic():
                            audit.record(user, world.kofi, "view", f"Page {n}", "consent")
                        break
                    except OperationalError as error:
                        if connection.vendor != "sqlite" or "locked" not in str(error):
                            raise
                        time.sleep(0.01)
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    if connection.vendor == "postgresql":
        # Every seal waited its turn at the head and took its rows: none left waiting.
        assert not AuditEvent.objects.filter(sequence__isnull=True).exists()
    else:
        # The in-memory database refuses a seal at once while another holds the table (a
        # file waits): a row whose seal was refused waits for the next one, the backstop's.
        chain.seal_committed()
    sequences = sorted(AuditEvent.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 61))
    call_command("verify_audit")


@pytest.mark.django_db
def test_insert_or_replace_cannot_rewrite_an_audit_row(world) -> None:
    with transaction.atomic():
        event = audit.record(world.users["slt"], world.kofi, "view", "Child record", "consent")
    columns = "(id, at, actor_description, action, subject, basis, detail, detail_salt, hash)"
    values = "VALUES (%s, %s, 'Nobody', 'view', 'Nothing', 'none', '{}', '', '')"
    if connection.vendor == "sqlite":
        statements = [
            f"INSERT OR REPLACE INTO access_auditevent {columns} {values}",
            f"REPLACE INTO access_auditevent {columns} {values}",
            f"INSERT INTO access_auditevent {columns} {values} "
            "ON CONFLICT (id) DO UPDATE SET subject = excluded.subject",
        ]
    else:
        statements = [
            f"INSERT INTO access_auditevent {columns} {values} "
            "ON CONFLICT (id) DO UPDATE SET subject = excluded.subject"
        ]
    for statement in statements:
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk, "2026-01-01T00:00:00Z"])
        assert AuditEvent.objects.get(pk=event.pk).subject == "Child record", statement


@pytest.mark.django_db
def test_the_application_cannot_change_remove_or_unprotect_audit_rows(
    world, django_capture_on_commit_callbacks
) -> None:
    """On PostgreSQL the tests run as the application's role: it holds SELECT and INSERT on
    the audit log, UPDATE of the three seal columns alone, and owns nothing, so it can
    neither change a sealed row nor lift the triggers. On SQLite (no roles) the triggers
    stand alone, and the chain catches whoever lifts them."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = audit.record(world.users["slt"], world.kofi, "view", "Child record", "consent")
    event.refresh_from_db()
    assert event.sequence is not None
    table = "access_auditevent"
    statements = [
        f"UPDATE {table} SET subject = 'rewritten'",
        f"DELETE FROM {table}",
        # The seal columns of a sealed row: never again.
        f"UPDATE {table} SET hash = '{'0' * 64}' WHERE id = {event.pk}",
        f"UPDATE {table} SET sequence = NULL, hash = '' WHERE id = {event.pk}",
        f"UPDATE {table} SET sequence = sequence + 100 WHERE id = {event.pk}",
    ]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_user, tableowner FROM pg_tables WHERE tablename = %s", [table]
            )
            user, owner = cursor.fetchone()
            assert user == settings.DATABASE_APP_ROLE != owner
            assert db_roles.privileges(cursor, user, table) == {"SELECT", "INSERT"}
            assert db_roles.updatable_columns(cursor, user, table) == {
                "sequence", "detail_salt", "hash"}
            # The index of children each list read showed is kept the same way.
            assert db_roles.privileges(cursor, user, "access_auditeventchild") == {
                "SELECT", "INSERT"}
            cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [user])
            assert cursor.fetchone() == (False, False)
        statements += [
            f"TRUNCATE {table}",
            f"ALTER TABLE {table} DISABLE TRIGGER ALL",
            f"ALTER TABLE {table} DISABLE TRIGGER {table}_no_update_delete",
            f"DROP TRIGGER {table}_no_update_delete ON {table}",
            f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS "
            "$$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
            f"ALTER TABLE {table} OWNER TO current_user",
        ]
    for statement in statements:
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
        assert AuditEvent.objects.get(pk=event.pk).subject == "Child record", statement
