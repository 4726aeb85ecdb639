"""manage.py create_api_token USERNAME NAME: issue a bearer token for a staff system."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tellonce.access.policy import active_memberships
from tellonce.api.models import ApiToken
from tellonce.people.models import User


class Command(BaseCommand):
    help = "Issue an API token for a member of staff; the key is shown once and never stored."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="which system will use the token")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {options['username']!r}")
        if not active_memberships(user):
            raise CommandError("API tokens are for staff: this user works for no organisation")
        _token, key = ApiToken.issue(user, options["name"])
        self.stdout.write(key)
