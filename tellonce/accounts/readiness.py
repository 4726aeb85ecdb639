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
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            return [f"{len(plan)} migrations are not applied (first: {plan[0][0]})"]
        _migrated = True
    return []
