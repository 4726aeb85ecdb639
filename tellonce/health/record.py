"""Health's part of the child record page (tellonce/people/record.py)."""

from __future__ import annotations

from typing import Any

from tellonce.access.policy import ChildAccess
from tellonce.health.policy import referable_pathways
from tellonce.people.models import Child, User


def referral_link(user: User, child: Child, access: ChildAccess) -> dict[str, Any]:
    """Whether to offer 'Refer to a health service': some pathway takes a referral of this
    child from this user (health/policy.py `referable_pathways`)."""
    return {"may_refer": referable_pathways(user, child, access).exists()}
