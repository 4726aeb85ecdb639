"""Asks staff who have a second factor (or must have one) to use it before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_otp import user_has_device

from tellonce.access.policy import active_memberships
from tellonce.accounts.oidc import PROVIDER_KEY as SSO_SESSION_KEY

# Pages a signed-in user may reach before completing the second factor.
EXEMPT_PREFIXES = (
    "/account/two-factor/",
    "/sign-out/",
    "/static/",
    "/healthz",
    "/readyz",
    "/api/",
    "/local-offer/",
)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(EXEMPT_PREFIXES)
            # Signed in through the organisation's provider, which asks for its own second
            # factor; TOTP is for local accounts.
            and not request.session.get(SSO_SESSION_KEY)
        ):
            # Verified this session already (django-otp keeps the device in the session):
            # nothing to look up. Otherwise a confirmed device means "verify first".
            if user_has_device(user, confirmed=True):
                return redirect(f"/account/two-factor/verify/?next={request.path}")
            elif settings.REQUIRE_STAFF_2FA and active_memberships(user):  # type: ignore[arg-type]
                return redirect("/account/two-factor/")
        return self.get_response(request)
