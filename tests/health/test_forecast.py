"""Tests for the per-child wait forecast and the naive baseline."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tellonce.health.forecast import ForecastModel, forecast_waits, naive_forecast

NO_DRIFT = ForecastModel(drift_per_week=0.0)

positions_strategy = arrays(
    np.int64, st.integers(min_value=0, max_value=40), elements=st.integers(0, 3000)
)
removals_strategy = arrays(
    np.float64,
    st.integers(min_value=1, max_value=40),
    elements=st.floats(min_value=0, max_value=60, allow_nan=False, allow_infinity=False),
)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def forecast(positions, removals, **kwargs):
    kwargs.setdefault("n_simulations", 200)
    return forecast_waits(positions, removals, **kwargs)


# --- behaviour on simple cases ---------------------------------------------------------


def test_steady_removals_give_exact_waits_when_capacity_cannot_drift():
    # Ten removals every week and nothing random: the child with p ahead is the
    # (p + 1)-th removal, which comes (p + 1) / 10 weeks from now.
    result = forecast([0, 9, 99, 499], np.full(26, 10.0), model=NO_DRIFT)
    assert result.median_weeks == pytest.approx([0.1, 1.0, 10.0, 50.0])
    assert result.low_weeks == pytest.approx(result.median_weeks)
    assert result.high_weeks == pytest.approx(result.median_weeks)


def test_results_keep_the_order_positions_were_given_in():
    shuffled = forecast([99, 0, 9], np.full(26, 10.0), model=NO_DRIFT)
    assert shuffled.median_weeks == pytest.approx([10.0, 0.1, 1.0])


def test_empty_list_gives_empty_forecast():
    result = forecast([], np.full(26, 10.0))
    assert len(result) == 0
    assert result.median_weeks.shape == (0,)


def test_no_removals_cannot_be_forecast_rather_than_dividing_by_zero():
    result = forecast([0, 5, 50], np.zeros(26))
    assert np.all(np.isinf(result.median_weeks))
    assert np.all(np.isinf(result.low_weeks)) and np.all(np.isinf(result.high_weeks))
    assert result.for_child(0) is None


def test_no_history_cannot_be_forecast():
    assert forecast([3], []).for_child(0) is None


def test_wait_beyond_the_horizon_cannot_be_forecast():
    # One removal a week and 10,000 ahead: about 190 years.
    assert forecast([10_000], np.ones(26)).for_child(0) is None


def test_for_child_returns_the_three_figures():
    child = forecast([49], np.full(26, 10.0)).for_child(0)
    assert child is not None
    assert child.low_weeks < child.median_weeks < child.high_weeks
    assert child.median_weeks == pytest.approx(5.0, rel=0.1)


def test_a_rising_trend_shortens_the_forecast_compared_with_flat_removals_of_same_mean():
    rising = np.linspace(5, 15, 26)
    flat = np.full(26, rising.mean())
    ahead = [200]
    assert (
        forecast(ahead, rising, model=NO_DRIFT).median_weeks[0]
        < forecast(ahead, flat, model=NO_DRIFT).median_weeks[0]
    )


def test_recent_weeks_count_for_more_than_older_weeks():
    # 6 a week for 20 weeks, then 9 a week for the last 6: the forecast should expect more
    # than the plain 26-week average (about 6.7 a week), though not yet the full 9.
    removals = np.array([6.0] * 20 + [9.0] * 6)
    median = forecast([449], removals, model=NO_DRIFT).median_weeks[0]
    assert 450 / 9 < median < 450 / removals.mean()


def test_trend_option_projects_a_rising_trend():
    # The model can also fit a damped linear trend (off by default: the backtest found it
    # added more noise than it removed); when on, a rising trend shortens the forecast.
    rising = np.linspace(5, 15, 26)
    with_trend = ForecastModel(drift_per_week=0.0, trend_damping=0.9)
    assert (
        forecast([200], rising, model=with_trend).median_weeks[0]
        < forecast([200], rising, model=NO_DRIFT).median_weeks[0]
    )


def test_negative_or_missing_input_is_refused():
    with pytest.raises(ValueError):
        forecast([-1], np.full(26, 10.0))
    with pytest.raises(ValueError):
        forecast([1], np.array([10.0, np.nan]))


def test_uncertainty_grows_with_the_wait():
    result = forecast([10, 100, 1000], np.full(26, 10.0) + np.tile([-2.0, 2.0], 13))
    width = result.high_weeks - result.low_weeks
    assert width[0] < width[1] < width[2]


# --- naive baseline -------------------------------------------------------------------


def test_naive_forecast_is_median_of_recent_completed_waits():
    assert naive_forecast([10, 30, 20, 50]) == 25
    assert naive_forecast(np.array([7.5])) == 7.5


def test_naive_forecast_without_completed_waits_is_none():
    assert naive_forecast([]) is None


# --- properties -----------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    positions=positions_strategy,
    removals=removals_strategy,
    scale=st.floats(min_value=1.0, max_value=5.0),
    seed=seeds,
)
def test_more_capacity_never_lengthens_the_forecast(positions, removals, scale, seed):
    base = forecast(positions, removals, seed=seed)
    more = forecast(positions, removals * scale, seed=seed)
    # Exact in real arithmetic; allow for floating-point rounding in the fitted line.
    for now, later in [
        (more.low_weeks, base.low_weeks),
        (more.median_weeks, base.median_weeks),
        (more.high_weeks, base.high_weeks),
    ]:
        assert np.all(now <= later * (1 + 1e-9) + 1e-9)


@settings(max_examples=60, deadline=None)
@given(positions=positions_strategy, removals=removals_strategy, seed=seeds)
def test_a_child_further_back_never_has_a_shorter_median(positions, removals, seed):
    result = forecast(positions, removals, seed=seed)
    order = np.argsort(positions, kind="stable")
    for figures in (result.low_weeks, result.median_weeks, result.high_weeks):
        in_queue_order = figures[order]
        assert np.all(in_queue_order[:-1] <= in_queue_order[1:])


@settings(max_examples=60, deadline=None)
@given(positions=positions_strategy, removals=removals_strategy, seed=seeds)
def test_tenth_percentile_median_ninetieth_are_in_order(positions, removals, seed):
    result = forecast(positions, removals, seed=seed)
    assert np.all(result.low_weeks <= result.median_weeks)
    assert np.all(result.median_weeks <= result.high_weeks)
    assert np.all(result.low_weeks > 0)


@settings(max_examples=30, deadline=None)
@given(positions=positions_strategy, removals=removals_strategy, seed=seeds)
def test_forecasts_are_reproducible_with_a_seed(positions, removals, seed):
    first = forecast(positions, removals, seed=seed)
    second = forecast(positions, removals, seed=seed)
    np.testing.assert_array_equal(first.median_weeks, second.median_weeks)
    np.testing.assert_array_equal(first.low_weeks, second.low_weeks)
    np.testing.assert_array_equal(first.high_weeks, second.high_weeks)


@settings(max_examples=30, deadline=None)
@given(
    waits=arrays(
        np.float64,
        st.integers(min_value=1, max_value=50),
        elements=st.floats(min_value=0, max_value=500, allow_nan=False),
    )
)
def test_naive_forecast_lies_within_the_completed_waits(waits):
    value = naive_forecast(waits)
    assert value is not None and not math.isnan(value)
    assert waits.min() <= value <= waits.max()
