"""Signing someone in from a provider's checked claims: which account, or none (actions)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from tellonce.access import audit
from tellonce.access.models import AuditEvent
from tellonce.access.policy import active_memberships
from tellonce.accounts.models import SignInIdentity
from tellonce.people.models import User

BACKEND = "tellonce.accounts.backends.UserBackend"
BASIS_SIGN_IN = "Signing in"


def _username(provider: str, subject: str) -> str:
    # The subject can be long and is the provider's; the username only needs to be unique.
    return f"{provider}-{hashlib.sha256(subject.encode()).hexdigest()[:24]}"


def _sign_in(request: HttpRequest, identity: SignInIdentity, how: str) -> None:
    identity.last_signed_in_at = timezone.now()
    identity.save(update_fields=["last_signed_in_at"])
    # login() also sends user_logged_in: the idle clock starts and django-axes logs the
    # sign-in with the address, as it does for a password.
    login(request, identity.user, backend=BACKEND)
    audit.record(identity.user, None, AuditEvent.Action.VIEW, f"Signed in ({how})", BASIS_SIGN_IN)


@transaction.atomic
def do_sign_in_family(request: HttpRequest, claims: dict[str, Any]) -> User | None:
    """A GOV.UK One Login identity: its account, made on the first sign-in. The account sees
    no child until an invitation is confirmed (tellonce/invitations/actions.py). None for an
    identity whose account has been closed."""
    subject = str(claims["sub"])
    email = str(claims.get("email") or "")[:254]
    identity = (
        SignInIdentity.objects.select_related("user")
        .filter(provider=SignInIdentity.Provider.ONE_LOGIN, subject=subject)
        .first()
    )
    if identity is None:
        # One Login gives no name (the scopes are openid, email, phone): the email address
        # is what the person is greeted and described by until a record names them.
        user = User(username=_username("onelogin", subject), email=email, display_name=email)
        user.set_unusable_password()
        user.save()
        identity = SignInIdentity.objects.create(
            provider=SignInIdentity.Provider.ONE_LOGIN, subject=subject, user=user, email=email
        )
    elif not identity.user.is_active:
        return None
    elif email and identity.email != email:
        identity.email = email  # One Login's email is the person's current, verified one
        identity.save(update_fields=["email"])
    _sign_in(request, identity, "GOV.UK One Login")
    return identity.user


@transaction.atomic
def do_sign_in_staff(request: HttpRequest, claims: dict[str, Any]) -> User | None:
    """An organisation's identity: the staff account it is linked to, or (the first time) the
    one account with a current staff membership and that email address. None for anyone
    else: no account is made, so an unknown identity never gets access."""
    subject = str(claims["sub"])
    identity = (
        SignInIdentity.objects.select_related("user")
        .filter(provider=SignInIdentity.Provider.STAFF, subject=subject)
        .first()
    )
    if identity is None:
        email = str(claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return None
        candidates = [
            user for user in User.objects.filter(email__iexact=email, is_active=True)
            if active_memberships(user)
        ]
        if len(candidates) != 1:
            return None  # nobody, or several accounts share the address: an administrator decides
        identity = SignInIdentity.objects.create(
            provider=SignInIdentity.Provider.STAFF, subject=subject, user=candidates[0],
            email=email,
        )
    user = identity.user
    if not user.is_active or not active_memberships(user):
        return None
    _sign_in(request, identity, "organisation's account")
    return user
