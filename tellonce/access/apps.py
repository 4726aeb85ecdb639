"""Who may see or do what (policy), consent and statutory bases, and the append-only audit log."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def seal_after_migrate(
    sender: Any, using: str = "default", apps: Any = None, **kwargs: Any
) -> None:
    """A data migration may write audit rows through its historical model without the chain
    (bulk_create, or before the chain existed): chain them as soon as migrate ends, while it
    still runs as the tables' owner. Skipped when migrate stopped before the chain's columns."""
    from tellonce.access import chain

    if apps is None:
        return
    try:
        model = apps.get_model("access", "AuditEvent")
        apps.get_model("access", "AuditChainHead")
    except LookupError:
        return
    if not any(f.name == "sequence" for f in model._meta.get_fields()):
        return
    chain.seal_unsealed(model, using=using)
    grant_app_role(using)


def grant_app_role(using: str) -> None:
    """On PostgreSQL with the two roles, the application role's grants again: a migration may
    have created or rebuilt a table (the audit log's included)."""
    from django.conf import settings
    from django.db import connections

    from tellonce.access import db_roles

    connection = connections[using]
    if connection.vendor != "postgresql" or not settings.DATABASE_APP_ROLE:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
        if owner != settings.DATABASE_APP_ROLE:
            db_roles.grant(cursor, owner, settings.DATABASE_APP_ROLE)


class AccessConfig(AppConfig):
    name = "tellonce.access"
    label = "access"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(seal_after_migrate, sender=self, dispatch_uid="access.seal_audit")
