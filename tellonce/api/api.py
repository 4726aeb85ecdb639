"""The one NinjaAPI: every app's router is added here, so /api/openapi.json documents it all."""

from __future__ import annotations

import inspect
from typing import Any

from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.operation import PathView


class TellOnceAPI(NinjaAPI):
    """django-ninja's API, honouring Django's `@transaction.non_atomic_requests` on a route.

    Every request runs in a transaction (ATOMIC_REQUESTS). A route that only reads can be
    taken out of it with Django's own decorator on its function, under the `@router.get`
    line (the ORUK API does, in directory/api.py `oruk_view`). Django reads the mark on the
    URL's view, which django-ninja builds itself (one per path, for all its methods), so
    the mark is copied onto that view when every operation on the path carries it. Django-
    ninja 1.7 does not copy it (vitalik/django-ninja#1767; #1768 proposes the same rule);
    when it does, this class can go. tests/api/test_outside_transactions.py checks it."""

    def _get_urls(self) -> list[Any]:
        patterns = super()._get_urls()
        for pattern in patterns:
            if not isinstance(pattern, URLPattern) or not inspect.isfunction(pattern.callback):
                continue  # the OpenAPI document's views are not a path's
            path_view = inspect.getclosurevars(pattern.callback).nonlocals.get("self")
            if not isinstance(path_view, PathView) or not path_view.operations:
                continue
            marks = [
                set(getattr(operation.view_func, "_non_atomic_requests", set()))
                for operation in path_view.operations
            ]
            outside = set.intersection(*marks)
            if outside:
                pattern.callback._non_atomic_requests = outside  # type: ignore[attr-defined]
        return patterns


api = TellOnceAPI(
    title="Tell It Once API",
    version="1.0",
    description=(
        "Children's shared records for staff systems (bearer token), and the public local "
        "offer. Every child endpoint is scoped by the same access policy as the pages."
    ),
    urls_namespace="api",
)

api.add_router("/children", "tellonce.people.api.router")
api.add_router("/children", "tellonce.profile.api.router")  # a child's About me
api.add_router("/oruk/", "tellonce.directory.api.router")
api.add_router("/ehc", "tellonce.ehc.api.router")
