"""The token page: a member of staff sees their own API tokens and revokes them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tellonce import signed_in
from tellonce.access.policy import active_memberships
from tellonce.api import actions
from tellonce.api.models import ApiToken
from tellonce.people.models import User


def _staff(request: HttpRequest) -> User:
    user = signed_in.user(request)
    if not active_memberships(user):
        raise Http404("API tokens are for staff")
    return user


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    mine = ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")
    return render(request, "api/tokens.html", {"tokens": mine})


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = _staff(request)
    token = get_object_or_404(ApiToken, pk=token_id, user=user)  # another's token: 404
    actions.revoke(user, token)
    messages.success(request, f"The token for {token.name} was revoked: it no longer works.")
    return redirect("api_tokens:list")
