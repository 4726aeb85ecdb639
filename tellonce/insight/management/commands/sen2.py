"""manage.py sen2 --census YYYY-MM-DD --out FILE.xml: the DfE SEN2 return from the record."""

from __future__ import annotations

import resource
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tellonce.insight import sen2
from tellonce.people.models import Organisation


class Command(BaseCommand):
    help = ("Write the SEN2 person-level return for a census day, list every record that would "
            "fail a rule, and print the counts and 20-week percentages")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--census", required=True, help="Census (survey) day, YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="The XML file to write")
        parser.add_argument("--la", type=int, action="append",
                            help="Local authority id (repeatable; default every authority "
                                 "with children, one file each with the id appended)")
        parser.add_argument("--progress", type=int, default=0,
                            help="Print progress every N persons (0: never)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            census = date.fromisoformat(options["census"])
        except ValueError as error:
            raise CommandError(f"--census: {options['census']!r} is not a date "
                               f"(YYYY-MM-DD)") from error
        authorities = list(Organisation.objects.filter(
            pk__in=options["la"]) if options["la"] else Organisation.objects.filter(
            kind=Organisation.Kind.LOCAL_AUTHORITY, resident_children__isnull=False).distinct())
        if not authorities:
            raise CommandError("--la: no such local authority")
        started = time.monotonic()
        total_errors = 0
        for la in authorities:
            out = options["out"] if len(authorities) == 1 else \
                options["out"].replace(".xml", f"-{la.pk}.xml")
            every = options["progress"]

            def progress(n: int, la: Organisation = la, every: int = every) -> None:
                if every and n % every == 0:
                    self.stdout.write(f"  {la.name}: {n} persons")

            with open(out, "w", encoding="utf-8") as handle:
                written = sen2.write_xml(la, census, handle, on_person=progress)
            s = sen2.summary(la, census, written.persons)
            total_errors += len(written.problems)
            self.stdout.write(
                f"{la.name} (LA {la.code or la.pk}): {out}\n"
                f"  persons {s.persons}; requests in {census.year - 1}: {s.requests_in_year}; "
                f"plans issued: {s.plans_issued_in_year}; active on {census}: {s.active_plans}\n"
                f"  issued within 20 weeks: {s.pct(s.within_incl)} including exceptions "
                f"({s.within_incl[0]} of {s.within_incl[1]}), {s.pct(s.within_excl)} excluding "
                f"({s.within_excl[0]} of {s.within_excl[1]})\n"
                f"  records failing a rule: {len(written.problems)}"
                + ("" if written.problems else " (ready to submit)"))
            for problem in written.problems[:200]:
                self.stdout.write(f"    {problem.rule}: {problem.message} -> {problem.link}")
            if len(written.problems) > 200:
                self.stdout.write(f"    … and {len(written.problems) - 200} more")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"{len(authorities)} return(s) in {time.monotonic() - started:.1f} s; "
                          f"peak RSS {peak:.0f} MB; errors {total_errors}")
