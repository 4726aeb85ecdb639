"""Expected access for health referrals, waiting-time analysis and the capacity planner."""

from __future__ import annotations

from tests.health.helpers import kofi_referral
from tests.matrix import Route

FAMILY = frozenset({"parent"})
SLT = frozenset({"slt"})
AGGREGATES = frozenset({"leader", "slt"})


def kofi(w):  # type: ignore[no-untyped-def]
    return {"child_id": w.kofi.pk}


def kofi_and_referral(w):  # type: ignore[no-untyped-def]
    return {"child_id": w.kofi.pk, "referral_id": kofi_referral(w).pk}


def referral(w):  # type: ignore[no-untyped-def]
    return {"referral_id": kofi_referral(w).pk}


CHANGES = ["triage", "risk-review", "interim-support", "appointment", "seen", "assessment",
           "contact", "discharge"]

ROUTES = [
    Route("children/<uuid:child_id>/referrals/", FAMILY, kofi),
    Route("children/<uuid:child_id>/referrals/<int:referral_id>/", FAMILY, kofi_and_referral),
    Route("referrals/", SLT),
    Route("referrals/new/", SLT),
    Route("referrals/import/", frozenset({"slt", "orgadmin"})),
    Route("referrals/<int:referral_id>/", SLT, referral),
    # A change that does not fit the referral's state redirects back to it: still only SLT.
    *[Route(f"referrals/<int:referral_id>/{slug}/", SLT, referral) for slug in CHANGES],
    Route("waiting-times/", AGGREGATES),
    Route("waiting-times.csv", AGGREGATES),
    Route("waiting-times/capacity/", AGGREGATES),
]
