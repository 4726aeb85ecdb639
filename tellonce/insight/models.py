"""What the partnership's figures need that the child's record does not yet keep: sex and
ethnicity, for the DfE's SEN2 return (Person module) and the scorecard's breakdowns."""

from __future__ import annotations

from datetime import date

from django.db import models

from tellonce.people.models import Child


class Sex(models.TextChoices):
    """SEN2 Person item 1.4 since 2024: "M" or "F"."""

    MALE = "M", "Male"
    FEMALE = "F", "Female"


# The DfE's main ethnicity codes (Common Basic Data Set). The exact list SEN2 2026 accepts is
# UNVERIFIED (see sen2_spec.UNVERIFIED).
ETHNICITY = [
    ("WBRI", "White British"), ("WIRI", "White Irish"), ("WIRT", "Traveller of Irish heritage"),
    ("WROM", "Gypsy or Roma"), ("WOTH", "Any other White background"),
    ("MWBC", "White and Black Caribbean"), ("MWBA", "White and Black African"),
    ("MWAS", "White and Asian"), ("MOTH", "Any other mixed background"),
    ("AIND", "Indian"), ("APKN", "Pakistani"), ("ABAN", "Bangladeshi"),
    ("CHNE", "Chinese"), ("AOTH", "Any other Asian background"),
    ("BCRB", "Black Caribbean"), ("BAFR", "Black African"),
    ("BOTH", "Any other Black background"),
    ("OOTH", "Any other ethnic group"), ("REFU", "Refused"),
    ("NOBT", "Information not yet obtained"),
]
# The broad groups the breakdown shows: finer groups are too small to show in most areas.
ETHNIC_GROUP = {
    "W": "White", "M": "Mixed or multiple", "A": "Asian or Asian British",
    "C": "Asian or Asian British", "B": "Black or Black British", "O": "Other ethnic group",
}


def ethnic_group(code: str) -> str:
    if not code or code in ("REFU", "NOBT"):
        return "Not recorded"
    return ETHNIC_GROUP.get(code[0], "Not recorded")


class Characteristics(models.Model):
    child = models.OneToOneField(Child, on_delete=models.CASCADE, primary_key=True,
                                 related_name="characteristics")
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    ethnicity = models.CharField(max_length=4, choices=ETHNICITY, blank=True)

    class Meta:
        verbose_name_plural = "characteristics"

    def __str__(self) -> str:
        return f"{self.get_sex_display()}, {self.get_ethnicity_display()}"


class PublishedScorecard(models.Model):
    """A version of the scorecard a leader published: what the parent carer forum sees.

    The figures as they were shown (suppression applied), kept whole and never changed, so the
    forum, the board and the leaders talk about the same numbers."""

    local_authority = models.ForeignKey("people.Organisation", on_delete=models.PROTECT,
                                        related_name="+")
    period_label = models.CharField(max_length=100)
    period_end = models.DateField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey("people.User", null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    published_by_description = models.CharField(max_length=300)
    note = models.TextField(blank=True, help_text="What the leaders want the forum to know")
    content = models.JSONField(help_text="The indicators as shown, small numbers suppressed")

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["local_authority", "-published_at"])]

    def __str__(self) -> str:
        return f"Scorecard for {self.period_label}, published {self.published_at:%d %B %Y}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("A published scorecard is never changed: publish another")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


# ----- the priority action plan (area SEND) -----


class PriorityArea(models.Model):
    """An area for priority action from an inspection (Ofsted/CQC area SEND)."""

    local_authority = models.ForeignKey("people.Organisation", on_delete=models.PROTECT,
                                        related_name="+")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    finding = models.TextField(help_text="What the inspection asked for, in its words")
    source = models.CharField(max_length=200, help_text="The inspection and its date")

    class Meta:
        ordering = ["local_authority", "number"]
        constraints = [models.UniqueConstraint(fields=["local_authority", "number"],
                                               name="unique_priority_area_number")]

    def __str__(self) -> str:
        return f"Area for priority action {self.number}: {self.title}"


class PlanAction(models.Model):
    """One action of the plan: what, who owns it (a person and an organisation), when, how
    far it has got, and the evidence. Changed only by `actions.do_update_action`."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        STOPPED = "stopped", "Stopped"

    area = models.ForeignKey(PriorityArea, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField()
    owner_name = models.CharField(max_length=150, help_text="The person who owns it")
    owner = models.ForeignKey("people.User", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    owner_organisation = models.ForeignKey("people.Organisation", on_delete=models.PROTECT,
                                           related_name="+")
    start = models.DateField()
    due = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    done_on = models.DateField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="For detecting concurrent edits")

    class Meta:
        ordering = ["area", "due", "id"]

    def __str__(self) -> str:
        return self.what[:80]

    def overdue(self, today: date) -> int:
        """Days past its due date and not done (0 if not overdue)."""
        if self.status in (self.Status.DONE, self.Status.STOPPED) or self.due >= today:
            return 0
        return (today - self.due).days


class ImpactMeasure(models.Model):
    """How the area will know it worked: a live indicator, from a baseline to a target by a
    date, on a straight-line trajectory between them."""

    area = models.ForeignKey(PriorityArea, on_delete=models.CASCADE, related_name="measures")
    indicator_key = models.CharField(max_length=60)
    baseline = models.FloatField()
    baseline_on = models.DateField()
    target = models.FloatField()
    target_on = models.DateField()

    class Meta:
        ordering = ["area", "id"]

    def __str__(self) -> str:
        return f"{self.indicator_key}: {self.baseline} to {self.target} by {self.target_on}"

    def expected(self, on: date) -> float:
        """Where the trajectory says the indicator should be on this day."""
        span = (self.target_on - self.baseline_on).days
        if span <= 0 or on >= self.target_on:
            return self.target
        if on <= self.baseline_on:
            return self.baseline
        return round(self.baseline + (self.target - self.baseline)
                     * (on - self.baseline_on).days / span, 1)


class PlanChange(models.Model):
    """Every change to the plan, who made it and when: never changed itself."""

    area = models.ForeignKey(PriorityArea, on_delete=models.CASCADE, related_name="changes")
    action = models.ForeignKey(PlanAction, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="changes")
    at = models.DateTimeField()
    by = models.ForeignKey("people.User", null=True, on_delete=models.SET_NULL, related_name="+")
    by_description = models.CharField(max_length=300)
    summary = models.CharField(max_length=300)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.summary

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("The plan's history is never changed")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class BoardReport(models.Model):
    """A report to the partnership board: what it said, kept as it was; the next report
    counts changes from this one's time."""

    local_authority = models.ForeignKey("people.Organisation", on_delete=models.PROTECT,
                                        related_name="+")
    at = models.DateTimeField()
    by = models.ForeignKey("people.User", null=True, on_delete=models.SET_NULL, related_name="+")
    by_description = models.CharField(max_length=300)
    content = models.JSONField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Board report of {self.at:%d %B %Y}"


# ----- figures the record does not hold, uploaded by leaders -----


class ImportedUpload(models.Model):
    """One upload of figures from elsewhere (an ICB extract, school absence): kept with who
    and when, whole or not at all."""

    local_authority = models.ForeignKey("people.Organisation", on_delete=models.PROTECT,
                                        related_name="+")
    source = models.CharField(max_length=40)
    filename = models.CharField(max_length=200)
    rows = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey("people.User", null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_by_description = models.CharField(max_length=300)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["local_authority", "source", "-uploaded_at"])]

    def __str__(self) -> str:
        return f"{self.source} from {self.filename} ({self.uploaded_at:%d %B %Y})"


class ImportedFigure(models.Model):
    """One row of an upload: a count for a month and a group (an SEN status, a service)."""

    upload = models.ForeignKey(ImportedUpload, on_delete=models.CASCADE, related_name="figures")
    month = models.DateField(help_text="First day of the month the figure is for")
    group = models.CharField(max_length=100)
    values = models.JSONField(help_text="Column to count")

    class Meta:
        ordering = ["upload", "month", "group"]
        indexes = [models.Index(fields=["upload", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.group}"
