"""Waiting-list capacity formulas of NHSRwaitinglist (Fong et al.), as pure functions."""

# Each calc_* function mirrors the R function of the same name in the NHS-R Community's
# NHSRwaitinglist package (https://github.com/nhs-r-community/NHSRwaitinglist, R/calc_*.R):
# same arguments, same meanings, same defaults, same results. The package follows
# J. Fong, M. Gordon, N. Walton et al., "Understanding waiting list pressures" (2022),
# doi:10.1101/2022.08.23.22279117. Units are the caller's: if demand is per week, waits
# and times are in weeks.
#
# Where R would quietly return Inf or NaN (a zero denominator) we raise ValueError instead,
# because a capacity planner page must say "that target cannot be met" rather than show Inf.

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

__all__ = [
    "CapacityPlan",
    "calc_queue_load",
    "calc_relief_capacity",
    "calc_target_capacity",
    "calc_target_mean_wait",
    "calc_target_queue_size",
    "calc_waiting_list_pressure",
    "factor_for_target_share",
    "plan_capacity",
]


def _check_numeric(**values: object) -> None:
    """Raise TypeError naming every argument that is not a number.

    Mirrors the package's internal ``check_class()`` (R/utils.R), which stops with
    "... must be of class <numeric>" when given, say, a string. ``bool`` is refused
    because ``True`` passing silently as 1 would hide a caller's mistake.
    """
    wrong = [
        name
        for name, value in values.items()
        if isinstance(value, bool) or not isinstance(value, Real)
    ]
    if wrong:
        raise TypeError(f"{', '.join(wrong)} must be numeric")


def _check_positive(**values: float) -> None:
    for name, value in values.items():
        if not value > 0:
            raise ValueError(f"{name} must be greater than zero, not {value!r}")


def calc_queue_load(demand: float, capacity: float) -> float:
    """Queue load: arrivals per removal, ``demand / capacity``.

    Mirrors ``calc_queue_load()`` (R/calc_queue_load.R). A load above 1 means the list
    grows without limit; below 1 it is the share of time the list is non-empty.

    Args:
        demand: rate of additions to the list (e.g. referrals per week).
        capacity: rate of removals from the list in the same time unit.
    """
    _check_numeric(demand=demand, capacity=capacity)
    _check_positive(capacity=capacity)
    return float(demand) / float(capacity)


def calc_target_mean_wait(target_wait: float, factor: float = 4) -> float:
    """Mean wait that meets a waiting-time target: ``target_wait / factor``.

    Mirrors ``calc_target_mean_wait()`` (R/calc_target_mean_wait.R). With waits roughly
    exponential, a mean of a quarter of the target (factor 4) misses it about 1.8% of
    the time, a sixth (factor 6) about 0.2% (Fong et al., Fact 4).

    Args:
        target_wait: the waiting-time target (e.g. 18 weeks).
        factor: how many times smaller than the target the mean wait should be.
    """
    _check_numeric(target_wait=target_wait, factor=factor)
    _check_positive(factor=factor)
    return float(target_wait) / float(factor)


def calc_target_queue_size(demand: float, target_wait: float, factor: float = 4) -> float:
    """List size at which the target is met, by Little's law: ``demand * target_wait / factor``.

    Mirrors ``calc_target_queue_size()`` (R/calc_target_queue_size.R); only meaningful when
    capacity exceeds demand.

    Args:
        demand: additions per time unit, in the unit of ``target_wait``.
        target_wait: the waiting-time target.
        factor: as in :func:`calc_target_mean_wait`.
    """
    _check_numeric(demand=demand, target_wait=target_wait, factor=factor)
    return float(demand) * calc_target_mean_wait(target_wait, factor)


def calc_target_capacity(
    demand: float,
    target_wait: float,
    factor: float = 4,
    cv_demand: float = 1,
    cv_capacity: float = 1,
) -> float:
    """Capacity that holds the list at its target (Kingman / Pollaczek-Khinchine).

    Mirrors ``calc_target_capacity()`` (R/calc_target_capacity.R)::

        demand + ((cv_demand**2 + cv_capacity**2) / 2) * (factor / target_wait)

    i.e. demand plus a margin for variability that shrinks as the target mean wait
    (``target_wait / factor``) grows.

    Args:
        demand: additions per time unit, in the unit of ``target_wait``.
        target_wait: the waiting-time target.
        factor: as in :func:`calc_target_mean_wait`.
        cv_demand: coefficient of variation of the time between arrivals (1 for Poisson).
        cv_capacity: coefficient of variation of the time between removals.
    """
    _check_numeric(
        demand=demand,
        target_wait=target_wait,
        factor=factor,
        cv_demand=cv_demand,
        cv_capacity=cv_capacity,
    )
    _check_positive(target_wait=target_wait)
    variability = (float(cv_demand) ** 2 + float(cv_capacity) ** 2) / 2
    return float(demand) + variability * (float(factor) / float(target_wait))


def calc_relief_capacity(
    demand: float,
    queue_size: float,
    target_queue_size: float,
    time_to_target: float = 26,
    num_referrals: float = 0,
    cv_demand: float = 0,
) -> float:
    """Capacity that brings the list down to its target size in ``time_to_target``.

    Mirrors ``calc_relief_capacity()`` (R/calc_relief_capacity.R)::

        demand + (queue_size - target_queue_size) / time_to_target

    As in the package, when demand is an estimate from ``num_referrals`` referrals with
    coefficient of variation ``cv_demand``, demand is first inflated to
    ``demand / (1 - 2 * demand * cv_demand / sqrt(num_referrals))`` (two standard errors),
    but only while that correction term is below 1. The package treats relief capacity
    as needed when ``queue_size > 2 * target_queue_size``.

    Args:
        demand: additions per time step.
        queue_size: patients on the list now.
        target_queue_size: the list size wanted (e.g. :func:`calc_target_queue_size`).
        time_to_target: time steps in which to reach it, in the unit of ``demand``.
        num_referrals: number of referrals demand was estimated from (0: no correction).
        cv_demand: coefficient of variation of demand, used with ``num_referrals``.
    """
    _check_numeric(
        demand=demand,
        queue_size=queue_size,
        target_queue_size=target_queue_size,
        time_to_target=time_to_target,
        num_referrals=num_referrals,
        cv_demand=cv_demand,
    )
    _check_positive(time_to_target=time_to_target)
    adjusted_demand = float(demand)
    if num_referrals > 0:
        correction = 2 * adjusted_demand * float(cv_demand) / math.sqrt(float(num_referrals))
        if correction < 1:
            adjusted_demand = adjusted_demand / (1 - correction)
    return adjusted_demand + (float(queue_size) - float(target_queue_size)) / float(time_to_target)


def calc_waiting_list_pressure(mean_wait: float, target_wait: float) -> float:
    """Waiting-list pressure: ``2 * mean_wait / target_wait``.

    Mirrors ``calc_waiting_list_pressure()`` (R/calc_waiting_list_pressure.R). Above 1 the
    list will most likely miss its target; comparable across lists with different targets.

    Args:
        mean_wait: the mean wait of the list now.
        target_wait: the waiting-time target, in the same unit.
    """
    _check_numeric(mean_wait=mean_wait, target_wait=target_wait)
    _check_positive(target_wait=target_wait)
    return 2 * float(mean_wait) / float(target_wait)


def factor_for_target_share(target_share: float) -> float:
    """The package's ``factor`` for a target such as "92% seen within 18 weeks".

    Fong et al. (Facts 3 and 4) take waits to be roughly exponential, so the share
    waiting longer than the target is ``exp(-target_wait / mean_wait)`` = ``exp(-factor)``;
    the package's default factor 4 is a 98.2% target. Hence
    ``factor = -ln(1 - target_share)``: 92% gives about 2.53.
    """
    _check_numeric(target_share=target_share)
    if not 0 < target_share < 1:
        raise ValueError(f"target_share must be between 0 and 1, not {target_share!r}")
    return -math.log1p(-float(target_share))


@dataclass(frozen=True)
class CapacityPlan:
    """What the capacity planner shows for one pathway. Rates are per week."""

    demand_per_week: float
    current_list: int
    target_weeks: float
    target_share: float
    target_date_weeks: float
    factor: float
    target_mean_wait_weeks: float
    target_list_size: float
    capacity_to_hold_target: float
    relief_capacity: float
    queue_ratio: float
    relief_needed: bool


def plan_capacity(
    demand_per_week: float,
    current_list: int,
    target_weeks: float,
    target_share: float = 0.92,
    target_date_weeks: float = 26,
) -> CapacityPlan:
    """Target list size, capacity to hold it, and relief capacity to reach it by a date.

    Combines :func:`calc_target_queue_size`, :func:`calc_target_capacity` (with the
    package's default coefficients of variation of 1, i.e. Poisson arrivals and
    removals) and :func:`calc_relief_capacity`, with the package's ``factor`` derived
    from the target share by :func:`factor_for_target_share`.

    Args:
        demand_per_week: referrals added to the list per week.
        current_list: children waiting now.
        target_weeks: the waiting-time standard, e.g. 18 (or 13 for autism assessment).
        target_share: share to be seen within ``target_weeks``, e.g. 0.92.
        target_date_weeks: weeks from now by which the list should be at its target size.
    """
    _check_numeric(current_list=current_list, target_date_weeks=target_date_weeks)
    if current_list < 0:
        raise ValueError(f"current_list cannot be negative, not {current_list!r}")
    factor = factor_for_target_share(target_share)
    target_list_size = calc_target_queue_size(demand_per_week, target_weeks, factor)
    return CapacityPlan(
        demand_per_week=float(demand_per_week),
        current_list=int(current_list),
        target_weeks=float(target_weeks),
        target_share=float(target_share),
        target_date_weeks=float(target_date_weeks),
        factor=factor,
        target_mean_wait_weeks=calc_target_mean_wait(target_weeks, factor),
        target_list_size=target_list_size,
        capacity_to_hold_target=calc_target_capacity(demand_per_week, target_weeks, factor),
        relief_capacity=calc_relief_capacity(
            demand_per_week, current_list, target_list_size, target_date_weeks
        ),
        queue_ratio=(current_list / target_list_size if target_list_size > 0 else math.inf),
        # The package's rule of thumb (calc_relief_capacity.R, Fact 7 in Fong et al.).
        relief_needed=current_list > 2 * target_list_size,
    )
