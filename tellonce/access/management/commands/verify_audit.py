"""Walks the audit log's hash chain and names the first row that does not verify."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tellonce.access import chain
from tellonce.access.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain from its first row to its head; exit 1 naming the "
        "first row that does not verify."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect",
            metavar="SEQUENCE:HASH",
            help="a head printed by an earlier run, kept outside the database: it must still "
            "be in the chain (catches a rewrite of every row from some point on)",
        )
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="only check: leave rows committed but not yet sealed as they are (by default "
            "they are sealed first, the backstop for a server stopped between a commit and "
            "its seal)",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        expect = None
        if options["expect"]:
            sequence, _, hash_ = options["expect"].partition(":")
            if not sequence.isdigit() or len(hash_) != 64:
                raise CommandError("--expect must be SEQUENCE:HASH as verify_audit printed it")
            expect = (int(sequence), hash_)
        if not options["no_seal"]:
            sealed = chain.seal_unsealed(AuditEvent, using=options["database"])
            if sealed:
                self.stdout.write(
                    f"Sealed {sealed} rows that were committed but not yet in the chain."
                )
        verdict = chain.verify(AuditEvent, using=options["database"], expect=expect)
        if not verdict.ok:
            where = f"row id {verdict.broken_at}" if verdict.broken_at is not None else "the head"
            raise CommandError(
                f"The audit log does not verify at {where}: {verdict.reason}. "
                f"{verdict.rows} rows verified before it."
            )
        self.stdout.write(
            f"The audit log verifies: {verdict.rows} rows, "
            f"head {verdict.head_sequence}:{verdict.head_hash}"
        )
        if verdict.pending:
            self.stdout.write(
                f"{verdict.pending} rows committed since are not yet sealed (the next seal "
                "takes them; they are not in the count above)."
            )
