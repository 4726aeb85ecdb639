"""Whether this server process is ready for traffic: the database answers and every
migration this code knows has been applied (a load balancer's readiness check, /readyz)."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

_migrated = False  # once true it stays true: migrations are not undone under a running server


def problems() -> list[str]:
    """What stops this process serving, in words for an operator; empty when ready."""
    global _migrated
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return [f"the database does not answer: {error.__class__.__name__}"]
    if not _migrated:
        # Every migration the graph holds, not only the plan to the leaves: a merge migration
        # recorded as applied would hide an unapplied one below it from migration_plan().
        loader = MigrationExecutor(connection).loader
        applied = loader.applied_migrations
        missing = list(dict.fromkeys(
            key for leaf in loader.graph.leaf_nodes() for key in loader.graph.forwards_plan(leaf)
            if key not in applied))
        if missing:
            app, name = missing[0]
            return [f"{len(missing)} migrations are not applied (first: {app}.{name})"]
        _migrated = True
    return []
