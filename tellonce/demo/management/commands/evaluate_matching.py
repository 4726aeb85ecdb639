"""Evaluate the matcher on a synthetic pair of feeds with known truth, printing the figures."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tellonce.demo.matching_truth import synthetic_pair
from tellonce.matching import engine
from tellonce.matching.actions import ACCEPT_AT, REVIEW_AT
from tellonce.matching.decide import decide


def evaluate(size: int, error_rate: float, seed: int = 1, accept_at: float = ACCEPT_AT,
             review_at: float = REVIEW_AT) -> dict[str, float]:
    """Train without labels, predict, decide as the import does, and score against truth."""
    started = time.perf_counter()
    pair = synthetic_pair(size, error_rate, seed=seed)
    generated = time.perf_counter()
    model = engine.train(pair.feed, pair.record, seed=seed)
    trained = time.perf_counter()
    pairs = engine.predict(pair.feed, pair.record, model, floor=review_at)
    decisions = decide([row["unique_id"] for row in pair.feed], pairs, accept_at, review_at)
    done = time.perf_counter()
    linked = [d for d in decisions.values() if d.outcome == "link"]
    right = sum(1 for d in linked if pair.truth[d.feed_id] == d.record_id)
    on_record = sum(1 for v in pair.truth.values() if v is not None)
    to_review = sum(1 for d in decisions.values() if d.outcome == "review")
    return {
        "precision": right / len(linked) if linked else 1.0,
        "recall": right / on_record if on_record else 1.0,
        "review_share": to_review / len(pair.feed),
        "linked": len(linked), "wrong_links": len(linked) - right, "to_review": to_review,
        "on_record": on_record, "feed_rows": len(pair.feed),
        "seconds_generate": generated - started, "seconds_train": trained - generated,
        "seconds_match": done - trained, "seconds_total": done - generated,
    }


class Command(BaseCommand):
    help = ("Generate a synthetic pair of feeds with known truth (SIZE record rows, SIZE feed "
            "rows, 90% of them on the record) and realistic errors at RATE per field, train "
            "the model without labels, match, and print precision and recall of the automatic "
            "links, the share sent to review and the time taken (matching, not generating).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, default=30_000)
        parser.add_argument("--error-rate", type=float, default=0.1)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--accept-at", type=float, default=ACCEPT_AT)
        parser.add_argument("--review-at", type=float, default=REVIEW_AT)

    def handle(self, *args: Any, **options: Any) -> None:
        size, rate = options["size"], options["error_rate"]
        if size < 100 or not 0 <= rate <= 1:
            self.stderr.write("--size must be at least 100 and --error-rate from 0 to 1")
            raise SystemExit(2)
        self.stdout.write(f"{size:,} x {size:,} rows, error rate {rate:.0%} per field, "
                          f"accept at {options['accept_at']}, review from {options['review_at']}"
                          f", Splink {engine.SPLINK_VERSION} (DuckDB)")
        r = evaluate(size, rate, options["seed"], options["accept_at"], options["review_at"])
        self.stdout.write(
            f"precision of automatic links: {r['precision']:.4%} "
            f"({r['wrong_links']:,} wrong of {r['linked']:,})\n"
            f"recall: {r['recall']:.4%} (of {r['on_record']:,} feed rows on the record)\n"
            f"sent to review: {r['review_share']:.2%} ({r['to_review']:,} of "
            f"{r['feed_rows']:,})\n"
            f"time: training {r['seconds_train']:.1f} s, matching {r['seconds_match']:.1f} s, "
            f"total {r['seconds_total']:.1f} s (generating the data: "
            f"{r['seconds_generate']:.1f} s, not counted)")
