"""Benchmark: time the wait forecast for 20,000 children waiting on one pathway."""

# Run it: python -m tellonce.health.bench_forecast
# The target is under 2 s on this machine. Two cases are timed: a busy pathway
# whose whole list is seen within about two years, and the worst case, where capacity is
# so low that the simulation has to run to the ten-year horizon before giving up.

from __future__ import annotations

import statistics
import time

import numpy as np

from tellonce.health.forecast import forecast_waits

CHILDREN = 20_000
REPEATS = 5


def _time_forecast(weekly_removals: float, seed: int) -> tuple[float, float]:
    """Median and fastest wall-clock seconds over REPEATS forecasts of CHILDREN children."""
    rng = np.random.default_rng(seed)
    positions = np.arange(CHILDREN)
    recent = rng.poisson(weekly_removals, size=26).astype(np.float64)
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        forecast_waits(positions, recent, n_simulations=2000, seed=seed)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), min(timings)


def main() -> None:
    """Print how long forecasting 20,000 waiting children takes."""
    print(f"Forecasting {CHILDREN:,} waiting children on one pathway, 2,000 simulated futures")
    for label, rate in [
        ("busy pathway, ~200 seen a week", 200.0),
        ("worst case, ~10 seen a week (runs to the 10-year horizon)", 10.0),
    ]:
        median, fastest = _time_forecast(rate, seed=1)
        print(f"  {label}: median {median:.3f} s, fastest {fastest:.3f} s over {REPEATS} runs")


if __name__ == "__main__":
    main()
