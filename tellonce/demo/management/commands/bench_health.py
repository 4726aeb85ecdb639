"""Benchmarks for issue 6: forecasting a long list, and the analysis page at 100,000 referrals.

Builds its data in a throwaway SQLite database (a temporary file), in a child process, so
the demo database is never touched. Prints seconds for the forecast and p50/p95 of the
analysis page as a ratio to /healthz measured in the same run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from tellonce.demo.bench import percentile


class Command(BaseCommand):
    help = "Benchmark the health forecast and waiting-time analysis in a throwaway database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--waiting", type=int, default=20_000,
                            help="Children waiting on the one pathway forecast")
        parser.add_argument("--referrals", type=int, default=100_000,
                            help="Referrals behind the analysis page")
        parser.add_argument("--requests", type=int, default=40,
                            help="Requests of each page timed")
        parser.add_argument("--inside", action="store_true", help="(internal) run the benchmark "
                            "in the current database, which must be empty")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["inside"]:
            with tempfile.TemporaryDirectory() as tmp:
                env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
                       "REQUIRE_STAFF_2FA": "false", "DEBUG": "false"}
                command = [sys.executable, str(Path(sys.argv[0]).resolve()), "bench_health",
                           "--inside", "--waiting", str(options["waiting"]),
                           "--referrals", str(options["referrals"]),
                           "--requests", str(options["requests"])]
                subprocess.run(command, env=env, check=True)
            return
        self._run(options)

    def _run(self, options: dict[str, Any]) -> None:
        import numpy as np
        from django.test import Client
        from django.test.utils import setup_test_environment

        from tellonce.health.forecast import forecast_waits
        from tellonce.health.queues import forecast_pathway

        call_command("migrate", verbosity=0)
        setup_test_environment()
        out = self.stdout.write
        started = time.monotonic()
        world = _build(options["waiting"], options["referrals"])
        out(f"data: {world['referrals']:,} referrals on {world['pathways']} pathways, "
            f"{world['children']:,} children, built in {time.monotonic() - started:.1f} s")

        # 1. Forecast every child waiting on one pathway: the database read and the numerics.
        today = date.today()
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            ids, result = forecast_pathway(world["long_pathway"], today)
            runs.append(time.perf_counter() - t)
        pure = []
        for _ in range(3):
            t = time.perf_counter()
            forecast_waits(np.arange(len(ids)), np.full(26, 60.0))
            pure.append(time.perf_counter() - t)
        out(f"forecast: {len(ids):,} waiting children on one pathway: "
            f"{min(runs):.3f} s best, {max(runs):.3f} s worst of 3 (database and numerics); "
            f"numerics alone {min(pure):.3f} s (target under 2 s)")
        assert len(result) == len(ids)

        # 2. The analysis page against the trivial view, interleaved, in the same run.
        client = Client()
        client.force_login(world["leader"])
        t = time.perf_counter()
        first = client.get("/waiting-times/")
        cold = time.perf_counter() - t
        assert first.status_code == 200, first.status_code
        page, trivial = [], []
        for _ in range(options["requests"]):
            t = time.perf_counter()
            response = client.get("/healthz")
            trivial.append(time.perf_counter() - t)
            assert response.status_code == 200
            t = time.perf_counter()
            response = client.get("/waiting-times/")
            page.append(time.perf_counter() - t)
            assert response.status_code == 200
        p50, p95 = percentile(page, 0.5), percentile(page, 0.95)
        h50, h95 = percentile(trivial, 0.5), percentile(trivial, 0.95)
        out(f"analysis page over {world['referrals']:,} referrals: first request (computes the "
            f"monthly summaries) {cold * 1000:.0f} ms; then p50 {p50 * 1000:.1f} ms, "
            f"p95 {p95 * 1000:.1f} ms over {len(page)} requests")
        out(f"/healthz: p50 {h50 * 1000:.2f} ms, p95 {h95 * 1000:.2f} ms")
        out(f"ratio to /healthz: p50 {p50 / h50:.1f}x, p95 {p95 / h95:.1f}x "
            f"(target p95 within 10x); mean page {statistics.mean(page) * 1000:.1f} ms")


def _build(waiting: int, total: int) -> dict[str, Any]:
    """An area with one very long list and enough other referrals to make `total`."""
    import random

    from django.db import transaction

    from tellonce.health.models import Pathway, PathwayKind, Referral
    from tellonce.people.models import Child, Locality, Organisation, StaffMembership, User

    rng = random.Random(6)
    today = date.today()
    with transaction.atomic():
        la = Organisation.objects.create(name="Benchshire Council", kind="local_authority")
        localities = [Locality.objects.create(name=n, local_authority=la)
                      for n in ("Northbank", "Southbank", "Eastmoor", "Westford")]
        trust = Organisation.objects.create(name="Benchshire Trust", kind="nhs_trust",
                                            local_authority=la)
        services = {
            kind: Organisation.objects.create(name=f"{label} service", kind="health_service",
                                              parent=trust, local_authority=la)
            for kind, label in PathwayKind.choices
        }
        leader = User.objects.create(username="bench-leader")
        icb = Organisation.objects.create(name="Benchshire ICB", kind="icb", local_authority=la)
        StaffMembership.objects.create(user=leader, organisation=icb, role="leader",
                                       start=today - timedelta(days=10))
        n_children = max(total // 4, waiting + 1000)
        children = [
            Child(given_name="Bench", family_name=f"Child{i}",
                  date_of_birth=today - timedelta(days=rng.randrange(400, 6000)),
                  local_authority=la, locality=localities[i % 4], held_by=la)
            for i in range(n_children)
        ]
        Child.objects.bulk_create(children, batch_size=5000)
        pathways = []
        for kind, service in services.items():
            for locality in ([*localities] if kind in ("slt", "ot") else [None]):
                pathways.append(Pathway(kind=kind, provider=service, local_authority=la,
                                        locality=locality))
        Pathway.objects.bulk_create(pathways)
        long_list = pathways[0]
        referrals = []
        # The long list: `waiting` children waiting, and 26 weeks of about 60 seen a week.
        for i in range(waiting):
            referrals.append(Referral(
                child=children[i], pathway=long_list, referrer_name="GP",
                received_on=today - timedelta(days=rng.randrange(1, 1500)),
                status=Referral.Status.WAITING,
            ))
        for _ in range(60 * 26):
            seen = today - timedelta(days=rng.randrange(1, 182))
            referrals.append(Referral(
                child=rng.choice(children), pathway=long_list, referrer_name="GP",
                received_on=seen - timedelta(days=rng.randrange(30, 700)),
                status=Referral.Status.IN_ASSESSMENT, triage_decision_on=seen,
                first_seen_on=seen, left_list_on=seen,
            ))
        while len(referrals) < total:
            received = today - timedelta(days=rng.randrange(1, 1100))
            waited = rng.randrange(5, 500)
            left = received + timedelta(days=waited)
            r = Referral(child=rng.choice(children), pathway=rng.choice(pathways[1:]),
                         referrer_name="GP", received_on=received,
                         triage_decision_on=received + timedelta(days=min(waited, 20)))
            if left < today:
                r.status, r.first_seen_on, r.left_list_on = "in_assessment", left, left
            else:
                r.status = "waiting"
            referrals.append(r)
        Referral.objects.bulk_create(referrals, batch_size=5000)
    return {"referrals": len(referrals), "pathways": len(pathways), "children": n_children,
            "long_pathway": long_list.pk, "leader": leader}
