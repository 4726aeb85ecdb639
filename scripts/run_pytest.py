"""Runs the test suite once, on SQLite or on a PostgreSQL server, for `make test`.

pytest's exit code 5 (no tests collected) is treated as a failure: a suite that ran nothing
has proved nothing.

On PostgreSQL the suite runs as a deployment does (docs/deploying.md): `manage.py
create_db_roles` makes an owner and an application role named after the database
(`<database>_owner`, `<database>_app`, so runs against different databases never share
roles); the test databases are created and migrated as the owner, and every test runs
connected as the application role, which cannot change the audit log (tests/conftest.py).
The URL given is a superuser's (or one with CREATEROLE); its password, if any, is given to
both roles.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def as_role(url: str, role: str) -> str:
    """`url` signed in as `role` (with the same password, if it has one)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    password = f":{parts.password}" if parts.password else ""
    return urlunsplit(parts._replace(netloc=f"{role}{password}@{host}"))


def prepare_roles(url: str, env: dict[str, str]) -> dict[str, str]:
    """Create the two roles (idempotently) and drop test databases an earlier run left, so
    the owner can create them afresh; returns the environment the tests run with."""
    name = unquote(urlsplit(url).path.lstrip("/"))
    sys.path.insert(0, ROOT)
    from tellonce.access.db_roles import default_names

    owner, app = default_names(name)
    # Roles belong to the server, not a database: made from the server's maintenance database.
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    admin_env = {
        **env,
        "DATABASE_URL": maintenance,
        "TELLONCE_ROLE_PASSWORD": urlsplit(url).password or "",
    }
    command = [sys.executable, os.path.join(ROOT, "manage.py"), "create_db_roles", "--roles-only"]
    command += ["--owner", owner, "--app", app, "--createdb"]
    if urlsplit(url).password:
        command += ["--owner-password-env", "TELLONCE_ROLE_PASSWORD"]
        command += ["--app-password-env", "TELLONCE_ROLE_PASSWORD"]
    subprocess.run(command, env=admin_env, check=True, stdout=subprocess.DEVNULL)
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        stale = admin.execute(
            "SELECT datname FROM pg_database WHERE datname = %s OR datname LIKE %s",
            [f"test_{name}", f"test_{name}\\_gw%"],
        ).fetchall()
        for (database,) in stale:
            admin.execute(
                psycopg.sql.SQL("DROP DATABASE {} WITH (FORCE)").format(
                    psycopg.sql.Identifier(database)
                )
            )
    print(f"(the application connects as {app}; migrations run as {owner})", flush=True)
    return {**env, "DATABASE_URL": as_role(url, app), "DATABASE_OWNER_URL": as_role(url, owner)}


def postgres_available(url: str) -> bool:
    try:
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", metavar="URL", help="run against this PostgreSQL server")
    args, pytest_args = parser.parse_known_args()
    env = dict(os.environ)
    if args.postgres:
        if not postgres_available(args.postgres):
            if env.get("CI"):
                print(f"PostgreSQL is not reachable at {args.postgres}; CI requires it.")
                return 1
            print(f"PostgreSQL is not reachable at {args.postgres}: skipping the PostgreSQL run.")
            return 0
        env = prepare_roles(args.postgres, env)
        label = "PostgreSQL"
    else:
        env.pop("DATABASE_URL", None)
        env.pop("DATABASE_OWNER_URL", None)
        label = "SQLite"
    print(f"== test suite on {label} ==", flush=True)
    workers = env.get("PYTEST_WORKERS", "2")
    cmd = [sys.executable, "-m", "pytest", "-q", "-n", workers, "--dist", "loadfile", *pytest_args]
    code = subprocess.call(cmd, env=env)
    if code == 5:
        print("pytest collected no tests: treating that as a failure.")
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
