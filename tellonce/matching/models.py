"""The saved matching model, links between agency rows and children, and the review queue."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tellonce.feeds.models import FeedRecord
from tellonce.people.models import Child, Organisation, User


class MatchModel(models.Model):
    """A trained model, kept with its parameters (Splink's JSON), the Splink version that
    trained it and the thresholds it was used with. Never changed: a new training is a new
    version, and every link names the version that proposed it."""

    version = models.PositiveIntegerField(unique=True)
    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    splink_version = models.CharField(max_length=20)
    parameters = models.JSONField()
    trained_at = models.DateTimeField(default=timezone.now)
    trained_by = models.CharField(max_length=300)
    trained_on = models.CharField(max_length=300, help_text="What rows it learnt from")
    accept_at = models.FloatField(help_text="Match probability from which a link is made")
    review_at = models.FloatField(help_text="Match probability from which a person decides")

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Matching model {self.version} (Splink {self.splink_version})"


class Link(models.Model):
    """An agency row is this child. Ending a link keeps it: the history is the rows."""

    class Method(models.TextChoices):
        IDENTIFIER = "identifier", "Same UPN or NHS number and date of birth"
        MODEL = "model", "Matched by the model above the accept threshold"
        REVIEWED = "reviewed", "A data officer accepted the match"
        NEW_CHILD = "new_child", "A new child, from an authoritative feed"

    record = models.ForeignKey(FeedRecord, on_delete=models.CASCADE, related_name="links")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="agency_links")
    method = models.CharField(max_length=20, choices=Method.choices)
    probability = models.FloatField(null=True, blank=True)
    model = models.ForeignKey(MatchModel, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    made_at = models.DateTimeField(default=timezone.now)
    made_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    end_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-made_at", "-pk"]
        constraints = [
            # A row is one child at a time.
            models.UniqueConstraint(fields=["record"], condition=Q(ended_at__isnull=True),
                                    name="link_one_open_per_record"),
        ]
        indexes = [models.Index(fields=["child", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.record} is {self.child}"

    @property
    def active(self) -> bool:
        return self.ended_at is None


class Review(models.Model):
    """A row the model could not decide on: a data officer compares it with the candidates."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        DEFERRED = "deferred", "Deferred"
        ACCEPTED = "accepted", "Linked"
        REJECTED = "rejected", "Not this child"

    OPEN = (Status.PENDING, Status.DEFERRED)

    record = models.ForeignKey(FeedRecord, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    best_probability = models.FloatField()
    model = models.ForeignKey(MatchModel, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, help_text="Why a person must decide")
    opened_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    note = models.CharField(max_length=500, blank=True)
    # Bumped by every decision: a form posted from an older page is refused, not applied.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["opened_at", "pk"]
        indexes = [models.Index(fields=["status", "opened_at"])]

    def __str__(self) -> str:
        return f"Review of {self.record}"


class Candidate(models.Model):
    """A child the model thinks the row may be, with the evidence for and against."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="candidates")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    weight = models.FloatField()
    # comparison -> {"level": n, "label": "...", "weight": w} (positive: for; negative: against)
    evidence = models.JSONField(default=dict)

    class Meta:
        ordering = ["-probability", "pk"]

    def __str__(self) -> str:
        return f"{self.child} for {self.review}"


class Concern(models.Model):
    """A suspension, permanent exclusion or persistent absence in a linked attendance row,
    for a child with SEN support or a plan: the SENCO (and for a plan, the caseworker) is
    told, and for a plan an early review is proposed (tellonce/matching/concerns.py)."""

    class Kind(models.TextChoices):
        SUSPENSION = "suspension", "Suspension"
        PERMANENT_EXCLUSION = "permanent_exclusion", "Permanent exclusion"
        PERSISTENT_ABSENCE = "persistent_absence", "Persistent absence (10% or more missed)"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(FeedRecord, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    term = models.CharField(max_length=12)
    on = models.DateField(null=True, blank=True, help_text="The day it began, where given")
    detail = models.CharField(max_length=300, blank=True)
    send_status = models.CharField(max_length=20, help_text="The child's SEN status then")
    proposes_early_review = models.BooleanField(default=False)
    raised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-raised_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["child", "kind", "term", "record"],
                                    name="concern_once_per_row"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.child} ({self.term})"
