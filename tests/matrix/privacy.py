"""Expected access for the family's copy of everything held (tellonce.privacy)."""

from __future__ import annotations

from tests.matrix import Route

# Whoever manages consent: Kofi's mother (he is 9).
COPY_OF_KOFI = frozenset({"parent"})


def kofi(w):  # type: ignore[no-untyped-def]
    return {"child_id": w.kofi.pk}


ROUTES = [
    Route("children/<uuid:child_id>/your-information/", COPY_OF_KOFI, kofi),
    Route("children/<uuid:child_id>/your-information/copy.pdf", COPY_OF_KOFI, kofi),
    Route("children/<uuid:child_id>/your-information/copy.json", COPY_OF_KOFI, kofi),
]
