"""manage.py create_api_token USERNAME NAME: issue a bearer token for a staff system."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tellonce.access.policy import active_memberships
from tellonce.api.models import API_AREAS, ApiToken
from tellonce.people.models import User


class Command(BaseCommand):
    help = "Issue an API token for a member of staff; the key is shown once and never stored."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="which system will use the token")
        parser.add_argument("--scope", choices=[s.value for s in ApiToken.Scope],
                            default=ApiToken.Scope.READ,
                            help="read (GET only, the default) or write (GET and POST)")
        parser.add_argument("--apis", default=",".join(API_AREAS),
                            help=f"comma-separated API areas it may call (default: all of "
                                 f"{','.join(API_AREAS)})")
        parser.add_argument("--days", type=int, default=settings.API_TOKEN_DAYS,
                            help="days until it expires (default: API_TOKEN_DAYS)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {options['username']!r}")
        if not active_memberships(user):
            raise CommandError("API tokens are for staff: this user works for no organisation")
        if not 1 <= options["days"] <= 3660:
            raise CommandError("--days must be from 1 to 3660")
        apis = tuple(a.strip() for a in options["apis"].split(",") if a.strip())
        try:
            _token, key = ApiToken.issue(user, options["name"], scope=options["scope"],
                                         apis=apis, days=options["days"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(key)
