"""Expected access for the partnership scorecard: leaders and commissioners, aggregates only."""

from __future__ import annotations

from tests.matrix import Route

LEADERS = frozenset({"leader"})

ROUTES = [
    Route("scorecard/", LEADERS),
    Route("scorecard.csv", LEADERS),
    Route("scorecard.pdf", LEADERS),
    Route("scorecard/publish/", LEADERS, method="POST", data=lambda w: {"note": "For the forum"}),
    # The parent carer forum also sees it (tests/insight/test_views.py: the world has no forum).
    Route("scorecard/published/", LEADERS),
    Route("scorecard/imports/", LEADERS),
    Route("scorecard/imports/<slug:source>-template.csv", LEADERS,
          lambda w: {"source": "school_absence"}),
    Route("scorecard/<slug:key>/", LEADERS, lambda w: {"key": "ehc_20_weeks_excluding"}),
]


def _plan(w):  # type: ignore[no-untyped-def]
    from tests.insight.helpers import make_plan

    return {"action_id": make_plan(w).pk}


def _plan_only(w):  # type: ignore[no-untyped-def]
    _plan(w)
    return {}


# An action's owners see the plan and update their own actions: the SLT service's staff own
# one action (the one the action page opens), the council's SEND team (caseworker) another.
OWNERS = LEADERS | {"slt"}
ROUTES += [
    # Members of an owning organisation (the SEND team) read the plan; owners edit.
    Route("action-plan/", OWNERS | {"caseworker", "dataofficer"}, _plan_only),
    Route("action-plan/actions/<int:action_id>/", OWNERS, _plan),
    Route("action-plan/board/", LEADERS, _plan_only),
    Route("action-plan/board/record/", LEADERS, _plan_only, method="POST"),
    Route("action-plan/board.pdf", LEADERS, _plan_only),
]

# The SEN2 return: the council's SEND team (caseworkers and managers).
ROUTES += [
    Route("sen2/", frozenset({"caseworker"})),
    Route("sen2.xml", frozenset({"caseworker"})),
]
