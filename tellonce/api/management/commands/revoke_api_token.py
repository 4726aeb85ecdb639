"""manage.py revoke_api_token ID… | --user USERNAME: revoke API tokens at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tellonce.api.actions import revoke
from tellonce.api.models import ApiToken


class Command(BaseCommand):
    help = "Revoke API tokens by id (as the token page lists them), or every token of a user."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="token ids")
        parser.add_argument("--user", help="revoke every live token of this username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["ids"] and not options["user"]:
            raise CommandError("Name the tokens' ids, or --user USERNAME")
        tokens = ApiToken.objects.filter(revoked_at__isnull=True)
        if options["user"]:
            tokens = tokens.filter(user__username=options["user"])
        if options["ids"]:
            tokens = tokens.filter(pk__in=options["ids"])
            missing = set(options["ids"]) - set(tokens.values_list("pk", flat=True))
            if missing:
                named = ", ".join(map(str, sorted(missing)))
                raise CommandError(f"No unrevoked token with id {named}")
        with transaction.atomic():
            revoked = [revoke(None, token) for token in tokens.select_related("user")]
        for token in revoked:
            self.stdout.write(f"Revoked {token.pk}: {token.name} ({token.user.username})")
        if not revoked:
            self.stdout.write("No unrevoked tokens matched")
