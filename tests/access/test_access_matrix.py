"""Every URL the project serves, requested as every role: allowed, sign-in redirect, or 404.

The URL patterns are enumerated from the resolver, so a new page or endpoint fails this test
until its module in tests/matrix declares who may reach it.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.matrix
from tellonce.api.models import ApiToken
from tellonce.profile.models import AboutMeVersion
from tests.matrix import ROLES, STAFF, Route

# Served by libraries, not by us: static files in development.
IGNORED_PREFIXES = ("static/", "media/")


def _patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found.extend(_patterns(entry, route))
        elif isinstance(entry, URLPattern):
            found.append(route.replace("^", "").replace("$", ""))
    return found


def declared_routes() -> dict[str, Route]:
    routes: dict[str, Route] = {}
    for module_info in pkgutil.iter_modules(tests.matrix.__path__):
        module = importlib.import_module(f"tests.matrix.{module_info.name}")
        for route in getattr(module, "ROUTES", []):
            assert route.pattern not in routes, f"{route.pattern} is declared twice"
            routes[route.pattern] = route
    return routes


ROUTES = declared_routes()


def test_every_url_pattern_declares_who_may_reach_it() -> None:
    served = {p for p in _patterns(get_resolver()) if not p.startswith(IGNORED_PREFIXES)}
    undeclared = sorted(served - set(ROUTES))
    assert not undeclared, f"Declare access for these URL patterns in tests/matrix: {undeclared}"
    stale = sorted(set(ROUTES) - served)
    assert not stale, f"tests/matrix declares patterns that are not served: {stale}"


def _url(route: Route, world) -> str:  # type: ignore[no-untyped-def]
    path = route.pattern
    for key, value in route.kwargs(world).items():
        start = path.index("<")
        end = path.index(">", start)
        assert key in path[start:end], f"{route.pattern}: kwargs out of order at {key}"
        path = path[:start] + str(value) + path[end + 1 :]
    return "/" + path


def _client(world, role: str, api: bool) -> Client:  # type: ignore[no-untyped-def]
    if api:
        if role in STAFF:
            _token, key = ApiToken.issue(world.users[role], "matrix")
            return Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        return Client()
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("pattern", sorted(ROUTES))
def test_access_matrix(pattern: str, world) -> None:  # type: ignore[no-untyped-def]
    route = ROUTES[pattern]
    AboutMeVersion.objects.create(
        child=world.kofi,
        number=1,
        written_by="family",
        author_description="Parent",
        people_like="Trains",
    )
    url = _url(route, world)
    wrong = []
    for role in ROLES:
        client = _client(world, role, route.api)
        response = client.generic(route.method, url, data=route.data(world) or "")
        status = response.status_code
        if route.everyone_status is not None:
            ok = status == route.everyone_status
        elif role in route.allowed:
            ok = 200 <= status < 400
            if role != "anonymous" and not route.public and status in (301, 302):
                ok = "sign-in" not in response.get("Location", "")
        elif role == "anonymous" or (route.api and role not in STAFF):
            expected_login = route.api and 401 or 302
            ok = status == expected_login and (
                route.api or response["Location"].startswith(reverse("accounts:sign_in"))
            )
        else:
            ok = status == route.denied_status
        if not ok:
            wrong.append(f"{role}: {status}")
        # A private page (or PDF, or CSV), its redirects and its 404s are never cached.
        if not route.public and "no-store" not in response.get("Cache-Control", ""):
            wrong.append(f"{role}: {status} without Cache-Control: no-store")
    assert not wrong, f"{route.method} {url}: unexpected answers {wrong}"
