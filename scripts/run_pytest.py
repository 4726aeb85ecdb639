"""Runs the test suite once, on SQLite or on a PostgreSQL server, for `make test`.

pytest's exit code 5 (no tests collected) is treated as a failure: a suite that ran nothing
has proved nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import psycopg


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
        env["DATABASE_URL"] = args.postgres
        label = "PostgreSQL"
    else:
        env.pop("DATABASE_URL", None)
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
