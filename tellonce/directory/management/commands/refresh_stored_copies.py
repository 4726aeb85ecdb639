"""Write the stored ORUK list items and result cards (stored.py) of services that lack them,
or whose copies were written by other code (after a change to the card's template or the
ORUK serialiser: their `copies_version` is not this code's).

    .venv/bin/python manage.py refresh_stored_copies [--all] [--batch 500]

`migrate` does the same after migrating (post_migrate), so a deployment rewrites outdated
copies without anyone having to remember; until then they are built live on every read,
never served stale. Safe to run again: each batch is rewritten from the database as it is
then, in its own transaction. --all rewrites every service's copies.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from tellonce.directory import stored
from tellonce.directory.models import Service


class Command(BaseCommand):
    help = "Fill services' stored ORUK list items and result cards."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true",
                            help="rewrite every service's copies, not only outdated ones")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        batch = max(1, options["batch"])

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done:,} of {total:,}")

        if not options["all"]:
            count = stored.refresh_outdated(batch, progress)
        else:
            pks = list(Service.objects.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(pks), batch):
                with transaction.atomic():
                    stored.refresh([Service(pk=pk) for pk in pks[start:start + batch]])
                progress(min(start + batch, len(pks)), len(pks))
            count = len(pks)
        self.stdout.write(f"Wrote the stored copies of {count:,} services.")
