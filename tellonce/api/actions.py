"""Revoking an API token: it stops working at once, and the revocation is audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tellonce.access import audit
from tellonce.api.models import ApiToken
from tellonce.people.models import User


def revoke(by: User | None, token: ApiToken) -> ApiToken:
    """Revoke `token` (by its owner on the token page, or None: an operator's command)."""
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(by, None, audit.Action.UPDATE, "API token revoked",
                         "Own API token" if by else "Operator's command",
                         token=token.pk, name=token.name, owner=token.user.username)
    return token
