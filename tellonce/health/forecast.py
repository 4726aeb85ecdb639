"""Forecast each waiting child's weeks to first assessment from the pathway's recent removals."""

# How it works, and why this way:
#
# A child with p people ahead of them is seen when the list has had p + 1 more removals.
# So the question "how long until my turn?" is a question about the cumulative number of
# removals in the weeks ahead, C(h). We simulate many futures of weekly removals from a
# model fitted to the recent weeks, and read each child's wait off the simulated C(h).
#
# Per-child work is avoided entirely: the q-th quantile of the wait of the child at
# position p is the first time the k-th largest simulated C(h) reaches p + 1, with
# k = ceil(q * n_simulations). So we compute three order-statistic curves over the
# simulations (O(simulations x weeks)) and invert them for every child with one
# searchsorted (O(children x log weeks)); 20,000 children cost almost nothing. It also
# makes the properties we promise hold by construction: the curves are non-decreasing,
# so a child further back never gets an earlier date, and the 10th percentile curve lies
# above the median curve, which lies above the 90th.
#
# The removal model is fitted to the last weeks (e.g. 26) with more weight on recent
# weeks, so that a pathway whose capacity has just changed is seen as it is now:
#   * the level now is an exponentially weighted mean (half-life 13 weeks). A damped
#     linear trend can be switched on (ForecastModel.trend_damping), but on the synthetic
#     backtest it made the median error worse on every pathway, including those whose
#     capacity changed: a line through 26 noisy weekly counts extrapolates noise;
#   * each simulated future draws its own level from the level's uncertainty (sampling
#     noise, plus how far capacity may have drifted since the weeks it rests on), then lets
#     capacity wander (a random walk in its logarithm), because clinic capacity does drift
#     (vacancies, leave, new staff) and an interval that ignores that is too narrow for
#     children with long waits;
#   * week-to-week noise around that path has the spread seen in recent weeks.
# Every step is proportional to the removal counts (doubling every count doubles every
# simulated future, with the same random draws), so more capacity can never lengthen a
# forecast. The hyperparameters in ForecastModel were tuned on synthetic histories with
# seeds other than the default; `python -m tellonce.health.backtest` shows how well they
# do on the default one.
#
# Not modelled: urgent referrals that will join the list ahead of a routine child after
# the forecast is made (the forecast counts only the children ahead now), planned clinic
# closures, and capacity hidden by a list that emptied (removals then measure demand).

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "DEFAULT_MODEL",
    "ChildForecast",
    "ForecastModel",
    "WaitForecast",
    "forecast_waits",
    "naive_forecast",
]

FloatArray = NDArray[np.float64]

# Random draws are made in blocks of this many weeks, always in the same order, so the
# first weeks of every simulated future are the same however far ahead we need to look.
_BLOCK_WEEKS = 52


@dataclass(frozen=True)
class ForecastModel:
    """Hyperparameters of the removal model.

    Tuned on synthetic histories with seeds 1-20 (backtest.py), never the default seed:
    with these values the 80% range held 80% of actual waits on average (sd 4 points
    between histories) and the median error was about half the naive forecast's.
    """

    half_life_weeks: float = 13.0
    """Weight of a week halves every this many weeks into the past."""
    trend_damping: float = 0.0
    """Weekly damping of a fitted linear trend; 0 fits no trend. With a trend its total
    future effect is at most slope * damping / (1 - damping)."""
    drift_per_week: float = 0.03
    """Standard deviation of the weekly random walk in the log of future capacity."""
    max_weeks: int = 520
    """Forecasts beyond this many weeks (ten years) are reported as "cannot forecast"."""
    low_quantile: float = 0.1
    high_quantile: float = 0.9


DEFAULT_MODEL = ForecastModel()


@dataclass(frozen=True)
class ChildForecast:
    """One child's forecast, in weeks from now."""

    median_weeks: float
    low_weeks: float
    high_weeks: float


@dataclass(frozen=True)
class WaitForecast:
    """Forecasts for children on one pathway, in the order their positions were given.

    An entry of ``inf`` means "cannot forecast": no removals recently, or the child's
    turn lies beyond ``ForecastModel.max_weeks`` at that percentile.
    """

    median_weeks: FloatArray
    low_weeks: FloatArray
    high_weeks: FloatArray

    def __len__(self) -> int:
        return int(self.median_weeks.shape[0])

    def for_child(self, index: int) -> ChildForecast | None:
        """The forecast for one child, or None if the median cannot be forecast."""
        median = float(self.median_weeks[index])
        if not math.isfinite(median):
            return None
        return ChildForecast(
            median_weeks=median,
            low_weeks=float(self.low_weeks[index]),
            high_weeks=float(self.high_weeks[index]),
        )


@dataclass(frozen=True)
class _RemovalFit:
    level: float
    slope: float
    level_se: float
    slope_se: float
    level_slope_corr: float
    noise_sd: float


def _fit_removals(removals: FloatArray, model: ForecastModel) -> _RemovalFit:
    """Exponentially weighted level (and, if the model has one, trend) of recent removals.

    The level is for the most recent week. Its uncertainty has two parts: sampling
    noise, and how far capacity may have drifted since the weeks the estimate rests on
    (a random walk of ``drift_per_week`` in its logarithm). Standard errors use the
    sandwich form because the weights discount old weeks rather than describe their
    precision.
    """
    n = removals.shape[0]
    age = np.arange(n - 1, -1, -1, dtype=np.float64)  # 0 for the most recent week
    weights = 0.5 ** (age / model.half_life_weeks)
    total = float(weights.sum())
    n_eff = total**2 / float((weights**2).sum())
    # level_now - weighted_mean = sum over weekly steps j of step_j * (weight of weeks
    # older than j); with independent steps its variance is drift**2 * sum of squares.
    by_age = weights[::-1]
    older_share = np.cumsum(by_age[::-1])[::-1][1:] / total
    lag_var_per_level2 = model.drift_per_week**2 * float((older_share**2).sum())

    if model.trend_damping <= 0 or n < 3:
        level = float(weights @ removals) / total
        resid = removals - level
        noise_var = float(weights @ resid**2) / total * (n_eff / max(n_eff - 1.0, 1.0))
        level_var = noise_var / n_eff + lag_var_per_level2 * level**2
        return _RemovalFit(level, 0.0, math.sqrt(level_var), 0.0, 0.0, math.sqrt(noise_var))

    time = -age
    design = np.column_stack([np.ones(n), time])
    weighted = design * weights[:, None]
    bread = design.T @ weighted
    coef = np.linalg.solve(bread, weighted.T @ removals)
    resid = removals - design @ coef
    noise_var = float(weights @ resid**2) / total * (n_eff / max(n_eff - 2.0, 1.0))
    inv = np.linalg.inv(bread)
    meat = (design * (weights**2)[:, None]).T @ design
    cov = inv @ meat @ inv * noise_var
    level_se = math.sqrt(max(float(cov[0, 0]), 0.0) + lag_var_per_level2 * float(coef[0]) ** 2)
    slope_se = math.sqrt(max(float(cov[1, 1]), 0.0))
    corr = float(cov[0, 1]) / (level_se * slope_se) if level_se > 0 and slope_se > 0 else 0.0
    return _RemovalFit(
        level=float(coef[0]),
        slope=float(coef[1]),
        level_se=level_se,
        slope_se=slope_se,
        level_slope_corr=max(-1.0, min(1.0, corr)),
        noise_sd=math.sqrt(noise_var),
    )


def forecast_waits(
    positions: ArrayLike,
    recent_removals: ArrayLike,
    *,
    n_simulations: int = 2000,
    seed: int | None = 0,
    model: ForecastModel = DEFAULT_MODEL,
) -> WaitForecast:
    """Median and 80% range of weeks until each waiting child's first assessment.

    Args:
        positions: for each waiting child, how many children are ahead of them in the
            order the pathway sees children (referral date, then clinical priority).
        recent_removals: removals from the list in each recent week, oldest first
            (e.g. the last 26 weeks).
        n_simulations: number of simulated futures.
        seed: random seed; the default is fixed so that the same list gives the same
            forecast on every page load. ``None`` draws fresh randomness.
        model: hyperparameters of the removal model.

    Returns:
        A :class:`WaitForecast` with the 10th percentile, median and 90th percentile
        for each child, in weeks from now; ``inf`` where it cannot be forecast.
    """
    ahead = np.asarray(positions, dtype=np.float64).reshape(-1)
    removals = np.asarray(recent_removals, dtype=np.float64).reshape(-1)
    if ahead.size and (not np.all(np.isfinite(ahead)) or ahead.min() < 0):
        raise ValueError("positions must be finite and not negative")
    if removals.size and (not np.all(np.isfinite(removals)) or removals.min() < 0):
        raise ValueError("recent_removals must be finite and not negative")
    if n_simulations < 1:
        raise ValueError("n_simulations must be at least 1")
    never = np.full(ahead.shape, np.inf)
    if ahead.size == 0 or removals.size == 0 or removals.sum() <= 0:
        return WaitForecast(never, never.copy(), never.copy())

    curves = _cumulative_removal_curves(
        removals,
        needed=float(ahead.max()) + 1.0,
        n_simulations=n_simulations,
        seed=seed,
        model=model,
    )
    # The child is the (p + 1)-th removal from now.
    target = ahead + 1.0
    low, median, high = (_first_passage(curve, target) for curve in curves)
    return WaitForecast(median_weeks=median, low_weeks=low, high_weeks=high)


def _cumulative_removal_curves(
    removals: FloatArray,
    *,
    needed: float,
    n_simulations: int,
    seed: int | None,
    model: ForecastModel,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Order-statistic curves of simulated cumulative removals, one value per week.

    Returns (optimistic, middle, pessimistic) curves, each starting at 0 for "now".
    """
    fit = _fit_removals(removals, model)
    rng = np.random.default_rng(seed)
    s = n_simulations
    # Per-simulation level and trend, correlated as estimated; all relative to the fit so
    # that scaling the removals scales every simulated future.
    z_level = rng.standard_normal(s)
    z_other = rng.standard_normal(s)
    rho = fit.level_slope_corr
    z_slope = rho * z_level + math.sqrt(max(1.0 - rho * rho, 0.0)) * z_other
    level = fit.level + fit.level_se * z_level
    slope = fit.slope + fit.slope_se * z_slope
    # A line fitted through a fall can reach zero; keep a floor of a quarter of the
    # recent weighted mean so that a falling pathway is slow, not stopped for ever.
    floor = 0.25 * float(removals[-min(removals.size, 13) :].mean())
    level = np.maximum(level, floor)
    noise_cv = fit.noise_sd / max(fit.level, floor) if fit.level > 0 or floor > 0 else 0.0

    ranks = _order_statistic_ranks(s, model)
    phi = model.trend_damping
    total = np.zeros(s)
    log_drift = np.zeros(s)
    curves: list[list[FloatArray]] = [[np.zeros(1)] for _ in ranks]
    weeks_done = 0
    while weeks_done < model.max_weeks:
        weeks = min(_BLOCK_WEEKS, model.max_weeks - weeks_done)
        drift_steps = rng.standard_normal((s, _BLOCK_WEEKS))[:, :weeks]
        noise = rng.standard_normal((s, _BLOCK_WEEKS))[:, :weeks]
        h = np.arange(weeks_done + 1, weeks_done + weeks + 1, dtype=np.float64)
        # Damped trend: sum_{j=1..h} phi**j.
        damped = phi * (1.0 - phi**h) / (1.0 - phi) if phi < 1.0 else h
        log_path = log_drift[:, None] + model.drift_per_week * np.cumsum(drift_steps, axis=1)
        log_drift = log_path[:, -1].copy()
        mean_rate = np.maximum(level[:, None] + slope[:, None] * damped[None, :], 0.0)
        mean_rate = np.maximum(mean_rate, floor) * np.exp(log_path)
        weekly = np.maximum(mean_rate * (1.0 + noise_cv * noise), 0.0)
        cumulative = total[:, None] + np.cumsum(weekly, axis=1)
        total = cumulative[:, -1].copy()
        block = np.partition(cumulative, ranks, axis=0)[ranks]
        for curve, row in zip(curves, block, strict=True):
            curve.append(row)
        weeks_done += weeks
        # The pessimistic curve is the lowest; once it passes the furthest child we can stop.
        if block[-1, -1] >= needed:
            break
    low_curve, mid_curve, high_curve = (np.concatenate(parts) for parts in curves)
    return low_curve, mid_curve, high_curve


def _order_statistic_ranks(n_simulations: int, model: ForecastModel) -> list[int]:
    """Ascending indices of the k-th largest simulated totals for each quantile.

    The q-th quantile of a child's wait is reached when ceil(q * n) of the simulations
    have had enough removals, i.e. when the ceil(q * n)-th largest total is big enough.
    """
    ranks = []
    for q in (model.low_quantile, 0.5, model.high_quantile):
        k = max(1, math.ceil(q * n_simulations))
        ranks.append(n_simulations - k)
    return ranks


def _first_passage(curve: FloatArray, target: FloatArray) -> FloatArray:
    """Time at which a non-decreasing weekly curve first reaches each target.

    Linear within a week, because removals are spread through the week; ``inf`` if the
    curve never gets there.
    """
    week = np.searchsorted(curve, target, side="left")
    result = np.full(target.shape, np.inf)
    reached = week < curve.shape[0]
    w = week[reached]
    before = curve[w - 1]
    after = curve[w]
    result[reached] = (w - 1) + (target[reached] - before) / (after - before)
    return result


def naive_forecast(recent_completed_waits: ArrayLike) -> float | None:
    """The naive forecast: median of recently completed waits, or None if there are none.

    This is what a family is often told ("most children wait about N weeks"); the
    backtest uses it as the baseline the forecast has to beat.
    """
    waits = np.asarray(recent_completed_waits, dtype=np.float64).reshape(-1)
    waits = waits[np.isfinite(waits)]
    if waits.size == 0:
        return None
    return float(np.median(waits))
