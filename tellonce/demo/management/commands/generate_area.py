"""manage.py generate_area: build the synthetic local area (see tellonce/demo/area.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tellonce.demo.area import generate_area
from tellonce.people.models import Organisation


class Command(BaseCommand):
    help = "Build a reproducible synthetic local area (default: the size of Halton)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--children",
            type=int,
            default=30_000,
            help="children and young people aged 0-25 (default 30,000)",
        )
        parser.add_argument(
            "--plans",
            type=int,
            default=None,
            help="EHC plans to aim for (default: 5.3%% of children)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing if the database already holds an area",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already holds an area: leaving it as it is.")
                return
            raise CommandError(
                "The database already holds an area. Use a fresh database "
                "(delete db.sqlite3 and run migrate), or pass --if-empty."
            )
        if options["children"] < 100:
            raise CommandError("--children must be at least 100")
        generate_area(
            seed=options["seed"],
            children=options["children"],
            plans=options["plans"],
            progress=lambda message: self.stdout.write(message),
        )
