"""Expected access for health referrals, waiting-time analysis and the capacity planner."""

from __future__ import annotations

from tests.health.helpers import kofi_referral, slt_pathway
from tests.matrix import Route

FAMILY = frozenset({"parent"})
SLT = frozenset({"slt"})
AGGREGATES = frozenset({"leader", "slt"})


def kofi(w):  # type: ignore[no-untyped-def]
    return {"child_id": w.kofi.pk}


def kofi_and_referral(w):  # type: ignore[no-untyped-def]
    return {"child_id": w.kofi.pk, "referral_id": kofi_referral(w).pk}


def kofi_with_a_list(w):  # type: ignore[no-untyped-def]
    slt_pathway(w)  # a list that takes referrals from families, schools and health
    return {"child_id": w.kofi.pk}


def referral(w):  # type: ignore[no-untyped-def]
    return {"referral_id": kofi_referral(w).pk}


CHANGES = ["triage", "risk-review", "interim-support", "appointment", "seen", "assessment",
           "contact", "discharge"]

ROUTES = [
    Route("children/<uuid:child_id>/referrals/", FAMILY, kofi),
    Route("children/<uuid:child_id>/referrals/<int:referral_id>/", FAMILY, kofi_and_referral),
    Route("referrals/", SLT),
    # Who may refer Kofi (policy.referable_pathways): his mother, the SENCO of his school, a
    # health practitioner who sees him. Not the caseworker, who sees him but refers nowhere.
    Route("children/<uuid:child_id>/referrals/new/", frozenset({"parent", "senco", "slt"}),
          kofi_with_a_list),
    # A SENCO is sent from here to her children, to refer from a child's record.
    Route("referrals/new/", SLT | {"senco", "senco_b"}),
    Route("referrals/import/", frozenset({"slt", "orgadmin"})),
    Route("referrals/<int:referral_id>/", SLT, referral),
    # A change that does not fit the referral's state redirects back to it: still only SLT.
    *[Route(f"referrals/<int:referral_id>/{slug}/", SLT, referral) for slug in CHANGES],
    Route("waiting-times/", AGGREGATES),
    Route("waiting-times.csv", AGGREGATES),
    Route("waiting-times/capacity/", AGGREGATES),
]
