"""Lists the child records whose retention period has passed: what `erase_due` would erase."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tellonce.privacy.retention import due_for_erasure


def parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--on must be a date like 2026-12-04, not {text!r}") from None


class Command(BaseCommand):
    help = "List child records due for erasure under the retention schedule."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="as on this day (YYYY-MM-DD); default today")

    def handle(self, *args: Any, **options: Any) -> None:
        on = parse_day(options["on"])
        count = 0
        for due in due_for_erasure(on):
            if count == 0:
                self.stdout.write("record id                             born  due on      rule")
            self.stdout.write(
                f"{due.child.pk}  {due.child.date_of_birth.year}  {due.on}  "
                f"{due.rule.what} ({due.rule.years} years: {due.rule.source})"
            )
            count += 1
        self.stdout.write(f"{count} record{'s' if count != 1 else ''} due for erasure")
