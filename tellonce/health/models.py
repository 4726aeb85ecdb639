"""Health pathways, referrals to them, and the waiting lists they make."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q

from tellonce.people.models import Child, Locality, Organisation, User


class PathwayKind(models.TextChoices):
    AUTISM = "autism", "Autism (neurodevelopmental) assessment"
    ADHD = "adhd", "ADHD assessment"
    SLT = "slt", "Speech and language therapy"
    OT = "ot", "Occupational therapy"
    PAEDIATRICS = "paediatrics", "Community paediatrics"
    PHYSIO = "physio", "Physiotherapy"
    AUDIOLOGY = "audiology", "Audiology"
    MENTAL_HEALTH = "mental_health", "Children's mental health"


# NICE quality standard 51: autism assessment should start within 3 months of referral;
# everything else is held to the NHS 18-week referral-to-treatment standard.
DEFAULT_TARGET_WEEKS: dict[str, int] = {PathwayKind.AUTISM: 13}


class Pathway(models.Model):
    """One provider's pathway, for the whole area or one locality (a waiting list)."""

    kind = models.CharField(max_length=20, choices=PathwayKind.choices)
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pathways",
        help_text="The health service that runs this pathway",
    )
    local_authority = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+",
        help_text="The local authority area the pathway serves",
    )
    locality = models.ForeignKey(
        Locality, null=True, blank=True, on_delete=models.PROTECT,
        help_text="Empty when one list serves the whole area",
    )
    target_weeks = models.PositiveSmallIntegerField(
        default=18, help_text="Weeks from referral to first assessment the service aims for"
    )
    # The monthly summary (PathwayMonth) is recomputed when stale or computed before today.
    stats_computed_on = models.DateField(null=True, blank=True)
    stats_stale = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "provider__name", "locality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "kind", "locality"], name="unique_pathway_per_locality"
            ),
            models.UniqueConstraint(
                fields=["provider", "kind"], condition=Q(locality__isnull=True),
                name="unique_areawide_pathway",
            ),
        ]

    def __str__(self) -> str:
        where = self.locality.name if self.locality else "whole area"
        return f"{self.get_kind_display()} ({where})"

    @property
    def label(self) -> str:
        return self.get_kind_display()


class Referral(models.Model):
    """A child referred to a pathway: from receipt to discharge.

    A child is on the waiting list from `received_on` until `left_list_on`: the day of their
    first appointment, or of a decision or discharge that took them off the list unseen.
    """

    class Status(models.TextChoices):
        AWAITING_TRIAGE = "awaiting_triage", "Waiting for a decision on the referral"
        WAITING = "waiting", "Accepted: waiting for a first appointment"
        IN_ASSESSMENT = "in_assessment", "Seen: assessment or therapy under way"
        ASSESSED = "assessed", "Assessment completed"
        DECLINED = "declined", "Not accepted"
        REDIRECTED = "redirected", "Sent to a different service"
        DISCHARGED = "discharged", "Discharged"

    WAITING_STATUSES = (Status.AWAITING_TRIAGE, Status.WAITING)
    OPEN_STATUSES = (Status.AWAITING_TRIAGE, Status.WAITING, Status.IN_ASSESSMENT, Status.ASSESSED)

    class Priority(models.TextChoices):
        ROUTINE = "routine", "Routine"
        URGENT = "urgent", "Urgent"

    class DischargeReason(models.TextChoices):
        COMPLETED = "completed", "Care completed"
        WITHDRAWN = "withdrawn", "Family withdrew the referral"
        MOVED_AWAY = "moved_away", "Moved out of the area"
        NOT_BROUGHT = "not_brought", "Not brought to appointments"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="referrals")
    provider_reference = models.CharField(
        max_length=40, blank=True, help_text="The referral's identifier in the provider's system"
    )
    referrer_name = models.CharField(max_length=150)
    referrer_role = models.CharField(max_length=100, blank=True)
    # A referral made here (not recorded from a letter or imported) keeps who made it, why,
    # and, where a professional referred, that the family agreed to it.
    referred_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The account that made the referral here",
    )
    reason = models.TextField(blank=True, help_text="Why the child was referred")
    family_agreed = models.BooleanField(
        null=True, blank=True,
        help_text="Where a professional referred here: whether the family agreed",
    )
    received_on = models.DateField()
    priority = models.CharField(
        max_length=10, choices=Priority.choices, default=Priority.ROUTINE
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.AWAITING_TRIAGE
    )
    triage_decision_on = models.DateField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    redirected_to = models.CharField(max_length=200, blank=True)
    family_told_on = models.DateField(
        null=True, blank=True, help_text="When the family was told the triage decision"
    )
    interim_support = models.TextField(blank=True)
    interim_support_offered_on = models.DateField(null=True, blank=True)
    first_appointment_on = models.DateField(
        null=True, blank=True, help_text="The first appointment, booked or held"
    )
    first_seen_on = models.DateField(null=True, blank=True)
    assessment_completed_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    discharged_on = models.DateField(null=True, blank=True)
    discharge_reason = models.CharField(max_length=20, choices=DischargeReason.choices, blank=True)
    left_list_on = models.DateField(null=True, blank=True)
    last_contact_on = models.DateField(null=True, blank=True)
    last_contact = models.CharField(max_length=300, blank=True)
    next_risk_review_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["received_on", "pk"]
        indexes = [
            models.Index(fields=["pathway", "left_list_on"]),
            models.Index(fields=["pathway", "status"]),
            models.Index(fields=["child", "received_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "provider_reference"], condition=~Q(provider_reference=""),
                name="unique_provider_reference",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pathway} referral for {self.child}"

    @property
    def is_waiting(self) -> bool:
        return self.left_list_on is None and self.status in self.WAITING_STATUSES

    def weeks_waited(self, on: date) -> int:
        end = self.left_list_on or on
        return max((end - self.received_on).days, 0) // 7


class RiskReview(models.Model):
    """A clinical review of a waiting child's needs: is it still safe to wait?"""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", "Safe to keep waiting"
        SUPPORT_ADDED = "support_added", "Support added while waiting"
        PRIORITISED = "prioritised", "Moved up the list (urgent)"
        REFERRED_ON = "referred_on", "Referred on to another service"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="risk_reviews")
    reviewed_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    notes = models.TextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Risk review on {self.reviewed_on}: {self.get_outcome_display()}"


class ReferralEvent(models.Model):
    """What happened to a referral, in words the family can read: its history."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=300)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.on}: {self.what}"


class PathwayMonth(models.Model):
    """A pathway's waiting list summarised for one month (the current month as at `as_at`).

    The leaders' analysis reads these few rows instead of every referral. Counts are of
    children; `waiting_bands` counts the list at the month's end by weeks waited.
    """

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(help_text="First day of the month")
    as_at = models.DateField(help_text="End of the month, or the day computed for this month")
    list_size = models.PositiveIntegerField(default=0)
    over_13 = models.PositiveIntegerField(default=0)
    over_18 = models.PositiveIntegerField(default=0)
    over_52 = models.PositiveIntegerField(default=0)
    weeks_waited_total = models.PositiveIntegerField(default=0)
    waiting_bands = models.JSONField(default=list)
    referrals = models.PositiveIntegerField(default=0)
    removals = models.PositiveIntegerField(default=0)
    triage_decisions = models.PositiveIntegerField(default=0)
    triage_days_total = models.PositiveIntegerField(default=0)
    triage_bands = models.JSONField(default=list)

    class Meta:
        ordering = ["pathway", "month"]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "month"], name="unique_pathway_month")
        ]

    def __str__(self) -> str:
        return f"{self.pathway} in {self.month:%B %Y}"
