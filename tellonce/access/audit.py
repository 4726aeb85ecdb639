"""Writing the audit log: every read and write of a child's record, in the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tellonce.access import chain
from tellonce.access.models import AuditEvent
from tellonce.access.policy import active_memberships
from tellonce.people.models import Child, User

Action = AuditEvent.Action


def describe_actor(user: User | None) -> str:
    """'Sam Okafor (Health practitioner, Riverside Speech and Language Therapy)'."""
    if user is None:
        return "System"
    memberships = active_memberships(user)
    if memberships:
        roles = "; ".join(
            f"{m.job_title or m.get_role_display()}, {m.organisation.name}" for m in memberships
        )
        return f"{user} ({roles})"[:300]
    if hasattr(user, "own_record"):
        return f"{user} (young person)"
    return f"{user} (family)"


def record(
    user: User | None,
    child: Child | None,
    action: str,
    subject: str,
    basis: str,
    **detail: Any,
) -> AuditEvent:
    """Append one audit event, chained to the one before it (tellonce/access/chain.py).
    Callers are inside a transaction (ATOMIC_REQUESTS or an action's own), so the event
    commits or rolls back with what it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit events must be written inside the transaction they describe")
    event = AuditEvent(
        user=user,
        actor_description=describe_actor(user),
        child=child,
        action=action,
        subject=subject,
        basis=basis,
        detail=detail,
    )
    return chain.append(event)  # type: ignore[no-any-return]
