"""Erases one child's record (a request under UK GDPR Article 17), keeping the audit log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tellonce.people.models import Child
from tellonce.privacy.erasure import AlreadyErased, erase_child


class Command(BaseCommand):
    help = "Erase one child's record: everything held but the audit log, which stays verifiable."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("child_id")
        parser.add_argument("--reason", required=True, help="why, as it will be audited")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            child = Child.objects.get(pk=UUID(options["child_id"]))
        except (ValueError, Child.DoesNotExist):
            raise CommandError(f"No child record {options['child_id']!r}") from None
        if not options["reason"].strip():
            raise CommandError("--reason must say why the record is erased")
        try:
            erasure = erase_child(None, child, options["reason"].strip(), rule="request")
        except AlreadyErased as already:
            raise CommandError(str(already)) from None
        total = sum(erasure.deleted.values())
        self.stdout.write(f"Erased record {erasure.child_id}: {total} rows deleted, "
                          f"{erasure.files} files")
        for label, count in sorted(erasure.deleted.items()):
            self.stdout.write(f"  {label}: {count}")
