"""Places on the list, weekly removals, monthly summaries, charts: the database side of waits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tellonce.health import charts
from tellonce.health.analysis import analyse, share
from tellonce.health.models import PathwayMonth, Referral
from tellonce.health.queues import (
    forecast_referral,
    position,
    refresh_stats,
    summarise_pathway,
    weekly_removals,
)
from tests.factories import make_child
from tests.health.helpers import make_referral, slt_pathway

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 15)


def test_urgent_referrals_go_ahead_of_routine_ones_then_by_date(world) -> None:
    old = make_referral(world, child=make_child(world.la), received_on=TODAY - timedelta(weeks=30))
    new = make_referral(world, child=make_child(world.la), received_on=TODAY - timedelta(weeks=2))
    urgent = make_referral(world, child=make_child(world.la),
                           received_on=TODAY - timedelta(weeks=1),
                           priority=Referral.Priority.URGENT)
    assert position(urgent) == 0
    assert position(old) == 1
    assert position(new) == 2


def test_children_who_have_left_the_list_are_not_ahead(world) -> None:
    gone = make_referral(world, child=make_child(world.la), received_on=TODAY - timedelta(weeks=30),
                         status=Referral.Status.IN_ASSESSMENT, left_list_on=TODAY)
    me = make_referral(world, child=make_child(world.la), received_on=TODAY - timedelta(weeks=2))
    assert gone and position(me) == 0


def test_weekly_removals_count_children_leaving_in_each_week_oldest_first(world) -> None:
    for days_ago in (1, 2, 8, 180):
        make_referral(world, child=make_child(world.la), received_on=TODAY - timedelta(days=300),
                      status=Referral.Status.IN_ASSESSMENT,
                      left_list_on=TODAY - timedelta(days=days_ago))
    counts = weekly_removals(slt_pathway(world).pk, TODAY)
    assert len(counts) == 26
    assert counts[-1] == 2 and counts[-2] == 1 and counts[0] == 1


def test_forecast_needs_recent_removals(world) -> None:
    me = make_referral(world, received_on=TODAY - timedelta(weeks=3))
    assert forecast_referral(me, TODAY) is None
    for week in range(1, 27):
        make_referral(world, child=make_child(world.la), received_on=TODAY - timedelta(weeks=40),
                      status=Referral.Status.IN_ASSESSMENT,
                      left_list_on=TODAY - timedelta(weeks=week))
    forecast = forecast_referral(me, TODAY)
    assert forecast is not None
    assert forecast.ahead == 0
    # One child seen a week and nobody ahead: about a week.
    assert 0 < forecast.median_weeks < 3
    assert forecast.low_weeks <= forecast.median_weeks <= forecast.high_weeks


def test_monthly_summary_counts_the_list_and_its_waits(world) -> None:
    pathway = slt_pathway(world)
    for weeks in (1, 10, 15, 20, 60):
        make_referral(world, child=make_child(world.la), received_on=TODAY - timedelta(weeks=weeks))
    make_referral(world, child=make_child(world.la), received_on=TODAY - timedelta(weeks=5),
                  triage_decision_on=TODAY - timedelta(weeks=4),
                  left_list_on=TODAY - timedelta(days=3),
                  status=Referral.Status.IN_ASSESSMENT)
    months = summarise_pathway(pathway, TODAY)
    now = months[-1]
    assert now.month == date(2026, 6, 1) and now.as_at == TODAY
    assert now.list_size == 5
    assert (now.over_13, now.over_18, now.over_52) == (3, 2, 1)
    assert sum(now.waiting_bands) == 5
    assert now.removals == 1
    assert now.triage_decisions == 0  # decided in May
    assert months[-2].triage_decisions == 1 and months[-2].triage_days_total == 7
    assert len(months) == 24


def test_summaries_are_recomputed_only_when_stale(world) -> None:
    pathway = slt_pathway(world)
    make_referral(world, received_on=TODAY - timedelta(weeks=3))
    assert refresh_stats([pathway.pk], TODAY) == 1
    assert refresh_stats([pathway.pk], TODAY) == 0
    assert refresh_stats([pathway.pk], TODAY + timedelta(days=1)) == 1
    assert PathwayMonth.objects.filter(pathway=pathway).count() == 24


def test_analysis_suppresses_small_lists_and_shares(world) -> None:
    pathway = slt_pathway(world)
    make_referral(world, received_on=TODAY - timedelta(weeks=30))
    result = analyse([pathway], TODAY)
    assert result.now.list_size == 1
    assert result.now.shown_list_size is None
    assert result.now.share_over_18 is None
    assert result.now.mean_weeks_waited is None


def test_share_hides_small_parts_and_small_wholes() -> None:
    assert share(3, 100) is None
    assert share(5, 4) is None
    assert share(0, 10) == 0.0
    assert share(5, 10) == 50.0


def test_charts_escape_labels_and_use_no_style_attributes() -> None:
    svg = charts.bar_chart("c", "Title <x>", ["<script>", "b"], [3.0, None])
    line = charts.line_chart("l", "T", ["Jan", "Feb", "Mar"], [("s", [1.0, None, 2.0])])
    for out in (svg, line):
        assert "style=" not in out and "<script>" not in out
    assert "&lt;script&gt;" in svg
    assert "&lt;5" in svg  # the suppressed bar is labelled
    assert 'role="img"' in svg
