"""Bearer-token authentication for staff systems calling the API."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from tellonce.access.policy import active_memberships
from tellonce.api.models import ApiToken, hash_token
from tellonce.people.models import User


def api_area(request: HttpRequest) -> str:
    """The part of the API a request calls: /api/children/… is 'children'."""
    return request.path.removeprefix("/api/").split("/", 1)[0]


class StaffToken(HttpBearer):
    """Accepts an unrevoked, unexpired token whose user is active and still works for an
    organisation (else 401), for the methods and API areas its scope covers (else 403)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        now = timezone.now()
        found = (
            ApiToken.objects.filter(
                key_hash=hash_token(token), revoked_at__isnull=True, expires_at__gt=now
            )
            .select_related("user")
            .first()
        )
        if found is None or not found.user.is_active or not active_memberships(found.user):
            return None
        if not found.allows(request.method or "GET", api_area(request)):
            raise HttpError(403, f"This token's scope ({found.get_scope_display().lower()}: "
                                 f"{', '.join(found.areas)}) does not cover this operation")
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user
