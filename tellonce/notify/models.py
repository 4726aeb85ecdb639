"""The outbox: every message the service sends, what it says, and whether it went."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from tellonce.people.models import Child, User


class Message(models.Model):
    """One message to one person, saying what changed, what happens next and by when.

    Sent through GOV.UK Notify when a key is configured; otherwise it stays in the local
    outbox (status `kept`) where the person can read it.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be sent"
        KEPT = "kept", "In the outbox (email sending is not set up)"

    # An account, or (to_address) someone with no account yet: an invitation to sign in.
    to = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    to_address = models.EmailField(blank=True)
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    subject = models.CharField(max_length=200)
    what_changed = models.TextField()
    what_next = models.TextField()
    by_when = models.DateField(null=True, blank=True)
    link = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    notify_reference = models.CharField(
        max_length=100, blank=True, help_text="GOV.UK Notify's id for the sent message"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["to", "-created_at"]),
            models.Index(fields=["child", "-created_at"]),
            models.Index(fields=["status"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to or self.to_address}"

    @property
    def email_address(self) -> str:
        return self.to.email if self.to is not None else self.to_address

    @property
    def by_when_passed(self) -> bool:
        """The date the message gives had already gone when it was written: it is shown as
        passed ("Was due by"), never as a date still to come."""
        return self.by_when is not None and self.by_when < timezone.localdate(self.created_at)

    def by_when_words(self) -> str:
        if self.by_when is None:
            return ""
        words = self.by_when.strftime("%-d %B %Y")
        return f"was due by {words}: this date has passed" if self.by_when_passed else words
