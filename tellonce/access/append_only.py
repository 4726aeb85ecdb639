"""The database triggers that make the audit log append-only, for PostgreSQL and SQLite.

Installed by migration access.0003 and, with SQLite's INSERT OR REPLACE closed, 0005. REPLACE
deletes the row it conflicts with without firing a DELETE trigger (unless the connection turned
`recursive_triggers` on), so on SQLite a BEFORE INSERT trigger refuses any insert whose id or
sequence is taken; an upsert's DO UPDATE fires the UPDATE trigger on both databases. On
PostgreSQL the application's role cannot drop or disable these (it owns nothing: see
tellonce/access/db_roles.py). Tests that commit data (the browser tests) must empty the
database afterwards, which the triggers forbid, so they suspend them around that teardown.
"""

from __future__ import annotations

from typing import Any

from tellonce import triggers

TABLE = "access_auditevent"

PG_INSTALL = f"""
CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '{TABLE} is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {TABLE}_no_update_delete ON {TABLE};
CREATE TRIGGER {TABLE}_no_update_delete
  BEFORE UPDATE OR DELETE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();
DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};
CREATE TRIGGER {TABLE}_no_truncate
  BEFORE TRUNCATE ON {TABLE}
  FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_append_only();
"""
PG_REMOVE = f"""
DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};
DROP TRIGGER IF EXISTS {TABLE}_no_update_delete ON {TABLE};
DROP FUNCTION IF EXISTS {TABLE}_append_only();
"""
SQLITE_INSTALL_0003 = [
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: UPDATE is not allowed'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: DELETE is not allowed'); END;""",
]
SQLITE_INSTALL = [
    *SQLITE_INSTALL_0003,
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_replace BEFORE INSERT ON {TABLE}
        WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id)
          OR (NEW.sequence IS NOT NULL
              AND EXISTS (SELECT 1 FROM {TABLE} WHERE sequence = NEW.sequence))
        BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: a row cannot be replaced'); END;""",
]
SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_replace;",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
]


def install(connection: Any) -> None:
    triggers.execute(connection, PG_INSTALL, SQLITE_INSTALL)


def install_0003(connection: Any) -> None:
    """The triggers as migration 0003 made them, before the table had a sequence column."""
    triggers.execute(connection, PG_INSTALL, SQLITE_INSTALL_0003)


def remove(connection: Any) -> None:
    triggers.execute(connection, PG_REMOVE, SQLITE_REMOVE)
