"""manage.py bench: the foundation's benchmark, at the Halton size and at 300,000 children.

For each size it builds the area in a throwaway SQLite database (timing the generator), then
measures the child record page and the caseload search as a ratio to /healthz, with query
counts, and checks that the record page's query count does not grow with the number of
involvements, consents or About me versions. Each size runs in its own process so that the
databases never mix. Other apps' benchmark commands (bench_directory, bench_health,
bench_ehc) are run afterwards when they exist, unless --only-foundation.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

TARGET = 10.0  # p95 within 10x the trivial view
OTHER_BENCHES = ["bench_directory", "bench_health", "bench_ehc"]


class Command(BaseCommand):
    help = "Benchmark the child record and caseload search at two area sizes."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--sizes",
            default="30000:1600,300000:25000",
            help="children:plans pairs, comma-separated",
        )
        parser.add_argument("--samples", type=int, default=100)
        parser.add_argument("--only-foundation", action="store_true")
        parser.add_argument("--_generate", help=argparse_hidden(), default="")
        parser.add_argument("--_measure", help=argparse_hidden(), action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["_generate"]:
            children, plans = (int(x) for x in options["_generate"].split(":"))
            self.generate(children, plans)
            return
        if options["_measure"]:
            self.measure(options["samples"])
            return
        for pair in options["sizes"].split(","):
            children, plans = (int(x) for x in pair.split(":"))
            path = Path(settings.BASE_DIR) / "var" / f"bench-{children}.sqlite3"
            path.parent.mkdir(exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
            self.stdout.write(
                f"\n== foundation benchmark: {children:,} children, {plans:,} plans ==", ending="\n"
            )
            self.stdout.flush()
            # Build the area in one process and measure in a fresh one, as a server process
            # would be: not carrying the generator's hundreds of thousands of objects.
            for step in [f"--_generate={children}:{plans}", "--_measure"]:
                subprocess.run(
                    [sys.executable, "manage.py", "bench", step, f"--samples={options['samples']}"],
                    cwd=settings.BASE_DIR,
                    env=env,
                    check=True,
                )
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        if not options["only_foundation"]:
            available = get_commands()
            for name in OTHER_BENCHES:
                if name in available:
                    self.stdout.write(f"\n== {name} ==")
                    call_command(name)

    def generate(self, children: int, plans: int) -> None:
        from tellonce.demo.area import generate_area

        call_command("migrate", verbosity=0)
        started = time.monotonic()
        generate_area(
            seed=2026,
            children=children,
            plans=plans,
            progress=lambda m: self.stdout.write(f"  {m}"),
        )
        generator_seconds = time.monotonic() - started
        self.stdout.write(f"generator: {generator_seconds:.1f} s for {children:,} children")

    def measure(self, samples: int) -> None:
        from django.test import Client

        from tellonce.demo.bench import measure, report
        from tellonce.people.models import Child, User

        caseworker = Client()
        caseworker.force_login(User.objects.get(username="caseworker"))
        parent = Client()
        parent.force_login(User.objects.get(username="parent"))
        anonymous = Client()
        caseload = list(
            Child.objects.filter(send_status__in=["ehc_plan", "assessment"]).values_list(
                "pk", flat=True
            )[:500]
        )
        rng = random.Random(1)
        surnames = list(Child.objects.values_list("family_name", flat=True).distinct()[:50])
        kofi = Child.objects.get(given_name="Kofi", family_name="Mensah")
        # The baseline goes through the same middleware with the same signed-in session.
        baseline = measure(
            "trivial view /healthz (signed in)", caseworker, lambda i: "/healthz", samples
        )
        anonymous_baseline = measure(
            "trivial view /healthz (anonymous)", anonymous, lambda i: "/healthz", samples
        )
        timings = [
            anonymous_baseline,
            measure(
                "child record (caseworker, caseload)",
                caseworker,
                lambda i: f"/children/{rng.choice(caseload)}/",
                samples,
            ),
            measure(
                "child record (parent, Kofi)", parent, lambda i: f"/children/{kofi.pk}/", samples
            ),
            measure(
                "caseload search by name (caseworker)",
                caseworker,
                lambda i: f"/children/?name={rng.choice(surnames)[:3]}",
                samples,
            ),
            measure(
                "caseload search by date of birth",
                caseworker,
                lambda i: (
                    "/children/?date_of_birth_0=1&date_of_birth_1=5"
                    f"&date_of_birth_2={2010 + i % 10}"
                ),
                samples,
            ),
            measure(
                "children page, no search (list or prompt)",
                caseworker,
                lambda i: "/children/?sort=oldest&page=3",
                samples,
            ),
        ]
        self.stdout.write(report(timings, baseline, TARGET))
        self.query_growth(parent, kofi)

    def query_growth(self, client: Any, child: Any) -> None:
        """The record page's queries with few and with many involvements, consents, versions."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tellonce.access.models import Consent
        from tellonce.people.models import Involvement, Organisation
        from tellonce.profile.models import AboutMeVersion

        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                client.get(f"/children/{child.pk}/")
            return len(captured.captured_queries)

        before = count()
        orgs = Organisation.objects.bulk_create(
            [Organisation(name=f"Bench service {i}", kind="voluntary") for i in range(30)]
        )
        Involvement.objects.bulk_create(
            [
                Involvement(child=child, organisation=o, role="Bench", start=date(2025, 1, 1))
                for o in orgs
            ]
        )
        Consent.objects.bulk_create(
            [Consent(child=child, organisation=o, given_by_name="Bench") for o in orgs]
        )
        latest = child.about_me_versions.order_by("-number").first()
        AboutMeVersion.objects.bulk_create(
            [
                AboutMeVersion(
                    child=child,
                    number=latest.number + i + 1,
                    written_by="family",
                    author_description="Bench",
                    matters=f"v{i}",
                )
                for i in range(30)
            ]
        )
        after = count()
        verdict = "does not grow" if after == before else "GROWS"
        self.stdout.write(
            f"record page queries: {before} with a few rows; {after} with 30 more involvements, "
            f"30 more consents and 30 more About me versions: {verdict}"
        )


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS
