"""Health waits: the breakdown's cases add up to health's own monthly summary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tellonce.insight import waits
from tellonce.insight.indicators import Scope
from tellonce.insight.scorecard import Period
from tests.health.helpers import make_referral, slt_pathway
from tests.insight.helpers import children_in

pytestmark = pytest.mark.django_db


def test_waits_cases_agree_with_pathway_months(world) -> None:  # type: ignore[no-untyped-def]
    slt_pathway(world)
    today = date.today()
    period = Period.ending_before(today)
    kids = children_in(world.la, "North", 6)
    # Waited (at the period's end) 10, 126, 127, 200, 365 days; one left the list before it.
    for child, days in zip(kids, [10, 126, 127, 200, 365], strict=False):
        make_referral(world, child, received_on=period.end - timedelta(days=days))
    make_referral(world, kids[5], received_on=period.end - timedelta(days=300),
                  left_list_on=period.end - timedelta(days=5))
    scope = Scope((world.la.pk,))
    cases = waits.over_standard_cases(scope, period.end, period.end)
    # 18 weeks is 126 days: waits of 127, 200 and 365 days are over it.
    assert (sum(c.value for c in cases), len(cases)) == (3, 5)
    over_52 = waits.over_52_cases(scope, period.end, period.end)
    assert sum(c.value for c in over_52) == 1
    month = period.end.replace(day=1)
    assert waits.monthly_over_standard(scope, today)[month] == (3, 5)
    assert waits.monthly_over_52(scope, today)[month] == (1, 5)
