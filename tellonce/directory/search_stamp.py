"""The database triggers that change `SearchStamp.stamp` on every write the search index reads.

Installed by migrations directory.0006 to 0008 (each carries the SQL it ran, frozen: a
change here needs a new migration, which tests/directory/test_search_stamp_migrations.py
asks for), for PostgreSQL (once per statement) and
SQLite (once per row: SQLite has no statement triggers). Each writes a new random stamp with
an upsert, so a stamp row emptied by a test's flush comes back at the next write. Updates of
a service that change none of the columns the index keeps (its search text, its version,
its review dates) leave the stamp alone. Installing again replaces the triggers (migration
0008 added the stored copies, which the index now keeps, to the service's columns).
"""

from __future__ import annotations

from typing import Any

from tellonce import triggers

STAMP_TABLE = "directory_searchstamp"
# Each table the index reads, and the columns of it whose update matters (None: all).
WATCHED: dict[str, tuple[str, ...] | None] = {
    "directory_service": ("id", "name", "status", "free", "minimum_age", "maximum_age",
                          "last_modified", "organization_id", "oruk_item", "result_card"),
    "directory_searchword": None,
    "directory_attribute": None,
    "directory_taxonomyterm": None,
    "directory_servicearea": None,
    "directory_serviceatlocation": None,
    "directory_location": None,
    "people_locality": None,  # the search form lists the areas (migration 0007)
}
FUNCTION = "directory_search_stamp_bump"


Watched = dict[str, tuple[str, ...] | None]


def pg_install_sql(watched: Watched) -> str:
    """PostgreSQL's function and statement triggers for these tables. The migrations carry
    the text this wrote when each was made (tests check today's agrees with them)."""
    statements = [f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
  INSERT INTO {STAMP_TABLE} (id, stamp) VALUES (1, floor(random() * 9e18)::bigint)
  ON CONFLICT (id) DO UPDATE SET stamp = EXCLUDED.stamp;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;"""]
    for table, columns in watched.items():
        update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
        statements.append(f"""
DROP TRIGGER IF EXISTS {table}_search_stamp ON {table};
CREATE TRIGGER {table}_search_stamp
  AFTER INSERT OR {update} OR DELETE OR TRUNCATE ON {table}
  FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();""")
    return "\n".join(statements)


def _pg_remove() -> str:
    drops = [f"DROP TRIGGER IF EXISTS {table}_search_stamp ON {table};" for table in WATCHED]
    return "\n".join([*drops, f"DROP FUNCTION IF EXISTS {FUNCTION}();"])


BUMP_SQLITE = f"INSERT OR REPLACE INTO {STAMP_TABLE} (id, stamp) VALUES (1, random());"


def sqlite_install_sql(watched: Watched) -> list[str]:
    """SQLite's row triggers for these tables (three per table)."""
    statements = []
    for table, columns in watched.items():
        update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
        for event, suffix in (("INSERT", "insert"), (update, "update"), ("DELETE", "delete")):
            statements.append(f"DROP TRIGGER IF EXISTS {table}_search_stamp_{suffix};")
            statements.append(
                f"CREATE TRIGGER {table}_search_stamp_{suffix} AFTER {event} "
                f"ON {table} BEGIN {BUMP_SQLITE} END;")
    return statements


def _sqlite_remove() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_search_stamp_{suffix};"
            for table in WATCHED for suffix in ("insert", "update", "delete")]


def install(connection: Any) -> None:
    triggers.execute(connection, pg_install_sql(WATCHED), sqlite_install_sql(WATCHED))


def remove(connection: Any) -> None:
    triggers.execute(connection, _pg_remove(), _sqlite_remove())


def read(connection: Any) -> int | None:
    """The stamp now (None when the row is missing: a flushed database)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT stamp FROM {STAMP_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return None if row is None else int(row[0])
