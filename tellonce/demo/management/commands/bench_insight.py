"""Benchmark for the partnership's insight (issue 15): prints figures, asserts nothing.

Authority run (default): builds an area with the demo generator (--children, --plans) in a
throwaway SQLite file, then, in a fresh process, times the scorecard page and a breakdown as
a ratio to /healthz (p50/p95 of --samples requests each) and the SEN2 return for the
authority (seconds, peak RSS).

National run (--national): plans and their history only (a child, its request, the plan, its
"issue the final plan" step) for --authorities authorities and --plans plans in all, then
every authority's SEN2 return written one after another, with progress, total time and peak
RSS (the return is streamed, so memory should not grow with the number of plans).
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from tellonce.demo.bench import percentile


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Benchmark the scorecard and the SEN2 return in a throwaway database (prints figures)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--children", type=int, default=300_000)
        parser.add_argument("--plans", type=int, default=25_000)
        parser.add_argument("--samples", type=int, default=20)
        parser.add_argument("--national", action="store_true")
        parser.add_argument("--authorities", type=int, default=153)
        parser.add_argument("--inside", choices=["build", "measure"], help="(internal)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["inside"] == "build":
            self._build(options)
            return
        if options["inside"] == "measure":
            self._measure(options)
            return
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
                   "REQUIRE_STAFF_2FA": "false", "DEBUG": "false"}
            for step in ("build", "measure"):
                command = [sys.executable, str(Path(sys.argv[0]).resolve()), "bench_insight",
                           "--inside", step, "--children", str(options["children"]),
                           "--plans", str(options["plans"]), "--samples",
                           str(options["samples"]), "--authorities",
                           str(options["authorities"])]
                if options["national"]:
                    command.append("--national")
                subprocess.run(command, env=env, check=True)

    def _build(self, options: dict[str, Any]) -> None:
        call_command("migrate", verbosity=0)
        started = time.monotonic()
        if options["national"]:
            _national(options["authorities"], options["plans"], self.stdout.write)
        else:
            from tellonce.demo.area import generate_area

            generate_area(children=options["children"], plans=options["plans"],
                          progress=lambda m: None)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"built in {time.monotonic() - started:.0f} s")

    def _measure(self, options: dict[str, Any]) -> None:
        from tellonce.ehc.models import Plan
        from tellonce.insight import sen2
        from tellonce.people.models import Child, Organisation

        out = self.stdout.write
        out(f"data: {Child.objects.count():,} children, {Plan.objects.count():,} plans")
        if options["national"]:
            started = time.monotonic()
            authorities = list(Organisation.objects.filter(kind="local_authority",
                                                           code__startswith="N"))
            persons = 0
            with open(os.devnull, "w", encoding="utf-8") as sink:
                for i, la in enumerate(authorities, start=1):
                    persons += sen2.write_xml(la, date(date.today().year, 1, 15), sink).persons
                    if i % 10 == 0 or i == len(authorities):
                        out(f"  {i}/{len(authorities)} returns, {persons:,} persons, "
                            f"{time.monotonic() - started:.0f} s, peak RSS {_rss_mb():.0f} MB")
            out(f"national: {len(authorities)} returns in {time.monotonic() - started:.0f} s; "
                f"peak RSS {_rss_mb():.0f} MB")
            return
        from django.test import Client

        from tellonce.people.models import User

        client = Client()
        client.force_login(User.objects.get(username="leader"))
        times: dict[str, list[float]] = {}
        for url in ("/healthz", "/scorecard/", "/scorecard/ehc_20_weeks_excluding/",
                    "/scorecard/waits_over_standard/"):
            client.get(url, HTTP_HOST="127.0.0.1")  # warm: first request fills caches
            samples = []
            for _ in range(options["samples"]):
                t = time.perf_counter()
                answer = client.get(url, HTTP_HOST="127.0.0.1")
                samples.append(time.perf_counter() - t)
                assert answer.status_code == 200, (url, answer.status_code)
            times[url] = samples
        base = percentile(times["/healthz"], 0.95)
        for url, samples in times.items():
            p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
            out(f"{url:40} p50 {p50 * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms  "
                f"p95/healthz {p95 / base:8.1f}x")
        home = Organisation.objects.filter(kind="local_authority", parent__isnull=True,
                                           resident_children__isnull=False).distinct().first()
        assert home is not None
        started = time.monotonic()
        with open(os.devnull, "w", encoding="utf-8") as sink:
            written = sen2.write_xml(home, date(date.today().year, 1, 15), sink)
        out(f"SEN2 for {home.name}: {written.persons:,} persons in "
            f"{time.monotonic() - started:.1f} s; peak RSS {_rss_mb():.0f} MB")


def _national(authorities: int, plans: int, say: Any) -> None:
    """Plans and their history only, for many authorities: the rows SEN2 reads."""
    from tellonce.ehc.models import AssessmentRequest, Decision, Plan, Step
    from tellonce.people.models import Child, Organisation

    rng = random.Random(15)
    today = date.today()
    per = max(1, plans // authorities)
    started = time.monotonic()
    for n in range(authorities):
        la = Organisation.objects.create(name=f"Authority {n + 1}", kind="local_authority",
                                         code=f"N{n + 1:03d}")
        children, requests, made, steps, decisions = [], [], [], [], []
        for i in range(per):
            born = today - timedelta(days=rng.randrange(365, 25 * 365))
            child = Child(id=uuid.UUID(int=rng.getrandbits(128)), given_name="Sam",
                          family_name=f"Bench{i}", date_of_birth=born, local_authority=la,
                          held_by=la, send_status="ehc_plan", primary_need="ASD")
            children.append(child)
        Child.objects.bulk_create(children, batch_size=5000)
        for child in children:
            issued = today - timedelta(days=rng.randrange(30, 6 * 365))
            received = issued - timedelta(days=rng.choice([98, 120, 140, 141, 180, 220]))
            requests.append(AssessmentRequest(child=child, requester="parent",
                                              requested_by_name="Parent", received_on=received,
                                              reasons="bench", stage="final_issued"))
        AssessmentRequest.objects.bulk_create(requests, batch_size=5000)
        for child, request in zip(children, requests, strict=True):
            issued = request.received_on + timedelta(days=rng.choice([98, 120, 140, 141, 180]))
            made.append(Plan(child=child, request=request, status="active", issued_on=issued,
                             setting_type="special"))
            decisions.append(Decision(child=child, request=request, kind="assess",
                                      notice_sent_on=request.received_on + timedelta(days=40)))
            steps.append(Step(child=child, local_authority=la, kind="final_plan", stage="final",
                              title="Issue the final EHC plan", start=request.received_on,
                              due=request.received_on + timedelta(days=140), done_on=issued,
                              waiting_on="la", request=request))
        Plan.objects.bulk_create(made, batch_size=5000)
        Decision.objects.bulk_create(decisions, batch_size=5000)
        Step.objects.bulk_create(steps, batch_size=5000)
        if (n + 1) % 10 == 0 or n + 1 == authorities:
            say(f"  built {n + 1}/{authorities} authorities, {(n + 1) * per:,} plans, "
                f"{time.monotonic() - started:.0f} s")
