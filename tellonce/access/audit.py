"""Writing the audit log: every read and write of a child's record, in the caller's transaction."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from tellonce.access import chain
from tellonce.access.models import AuditEvent, AuditEventChild
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


def audit_actor(user: User | None) -> str:
    """Who acted, as the audit log keeps it: staff by name and role (they act for their
    organisation), the family without a name: the log is never changed, and a young
    person's name written into it could not be erased with their record. Pages show the
    account's current name beside it (AuditEvent.user), which erasure does remove."""
    if user is None or active_memberships(user):
        return describe_actor(user)
    if hasattr(user, "own_record"):
        return YOUNG_PERSON_ACTOR
    return FAMILY_ACTOR


YOUNG_PERSON_ACTOR = "Young person (their own record)"
FAMILY_ACTOR = "Parent or carer"
FAMILY_ACTORS = frozenset({YOUNG_PERSON_ACTOR, FAMILY_ACTOR})


def pseudonymous(value: object) -> str:
    """A search term as it is kept in the audit log: a keyed hash (HMAC-SHA256, key
    AUDIT_PSEUDONYM_KEY) of its lower-case text, so the log holds no name or NHS number
    and an investigator with the key can still find who searched for a term."""
    text = " ".join(str(value).split()).lower().encode()
    digest = hmac.new(settings.AUDIT_PSEUDONYM_KEY.encode(), text, hashlib.sha256).hexdigest()
    return f"hmac:{digest[:32]}"


def pseudonymous_criteria(criteria: dict[str, object]) -> dict[str, str]:
    """A search's criteria for the audit log: which fields were used, never what was typed."""
    return {name: pseudonymous(value) for name, value in criteria.items() if value}


def record(
    user: User | None,
    child: Child | None,
    action: str,
    subject: str,
    basis: str,
    **detail: Any,
) -> AuditEvent:
    """Append one audit event; it is sealed into the hash chain (tellonce/access/chain.py) just
    after the transaction commits.
    Callers are inside a transaction (ATOMIC_REQUESTS or an action's own), so the event
    commits or rolls back with what it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit events must be written inside the transaction they describe")
    event = AuditEvent(
        user=user,
        actor_description=audit_actor(user),
        child=child,
        action=action,
        subject=subject,
        basis=basis,
        detail=detail,
    )
    return chain.append(event)  # type: ignore[no-any-return]


# Where a list read's event keeps the ids of the children it showed.
LIST_CHILDREN_KEY = "children"
_INSERT_CHILDREN = f"INSERT INTO {AuditEventChild._meta.db_table} (event_id, child_id) VALUES "
_ROWS_PER_INSERT = 500  # 1,000 parameters: well within SQLite's and PostgreSQL's limits


def record_list(
    user: User | None,
    subject: str,
    basis: str,
    children: Iterable[Child | UUID | str],
    action: str = Action.VIEW,
    **detail: Any,
) -> AuditEvent:
    """Append one audit event for a page of a list that showed children: `subject` names the
    list, the event's detail holds the ids of the children shown (in the order shown), and an
    index row per child lets each family's "who has looked" page find it."""
    ids = list(dict.fromkeys(str(getattr(child, "pk", child)) for child in children))
    event = record(user, None, action, subject, basis, **{LIST_CHILDREN_KEY: ids}, **detail)
    # One multi-row INSERT per 500 children rather than bulk_create: the ORM's per-value
    # preparation cost more than the inserts (9 ms of a 13 ms list read of 25 children).
    connection = transaction.get_connection()
    child_field = AuditEventChild._meta.get_field("child").target_field
    for start in range(0, len(ids), _ROWS_PER_INSERT):
        batch = ids[start : start + _ROWS_PER_INSERT]
        params: list[Any] = []
        for pk in batch:
            params += [event.pk, child_field.get_db_prep_value(pk, connection)]
        with connection.cursor() as cursor:
            cursor.execute(_INSERT_CHILDREN + ", ".join(["(%s, %s)"] * len(batch)), params)
    return event


def events_about(child: Child) -> QuerySet[AuditEvent]:
    """Every event about the child: those naming it, and the list reads that showed it."""
    listed = AuditEventChild.objects.filter(child=child).values("event_id")
    return AuditEvent.objects.filter(Q(child=child) | Q(pk__in=listed))
