"""API tokens for staff systems: only a hash of each token is stored.

A token has a scope (read: GET only; write: GET and POST), the API areas it may call
(`apis`: children, ehc), an expiry (settings.API_TOKEN_DAYS by default), and the time it was
last used; its owner revokes it at /account/api-tokens/ or `manage.py revoke_api_token`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from tellonce.people.models import User

# The API's areas a token may be limited to: the first part of the path after /api/.
API_AREAS = ("children", "ehc")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def default_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="Which system uses it")
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    # Space-separated API_AREAS the token may call.
    apis = models.CharField(max_length=100, default=" ".join(API_AREAS))
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=default_expiry)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def areas(self) -> list[str]:
        return self.apis.split()

    def allows(self, method: str, area: str) -> bool:
        read_only = method in ("GET", "HEAD", "OPTIONS")
        return area in self.areas and (read_only or self.scope == self.Scope.WRITE)

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @classmethod
    def issue(
        cls,
        user: User,
        name: str,
        scope: str = Scope.WRITE,
        apis: tuple[str, ...] = API_AREAS,
        days: int | None = None,
    ) -> tuple[ApiToken, str]:
        """Create a token; the plain key is returned once and never stored. Called from code
        (tests, the access matrix) it may write by default; the command, and the field's own
        default, issue read-only tokens unless asked."""
        unknown = set(apis) - set(API_AREAS)
        if unknown or not apis:
            raise ValueError(f"API areas must be some of {', '.join(API_AREAS)}")
        key = "tio_" + secrets.token_urlsafe(32)
        expires = timezone.now() + timedelta(days=days if days else settings.API_TOKEN_DAYS)
        token = cls.objects.create(user=user, name=name, key_hash=hash_token(key), scope=scope,
                                   apis=" ".join(apis), expires_at=expires)
        return token, key
