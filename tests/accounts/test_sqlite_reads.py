"""On SQLite a GET reads without the write lock, and is run again, waiting for the lock, when
its audit row finds its snapshot stale (tellonce/sqlite_reads.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from tellonce.access import audit
from tellonce.access.models import AuditEvent
from tellonce.sqlite_reads import DeferredReadsMiddleware


def middleware() -> DeferredReadsMiddleware:
    return DeferredReadsMiddleware(lambda request: HttpResponse())


class View:
    """A view that records the transaction mode it ran in, writes an audit row, and finds
    the database locked on its first `fail` runs, as a stale snapshot does at its write."""

    def __init__(self, world: Any, fail: int, error: str = "database is locked") -> None:
        self.world, self.fail, self.error, self.modes = world, fail, error, []

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.modes.append(getattr(connection, "transaction_mode", None))
        assert connection.in_atomic_block
        audit.record(self.world.users["slt"], self.world.kofi, "view", "Child record", "test")
        if len(self.modes) <= self.fail:
            raise OperationalError(self.error)
        return HttpResponse("ok")


@pytest.fixture(autouse=True)
def _as_on_a_file(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The suite's SQLite database is in memory, which the middleware leaves alone (no WAL
    snapshots there); these tests check what it does with a file, as deployed."""
    if connection.vendor == "sqlite":
        monkeypatch.setattr(type(connections["default"]), "is_in_memory_db", lambda self: False)


@pytest.mark.django_db(transaction=True)
def test_a_get_reads_deferred_and_is_run_again_immediate_when_its_write_is_refused(world) -> None:
    view = View(world, fail=1)
    response = middleware().process_view(RequestFactory().get("/x"), view, (), {})
    if connection.vendor == "sqlite":
        assert response is not None and response.content == b"ok"
        assert view.modes == ["DEFERRED", "IMMEDIATE"]
        assert connection.transaction_mode == "IMMEDIATE"  # type: ignore[attr-defined]
        # The refused attempt's audit row was rolled back with it: one read, one row.
        assert AuditEvent.objects.filter(child=world.kofi).count() == 1
    else:  # PostgreSQL locks rows, not the database: Django's own ATOMIC_REQUESTS runs it
        assert response is None and view.modes == []


@pytest.mark.django_db(transaction=True)
def test_a_get_that_is_refused_twice_fails_rather_than_looping(world) -> None:
    view = View(world, fail=2)
    if connection.vendor == "sqlite":
        with pytest.raises(OperationalError, match="locked"):
            middleware().process_view(RequestFactory().get("/x"), view, (), {})
        assert view.modes == ["DEFERRED", "IMMEDIATE"]
        assert connection.transaction_mode == "IMMEDIATE"  # type: ignore[attr-defined]
        assert not AuditEvent.objects.filter(child=world.kofi).exists()
    else:
        assert middleware().process_view(RequestFactory().get("/x"), view, (), {}) is None


@pytest.mark.django_db(transaction=True)
def test_other_database_errors_are_not_retried(world) -> None:
    view = View(world, fail=1, error="disk I/O error")
    if connection.vendor == "sqlite":
        with pytest.raises(OperationalError, match="disk"):
            middleware().process_view(RequestFactory().get("/x"), view, (), {})
        assert view.modes == ["DEFERRED"]
    else:
        assert middleware().process_view(RequestFactory().get("/x"), view, (), {}) is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_requests_that_change_things_keep_the_immediate_transaction(world, method) -> None:
    view = View(world, fail=0)
    request = getattr(RequestFactory(), method)("/x")
    assert middleware().process_view(request, view, (), {}) is None
    assert view.modes == []


@pytest.mark.django_db(transaction=True)
def test_views_outside_atomic_requests_are_left_alone(world) -> None:
    view = transaction.non_atomic_requests(View(world, fail=0))
    assert middleware().process_view(RequestFactory().get("/x"), view, (), {}) is None


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_page_through_the_middleware_audits_once_and_renders(world) -> None:
    client = Client()
    client.force_login(world.users["slt"])
    response = client.get(f"/children/{world.kofi.pk}/")
    assert response.status_code == 200
    assert world.kofi.given_name in response.content.decode()
    assert AuditEvent.objects.filter(child=world.kofi, user=world.users["slt"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_in_memory_database_is_left_to_django(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """(On PostgreSQL, too, the middleware leaves the view to Django.)"""
    monkeypatch.setattr(type(connections["default"]), "is_in_memory_db", lambda self: True,
                        raising=False)
    request = RequestFactory().get("/")
    view = View(world, fail=0)
    assert middleware().process_view(request, view, (), {}) is None
    assert view.modes == []
