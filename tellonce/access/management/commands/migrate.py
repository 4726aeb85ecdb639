"""`migrate`, connected as the owner role when DATABASE_OWNER_URL is set.

The application's own connection (DATABASE_URL) may not create or alter tables; migrations
need the role that owns them. Only the credentials and address are taken from the owner's URL:
the database is the application's (so the test runner's test database stays the one
migrated). After migrating, tellonce/access/apps.py applies the application role's grants.
"""

from __future__ import annotations

from typing import Any

import dj_database_url
from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

OWNER_KEYS = ("USER", "PASSWORD", "HOST", "PORT")


class Command(DjangoMigrate):
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DATABASE_OWNER_URL or options["database"] != "default":
            super().handle(*args, **options)
            return
        connection = connections["default"]
        owner = dj_database_url.parse(settings.DATABASE_OWNER_URL)
        before = {key: connection.settings_dict.get(key) for key in OWNER_KEYS}
        connection.close()
        connection.settings_dict.update({key: owner.get(key) for key in OWNER_KEYS})
        try:
            super().handle(*args, **options)
        finally:
            connection.close()
            connection.settings_dict.update(before)
