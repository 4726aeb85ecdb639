"""Erases every child record whose retention period has passed (run it, say, monthly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tellonce.privacy.erasure import erase_child
from tellonce.privacy.management.commands.retention_due import parse_day
from tellonce.privacy.retention import due_for_erasure


class Command(BaseCommand):
    help = "Erase the child records due under the retention schedule (see retention_due)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="as on this day (YYYY-MM-DD); default today")
        parser.add_argument("--confirm", action="store_true", help="erase; without it, list only")

    def handle(self, *args: Any, **options: Any) -> None:
        due = list(due_for_erasure(parse_day(options["on"])))
        if not options["confirm"]:
            self.stdout.write(f"{len(due)} records are due; run again with --confirm to erase them")
            return
        for i, item in enumerate(due, 1):
            reason = f"Retention period ended on {item.on} ({item.rule.what})"
            erase_child(None, item.child, reason, rule=item.rule.key)
            if i % 100 == 0 or i == len(due):
                self.stdout.write(f"erased {i} of {len(due)}")
        if not due:
            self.stdout.write("No records are due for erasure")
