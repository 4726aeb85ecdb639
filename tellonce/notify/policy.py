"""Who may read which outbox messages (the local outbox page)."""

from __future__ import annotations

from tellonce.access.policy import roles
from tellonce.people.models import StaffMembership, User


def may_see_caseload_messages(user: User) -> bool:
    """SEND managers see every outbox message about their caseload, not only their own."""
    return StaffMembership.Role.LA_MANAGER in roles(user)
