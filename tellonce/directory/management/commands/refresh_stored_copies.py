"""Write the stored ORUK list items and result cards (stored.py) of services that lack them.

    .venv/bin/python manage.py refresh_stored_copies [--all] [--batch 500]

Rows written before migration 0004, or by a bulk loader, have empty copies and are built on
every read until edited; run this once after migrating (it is safe to run again: each batch
is rewritten from the database as it is then, in its own transaction). --all rewrites every
service's copies, for after a change to the card template or the ORUK serialiser.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Q

from tellonce.directory import stored
from tellonce.directory.models import Service


class Command(BaseCommand):
    help = "Fill services' stored ORUK list items and result cards."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true",
                            help="rewrite every service's copies, not only empty ones")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        services = Service.objects.all()
        if not options["all"]:
            services = services.filter(Q(oruk_item="") | Q(result_card=""))
        pks = list(services.order_by("pk").values_list("pk", flat=True))
        batch = max(1, options["batch"])
        for start in range(0, len(pks), batch):
            with transaction.atomic():
                stored.refresh([Service(pk=pk) for pk in pks[start:start + batch]])
        self.stdout.write(f"Wrote the stored copies of {len(pks):,} services.")
