"""A delivery of a file from another agency's system, and its rows as they arrived."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from tellonce.people.models import Organisation, User


class FeedKind(models.TextChoices):
    PUPIL_ROLL = "pupil_roll", "Pupil roll (school census pupil fields)"
    ATTENDANCE = "attendance", "Attendance, suspensions and exclusions"
    SOCIAL_CARE = "social_care", "Children's social care flags"
    HEALTH_CASELOAD = "health_caseload", "Community health caseload"


class Delivery(models.Model):
    """One file as it was sent: who sent it, who brought it in and when. Kept whole: its rows
    are never edited, only linked to children (tellonce/matching)."""

    kind = models.CharField(max_length=20, choices=FeedKind.choices)
    sender = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                               help_text="The organisation whose system the file came from")
    sent_by = models.CharField(max_length=200, help_text="The person or system that sent it")
    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                        related_name="+")
    filename = models.CharField(max_length=255)
    received_at = models.DateTimeField(default=timezone.now)
    received_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.sender} ({self.received_at:%-d %b %Y})"


class FeedRecord(models.Model):
    """One row of a delivery: the identity the sender holds, and the facts it reports."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="records")
    row = models.PositiveIntegerField(help_text="Row number in the file (the header is row 1)")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    setting = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    # The kind's own columns (tellonce/feeds/formats.py), dates as ISO text.
    facts = models.JSONField(default=dict)

    class Meta:
        ordering = ["delivery", "row"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "row"], name="feed_record_row_once"),
        ]
        indexes = [models.Index(fields=["upn"]), models.Index(fields=["nhs_number"])]

    def __str__(self) -> str:
        return f"Row {self.row} of {self.delivery}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"
