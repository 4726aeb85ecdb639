"""The search stamp's triggers: what the migrations (each with its SQL frozen) leave in a new
database is exactly what `search_stamp.install()` writes today. A change to the triggers in
code without a migration that carries it fails here."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from tellonce.directory import search_stamp
from tests.conftest import connect_as_app, connect_as_owner


def _triggers() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                           "AND name LIKE '%search_stamp%' ORDER BY name")
        else:
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                "WHERE NOT tgisinternal AND tgname LIKE '%%search_stamp%%' ORDER BY tgname")
        found = [(name, " ".join(sql.split())) for name, sql in cursor.fetchall()]
        if connection.vendor == "postgresql":
            cursor.execute("SELECT proname, prosrc FROM pg_proc WHERE proname = %s",
                           [search_stamp.FUNCTION])
            found += [(name, " ".join(src.split())) for name, src in cursor.fetchall()]
    return found


@pytest.mark.django_db(transaction=True)
def test_the_migrated_triggers_are_todays() -> None:
    migrated = _triggers()
    assert len(migrated) >= len(search_stamp.WATCHED)
    # Installing drops and creates each trigger (the code's version): the owner's work, as
    # the migrations are, where the application runs as a role that owns nothing.
    connect_as_owner()
    try:
        with transaction.atomic():
            search_stamp.install(connection)
            assert _triggers() == migrated
            transaction.set_rollback(True)
    finally:
        connect_as_app()
