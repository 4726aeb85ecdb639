"""PostgreSQL roles: an owner that runs migrations and owns every table, and the application's
role that owns nothing.

Whoever owns a table can drop or disable its triggers, so the web application must not own
the audit table: it connects as the application role, which may read and write the other
tables but on `access_auditevent` only SELECT and INSERT (no DELETE or TRUNCATE), and UPDATE
of the three seal columns alone (`sequence`, `detail_salt`, `hash`: the chain seals a row
just after it commits, tellonce/access/chain.py; the triggers let that update through only
for a row not yet sealed, every other column unchanged), and, owning nothing, cannot ALTER
the table, DISABLE its triggers or replace their function.
Default privileges give the application role the same rights on every table the owner
creates later; after each `migrate` (tellonce/access/apps.py) the grants are applied again, so
a table a migration creates or rebuilds is covered and the audit table stays append-only.

`manage.py create_db_roles` creates both (idempotently) and hands the database over to the
owner; docs/deploying.md says how the two connect.
"""

from __future__ import annotations

import re
from typing import Any

from psycopg import sql

AUDIT_TABLE = "access_auditevent"
# The audit log and its index of the children each list read showed: only read and added to.
APPEND_ONLY_TABLES = (AUDIT_TABLE, "access_auditeventchild")
# The columns the application may update, on the audit log only: sealing (chain.py).
AUDIT_SEAL_COLUMNS = ("sequence", "detail_salt", "hash")
CHAIN_HEAD = "access_auditchainhead"


def default_names(database_name: str) -> tuple[str, str]:
    """`<database>_owner` and `<database>_app`: one pair per database, so several
    deployments (or test runs) on one server never share roles."""
    base = re.sub(r"[^a-z0-9_]", "_", database_name.lower())[:50]
    return f"{base}_owner", f"{base}_app"


def _run(cursor: Any, statement: sql.Composable) -> None:
    cursor.execute(statement.as_string(cursor.connection))


def create_role(cursor: Any, name: str, password: str | None, createdb: bool = False) -> bool:
    """Create a login role if there is none by that name; returns whether it was created.
    A role that exists keeps its rights but gets the password given."""
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
    created = cursor.fetchone() is None
    options = sql.SQL("LOGIN NOSUPERUSER NOCREATEROLE NOBYPASSRLS {}").format(
        sql.SQL("CREATEDB" if createdb else "NOCREATEDB")
    )
    verb = sql.SQL("CREATE ROLE" if created else "ALTER ROLE")
    _run(cursor, sql.SQL("{} {} {}").format(verb, sql.Identifier(name), options))
    if password:
        _run(
            cursor,
            sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                sql.Identifier(name), sql.Literal(password)
            ),
        )
    return created


def hand_over(cursor: Any, owner: str) -> int:
    """Make `owner` own the current database and everything in its public schema (tables,
    sequences, views, functions) that someone else owns; returns how many objects moved."""
    cursor.execute("SELECT current_database()")
    (database,) = cursor.fetchone()
    _run(
        cursor,
        sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
            sql.Identifier(database), sql.Identifier(owner)
        ),
    )
    cursor.execute(
        """SELECT c.relname, c.relkind FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
             AND pg_get_userbyid(c.relowner) <> %s
             AND NOT (c.relkind = 'S' AND EXISTS (
               SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))""",
        [owner],
    )
    moved = 0
    for name, kind in cursor.fetchall():
        what = {"S": "SEQUENCE", "v": "VIEW", "m": "MATERIALIZED VIEW"}.get(kind, "TABLE")
        _run(
            cursor,
            sql.SQL("ALTER {} {} OWNER TO {}").format(
                sql.SQL(what), sql.Identifier(name), sql.Identifier(owner)
            ),
        )
        moved += 1
    cursor.execute(
        """SELECT p.oid::regprocedure::text FROM pg_proc p
           JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> %s""",
        [owner],
    )
    for (signature,) in cursor.fetchall():
        _run(
            cursor,
            sql.SQL("ALTER FUNCTION {} OWNER TO {}").format(
                sql.SQL(signature), sql.Identifier(owner)
            ),
        )
        moved += 1
    return moved


def grant(cursor: Any, owner: str, app: str) -> None:
    """The application role's rights in the current database (run as the owner or a
    superuser; idempotent)."""
    cursor.execute("SELECT current_database()")
    (database,) = cursor.fetchone()
    names = {
        "db": sql.Identifier(database),
        "owner": sql.Identifier(owner),
        "app": sql.Identifier(app),
    }
    for statement in [
        "GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {app}",
        "GRANT USAGE ON SCHEMA public TO {app}",
        "REVOKE CREATE ON SCHEMA public FROM {app}",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app}",
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app}",
        "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
        "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
        "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
        "GRANT USAGE, SELECT ON SEQUENCES TO {app}",
    ]:
        _run(cursor, sql.SQL(statement).format(**names))
    for table in APPEND_ONLY_TABLES:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
        if not cursor.fetchone()[0]:
            continue
        _run(
            cursor,
            sql.SQL("REVOKE ALL ON {} FROM {}, PUBLIC").format(
                sql.Identifier(table), sql.Identifier(app)
            ),
        )
        _run(
            cursor,
            sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(
                sql.Identifier(table), sql.Identifier(app)
            ),
        )
        if table == AUDIT_TABLE:
            _run(
                cursor,
                sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(
                    sql.SQL(", ").join(sql.Identifier(c) for c in AUDIT_SEAL_COLUMNS),
                    sql.Identifier(table),
                    sql.Identifier(app),
                ),
            )


def updatable_columns(cursor: Any, role: str, table: str) -> set[str]:
    """The columns of `table` that `role` may UPDATE (for the checks and tests)."""
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table]
    )
    columns = [name for (name,) in cursor.fetchall()]
    held = set()
    for column in columns:
        cursor.execute("SELECT has_column_privilege(%s, %s, %s, 'UPDATE')", [role, table, column])
        if cursor.fetchone()[0]:
            held.add(column)
    return held


def privileges(cursor: Any, role: str, table: str) -> set[str]:
    """The privileges `role` holds on `table` (SELECT, INSERT, ...), for the checks and tests."""
    kinds = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"]
    held = set()
    for kind in kinds:
        cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, kind])
        if cursor.fetchone()[0]:
            held.add(kind)
    return held
