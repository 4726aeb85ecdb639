"""Synthetic waiting-list histories, and a backtest of the wait forecast against them."""

# The synthetic history is the test bed for forecast.py, so it is written to look like a
# SEND area's community health pathways rather than like the forecast's own model:
#   * referrals arrive at random (Poisson), fewer in school holidays, when schools refer less;
#   * first assessments are offered at a capacity that wanders from month to month
#     (vacancies, sickness, locums: a slow random process, about +/-10%), dips over
#     Christmas and in August, and on two pathways changes for good part-way through;
#   * children are seen in referral order, and a few leave the list without being seen
#     (moved away, referral withdrawn), about 8% a year;
#   * the history is followed on past its last observed week so that the outcome of every
#     child waiting at a forecast date is known (as it would be, looking back, in real data).
# The pathway figures and these rules were fixed before the forecast was tuned; tuning
# changed only ForecastModel.
#
# Run it: python -m tellonce.health.backtest

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from tellonce.health.forecast import (
    DEFAULT_MODEL,
    ForecastModel,
    forecast_waits,
    naive_forecast,
)

__all__ = [
    "DEFAULT_PATHWAYS",
    "DEFAULT_SEED",
    "BacktestResult",
    "ForecastEvaluation",
    "PathwayHistory",
    "PathwaySpec",
    "backtest",
    "backtest_pathway",
    "evaluate_forecasts",
    "format_report",
    "generate_history",
    "main",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

DEFAULT_SEED = 2026
WEEKS_PER_YEAR = 52


@dataclass(frozen=True)
class PathwaySpec:
    """How one synthetic pathway behaves.

    ``referrals_per_week`` is the yearly average; ``capacity_per_week`` is a normal
    week's first assessments, before the Christmas and August dips.
    """

    name: str
    referrals_per_week: float
    capacity_per_week: float
    initial_list: int
    capacity_change_week: int | None = None
    capacity_change_factor: float = 1.0


DEFAULT_PATHWAYS: tuple[PathwaySpec, ...] = (
    # Demand above capacity: the list and the waits grow, as for most autism pathways.
    PathwaySpec("Autism assessment", 10.0, 9.0, initial_list=450),
    # Roughly in balance.
    PathwaySpec("Speech and language therapy", 16.0, 16.5, initial_list=300),
    # Improving: extra clinicians from week 60 lift capacity by 40%.
    PathwaySpec(
        "Occupational therapy",
        7.0,
        6.5,
        initial_list=200,
        capacity_change_week=60,
        capacity_change_factor=1.4,
    ),
    # Worsening: two consultants leave at week 80 and capacity falls by 30%.
    PathwaySpec(
        "Community paediatrics",
        12.0,
        12.5,
        initial_list=250,
        capacity_change_week=80,
        capacity_change_factor=0.7,
    ),
    # A short list with short waits.
    PathwaySpec("Physiotherapy", 5.0, 5.6, initial_list=30),
)

# Weeks of the school year (week 0 = first week of September) that are school holidays.
_SCHOOL_HOLIDAY_WEEKS = frozenset({8, 16, 17, 24, 31, 32, 39, *range(46, 52)})
_CHRISTMAS_WEEKS = frozenset({16, 17})
_AUGUST_WEEKS = frozenset(range(47, 52))
_WITHDRAWAL_PER_WEEK = 0.0015
_CAPACITY_WANDER_AR = 0.95
_CAPACITY_WANDER_SD = 0.03


@dataclass(frozen=True)
class PathwayHistory:
    """Every child who waited on one synthetic (or hand-built) pathway.

    Times are in weeks from the start of the history: week w runs from w to w + 1.
    Children are indexed in the order the pathway sees them (referral order).
    """

    name: str
    observed_weeks: int
    referral_time: FloatArray
    removal_time: FloatArray
    """When the child left the list; NaN if still waiting when the history ends."""
    assessed: BoolArray
    """True if the child left for a first assessment, False if withdrawn or still waiting."""
    removals_per_week: FloatArray
    """Removals (assessments and withdrawals) in each week, for all simulated weeks."""
    referrals_per_week: FloatArray = field(default_factory=lambda: np.zeros(0))


def _school_week(week: int) -> int:
    return week % WEEKS_PER_YEAR


def _referral_season(school_week: int) -> float:
    """Referral rate relative to the yearly average: 60% in school holidays."""
    holiday_share = len(_SCHOOL_HOLIDAY_WEEKS) / WEEKS_PER_YEAR
    term_rate = 1.0 / (1.0 - 0.4 * holiday_share)
    return term_rate * (0.6 if school_week in _SCHOOL_HOLIDAY_WEEKS else 1.0)


def generate_history(
    pathways: Sequence[PathwaySpec] = DEFAULT_PATHWAYS,
    *,
    weeks: int = 156,
    follow_up_weeks: int = 104,
    seed: int = DEFAULT_SEED,
) -> list[PathwayHistory]:
    """Simulate ``weeks`` of history for each pathway, plus follow-up to learn outcomes.

    Deterministic for a given seed. Forecast dates should lie within ``weeks``; the
    follow-up weeks only supply what later happened to the children then waiting.
    """
    rng = np.random.default_rng(seed)
    return [
        _simulate_pathway(spec, weeks, follow_up_weeks, np.random.default_rng(child_seed))
        for spec, child_seed in zip(
            pathways, rng.integers(0, 2**32, size=len(pathways)), strict=True
        )
    ]


def _simulate_pathway(
    spec: PathwaySpec, weeks: int, follow_up_weeks: int, rng: np.random.Generator
) -> PathwayHistory:
    total_weeks = weeks + follow_up_weeks
    # Children already waiting at week 0 were referred over the time the list took to build.
    span = spec.initial_list / spec.capacity_per_week
    referral: list[float] = sorted((-span * rng.random(spec.initial_list)).tolist())
    removal: list[float] = [math.nan] * spec.initial_list
    assessed: list[bool] = [False] * spec.initial_list
    waiting: list[int] = list(range(spec.initial_list))
    removals = np.zeros(total_weeks)
    referrals = np.zeros(total_weeks)
    wander = 0.0
    for week in range(total_weeks):
        school_week = _school_week(week)
        wander = _CAPACITY_WANDER_AR * wander + _CAPACITY_WANDER_SD * rng.standard_normal()
        capacity = spec.capacity_per_week * math.exp(wander)
        if spec.capacity_change_week is not None and week >= spec.capacity_change_week:
            capacity *= spec.capacity_change_factor
        if school_week in _CHRISTMAS_WEEKS:
            capacity *= 0.5
        elif school_week in _AUGUST_WEEKS:
            capacity *= 0.85

        # Withdrawals can happen anywhere on the list.
        leaving = int(rng.binomial(len(waiting), _WITHDRAWAL_PER_WEEK))
        if leaving:
            chosen = set(rng.choice(len(waiting), size=leaving, replace=False).tolist())
            for slot in sorted(chosen):
                child = waiting[slot]
                removal[child] = week + float(rng.random())
            waiting = [child for slot, child in enumerate(waiting) if slot not in chosen]

        seen = min(int(rng.poisson(capacity)), len(waiting))
        for child, offset in zip(waiting[:seen], np.sort(rng.random(seen)).tolist(), strict=True):
            removal[child] = week + offset
            assessed[child] = True
        waiting = waiting[seen:]
        removals[week] = leaving + seen

        # New referrals join after this week's clinics, so they wait at least until next week.
        rate = spec.referrals_per_week * _referral_season(school_week)
        arriving = int(rng.poisson(rate))
        referrals[week] = arriving
        first = len(referral)
        referral.extend((week + np.sort(rng.random(arriving))).tolist())
        removal.extend([math.nan] * arriving)
        assessed.extend([False] * arriving)
        waiting.extend(range(first, first + arriving))

    return PathwayHistory(
        name=spec.name,
        observed_weeks=weeks,
        referral_time=np.asarray(referral, dtype=np.float64),
        removal_time=np.asarray(removal, dtype=np.float64),
        assessed=np.asarray(assessed, dtype=np.bool_),
        removals_per_week=removals,
        referrals_per_week=referrals,
    )


@dataclass(frozen=True)
class ForecastEvaluation:
    """How forecasts compared with what happened, for one set of (child, date) pairs."""

    n: int
    """Pairs with a forecast and a known outcome (the base for coverage)."""
    coverage: float
    """Share of actual waits inside the forecast's 10th-90th percentile range."""
    forecast_mae: float
    """Median absolute error of the forecast median, in weeks."""
    naive_mae: float
    """Median absolute error of the naive forecast, on the pairs where it exists."""
    n_compared: int
    """Pairs where both forecasts exist (the base for the two errors)."""

    @property
    def mae_ratio(self) -> float:
        """Forecast error over naive error: 0.8 or less meets the target."""
        return self.forecast_mae / self.naive_mae if self.naive_mae > 0 else math.inf


def evaluate_forecasts(
    actual: FloatArray,
    low: FloatArray,
    median: FloatArray,
    high: FloatArray,
    naive: FloatArray,
) -> ForecastEvaluation:
    """Coverage and median absolute errors of forecasts against actual waits.

    All arrays are in weeks and aligned. Pairs whose median forecast is not finite
    ("cannot forecast") are left out of everything; pairs without a naive forecast
    (NaN) are left out of the comparison of errors, so both errors are measured on the
    same pairs. A wait exactly on the edge of the range counts as inside.
    """
    actual = np.asarray(actual, dtype=np.float64)
    usable = np.isfinite(median) & np.isfinite(actual)
    inside = (actual >= low) & (actual <= high)
    n = int(usable.sum())
    coverage = float(inside[usable].mean()) if n else math.nan
    both = usable & np.isfinite(naive)
    n_compared = int(both.sum())
    if n_compared:
        forecast_mae = float(np.median(np.abs(median[both] - actual[both])))
        naive_mae = float(np.median(np.abs(naive[both] - actual[both])))
    else:
        forecast_mae = naive_mae = math.nan
    return ForecastEvaluation(n, coverage, forecast_mae, naive_mae, n_compared)


@dataclass
class _Pairs:
    actual: list[FloatArray] = field(default_factory=list)
    low: list[FloatArray] = field(default_factory=list)
    median: list[FloatArray] = field(default_factory=list)
    high: list[FloatArray] = field(default_factory=list)
    naive: list[FloatArray] = field(default_factory=list)
    withdrawn: int = 0
    censored: int = 0

    def add(self, other: _Pairs) -> None:
        self.actual += other.actual
        self.low += other.low
        self.median += other.median
        self.high += other.high
        self.naive += other.naive
        self.withdrawn += other.withdrawn
        self.censored += other.censored

    def evaluate(self) -> ForecastEvaluation:
        def cat(parts: list[FloatArray]) -> FloatArray:
            return np.concatenate(parts) if parts else np.zeros(0)

        return evaluate_forecasts(
            cat(self.actual), cat(self.low), cat(self.median), cat(self.high), cat(self.naive)
        )


@dataclass(frozen=True)
class BacktestResult:
    """Backtest figures per pathway and for all pathways pooled."""

    pathways: dict[str, ForecastEvaluation]
    overall: ForecastEvaluation
    withdrawn: dict[str, int]
    """Children waiting at a forecast date who later left unseen (no wait to compare)."""
    censored: dict[str, int]
    """Children still waiting when the history ends (outcome unknown)."""
    forecast_dates: list[int]


def _pathway_pairs(
    history: PathwayHistory,
    forecast_dates: Sequence[int],
    *,
    window_weeks: int,
    naive_window_weeks: int,
    n_simulations: int,
    seed: int,
    model: ForecastModel,
) -> _Pairs:
    pairs = _Pairs()
    completed_wait = history.removal_time - history.referral_time
    for date in forecast_dates:
        t = float(date)
        # Waiting at the forecast date: referred before it and not yet gone.
        waiting = (history.referral_time < t) & ~(history.removal_time < t)
        index = np.flatnonzero(waiting)  # already in the order the pathway sees children
        positions = np.arange(index.size, dtype=np.float64)
        recent = history.removals_per_week[max(0, date - window_weeks) : date]
        forecast = forecast_waits(
            positions, recent, n_simulations=n_simulations, seed=seed + date, model=model
        )
        # Naive: median of waits completed in the recent window, less time already waited.
        recently_done = (
            history.assessed
            & (history.removal_time >= t - naive_window_weeks)
            & (history.removal_time < t)
        )
        naive_total = naive_forecast(completed_wait[recently_done])
        waited = t - history.referral_time[index]
        naive = (
            np.maximum(naive_total - waited, 0.0)
            if naive_total is not None
            else np.full(index.size, np.nan)
        )
        removal = history.removal_time[index]
        assessed = history.assessed[index]
        known = assessed & np.isfinite(removal)
        pairs.withdrawn += int((~assessed & np.isfinite(removal)).sum())
        pairs.censored += int((~np.isfinite(removal)).sum())
        pairs.actual.append(removal[known] - t)
        pairs.low.append(forecast.low_weeks[known])
        pairs.median.append(forecast.median_weeks[known])
        pairs.high.append(forecast.high_weeks[known])
        pairs.naive.append(naive[known])
    return pairs


def backtest_pathway(
    history: PathwayHistory,
    forecast_dates: Sequence[int],
    *,
    window_weeks: int = 26,
    naive_window_weeks: int = 13,
    n_simulations: int = 1000,
    seed: int = 0,
    model: ForecastModel = DEFAULT_MODEL,
) -> ForecastEvaluation:
    """Backtest one pathway: forecast at each date from earlier data, compare with outcomes.

    At each forecast date every child then waiting gets a forecast made only from the
    ``window_weeks`` of removals before the date and their place on the list, and a naive
    forecast: the median of waits completed in the ``naive_window_weeks`` before the
    date, less the time the child has already waited (never below zero). Children who
    later leave unseen, or are still waiting when the history ends, have no wait to
    compare and are left out.
    """
    return _pathway_pairs(
        history,
        forecast_dates,
        window_weeks=window_weeks,
        naive_window_weeks=naive_window_weeks,
        n_simulations=n_simulations,
        seed=seed,
        model=model,
    ).evaluate()


def backtest(
    histories: Sequence[PathwayHistory] | None = None,
    *,
    forecast_dates: Sequence[int] | None = None,
    window_weeks: int = 26,
    naive_window_weeks: int = 13,
    n_simulations: int = 1000,
    seed: int = 0,
    model: ForecastModel = DEFAULT_MODEL,
) -> BacktestResult:
    """Backtest every pathway; by default the default synthetic history, every 2 weeks."""
    if histories is None:
        histories = generate_history()
    if forecast_dates is None:
        observed = min(h.observed_weeks for h in histories)
        forecast_dates = list(range(window_weeks, observed, 2))
    dates = list(forecast_dates)
    pooled = _Pairs()
    per_pathway: dict[str, ForecastEvaluation] = {}
    withdrawn: dict[str, int] = {}
    censored: dict[str, int] = {}
    for history in histories:
        pairs = _pathway_pairs(
            history,
            dates,
            window_weeks=window_weeks,
            naive_window_weeks=naive_window_weeks,
            n_simulations=n_simulations,
            seed=seed,
            model=model,
        )
        per_pathway[history.name] = pairs.evaluate()
        withdrawn[history.name] = pairs.withdrawn
        censored[history.name] = pairs.censored
        pooled.add(pairs)
    return BacktestResult(per_pathway, pooled.evaluate(), withdrawn, censored, dates)


def format_report(result: BacktestResult) -> str:
    """Plain-text table of the backtest figures, per pathway and overall."""
    dates = result.forecast_dates
    lines = [
        f"Backtest of wait forecasts at {len(dates)} dates (weeks {dates[0]}-{dates[-1]})"
        if dates
        else "Backtest of wait forecasts (no dates)",
        "Targets: 75-85% of actual waits inside the 80% range; forecast error at least 20%"
        " below naive (ratio <= 0.80).",
        "",
        f"{'pathway':<28} {'pairs':>7} {'in range':>9} {'forecast MAE':>13}"
        f" {'naive MAE':>10} {'ratio':>6} {'withdrew':>9} {'waiting':>8}",
    ]

    def row(name: str, ev: ForecastEvaluation, withdrew: int, waiting: int) -> str:
        return (
            f"{name:<28} {ev.n:>7} {ev.coverage:>9.1%} {ev.forecast_mae:>10.2f} wk"
            f" {ev.naive_mae:>7.2f} wk {ev.mae_ratio:>6.2f} {withdrew:>9} {waiting:>8}"
        )

    for name, ev in result.pathways.items():
        lines.append(row(name, ev, result.withdrawn[name], result.censored[name]))
    lines.append(
        row(
            "overall",
            result.overall,
            sum(result.withdrawn.values()),
            sum(result.censored.values()),
        )
    )
    overall = result.overall
    met_coverage = 0.75 <= overall.coverage <= 0.85
    met_error = overall.mae_ratio <= 0.8
    lines += [
        "",
        "pairs: (child, forecast date) pairs with a known outcome. MAE: median absolute error",
        "of the forecast median (naive: median of waits completed in the last 13 weeks, less",
        "time already waited), in weeks, on pairs where both exist. withdrew / waiting: pairs",
        "left out because the child later left unseen, or was still waiting when the history",
        "ended.",
        f"Coverage target {'met' if met_coverage else 'NOT met'}; "
        f"error target {'met' if met_error else 'NOT met'}.",
    ]
    return "\n".join(lines)


def main() -> None:
    """Print the backtest report for the default synthetic history."""
    print(format_report(backtest()))


if __name__ == "__main__":
    main()
