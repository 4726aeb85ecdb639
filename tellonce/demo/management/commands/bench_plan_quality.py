"""manage.py bench_plan_quality: how long the plan quality checks (ehc.quality) take.

Two figures the issue asks for, printed, never asserted: checking one 40-page plan (target
under 100 ms), and checking every plan of the largest authority, 25,000, as the quality
report does (target under 5 minutes). The plans' text is generated in bulk in memory by
`tellonce.demo.quality.plan_sections` (good, generic and vague wording), so no database is
needed; the copy-paste counts are built across all the plans first, as the report does.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections import Counter
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand

from tellonce.demo.quality import KINDS, plan_sections
from tellonce.ehc import quality

WORDS_A_PAGE = 500
NAMES = ["Amira", "Oliver", "Esi", "Noah", "Maya", "Leo", "Ava", "Kofi", "Isla", "Jack"]


class Command(BaseCommand):
    help = "Time the plan quality checks on a 40-page plan and on 25,000 plans."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--plans", type=int, default=25_000)
        parser.add_argument("--pages", type=int, default=40)
        parser.add_argument("--samples", type=int, default=20)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(options["seed"])
        on = date(2026, 12, 1)
        big = self._long_plan(rng, options["pages"])
        words = sum(len(t.split()) for t in big.values())
        timings, cpu = [], []
        for _ in range(options["samples"]):
            started, cpu_started = time.perf_counter(), time.process_time()
            found = quality.plan_findings(quality.PlanFacts(sections=big, on=on, year=10))
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        self.stdout.write(
            f"one plan of {options['pages']} pages ({words:,} words, "
            f"{sum(len(t) for t in big.values()):,} characters): "
            f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms over "
            f"{options['samples']} runs (CPU time median {statistics.median(cpu):.1f} ms; "
            f"load average {os.getloadavg()[0]:.1f}), {len(found)} findings "
            f"(target under 100 ms)")

        total = options["plans"]
        self.stdout.write(f"generating the text of {total:,} plans")
        started = time.perf_counter()
        plans = []
        kinds, weights = list(KINDS), list(KINDS.values())
        for i in range(total):
            kind = rng.choices(kinds, weights=weights)[0]
            plans.append(plan_sections(rng, rng.choice(NAMES), kind,
                                       year=rng.randint(0, 13), needs=rng.randint(2, 6)))
            if (i + 1) % 5000 == 0:
                self.stdout.write(f"  generated {i + 1:,}")
        generated = time.perf_counter() - started
        started, cpu_started = time.perf_counter(), time.process_time()
        counts: Counter[tuple[str, str]] = Counter()
        for sections in plans:
            for key in quality.GENERIC_SECTIONS:
                if (sections.get(key) or "").strip():
                    counts[(key, quality.fingerprint(sections[key]))] += 1
        findings = 0
        for i, sections in enumerate(plans):
            findings += len(quality.plan_findings(quality.PlanFacts(
                sections=sections, on=on, year=rng.randint(0, 13), generic_counts=counts)))
            if (i + 1) % 5000 == 0:
                self.stdout.write(f"  checked {i + 1:,} ({time.perf_counter() - started:.1f} s)")
        checked = time.perf_counter() - started
        cpu_checked = time.process_time() - cpu_started
        self.stdout.write(
            f"{total:,} plans checked in {checked:.1f} s (CPU {cpu_checked:.1f} s; load "
            f"average {os.getloadavg()[0]:.1f}) ({total / checked:,.0f} plans a "
            f"second; {findings:,} findings; text generated in {generated:.1f} s, not "
            f"counted) (target under 300 s)")

    @staticmethod
    def _long_plan(rng: random.Random, pages: int) -> dict[str, str]:
        """A plan of about `pages` pages: many needs, each with its outcome and provision,
        and long views, health and care sections."""
        target = pages * WORDS_A_PAGE
        needs = 10
        while True:
            sections = plan_sections(rng, "Amira", "good", year=10, needs=needs)
            words = sum(len(t.split()) for t in sections.values())
            if words >= target * 0.7:
                break
            needs *= 2
        # The rest in section A and the health and care sections, as long plans have.
        filler = ("I like drawing and being outside with my family. We want Amira to have "
                  "friends and to be happy at college. ")
        rest = max(0, target - words)
        per = rest // 4 // len(filler.split()) + 1
        for key in ("A", "C", "D"):
            sections[key] = sections[key] + "\n" + filler * per
        sections["K"] = sections["K"] + "\n" + ("Advice from the service, given last term.\n"
                                                * per)
        return sections
