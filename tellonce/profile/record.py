"""The profile's part of the child record page (tellonce/people/record.py)."""

from __future__ import annotations

from typing import Any

from tellonce.access.policy import ChildAccess
from tellonce.people.models import Child, User
from tellonce.profile.actions import latest_version


def about_me(user: User, child: Child, access: ChildAccess) -> dict[str, Any]:
    """The latest 'About me', shown in brief (anyone who sees the record may read it)."""
    return {"about_me": latest_version(child)}
