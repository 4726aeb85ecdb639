"""The database triggers that make the audit log append-only, for PostgreSQL and SQLite.

Installed by migration access.0003, with SQLite's INSERT OR REPLACE closed by 0005, and with
sealing let through by 0009. REPLACE
deletes the row it conflicts with without firing a DELETE trigger (unless the connection turned
`recursive_triggers` on), so on SQLite a BEFORE INSERT trigger refuses any insert whose id or
sequence is taken; an upsert's DO UPDATE fires the UPDATE trigger on both databases. On
PostgreSQL the application's role cannot drop or disable these (it owns nothing: see
tellonce/access/db_roles.py). Tests that commit data (the browser tests) must empty the
database afterwards, which the triggers forbid, so they suspend them around that teardown.

One update is allowed: sealing (tellonce/access/chain.py). A row written without a sequence
may be given, once, its sequence and hash, and a salt if it had none; every other column must
stay as it was, and a row with a sequence can never be updated. On PostgreSQL the check
compares the whole row but those three columns (a column added later is covered without
changing the trigger); SQLite's trigger names the columns, and
tests/access/test_audit_seal.py fails if the table gains one it does not name.
"""

from __future__ import annotations

from typing import Any

from tellonce import triggers

TABLE = "access_auditevent"

PG_INSTALL_0003 = f"""
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
SEAL_COLUMNS = ("sequence", "detail_salt", "hash")
# Every other column of the table: what sealing must leave as it was (SQLite names them).
CONTENT_COLUMNS = (
    "id", "at", "user_id", "actor_description", "child_id", "action", "subject", "basis",
    "detail",
)
_PG_SEALING = " - ".join(["to_jsonb({row})", *(f"'{c}'" for c in SEAL_COLUMNS)])
PG_INSTALL = f"""
CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    -- Sealing: once, from no sequence to a sequence and hash, nothing else changed.
    IF OLD.sequence IS NULL AND NEW.sequence IS NOT NULL AND NEW.hash <> ''
       AND (NEW.detail_salt = OLD.detail_salt OR OLD.detail_salt = '')
       AND {_PG_SEALING.format(row="NEW")} = {_PG_SEALING.format(row="OLD")} THEN
      RETURN NEW;
    END IF;
  END IF;
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
_SQLITE_REPLACE = [
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_replace BEFORE INSERT ON {TABLE}
        WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id)
          OR (NEW.sequence IS NOT NULL
              AND EXISTS (SELECT 1 FROM {TABLE} WHERE sequence = NEW.sequence))
        BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: a row cannot be replaced'); END;""",
]
SQLITE_INSTALL_0005 = [*SQLITE_INSTALL_0003, *_SQLITE_REPLACE]
_SQLITE_UNCHANGED = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in CONTENT_COLUMNS)
SQLITE_INSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
    f"""CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        WHEN NOT (OLD.sequence IS NULL AND NEW.sequence IS NOT NULL AND NEW.hash <> ''
                  AND (NEW.detail_salt = OLD.detail_salt OR OLD.detail_salt = '')
                  AND {_SQLITE_UNCHANGED})
        BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: UPDATE is not allowed'); END;""",
    SQLITE_INSTALL_0003[1],
    *_SQLITE_REPLACE,
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
    triggers.execute(connection, PG_INSTALL_0003, SQLITE_INSTALL_0003)


def install_0005(connection: Any) -> None:
    """The triggers as migration 0005 made them, before sealing was let through."""
    triggers.execute(connection, PG_INSTALL_0003, [*SQLITE_REMOVE, *SQLITE_INSTALL_0005])


def remove(connection: Any) -> None:
    triggers.execute(connection, PG_REMOVE, SQLITE_REMOVE)
