"""Expected access for the EHC process pages and the outbox (tellonce.ehc, tellonce.notify)."""

from __future__ import annotations

import json

from tests.ehc.cases import esi_case
from tests.matrix import SIGNED_IN, STAFF, Route

CASEWORKER = frozenset({"caseworker"})
PRACTITIONERS = frozenset({"senco", "senco_b", "slt", "dco", "socialworker", "ep", "caseworker"})
KOFI_READERS = frozenset({"parent", "senco", "slt", "caseworker"})
# Esi once the council has asked for advice: her family, her school, the caseworker, and the
# services asked for advice (a statutory basis, reg 6). Not SLT: no consent, no request.
ESI_CASE_READERS = frozenset({"parent", "senco", "caseworker", "ep", "dco", "socialworker"})


def _request(stage: str):  # type: ignore[no-untyped-def]
    return lambda w: {"request_id": esi_case(w, stage).pk}


def _plan(w):  # type: ignore[no-untyped-def]
    return {"plan_id": esi_case(w, "draft_issued").plan.pk}


def _version(w):  # type: ignore[no-untyped-def]
    return {"version_id": esi_case(w, "draft_issued").plan.versions.get().pk}


def _advice(w):  # type: ignore[no-untyped-def]
    return {"advice_id": esi_case(w, "assessing").advice_requests.get(kind="ep").pk}


def _sign_off(w):  # type: ignore[no-untyped-def]
    version = esi_case(w, "draft_issued").plan.versions.get()
    return {"sign_off_id": version.sign_offs.get(area="health").pk}


def _consultation(w):  # type: ignore[no-untyped-def]
    from tellonce.ehc import actions

    plan = esi_case(w, "draft_issued").plan
    return {"consultation_id": actions.do_consult_setting(w.users["caseworker"], plan,
                                                          w.school_a).pk}


def _review(w):  # type: ignore[no-untyped-def]
    return {"review_id": esi_case(w, "final_issued").plan.reviews.get().pk}


def _step(w):  # type: ignore[no-untyped-def]
    return {"step_id": esi_case(w, "received").steps.get().pk}


def _decision(w):  # type: ignore[no-untyped-def]
    return {"decision_id": esi_case(w, "final_issued").decisions.get(kind="final_plan").pk}


def _evidence(w):  # type: ignore[no-untyped-def]
    return {"evidence_id": esi_case(w, "assessing", evidence=True).evidence.get().pk}


def _final_plan(w):  # type: ignore[no-untyped-def]
    return {"plan_id": esi_case(w, "final_issued").plan.pk}


def _budget(w):  # type: ignore[no-untyped-def]
    from tellonce.ehc import actions

    plan = esi_case(w, "final_issued").plan
    return {"budget_id": actions.do_record_personal_budget(
        w.users["caseworker"], plan, {"status": "requested",
                                      "requested_on": actions.today()}).pk}


def _package(w):  # type: ignore[no-untyped-def]
    from tellonce.ehc import actions

    plan = esi_case(w, "final_issued").plan
    actions.do_set_eotas(w.users["caseworker"], plan, eotas=True)
    plan.refresh_from_db()
    return {"package_id": actions.do_record_eotas_package(w.users["caseworker"], plan, {
        "providers": "Tutor", "hours_a_week": 10, "provision": "Tuition",
        "cost_a_year": 9000, "started_on": actions.today(), "review_every_weeks": 12}).pk}


ROUTES = [
    Route("children/<uuid:child_id>/ehc/", KOFI_READERS, lambda w: {"child_id": w.kofi.pk}),
    Route("children/<uuid:child_id>/ehc/request/", frozenset({"parent", "senco"}),
          lambda w: {"child_id": w.esi.pk}),
    Route("ehc/worklist/", CASEWORKER),
    Route("ehc/worklist.csv", CASEWORKER),
    Route("ehc/asked-of-me/", PRACTITIONERS),
    Route("ehc/evidence/<int:evidence_id>/", ESI_CASE_READERS, _evidence),
    Route("ehc/requests/<int:request_id>/decision/", CASEWORKER, _request("received")),
    Route("ehc/requests/<int:request_id>/plan-decision/", CASEWORKER, _request("assessing")),
    Route("ehc/requests/<int:request_id>/draft/", CASEWORKER, _request("drafting")),
    Route("ehc/requests/<int:request_id>/final/", CASEWORKER, _request("draft_issued")),
    Route("ehc/plans/<int:plan_id>/consult/", CASEWORKER, _plan),
    Route("ehc/plans/<int:plan_id>/eotas/", CASEWORKER, _plan, method="POST",
          data=lambda w: {"eotas": "yes"}),
    Route("ehc/plans/<int:plan_id>/personal-budgets/", CASEWORKER, _final_plan),
    Route("ehc/personal-budgets/<int:budget_id>/", CASEWORKER, _budget),
    Route("ehc/plans/<int:plan_id>/eotas-packages/", CASEWORKER, _final_plan),
    Route("ehc/eotas-packages/<int:package_id>/", CASEWORKER, _package),
    Route("ehc/consultations/<int:consultation_id>/", frozenset({"senco", "caseworker"}),
          _consultation),
    Route("ehc/advice/<int:advice_id>/", frozenset({"ep"}), _advice),
    Route("ehc/sign-offs/<int:sign_off_id>/", frozenset({"dco"}), _sign_off),
    Route("ehc/versions/<int:version_id>/", ESI_CASE_READERS, _version),
    Route("ehc/versions/<int:version_id>/plan.pdf", ESI_CASE_READERS, _version),
    Route("ehc/versions/<int:version_id>/comment/", frozenset({"parent"}), _version),
    Route("ehc/reviews/<int:review_id>/", CASEWORKER, _review),
    Route("ehc/steps/<int:step_id>/exception/", CASEWORKER, _step),
    Route("ehc/decisions/<int:decision_id>/appeal/", CASEWORKER, _decision),
    Route("messages/", SIGNED_IN),
    Route("api/ehc/children/<child_id>/timeline", frozenset({"senco", "slt", "caseworker"}),
          lambda w: {"child_id": w.kofi.pk}, api=True),
    Route("api/ehc/children/<child_id>/requests", frozenset({"senco"}),
          lambda w: {"child_id": w.esi.pk}, api=True, method="POST",
          data=lambda w: json.dumps({"reasons": "Not making progress", "family_agreed": True})),  # type: ignore[arg-type,return-value]
    Route("api/ehc/advice", STAFF, api=True),
    Route("api/ehc/advice/<advice_id>", frozenset({"ep"}),
          lambda w: {"advice_id": _advice(w)["advice_id"]}, api=True, method="POST",
          data=lambda w: json.dumps({"needs": "n", "outcomes": "o", "provision": "p"})),  # type: ignore[arg-type,return-value]
    Route("api/ehc/worklist", CASEWORKER, api=True),
]
