"""Consent, statutory bases for sharing, and the append-only audit log."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tellonce.people.models import Child, Involvement, Organisation, User


class Consent(models.Model):
    """A family's consent for one organisation to see a child's record, for a purpose.

    Giving consent again after withdrawing it makes a new row: the history is the record.
    """

    class Purpose(models.TextChoices):
        SHARE_RECORD = "share_record", "See and contribute to the shared record"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="consents")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=30, choices=Purpose.choices, default=Purpose.SHARE_RECORD)
    given_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    given_by_name = models.CharField(max_length=200, help_text="Who gave it, as recorded")
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["child", "organisation", "withdrawn_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "organisation", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_purpose",
            )
        ]

    def __str__(self) -> str:
        state = "withdrawn" if self.withdrawn_at else "given"
        return f"Consent {state}: {self.organisation} for {self.child}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class StatutoryBasis(models.Model):
    """A lawful basis for an organisation to see a record without consent (e.g. safeguarding).

    In force from `start` until the day before `end` (as an involvement is active), as the
    access policy reads it (`in_force_q`). `involvement` is the involvement recorded with the
    basis for the work it allows (an adviser's, during an EHC needs assessment): it ends with
    the basis, so a service is not left shown as working with a child it no longer may see.
    """

    class Basis(models.TextChoices):
        EHC_ASSESSMENT = "cfa_s36", "EHC needs assessment (Children and Families Act 2014 s.36)"
        EHC_PLAN = "cfa_s37", "Maintaining an EHC plan (Children and Families Act 2014 s.37)"
        SAFEGUARDING = "ca_s47", "Safeguarding enquiry (Children Act 1989 s.47)"
        CHILD_IN_NEED = "ca_s17", "Child in need (Children Act 1989 s.17)"
        HEALTH_NOTIFICATION = "cfa_s23", "Health notification (Children and Families Act 2014 s.23)"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="statutory_bases")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(max_length=10, choices=Basis.choices)
    reason = models.TextField()
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    start = models.DateField(default=date.today)
    end = models.DateField(null=True, blank=True)
    involvement = models.ForeignKey(
        Involvement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The involvement recorded with this basis, ended with it",
    )

    class Meta:
        # With the dates, the policy's "statutory basis in force" test reads the index alone.
        indexes = [models.Index(fields=["child", "organisation", "start", "end"])]
        verbose_name_plural = "statutory bases"

    def __str__(self) -> str:
        return f"{self.get_basis_display()}: {self.organisation} for {self.child}"

    @staticmethod
    def in_force_q(on: date, prefix: str = "") -> Q:
        """Bases in force on a day: started, and not yet ended (`end` is the first day without)."""
        return Q(**{f"{prefix}start__lte": on}) & (
            Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": on})
        )


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """The audit log's rows are never changed or deleted through the ORM (triggers guard the
    database itself)."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only")


class AppendOnlyModel(models.Model):
    """A row that is written once: saving it again or deleting it is refused."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only")


class AuditEvent(AppendOnlyModel):
    """Who did what to which child's record, when, and on what basis. Never changed or deleted.

    Triggers on both databases reject UPDATE, DELETE, TRUNCATE and SQLite's INSERT OR REPLACE
    (tellonce/access/append_only.py); in Python the model and its queryset refuse both too.
    Each row is a link of a hash chain (tellonce/access/chain.py): `sequence` is its place,
    `hash` covers its content and the previous row's hash, so `manage.py verify_audit` finds
    a row changed, removed or inserted behind the application's back.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Looked at"
        CREATE = "create", "Added"
        UPDATE = "update", "Changed"
        EXPORT = "export", "Exported"
        CONSENT_GIVEN = "consent_given", "Gave consent"
        CONSENT_WITHDRAWN = "consent_withdrawn", "Withdrew consent"
        ERASE = "erase", "Erased"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    # What the user was acting as, kept as text so the trail reads true after roles change.
    actor_description = models.CharField(max_length=300)
    child = models.ForeignKey(
        Child, null=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    subject = models.CharField(max_length=100, help_text="What was seen or changed")
    basis = models.CharField(max_length=200, help_text="Why the user could see or do it")
    detail = models.JSONField(default=dict, blank=True)
    # The hash chain (tellonce/access/chain.py). Null and empty from the row's insert until it
    # is sealed, just after its transaction commits; the only update an audit row ever gets.
    sequence = models.PositiveBigIntegerField(null=True, unique=True, editable=False)
    # Random, per row: the chain covers a salted digest of `detail`, so erasing the detail
    # (search terms) can keep the digest without it being guessable from the digest alone.
    detail_salt = models.CharField(max_length=32, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["child", "-at"]),
            # The rows waiting for their seal (a handful at any moment): what each seal reads.
            models.Index(
                fields=["id"], condition=Q(sequence__isnull=True), name="access_audit_unsealed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_description} {self.action} {self.subject}"

    @property
    def by_family(self) -> bool:
        """Written by a parent, carer or the young person (whose names the log never holds)."""
        from tellonce.access.audit import FAMILY_ACTORS

        return self.actor_description in FAMILY_ACTORS


class AuditEventChild(AppendOnlyModel):
    """One child a list read showed (a page of a worklist, a search's results, a home page).

    The event's own `detail["children"]` is the record (and goes into its hash); these rows
    index it, so a family's "who has looked" page finds the list reads that showed their child
    with an index lookup on SQLite and PostgreSQL alike, not by scanning the log's JSON.
    Written with the event, never changed.
    """

    event = models.ForeignKey(
        AuditEvent, on_delete=models.PROTECT, related_name="children_shown", db_index=False
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+", db_index=False)

    class Meta:
        indexes = [models.Index(fields=["child", "event"], name="access_auditchild_child_event")]

    def __str__(self) -> str:
        return f"Audit event {self.event_id} showed child {self.child_id}"


class AuditChainHead(models.Model):
    """The audit chain's one head row: the last sequence number and hash sealed.

    Sealing updates it first, which takes its row lock (PostgreSQL) or the write lock
    (SQLite) until the seal's short transaction ends: two seals never chain to the same row.
    `verify_audit` checks the head against the last row, so removing the newest rows shows.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"Audit chain head {self.sequence} {self.hash[:12]}"
