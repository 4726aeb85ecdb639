"""The account a request acts for, typed as the project's User.

Pages are signed in through the session (`login_required`); the API by a staff token,
whose check (tellonce/api/auth.py `StaffToken`) sets `request.user` to the token's user
before any endpoint runs. Either way the views read the same attribute, through here, so
no view casts `request.user` itself.
"""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest

from tellonce.people.models import User


def user(request: HttpRequest) -> User:
    return cast(User, request.user)
