"""Running a database's own trigger statements: the audit log's append-only triggers
(access/append_only.py) and the local offer's search stamp (directory/search_stamp.py) are
written once for PostgreSQL and once for SQLite."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def execute(connection: Any, postgresql: str, sqlite: Sequence[str]) -> None:
    """PostgreSQL's script (one string: it runs several statements at once) or SQLite's
    statements (its driver runs one at a time), whichever database `connection` is; on any
    other, nothing."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(postgresql)
        elif connection.vendor == "sqlite":
            for statement in sqlite:
                cursor.execute(statement)
