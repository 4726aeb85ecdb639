"""Tests that the capacity formulas give NHSRwaitinglist's documented results."""

# Expected values are copied from the NHSRwaitinglist package
# (github.com/nhs-r-community/NHSRwaitinglist): its tests/testthat/test-calc_*.R files,
# the @examples in R/calc_*.R, and the walkthrough vignette
# (vignettes/example_walkthrough.Rmd, rendered as articles/example_walkthrough.md).
# testthat's expect_equal() compares with a relative tolerance of about 1.5e-8; the
# package's literal expectations are rounded to 6-8 decimals, so we use rel=1e-7.

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tellonce.health.capacity import (
    calc_queue_load,
    calc_relief_capacity,
    calc_target_capacity,
    calc_target_mean_wait,
    calc_target_queue_size,
    calc_waiting_list_pressure,
    factor_for_target_share,
    plan_capacity,
)


def approx(value: float) -> object:
    return pytest.approx(value, rel=1e-7)


# --- tests/testthat/test-calc_queue_load.R -------------------------------------------


def test_queue_load_matches_package_single_value():
    assert calc_queue_load(30, 27) == approx(30 / 27)
    assert calc_queue_load(30, 27) == approx(1.11111111)


def test_queue_load_matches_package_vector_values():
    results = [calc_queue_load(d, c) for d, c in zip([35, 30, 52], [27, 25, 42], strict=True)]
    assert results == [approx(1.2962963), approx(1.2), approx(1.23809524)]


# --- tests/testthat/test-calc_target_mean_wait.R --------------------------------------


def test_target_mean_wait_matches_package_single_value():
    assert calc_target_mean_wait(52, 4) == approx(13)


def test_target_mean_wait_matches_package_vector_values():
    results = [calc_target_mean_wait(t, f) for t, f in zip([35, 30, 52], [4, 4, 6], strict=True)]
    assert results == [approx(8.75), approx(7.5), approx(8.6666667)]


def test_target_mean_wait_default_factor_is_four_as_in_package_example():
    # R/calc_target_mean_wait.R @examples: 52 weeks -> 13 weeks (factor 4), 8.67 (factor 6).
    assert calc_target_mean_wait(52) == 13
    assert calc_target_mean_wait(52, 6) == pytest.approx(8.67, abs=0.005)


# --- tests/testthat/test-calc_target_queue_size.R -------------------------------------


def test_target_queue_size_matches_package_single_values():
    assert calc_target_queue_size(30, 52) == approx(390)
    assert calc_target_queue_size(30, 50) == approx(375)
    assert calc_target_queue_size(30, 50, 6) == approx(250)


def test_target_queue_size_matches_package_vector_values():
    results = [
        calc_target_queue_size(d, t, f)
        for d, t, f in zip([30, 30, 30], [52, 50, 50], [4, 4, 6], strict=True)
    ]
    assert results == [approx(390), approx(375), approx(250)]


# --- tests/testthat/test-calc_target_capacity.R ---------------------------------------


def test_target_capacity_matches_package_arithmetic():
    assert calc_target_capacity(30, 52, 3, 1.1, 1.2) == approx(
        30 + (((1.1**2 + 1.2**2) / 2) * (3 / 52))
    )


def test_target_capacity_matches_package_single_value():
    assert calc_target_capacity(30, 52, 3, 1.1, 1.2) == approx(30.076442)


def test_target_capacity_matches_walkthrough_vignette():
    # vignettes/example_walkthrough.Rmd, "Target capacity": F = 1 and F = 6.58.
    assert calc_target_capacity(demand=30, target_wait=52, factor=1) == pytest.approx(
        30.01923, abs=5e-6
    )
    assert calc_target_capacity(demand=30, target_wait=52, factor=6.58) == pytest.approx(
        30.12654, abs=5e-6
    )


# --- tests/testthat/test-calc_relief_capacity.R ---------------------------------------


def test_relief_capacity_matches_package_single_value():
    assert calc_relief_capacity(30, 1200, 390, 26) == approx(30 + (1200 - 390) / 26)
    assert calc_relief_capacity(30, 1200, 390, 26) == approx(61.153846)


def test_relief_capacity_matches_package_vector_values():
    results = [
        calc_relief_capacity(d, q, t, w)
        for d, q, t, w in zip(
            [30, 33, 35], [1200, 800, 250], [390, 200, 100], [26, 30, 15], strict=True
        )
    ]
    assert results == [approx(61.153846), approx(53), approx(45)]


def test_relief_capacity_default_time_to_target_is_26_as_in_package():
    assert calc_relief_capacity(30, 1200, 390) == calc_relief_capacity(30, 1200, 390, 26)


def test_relief_capacity_inflates_estimated_demand_by_two_standard_errors():
    # R/calc_relief_capacity.R: demand / (1 - 2 * demand * cv_demand / sqrt(num_referrals))
    # when that term is below 1; otherwise demand is left alone.
    correction = 2 * 30 * 0.01 / math.sqrt(400)
    assert calc_relief_capacity(30, 1200, 390, 26, num_referrals=400, cv_demand=0.01) == (
        approx(30 / (1 - correction) + (1200 - 390) / 26)
    )
    assert calc_relief_capacity(30, 1200, 390, 26, num_referrals=4, cv_demand=1) == approx(
        61.153846
    )


# --- tests/testthat/test-calc_waiting_list_pressure.R ---------------------------------


def test_waiting_list_pressure_matches_package_single_value():
    assert calc_waiting_list_pressure(63, 52) == approx(2 * 63 / 52)
    assert calc_waiting_list_pressure(63, 52) == approx(2.42307692)


def test_waiting_list_pressure_matches_package_vector_values():
    results = [
        calc_waiting_list_pressure(m, t) for m, t in zip([63, 42, 55], [52, 24, 50], strict=True)
    ]
    assert results == [approx(2.42307692), approx(3.5), approx(2.2)]


# --- vignettes/example_walkthrough.Rmd: the P4 ENT list of Fong et al. ----------------


def test_walkthrough_p4_ent_example_end_to_end():
    demand, capacity, queue_size, target, mean_wait = 30, 27, 1200, 52, 63
    assert calc_queue_load(demand, capacity) == pytest.approx(1.111111, abs=5e-7)
    assert calc_target_mean_wait(target) == 13
    target_size = calc_target_queue_size(demand, target)
    assert target_size == 390
    assert queue_size / target_size == pytest.approx(3.076923, abs=5e-7)
    assert calc_relief_capacity(demand, queue_size, target_size, 26) == pytest.approx(
        61.15385, abs=5e-6
    )
    assert calc_waiting_list_pressure(mean_wait, target) == pytest.approx(2.423077, abs=5e-7)
    # The P2 list: 24 weeks' mean wait against a 4-week target.
    assert calc_waiting_list_pressure(24, 4) == 12


# --- the package's "wrong input class causes an error" tests --------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: calc_queue_load("x", 1),
        lambda: calc_target_mean_wait(1, "x"),
        lambda: calc_target_queue_size(1, "x", 3),
        lambda: calc_target_capacity(1, 2, 3, "x", 5),
        lambda: calc_relief_capacity(1, 2, "x", 4),
        lambda: calc_waiting_list_pressure("x", 2),
    ],
)
def test_non_numeric_input_is_refused(call):
    with pytest.raises(TypeError, match="must be numeric"):
        call()


def test_zero_denominators_are_refused_rather_than_returning_infinity():
    with pytest.raises(ValueError, match="capacity"):
        calc_queue_load(30, 0)
    with pytest.raises(ValueError, match="time_to_target"):
        calc_relief_capacity(30, 1200, 390, 0)


# --- target share and the capacity planner --------------------------------------------


def test_default_factor_four_is_a_98_percent_target():
    assert factor_for_target_share(1 - math.exp(-4)) == pytest.approx(4)
    assert factor_for_target_share(0.92) == pytest.approx(2.5257, abs=1e-4)


def test_plan_for_92_percent_within_18_weeks():
    plan = plan_capacity(
        demand_per_week=30,
        current_list=1200,
        target_weeks=18,
        target_share=0.92,
        target_date_weeks=26,
    )
    factor = -math.log(0.08)
    assert plan.factor == pytest.approx(factor)
    assert plan.target_mean_wait_weeks == pytest.approx(18 / factor)
    assert plan.target_list_size == pytest.approx(30 * 18 / factor)
    assert plan.capacity_to_hold_target == pytest.approx(30 + factor / 18)
    assert plan.relief_capacity == pytest.approx(30 + (1200 - 30 * 18 / factor) / 26)
    assert plan.relief_needed


def test_plan_reproduces_walkthrough_with_package_default_target_share():
    plan = plan_capacity(30, 1200, 52, target_share=1 - math.exp(-4), target_date_weeks=26)
    assert plan.target_list_size == pytest.approx(390)
    assert plan.relief_capacity == pytest.approx(61.153846, rel=1e-7)
    assert plan.queue_ratio == pytest.approx(3.076923, abs=5e-7)


def test_plan_with_short_list_needs_no_relief():
    plan = plan_capacity(10, 20, 13, 0.92, 26)
    assert not plan.relief_needed
    assert plan.relief_capacity < plan.demand_per_week


# --- properties -----------------------------------------------------------------------

rates = st.floats(min_value=0.1, max_value=1000, allow_nan=False)
waits = st.floats(min_value=1, max_value=200, allow_nan=False)
shares = st.floats(min_value=0.5, max_value=0.999)


@given(demand=rates, extra=st.floats(min_value=0.01, max_value=100), target=waits, share=shares)
def test_target_capacity_grows_with_demand(demand, extra, target, share):
    factor = factor_for_target_share(share)
    assert calc_target_capacity(demand + extra, target, factor) > calc_target_capacity(
        demand, target, factor
    )


@given(demand=rates, target=waits, share=shares)
def test_target_capacity_always_exceeds_demand(demand, target, share):
    assert calc_target_capacity(demand, target, factor_for_target_share(share)) > demand


@given(
    demand=rates,
    queue=st.integers(min_value=0, max_value=100_000),
    target_size=st.integers(min_value=0, max_value=10_000),
    time=st.floats(min_value=1, max_value=520),
    later=st.floats(min_value=0.5, max_value=520),
)
def test_relief_capacity_falls_as_time_to_target_grows_when_list_is_too_long(
    demand, queue, target_size, time, later
):
    if queue <= target_size:
        return
    assert calc_relief_capacity(demand, queue, target_size, time + later) < calc_relief_capacity(
        demand, queue, target_size, time
    )


@given(demand=rates, queue=st.integers(min_value=0, max_value=100_000), time=waits)
def test_relief_capacity_equals_demand_when_list_is_at_target(demand, queue, time):
    assert calc_relief_capacity(demand, queue, queue, time) == pytest.approx(demand)


@given(demand=rates, target=waits, share=shares, tighter=st.floats(min_value=0.001, max_value=0.4))
def test_a_stricter_share_needs_a_smaller_list(demand, target, share, tighter):
    stricter = min(share + tighter * (1 - share), 0.9999)
    if stricter <= share:
        return
    assert (
        plan_capacity(demand, 0, target, stricter).target_list_size
        < plan_capacity(demand, 0, target, share).target_list_size
    )


@given(demand=rates, target=waits, share=shares)
def test_target_list_obeys_littles_law(demand, target, share):
    plan = plan_capacity(demand, 0, target, share)
    assert plan.target_list_size == pytest.approx(demand * plan.target_mean_wait_weeks)
