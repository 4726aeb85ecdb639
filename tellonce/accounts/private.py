"""What keeps a signed-in page private after it is served: no caching, and idle sessions end.

`NoStoreMiddleware`: every response except the public ones (the local offer, its API, the
API's documents, static files, the health check, each seen by someone not signed in) says
`Cache-Control: no-store`, so a shared computer's browser cache, its back button after
signing out, or a proxy never keeps a child's record, a PDF of a plan or a CSV export.

`IdleTimeoutMiddleware`: a session that has made no request for STAFF_SESSION_IDLE_MINUTES
(staff) or SESSION_IDLE_MINUTES (families) is signed out, and the next page asks to sign in
again, saying why. The time of the last request is written to the session at most once a
minute, so an active session is not written on every request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from tellonce.access.policy import active_memberships

PUBLIC_PREFIXES = (
    "/local-offer/",
    "/api/oruk/",
    "/api/openapi.json",
    "/api/docs",
    "/static/",
    "/healthz",
)
SEEN_KEY = "tio_last_seen"
IDLE_KEY = "tio_idle_minutes"
WRITE_EVERY_SECONDS = 60


def is_public(request: HttpRequest) -> bool:
    return request.path.startswith(PUBLIC_PREFIXES) and not request.user.is_authenticated


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_public(request):
            patch_cache_control(response, no_store=True, private=True)
        return response


def _limit_for(user: Any) -> float:
    staff = bool(active_memberships(user))
    return float(settings.STAFF_SESSION_IDLE_MINUTES if staff else settings.SESSION_IDLE_MINUTES)


def start_idle_clock(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On signing in (user_logged_in): the session's idle limit, staff or not, and its first
    request, kept in the session so that requests need not look them up."""
    if hasattr(request, "session"):
        request.session[IDLE_KEY] = _limit_for(user)
        request.session[SEEN_KEY] = time.time()


def idle_minutes(request: HttpRequest) -> float:
    """The session's idle limit (worked out here for a session begun before there was one)."""
    limit = request.session.get(IDLE_KEY)
    if limit is None:
        limit = request.session[IDLE_KEY] = _limit_for(request.user)
    return float(limit)


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            limit = idle_minutes(request)
            now = time.time()
            seen = request.session.get(SEEN_KEY)
            if limit and seen is not None and now - float(seen) > limit * 60:
                logout(request)
                messages.info(request, f"You were signed out after {limit:g} minutes without "
                                       "activity, to keep records private. Sign in again.")
                if request.method == "GET":
                    query = urlencode({"next": request.get_full_path()})
                    return redirect(f"{reverse(settings.LOGIN_URL)}?{query}")
                return redirect(settings.LOGIN_URL)
            if seen is None or now - float(seen) >= WRITE_EVERY_SECONDS:
                request.session[SEEN_KEY] = now
        return self.get_response(request)
