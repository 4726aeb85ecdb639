"""On SQLite, a request that only reads does not take the write lock.

SQLite lets one connection write at a time. The connection's transactions are IMMEDIATE (they
take the write lock at BEGIN: a transaction that reads and then writes can otherwise fail
at its first write, when another connection committed after its read), so with ATOMIC_REQUESTS
every request, a public local offer page as much as an edit, queued for that lock from its
first query to its commit.

For GET and HEAD this middleware runs the view's transaction DEFERRED instead: it reads
from a snapshot without any lock, beside a writer (WAL). Most signed-in pages still write
one audit row; that write asks for the lock, and if another connection has committed since
this one began reading, SQLite refuses at once ("database is locked": its snapshot is stale
and waiting would not help). The view is then run once more, in an IMMEDIATE transaction,
which waits for the lock as before. The first attempt wrote nothing that survives (its
transaction rolled back), so the response, and its audit row, are those of the second.
Other methods, and views that opt out of ATOMIC_REQUESTS, go through Django as before.
PostgreSQL needs none of this (rows, not the database, are locked). Nor does an in-memory
database (the test suite's, shared between a live server's threads): it has no WAL
snapshots, only table locks, so a deferred read would only trade waiting for errors
("database table is locked") in the other threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse

SAFE_METHODS = frozenset({"GET", "HEAD"})


def _is_busy(error: OperationalError) -> bool:
    return "database is locked" in str(error) or "database table is locked" in str(error)


class DeferredReadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if (
            connection.vendor != "sqlite"
            or request.method not in SAFE_METHODS
            or not connection.settings_dict.get("ATOMIC_REQUESTS")
            or connection.alias in getattr(view_func, "_non_atomic_requests", set())
            or connection.in_atomic_block  # a test's transaction: nothing to choose
            or connection.is_in_memory_db()  # type: ignore[attr-defined]
        ):
            return None
        sqlite: Any = connection  # the SQLite backend's wrapper, with its transaction_mode
        usual = sqlite.transaction_mode
        try:
            for mode in ("DEFERRED", usual):
                sqlite.transaction_mode = mode
                try:
                    with transaction.atomic():
                        response = view_func(request, *view_args, **view_kwargs)
                        # Templates run their queries inside the same transaction.
                        if callable(getattr(response, "render", None)):
                            response = response.render()
                    return response  # type: ignore[no-any-return]
                except OperationalError as error:
                    if mode == usual or not _is_busy(error):
                        raise
        finally:
            sqlite.transaction_mode = usual
        raise AssertionError("unreachable")
