"""Expected access for the agencies' files, the review queue and a child's linked rows."""

from __future__ import annotations

from datetime import date

from tests.matrix import Route

DATA = frozenset({"dataofficer"})
# A link is no grant: the child's linked rows are for exactly who sees the child.
KOFI_READERS = frozenset({"parent", "senco", "slt", "caseworker"})


def _delivery(w):  # type: ignore[no-untyped-def]
    from tellonce.feeds.actions import do_save_delivery
    from tellonce.feeds.formats import FORMATS
    from tellonce.feeds.imports import Row

    return do_save_delivery(
        w.users["dataofficer"], FORMATS["health_caseload"], w.slt, "Trust system", w.la,
        "caseload.csv", [Row(2, "Kofi", "Mensah", w.kofi.date_of_birth,
                             facts={"service": "Paediatrics"}),
                         # Not yet anyone's: the file's own spelling, until a review links it.
                         Row(3, "Bee", "Jonas", date(2016, 1, 5),
                             facts={"service": "Paediatrics"})])


def delivery(w):  # type: ignore[no-untyped-def]
    """A file with Kofi's row joined to his record: the page shows the child it is joined
    to, so it must audit a read of Kofi (tests/access/test_read_audit.py). A row not yet
    joined is the agency's data, not a read of any child's record."""
    return {"delivery_id": _link(w).record.delivery_id}


def review(w):  # type: ignore[no-untyped-def]
    from tellonce.matching.models import Candidate, Review

    record = _delivery(w).records.get(row=3)
    made = Review.objects.create(record=record, best_probability=0.8, reason="Uncertain")
    Candidate.objects.create(review=made, child=w.bea, probability=0.8, weight=3,
                             evidence={"name": {"level": 4, "label": "Same given and family "
                                                "name", "weight": 9.5}})
    return {"review_id": made.pk}


def _link(w):  # type: ignore[no-untyped-def]
    from tellonce.matching.models import Link

    record = _delivery(w).records.get(row=2)
    return Link.objects.create(record=record, child=w.kofi, method=Link.Method.MODEL,
                               probability=0.999, made_by=w.users["dataofficer"])


def link(w):  # type: ignore[no-untyped-def]
    return {"link_id": _link(w).pk}


def kofi_with_a_link(w):  # type: ignore[no-untyped-def]
    link(w)
    return {"child_id": w.kofi.pk}


ROUTES = [
    Route("feeds/", DATA),
    Route("feeds/new/", DATA),
    Route("feeds/<int:delivery_id>/", DATA, delivery),
    Route("matching/reviews/", DATA),
    Route("matching/reviews/<int:review_id>/", DATA, review),
    Route("matching/links/<int:link_id>/unlink/", DATA, link),
    Route("children/<uuid:child_id>/agency-records/", KOFI_READERS, kofi_with_a_link),
]
