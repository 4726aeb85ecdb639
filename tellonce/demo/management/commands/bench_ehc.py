"""Benchmark for issue 4: the EHC worklist and the family's timeline at the largest
authority's size (25,000 active plans; 8,000 open requests and reviews).

Builds its data in a throwaway SQLite database (a temporary file) in a child process, so the
demo database is never touched; `--database-url` runs it against another empty database
(e.g. PostgreSQL). Then times the pages in a second, fresh child process: a server process
does not hold the heap a bulk load leaves behind, and garbage collections there walk it.
Prints
p50/p95 server time and query counts as a ratio to /healthz measured in the same run.
"""

from __future__ import annotations

import gc
import os
import random
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

CASEWORKER = "bench-cw0"  # whose worklist is timed


class Command(BaseCommand):
    help = "Benchmark the EHC worklist and timeline in a throwaway database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--plans", type=int, default=25_000)
        parser.add_argument("--open-requests", type=int, default=8_000)
        parser.add_argument("--requests", type=int, default=40, help="Requests of each page")
        parser.add_argument("--database-url", default="",
                            help="An EMPTY database to use instead of a temporary SQLite file")
        parser.add_argument("--inside", choices=["build", "measure"], help="(internal)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["inside"] == "build":
            self._build(options)
            return
        if options["inside"] == "measure":
            self._measure(options)
            return
        with tempfile.TemporaryDirectory() as tmp:
            url = options["database_url"] or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            env = {**os.environ, "DATABASE_URL": url, "REQUIRE_STAFF_2FA": "false",
                   "DEBUG": "false"}
            for step in ("build", "measure"):
                command = [sys.executable, str(Path(sys.argv[0]).resolve()), "bench_ehc",
                           "--inside", step, "--plans", str(options["plans"]),
                           "--open-requests", str(options["open_requests"]),
                           "--requests", str(options["requests"])]
                subprocess.run(command, env=env, check=True)

    def _build(self, options: dict[str, Any]) -> None:
        from django.db import connection

        from tellonce.ehc.models import Step

        call_command("migrate", verbosity=0)
        out = self.stdout.write
        started = time.monotonic()
        _build(options["plans"], options["open_requests"])
        with connection.cursor() as cursor:  # statistics, as a live database would have
            # On PostgreSQL, VACUUM too: autovacuum keeps a live table's visibility map set,
            # which index-only scans need; straight after a bulk load it is empty.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        open_steps = Step.objects.filter(done_on__isnull=True, cancelled=False).count()
        out(f"data: {options['plans']:,} active plans, {options['open_requests']:,} open "
            f"requests, {open_steps:,} open steps, {Step.objects.count():,} steps in all; "
            f"built in {time.monotonic() - started:.1f} s ({connection.vendor}); timed in a "
            f"fresh process, not the one that loaded the data")

    def _measure(self, options: dict[str, Any]) -> None:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, setup_test_environment

        from tellonce.ehc.models import AssessmentRequest
        from tellonce.people.models import Child, User

        setup_test_environment()
        out = self.stdout.write
        client = Client()
        client.force_login(User.objects.get(username=CASEWORKER))
        busy = (AssessmentRequest.objects.filter(stage="assessing")
                .order_by("pk").values_list("child_id", flat=True).first())
        assert busy is not None, "no request at the assessment stage"
        child = Child.objects.get(pk=busy)
        pages = {
            "worklist": "/ehc/worklist/",
            "worklist (page 50, sorted by name, overdue only)":
                "/ehc/worklist/?lateness=overdue&sort=child&page=50",
            "timeline": f"/children/{child.pk}/ehc/",
        }
        collecting: list[float] = []  # garbage-collection pauses while timing
        gc.callbacks.append(lambda phase, info: collecting.append(time.perf_counter()))
        times: dict[str, list[float]] = {name: [] for name in pages}
        queries: dict[str, int] = {}
        trivial: list[float] = []
        for name, url in pages.items():  # warm up, and count queries once
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            queries[name] = len(captured)
        with CaptureQueriesContext(connection) as captured:
            client.get("/healthz")
        queries["/healthz"] = max(1, len(captured))
        for _ in range(options["requests"]):
            t = time.perf_counter()
            assert client.get("/healthz").status_code == 200
            trivial.append(time.perf_counter() - t)
            for name, url in pages.items():
                t = time.perf_counter()
                client.get(url)
                times[name].append(time.perf_counter() - t)
        gc.callbacks.pop()
        pauses = sum(collecting[1::2]) - sum(collecting[0::2])
        out(f"garbage collection while timing: {len(collecting) // 2} runs, "
            f"{pauses * 1000:.1f} ms in all")
        h50, h95 = percentile(trivial, 0.5), percentile(trivial, 0.95)
        out(f"/healthz: p50 {h50 * 1000:.2f} ms, p95 {h95 * 1000:.2f} ms, "
            f"{queries['/healthz']} queries")
        for name, values in times.items():
            p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
            out(f"{name}: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms; ratio to /healthz "
                f"p50 {p50 / h50:.1f}x, p95 {p95 / h95:.1f}x; {queries[name]} queries "
                f"({queries[name] / queries['/healthz']:.0f}x /healthz's)")


def _build(plans: int, open_requests: int) -> None:
    """A local authority with `plans` active plans and `open_requests` open requests, made
    by the demo generator's EHC builders (due dates from ehc.clock)."""
    from django.db import transaction

    from tellonce.demo import ehc as demo
    from tellonce.demo.area import Area
    from tellonce.people.models import Child, Locality, Organisation, StaffMembership, User

    rng = random.Random(4)
    today = date.today()
    Role = StaffMembership.Role
    with transaction.atomic():
        la = Organisation.objects.create(name="Benchshire Council", kind="local_authority")
        area = Area(seed=4, rng=rng, today=today, progress=lambda message: None)
        area.local_authority = la
        area.localities = [Locality.objects.create(name=n, local_authority=la)
                           for n in ("Northbank", "Southbank", "Eastmoor", "Westford")]
        area.icb = Organisation.objects.create(name="Benchshire ICB", kind="icb",
                                               local_authority=la)
        area.la_teams = {
            key: Organisation.objects.create(name=name, kind="local_authority", parent=la,
                                             local_authority=la)
            for key, name in (("send", "SEND Team"), ("ep", "EP Service"))
        }
        area.social_care = [Organisation.objects.create(
            name="Children's Social Care", kind="social_care", parent=la, local_authority=la)]
        schools = [Organisation.objects.create(name=f"School {i}", kind="school",
                                               local_authority=la) for i in range(60)]
        start = today - timedelta(days=400)
        staff = []
        for i in range(max(3, plans // 150)):
            user = User.objects.create(username=CASEWORKER if i == 0 else f"bench-cw{i}",
                                       display_name=f"Caseworker {i}")
            StaffMembership.objects.create(user=user, organisation=area.la_teams["send"],
                                           role=Role.LA_CASEWORKER, start=start)
            staff.append(user)
        for i in range(5):
            user = User.objects.create(username=f"bench-ep{i}")
            StaffMembership.objects.create(user=user, organisation=area.la_teams["ep"],
                                           role=Role.EDUCATIONAL_PSYCHOLOGIST, start=start)
        dco = User.objects.create(username="bench-dco")
        StaffMembership.objects.create(user=dco, organisation=area.icb, role=Role.DCO,
                                       start=start)
        area.users = {"dco": dco, "caseworker": staff[0]}
        children = [
            Child(given_name="Bench", family_name=f"Child{i:06d}",
                  date_of_birth=today - timedelta(days=rng.randrange(400, 8000)),
                  local_authority=la, locality=area.localities[i % 4], held_by=la,
                  setting=schools[i % 60],
                  send_status="ehc_plan" if i < plans else "assessment")
            for i in range(plans + open_requests)
        ]
        Child.objects.bulk_create(children, batch_size=5000)
        demo.generate(area)
