"""manage.py check_area: does the area in the database agree with itself? (demo/checks.py)"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tellonce.demo.checks import CHECKS, check_area


class Command(BaseCommand):
    help = ("Check that the records agree with each other: plans and their history, "
            "assessments, who may see what they work from, and who each open EHC step waits on.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--only", action="append", choices=sorted(CHECKS),
                            help="run only this check (repeat for more)")
        parser.add_argument("--show", type=int, default=20,
                            help="problems to list for each check (default 20)")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = check_area(only=options["only"])
        counts = Counter(p.check for p in problems)
        for name in CHECKS:
            if options["only"] and name not in options["only"]:
                continue
            self.stdout.write(f"{name}: {counts[name]} problem(s)")
            for problem in [p for p in problems if p.check == name][: options["show"]]:
                self.stdout.write(f"  {problem.subject}: {problem.detail}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found")
        self.stdout.write(self.style.SUCCESS("The area agrees with itself."))
