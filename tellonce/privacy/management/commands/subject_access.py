"""Writes a copy of everything held about a child, for a subject access request (Article 15)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tellonce.access import audit
from tellonce.people.models import Child
from tellonce.privacy import subject_access

BASIS = "Subject access request (UK GDPR Article 15), answered by information governance"


class Command(BaseCommand):
    help = "Write everything held about a child as PDF and JSON (a subject access request)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("child_id")
        parser.add_argument("--out", default=".", help="folder to write the two files in")
        parser.add_argument("--requested-by", required=True,
                            help="who asked (kept in the audit log), e.g. 'Mother, by letter'")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            child = Child.objects.get(pk=UUID(options["child_id"]), erased_at__isnull=True)
        except (ValueError, Child.DoesNotExist):
            raise CommandError(f"No child record {options['child_id']!r}") from None
        out = Path(options["out"])
        if not out.is_dir():
            raise CommandError(f"--out {out} is not a folder")
        with transaction.atomic():
            audit.record(None, child, audit.Action.EXPORT, "Copy of everything held (command)",
                         BASIS, requested_by=options["requested_by"][:200])
            pdf, data = subject_access.as_pdf(child), subject_access.as_json(child)
        for suffix, content in (("pdf", pdf), ("json", data)):
            path = out / f"everything-held-{child.pk}.{suffix}"
            path.write_bytes(content)
            self.stdout.write(f"wrote {path} ({len(content):,} bytes)")
