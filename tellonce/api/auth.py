"""Bearer-token authentication for staff systems calling the API."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from tellonce.access.policy import active_memberships
from tellonce.api.models import ApiToken, hash_token
from tellonce.people.models import User


class StaffToken(HttpBearer):
    """Accepts an unrevoked token whose user is active and still works for an organisation."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = (
            ApiToken.objects.filter(key_hash=hash_token(token), revoked_at__isnull=True)
            .select_related("user")
            .first()
        )
        if found is None or not found.user.is_active or not active_memberships(found.user):
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user
