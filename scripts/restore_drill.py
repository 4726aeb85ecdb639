"""The restore drill `make test` runs: build a small area, back it up, restore the backup into
a fresh database, check the audit chain there (`verify_audit`) and that every table has as
many rows as the original. A backup nobody has restored is a hope, not a backup.

SQLite: `manage.py backup_sqlite` (the online backup API); the restore is the file put in
place. PostgreSQL (`--postgres URL`, a superuser's): the two roles (`create_db_roles`), the
area built as a deployment would (migrations as the owner, the generator as the application's
role), `pg_dump --format=custom`, `pg_restore` into a new database, and there the application
role still holds only SELECT and INSERT on the audit log. The drill's databases are dropped
afterwards. See docs/deploying.md.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from run_pytest import as_role, postgres_available  # noqa: E402

from tellonce.access.db_roles import default_names  # noqa: E402

CHILDREN = "150"


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout.strip()


def build_area(env: dict[str, str], owner_env: dict[str, str]) -> None:
    manage(owner_env, "migrate", "--verbosity", "0")
    manage(env, "generate_area", "--seed", "7", "--children", CHILDREN)


def compare(counts: Callable[[str], dict[str, int]], source: str, restored: str) -> int:
    before, after = counts(source), counts(restored)
    if before != after:
        differ = {t: (before.get(t), after.get(t)) for t in before.keys() | after.keys()}
        differ = {t: v for t, v in differ.items() if v[0] != v[1]}
        raise SystemExit(f"Row counts differ after the restore (table: before, after): {differ}")
    return sum(before.values())


def sqlite_drill() -> None:
    with tempfile.TemporaryDirectory(prefix="tellonce-drill-") as folder:
        source, backup, restored = (Path(folder) / n for n in ["live", "backup", "restored"])
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{source}.sqlite3"}
        env.pop("DATABASE_OWNER_URL", None)
        build_area(env, env)
        manage(env, "backup_sqlite", f"{backup}.sqlite3")
        os.replace(f"{backup}.sqlite3", f"{restored}.sqlite3")  # the restore: the file in place
        restored_env = {**env, "DATABASE_URL": f"sqlite:///{restored}.sqlite3"}
        print("  " + manage(restored_env, "verify_audit"))

        def counts(path: str) -> dict[str, int]:
            with sqlite3.connect(path) as db:
                tables = [
                    t
                    for (t,) in db.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite_%'"
                    )
                ]
                return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}

        rows = compare(counts, f"{source}.sqlite3", f"{restored}.sqlite3")
        print(f"  the restored copy has the same {rows} rows in every table")


def postgres_drill(url: str) -> None:
    name = unquote(urlsplit(url).path.lstrip("/"))
    owner, app = default_names(name)
    source, restored = f"{name}_drill_live", f"{name}_drill_restored"
    server = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for database in (source, restored):
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(source)))
    try:
        admin_env = {**os.environ, "DATABASE_URL": f"{server}/{source}"}
        admin_env.pop("DATABASE_OWNER_URL", None)
        manage(admin_env, "create_db_roles", "--owner", owner, "--app", app, "--createdb")
        env = {
            **os.environ,
            "DATABASE_URL": as_role(f"{server}/{source}", app),
            "DATABASE_OWNER_URL": as_role(f"{server}/{source}", owner),
        }
        build_area(env, env)
        with tempfile.TemporaryDirectory(prefix="tellonce-drill-") as folder:
            dump = Path(folder) / "tellonce.dump"
            pg = {"check": True, "capture_output": True, "text": True}
            subprocess.run(
                ["pg_dump", "--format=custom", f"--file={dump}", f"{server}/{source}"], **pg
            )
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(
                    sql.SQL("CREATE DATABASE {} OWNER {}").format(
                        sql.Identifier(restored), sql.Identifier(owner)
                    )
                )
            subprocess.run(
                ["pg_restore", "--exit-on-error", f"--dbname={server}/{restored}", str(dump)], **pg
            )
        restored_env = {**env, "DATABASE_URL": as_role(f"{server}/{restored}", app)}
        print("  " + manage(restored_env, "verify_audit"))

        def counts(database: str) -> dict[str, int]:
            with psycopg.connect(f"{server}/{database}") as db:
                tables = [
                    t
                    for (t,) in db.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    )
                ]
                return {
                    t: db.execute(
                        sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))
                    ).fetchone()[0]
                    for t in tables
                }

        rows = compare(counts, source, restored)
        print(f"  the restored copy has the same {rows} rows in every table")
        with psycopg.connect(f"{server}/{restored}") as db:
            held = {
                kind
                for kind in ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"]
                if db.execute(
                    "SELECT has_table_privilege(%s, 'access_auditevent', %s)", [app, kind]
                ).fetchone()[0]
            }
            (table_owner,) = db.execute(
                "SELECT tableowner FROM pg_tables WHERE tablename = 'access_auditevent'"
            ).fetchone()
        if held != {"SELECT", "INSERT"} or table_owner != owner:
            raise SystemExit(
                f"After the restore {app} holds {sorted(held)} on the audit log and "
                f"{table_owner} owns it; expected only SELECT and INSERT, owned by {owner}"
            )
        print(f"  {owner} owns the restored tables; {app} may only SELECT and INSERT the audit")
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            for database in (source, restored):
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(database)
                    )
                )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", metavar="URL", help="drill on this PostgreSQL server")
    args = parser.parse_args()
    started = time.monotonic()
    if args.postgres:
        if not postgres_available(args.postgres):
            if os.environ.get("CI"):
                print(f"PostgreSQL is not reachable at {args.postgres}; CI requires it.")
                return 1
            print(f"PostgreSQL is not reachable at {args.postgres}: skipping its restore drill.")
            return 0
        print("== restore drill on PostgreSQL (pg_dump, pg_restore) ==", flush=True)
        postgres_drill(args.postgres)
    else:
        print("== restore drill on SQLite (online backup) ==", flush=True)
        sqlite_drill()
    print(f"  restore drill passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
