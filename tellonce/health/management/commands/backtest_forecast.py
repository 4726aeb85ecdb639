"""Replays synthetic waiting-list history and prints how well the wait forecast did."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from tellonce.health.backtest import DEFAULT_SEED, backtest, format_report, generate_history


class Command(BaseCommand):
    help = (
        "Backtest the wait forecast on synthetic history with known outcomes: the share of "
        "actual waits inside the 80% range (target 75-85%) and the median absolute error "
        "against the naive 'median of recent completed waits' (target at least 20% lower)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help="Seed of the synthetic history")
        parser.add_argument("--simulations", type=int, default=1000,
                            help="Simulated futures per forecast")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        histories = generate_history(seed=options["seed"])
        result = backtest(histories, n_simulations=options["simulations"])
        self.stdout.write(format_report(result))
        self.stdout.write(f"\n(seed {options['seed']}, {options['simulations']} simulations, "
                          f"{time.monotonic() - started:.1f} s)")
