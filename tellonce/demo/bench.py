"""Measuring pages the way the issues ask: server time as a ratio to a trivial view in the same
run, and query counts. Used by every app's benchmark command; numbers are printed, never
asserted in the test suite.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Timing:
    name: str
    p50_ms: float
    p95_ms: float
    queries: int
    samples: int

    def ratio(self, baseline: Timing) -> tuple[float, float]:
        return self.p50_ms / baseline.p50_ms, self.p95_ms / baseline.p95_ms


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(
    name: str,
    client: Client,
    urls: Callable[[int], str],
    samples: int = 100,
    warmup: int = 5,
    expect_status: int = 200,
) -> Timing:
    """Request urls(i) `samples` times through the whole Django stack (middleware, sessions,
    templates, audit writes) and time each around the test client.

    Queries are counted in a few separate, untimed requests: capturing them slows every
    query, which would count against the pages that make more of them.
    """
    queries: list[int] = []
    for i in range(warmup):
        with CaptureQueriesContext(connection) as captured:
            client.get(urls(i))
        queries.append(len(captured.captured_queries))
    times: list[float] = []
    for i in range(samples):
        url = urls(i)
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != expect_status:
            raise RuntimeError(f"{url} answered {response.status_code}, not {expect_status}")
    return Timing(name, statistics.median(times), percentile(times, 0.95), max(queries), samples)


def report(timings: list[Timing], baseline: Timing, target: float | None = None) -> str:
    lines = [
        f"{'page':44} {'p50 ms':>8} {'p95 ms':>8} {'p50 x':>7} {'p95 x':>7} {'queries':>8}",
    ]
    for t in [baseline, *timings]:
        r50, r95 = t.ratio(baseline)
        flag = ""
        if target is not None and t is not baseline:
            flag = "  ok" if r95 <= target else f"  OVER {target:g}x"
        lines.append(
            f"{t.name[:44]:44} {t.p50_ms:8.2f} {t.p95_ms:8.2f} {r50:7.1f} {r95:7.1f} "
            f"{t.queries:8d}{flag}"
        )
    return "\n".join(lines)
