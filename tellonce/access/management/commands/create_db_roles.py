"""Creates the PostgreSQL owner and application roles and hands the database to the owner.

Run it connected (DATABASE_URL) as a superuser or a role with CREATEROLE, once per database;
running it again changes nothing but passwords given. See tellonce/access/db_roles.py.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from tellonce.access import db_roles


class Command(BaseCommand):
    help = (
        "Create the owner role (runs migrations, owns the tables) and the application role "
        "(reads and writes, only SELECT and INSERT on the audit log) for this PostgreSQL database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--owner", help="the owner role's name (default <database>_owner)")
        parser.add_argument("--app", help="the application role's name (default <database>_app)")
        parser.add_argument(
            "--owner-password-env",
            metavar="VARIABLE",
            help="an environment variable holding the owner's password",
        )
        parser.add_argument(
            "--app-password-env",
            metavar="VARIABLE",
            help="an environment variable holding the application role's password",
        )
        parser.add_argument(
            "--createdb",
            action="store_true",
            help="let the owner create databases (the test runner creates its test databases)",
        )
        parser.add_argument(
            "--roles-only",
            action="store_true",
            help="create the roles only: leave this database's ownership and grants alone",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("create_db_roles is for PostgreSQL: SQLite has no roles")
        default_owner, default_app = db_roles.default_names(connection.settings_dict["NAME"])
        owner = options["owner"] or default_owner
        app = options["app"] or default_app
        if owner == app:
            raise CommandError("The owner and the application need two different roles")

        def password(option: str) -> str | None:
            name = options[option]
            if name and not os.environ.get(name):
                raise CommandError(f"--{option.replace('_', '-')}: {name} is not set")
            return os.environ.get(name) if name else None

        with transaction.atomic(), connection.cursor() as cursor:
            for name, secret, createdb in [
                (owner, password("owner_password_env"), options["createdb"]),
                (app, password("app_password_env"), False),
            ]:
                created = db_roles.create_role(cursor, name, secret, createdb=createdb)
                self.stdout.write(f"{'Created' if created else 'Kept'} role {name}")
            if options["roles_only"]:
                return
            moved = db_roles.hand_over(cursor, owner)
            db_roles.grant(cursor, owner, app)
        self.stdout.write(
            f"{owner} owns the database ({moved} objects handed over); {app} may read and "
            "write, and only SELECT and INSERT on the audit log.\n"
            f"The application: DATABASE_URL as {app}; migrations: DATABASE_OWNER_URL as {owner}."
        )
