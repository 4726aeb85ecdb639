"""A consistent copy of the SQLite database while the server runs (SQLite's online backup).

For a small installation on SQLite: the copy is made page by page from one snapshot, so writes
made meanwhile (WAL mode lets them go on) are either all in it or not at all; it is written
beside the destination and renamed into place only once complete and checked.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = "Copy the SQLite database to DESTINATION with SQLite's online backup."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination", help="the backup file to write (replaced if there)")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "sqlite":
            raise CommandError("backup_sqlite is for SQLite; on PostgreSQL use pg_dump")
        source_path = str(connection.settings_dict["NAME"])
        destination = Path(options["destination"])
        partial = destination.with_name(destination.name + ".partial")
        partial.unlink(missing_ok=True)
        source = sqlite3.connect(source_path)
        try:
            target = sqlite3.connect(partial)
            try:
                source.backup(target)  # one step: one snapshot of the whole database
                (result,) = target.execute("PRAGMA integrity_check").fetchone()
            finally:
                target.close()
        finally:
            source.close()
        if result != "ok":
            partial.unlink(missing_ok=True)
            raise CommandError(f"The copy failed SQLite's integrity check: {result}")
        os.replace(partial, destination)
        self.stdout.write(f"Backed up {source_path} to {destination}")
