"""An invitation to a child's record, and what came of it."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from tellonce.people.models import Adult, Child, FamilyLink, User


class Invitation(models.Model):
    """A parent or carer with parental responsibility (an Adult on the record), or the young
    person from 16, asked by email to sign in and take up their access to the child's record.

    The link's token and the code are kept only as SHA-256 digests: the database never holds
    what would let someone accept. Accepting records who was linked, to which identity, when
    and on what basis (with who invited them and when), and the invitation cannot be used
    again; a withdrawn or expired one cannot be used at all.
    """

    class Kind(models.TextChoices):
        PARENT = "parent", "Parent or carer with parental responsibility"
        YOUNG_PERSON = "young_person", "Young person (16 or over)"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be accepted"
        ACCEPTED = "accepted", "Accepted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    adult = models.ForeignKey(
        Adult, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    token_digest = models.CharField(max_length=64, unique=True)
    code_digest = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    invited_by_description = models.CharField(max_length=300)
    # Why the inviter could invite: their own basis for seeing the record, and (a parent)
    # the parental responsibility the record holds.
    basis = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    family_link = models.ForeignKey(
        FamilyLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["child", "-created_at"])]

    def __str__(self) -> str:
        return f"Invitation to {self.email} for {self.child_id}"

    def is_open(self, now: object | None = None) -> bool:
        moment = now or timezone.now()
        return self.status == self.Status.PENDING and self.expires_at > moment  # type: ignore[operator]

    @property
    def invitee_name(self) -> str:
        if self.kind == self.Kind.YOUNG_PERSON:
            return f"{self.child.given_name} {self.child.family_name}"
        return str(self.adult)
