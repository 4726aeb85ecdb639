"""Which API routes run outside ATOMIC_REQUESTS: the ORUK API's, marked on each route with
Django's `transaction.non_atomic_requests` (directory/api.py `oruk_view`), and no other.
Django decides with `BaseHandler.make_view_atomic` on the URL's view; this asks it."""

from __future__ import annotations

import pytest
from django.core.handlers.base import BaseHandler
from django.urls import resolve


def _wrapped_in_a_transaction(path: str) -> bool:
    callback = resolve(path).func
    return BaseHandler().make_view_atomic(callback) is not callback


@pytest.mark.parametrize(
    "path",
    ["/api/oruk/", "/api/oruk/services", "/api/oruk/services/1b4e28ba-2fa1-11d2-883f-0016d3cca427",
     "/api/oruk/taxonomies", "/api/oruk/no-such-endpoint"],
)
def test_the_oruk_api_reads_outside_a_transaction(path: str) -> None:
    assert not _wrapped_in_a_transaction(path)


@pytest.mark.parametrize(
    "path",
    ["/api/children", "/api/children/1b4e28ba-2fa1-11d2-883f-0016d3cca427/about-me",
     "/api/ehc/worklist"],
)
def test_every_other_api_route_runs_in_the_request_transaction(path: str) -> None:
    assert _wrapped_in_a_transaction(path)
