"""Tests for the synthetic waiting-list history and the forecast backtest."""

import math

import numpy as np
import pytest

from tellonce.health.backtest import (
    DEFAULT_PATHWAYS,
    PathwayHistory,
    backtest,
    backtest_pathway,
    evaluate_forecasts,
    format_report,
    generate_history,
)
from tellonce.health.forecast import ForecastModel

# With steady removals and no drift the forecast is exact arithmetic: the child with p
# ahead is seen (p + 1) / rate weeks from now, with no spread.
EXACT = ForecastModel(drift_per_week=0.0)


# --- evaluate_forecasts on hand-built numbers -----------------------------------------


def test_coverage_counts_actual_waits_inside_the_range_edges_included():
    actual = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
    low = np.array([0.0, 2.5, 3.0, 0.0, 0.0])
    median = np.array([1.0, 3.0, 3.5, 5.0, 5.0])
    high = np.array([2.0, 4.0, 4.0, 6.0, 9.0])
    naive = np.array([2.0, 2.0, np.nan, 0.0, 10.0])
    result = evaluate_forecasts(actual, low, median, high, naive)
    # Inside: 1 in [0, 2], 3 on the edge of [3, 4], 4 in [0, 6]; outside: 2 and 10.
    assert result.n == 5
    assert result.coverage == pytest.approx(3 / 5)


def test_errors_are_medians_of_absolute_errors_on_pairs_with_both_forecasts():
    actual = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
    median = np.array([1.0, 3.0, 3.5, 5.0, 5.0])
    naive = np.array([2.0, 2.0, np.nan, 0.0, 10.0])
    wide = np.full(5, 100.0)
    result = evaluate_forecasts(actual, np.zeros(5), median, wide, naive)
    # Pair 3 has no naive forecast, so both errors use pairs 1, 2, 4 and 5:
    # forecast |errors| 0, 1, 1, 5 -> median 1; naive 1, 0, 4, 0 -> median 0.5.
    assert result.n_compared == 4
    assert result.forecast_mae == pytest.approx(1.0)
    assert result.naive_mae == pytest.approx(0.5)
    assert result.mae_ratio == pytest.approx(2.0)


def test_pairs_that_cannot_be_forecast_are_left_out():
    result = evaluate_forecasts(
        actual=np.array([1.0, 5.0]),
        low=np.array([0.5, np.inf]),
        median=np.array([1.0, np.inf]),
        high=np.array([1.5, np.inf]),
        naive=np.array([1.0, 5.0]),
    )
    assert result.n == 1
    assert result.coverage == 1.0


def test_no_pairs_gives_nan_rather_than_an_error():
    empty = np.zeros(0)
    result = evaluate_forecasts(empty, empty, empty, empty, empty)
    assert result.n == 0
    assert math.isnan(result.coverage)


# --- backtest_pathway on a hand-built history -----------------------------------------


def hand_built_history() -> PathwayHistory:
    # Two removals every week. Two children finished before the forecast date (week 26)
    # after waiting 20 and 22 weeks, so the naive forecast is a 21-week wait.
    # At week 26 five children wait, in this order:
    #   referred 20: seen at 26.5 (forecast 0.5 weeks: exact)
    #   referred 21: seen at 27.0 (forecast 1.0: exact)
    #   referred 22: seen at 28.5 (forecast 1.5: one week early, outside its zero-width range)
    #   referred 23: withdrew at 27.2 (left out: no first assessment)
    #   referred 24: still waiting when the history ends (left out: outcome unknown)
    return PathwayHistory(
        name="Hand-built",
        observed_weeks=30,
        referral_time=np.array([0.0, 2.0, 20.0, 21.0, 22.0, 23.0, 24.0]),
        removal_time=np.array([20.0, 24.0, 26.5, 27.0, 28.5, 27.2, np.nan]),
        assessed=np.array([True, True, True, True, True, False, False]),
        removals_per_week=np.full(40, 2.0),
    )


def test_backtest_pathway_compares_forecasts_with_what_happened():
    result = backtest_pathway(hand_built_history(), [26], model=EXACT)
    assert result.n == 3
    assert result.coverage == pytest.approx(2 / 3)
    # Forecast errors 0, 0, 1 -> median 0. Naive: 21 weeks less 6, 5 and 4 weeks waited,
    # i.e. 15, 16, 17 against actual 0.5, 1.0, 2.5 -> errors 14.5, 15, 14.5 -> 14.5.
    assert result.forecast_mae == pytest.approx(0.0)
    assert result.naive_mae == pytest.approx(14.5)
    assert result.n_compared == 3


def test_backtest_counts_children_left_out():
    result = backtest([hand_built_history()], forecast_dates=[26], model=EXACT)
    assert result.withdrawn == {"Hand-built": 1}
    assert result.censored == {"Hand-built": 1}
    assert result.overall.n == 3


def test_forecast_uses_only_removals_before_the_forecast_date():
    history = hand_built_history()
    # A burst of removals from week 26 on must not change a forecast made at week 26.
    later = np.concatenate([np.full(26, 2.0), np.full(14, 50.0)])
    changed = PathwayHistory(
        name=history.name,
        observed_weeks=history.observed_weeks,
        referral_time=history.referral_time,
        removal_time=history.removal_time,
        assessed=history.assessed,
        removals_per_week=later,
    )
    assert backtest_pathway(changed, [26], model=EXACT) == backtest_pathway(
        history, [26], model=EXACT
    )


def test_naive_remaining_wait_is_never_below_zero():
    # Recent completed waits were 2 weeks; the child waiting has already waited 5, so the
    # naive remaining wait is 0, not -3, and its error against the actual 0.5 is 0.5.
    history = PathwayHistory(
        name="Short waits",
        observed_weeks=30,
        referral_time=np.array([10.0, 12.0, 21.0]),
        removal_time=np.array([12.0, 14.0, 26.5]),
        assessed=np.array([True, True, True]),
        removals_per_week=np.full(40, 2.0),
    )
    result = backtest_pathway(history, [26], model=EXACT)
    assert result.n_compared == 1
    assert result.naive_mae == pytest.approx(0.5)
    assert result.forecast_mae == pytest.approx(0.0)


def test_report_prints_every_pathway_and_overall_figures():
    result = backtest([hand_built_history()], forecast_dates=[26], model=EXACT)
    report = format_report(result)
    assert "Hand-built" in report
    assert "overall" in report
    assert "66.7%" in report  # coverage 2/3
    assert "14.50 wk" in report


# --- the synthetic history ------------------------------------------------------------


@pytest.fixture(scope="module")
def history():
    return generate_history()


def test_history_is_reproducible_with_a_seed():
    first = generate_history(seed=7, weeks=60, follow_up_weeks=10)
    second = generate_history(seed=7, weeks=60, follow_up_weeks=10)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a.removal_time, b.removal_time)
        np.testing.assert_array_equal(a.removals_per_week, b.removals_per_week)


def test_history_has_every_default_pathway(history):
    assert [h.name for h in history] == [p.name for p in DEFAULT_PATHWAYS]
    assert all(h.observed_weeks == 156 for h in history)


def test_children_are_seen_in_referral_order(history):
    for pathway in history:
        seen = pathway.removal_time[pathway.assessed]
        assert np.all(np.diff(seen) > 0), pathway.name


def test_weekly_removals_match_the_children_who_left(history):
    for pathway in history:
        left = pathway.removal_time[np.isfinite(pathway.removal_time)]
        counts = np.bincount(np.floor(left).astype(int), minlength=pathway.removals_per_week.size)
        np.testing.assert_array_equal(counts, pathway.removals_per_week)


def test_improving_pathway_sees_more_children_after_week_60(history):
    improving = next(h for h in history if h.name == "Occupational therapy")
    # Capacity rises 40%; seasonal dips and the slow wander blur that a little.
    before = improving.removals_per_week[10:60].mean()
    after = improving.removals_per_week[60:100].mean()
    assert after > 1.2 * before


def test_worsening_pathway_sees_fewer_children_after_week_80(history):
    worsening = next(h for h in history if h.name == "Community paediatrics")
    before = worsening.removals_per_week[30:80].mean()
    after = worsening.removals_per_week[80:130].mean()
    assert after < 0.85 * before


# --- the targets, on the default synthetic history ------------------------------------


@pytest.fixture(scope="module")
def default_result(history):
    return backtest(history)


def test_default_backtest_covers_75_to_85_percent_of_actual_waits(default_result):
    assert 0.75 <= default_result.overall.coverage <= 0.85


def test_default_backtest_forecast_error_is_at_least_20_percent_below_naive(default_result):
    assert default_result.overall.mae_ratio <= 0.8


def test_default_backtest_beats_naive_where_capacity_changed(default_result):
    # The naive forecast looks back; on pathways whose capacity changed it lags badly.
    for name in ("Occupational therapy", "Community paediatrics"):
        assert default_result.pathways[name].mae_ratio < 0.6, name
