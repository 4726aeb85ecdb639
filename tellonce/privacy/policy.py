"""Who may ask for a copy of everything held about a child (UK GDPR Article 15)."""

from __future__ import annotations

from tellonce.access.policy import ChildAccess, may_manage_consent
from tellonce.people.models import Child, User


def may_request_copy(user: User, child: Child, access: ChildAccess) -> bool:
    """Whoever decides about the record decides about a copy of it: those with parental
    responsibility for a child under 16, the young person from 16 (ICO guidance: a child
    may exercise their own rights once competent; from 16 the record is theirs here).
    Staff answer requests through `manage.py subject_access`, which information
    governance runs."""
    return may_manage_consent(user, child, access)
