"""The statutory EHC process: requests, decisions, advice, plans and their versions, reviews.

Every statutory duty with a clock is a `Step` (what, for whom, due when, waiting on whom,
done when): the worklist, the family's timeline and the measures all read Steps. Due dates on
Steps come only from `ehc.clock.due()`, computed when the step opens (and again, giving None,
when an exception is recorded). Status changes happen only in `ehc.actions`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from tellonce.people.models import Child, Organisation, User

# Sections of an EHC plan (SEND Regulations 2014 reg 12(1)); the order is the plan's order.
PLAN_SECTIONS: list[tuple[str, str]] = [
    ("A", "The views, interests and aspirations of the child and their family"),
    ("B", "Special educational needs"),
    ("C", "Health needs related to their SEN or disability"),
    ("D", "Social care needs related to their SEN or disability"),
    ("E", "Outcomes sought"),
    ("F", "Special educational provision"),
    ("G", "Health provision"),
    ("H1", "Social care provision under section 2 of the Chronically Sick and Disabled "
           "Persons Act 1970"),
    ("H2", "Other social care provision"),
    ("I", "Placement: the school or other institution named"),
    ("J", "Personal budget"),
    ("K", "Advice and information gathered during the assessment"),
]
SECTION_TITLES = dict(PLAN_SECTIONS)
# Who owns which sections and must sign them off before the plan is final.
SIGN_OFF_SECTIONS = {"health": ("C", "G"), "social_care": ("D", "H1", "H2")}
# The outcome of a sign-off step whose owner asked for changes: answered, but not "Done".
CHANGES_REQUESTED = "Changes asked for"


class AssessmentRequest(models.Model):
    """A request for an EHC needs assessment (CFA s.36(1)), from receipt to the final plan."""

    class Requester(models.TextChoices):
        PARENT = "parent", "Parent or carer"
        YOUNG_PERSON = "young_person", "Young person"
        SCHOOL = "school", "School, college or early years setting"

    class Stage(models.TextChoices):
        RECEIVED = "received", "Request received: deciding whether to assess"
        REFUSED = "refused", "Decided not to assess"
        ASSESSING = "assessing", "Assessing: gathering advice"
        NOT_ISSUING = "not_issuing", "Decided not to issue a plan"
        DRAFTING = "drafting", "Deciding to issue: writing the draft plan"
        DRAFT_ISSUED = "draft_issued", "Draft plan with the family"
        FINAL_ISSUED = "final_issued", "Final plan issued"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN_STAGES = (Stage.RECEIVED, Stage.ASSESSING, Stage.DRAFTING, Stage.DRAFT_ISSUED)

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="ehc_requests")
    requester = models.CharField(max_length=20, choices=Requester.choices)
    requested_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_by_name = models.CharField(max_length=200)
    received_on = models.DateField()
    reasons = models.TextField(help_text="Why the request is being made")
    # A school or setting should ask with the family's knowledge and agreement (CFA s.36(1);
    # SEND Code of Practice 9.9): its answer is kept. Empty where the family asked themselves.
    family_agreed = models.BooleanField(
        null=True, blank=True,
        help_text="Where a school or setting asked: whether the parent or young person agreed",
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.RECEIVED)
    caseworker = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="ehc_cases"
    )
    previous_send_status = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["child", "-received_on"]), models.Index(fields=["stage"])]

    def __str__(self) -> str:
        return f"EHC needs assessment request for {self.child} ({self.received_on})"

    @property
    def is_open(self) -> bool:
        return self.stage in self.OPEN_STAGES


class Evidence(models.Model):
    """A document sent with a request (a report, a letter): PDF or image, checked on upload."""

    request = models.ForeignKey(
        AssessmentRequest, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to="ehc/evidence/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.original_name


class SettingType(models.TextChoices):
    """The type of school or other institution section I gives (reg 12(1); CFA s.40(2)(b))."""

    MAINSTREAM = "mainstream", "Mainstream school or academy"
    RESOURCED = "resourced", "Mainstream school with a resourced provision or unit"
    SPECIAL = "special", "Special school or special academy"
    INDEPENDENT_SPECIAL = "independent_special", "Independent special school (section 41)"
    NURSERY = "nursery", "Maintained nursery school or early years setting"
    FE_COLLEGE = "fe_college", "Further education or sixth form college"
    SPECIALIST_POST16 = "specialist_post16", "Specialist post-16 institution"
    EOTAS = "eotas", "Education otherwise than in a school or college (CFA s.61)"


class Plan(models.Model):
    """An EHC plan: its versions are the content; this row holds what is true of the plan now."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Maintained"
        CEASED = "ceased", "Ceased"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="ehc_plans")
    request = models.OneToOneField(
        AssessmentRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    issued_on = models.DateField(null=True, blank=True, help_text="When the plan was first made")
    last_reviewed_on = models.DateField(null=True, blank=True)
    named_setting = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    setting_type = models.CharField(
        "Type of school or other institution", max_length=30, blank=True,
        choices=SettingType.choices,
        help_text="Section I: the type, with or without a named setting (chosen at the final)",
    )
    eotas = models.BooleanField(
        "Educated otherwise than at school", default=False,
        help_text="Special educational provision made otherwise than in a school (CFA s.61)",
    )
    caseworker = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="ehc_plans"
    )
    ceased_on = models.DateField(null=True, blank=True)
    # The child's primary need when the plan was made or last amended: a different need now,
    # with no amendment since, makes the plan stale (`ehc.stale`).
    primary_need_at_plan = models.CharField(max_length=4, blank=True)
    # Likewise the setting the child attended then: a move since, unamended, makes it stale.
    setting_at_plan = models.ForeignKey(Organisation, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["child", "status"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"EHC plan for {self.child}"


class PlanVersion(models.Model):
    """One version of a plan, never changed after it is made: drafts, finals and amendments."""

    class Kind(models.TextChoices):
        DRAFT = "draft", "Draft plan"
        FINAL = "final", "Final plan"
        AMENDMENT_DRAFT = "amendment_draft", "Proposed amendments"
        AMENDED_FINAL = "amended_final", "Final amended plan"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sections = models.JSONField(help_text="Section letter to text, A to K")
    named_setting_name = models.CharField(max_length=200, blank=True)
    served_on = models.DateField()
    made_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.number} for {self.plan.child}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Plan versions are never changed: make a new version")
        super().save(*args, **kwargs)

    def section_list(self) -> list[tuple[str, str, str]]:
        return [(key, title, self.sections.get(key, "")) for key, title in PLAN_SECTIONS]

    @property
    def is_draft(self) -> bool:
        return self.kind in (self.Kind.DRAFT, self.Kind.AMENDMENT_DRAFT)


class AdviceRequest(models.Model):
    """The LA's request for advice for an assessment (reg 6(1)), and the advice given."""

    class Kind(models.TextChoices):
        EDUCATIONAL_PSYCHOLOGY = "ep", "Psychological advice"
        HEALTH = "health", "Health advice"
        SOCIAL_CARE = "social_care", "Social care advice"
        EDUCATION = "education", "Educational advice (the school or setting)"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for advice"
        GIVEN = "given", "Advice given"
        NIL_RETURN = "nil_return", "Nothing to add (nil return)"

    request = models.ForeignKey(
        AssessmentRequest, on_delete=models.CASCADE, related_name="advice_requests"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    adviser = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="advice_requests",
        help_text="The named adviser, if any (health advice goes through the DCO)",
    )
    sent_on = models.DateField(help_text="The day the adviser received the request")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    needs = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    provision = models.TextField(blank=True)
    nil_reason = models.TextField(blank=True)
    given_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    given_on = models.DateField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["kind"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.request.child}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.REQUESTED


class Decision(models.Model):
    """A decision the family may appeal: its notice date and appeal deadline."""

    class Kind(models.TextChoices):
        ASSESS = "assess", "Agreed to carry out an EHC needs assessment"
        REFUSE_ASSESSMENT = "refuse_assessment", "Decided not to carry out an assessment"
        ISSUE = "issue", "Decided to issue an EHC plan"
        NOT_ISSUE = "not_issue", "Decided not to issue an EHC plan"
        FINAL_PLAN = "final_plan", "Issued the final EHC plan"
        MAINTAIN = "maintain", "Decided to keep the plan as it is"
        AMEND = "amend", "Decided to amend the plan"
        CEASE = "cease", "Decided to stop maintaining the plan"
        AMENDED_PLAN = "amended_plan", "Issued the amended EHC plan"

    APPEALABLE = (Kind.REFUSE_ASSESSMENT, Kind.NOT_ISSUE, Kind.FINAL_PLAN, Kind.MAINTAIN,
                  Kind.CEASE, Kind.AMENDED_PLAN)

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="ehc_decisions")
    request = models.ForeignKey(AssessmentRequest, null=True, blank=True,
                                on_delete=models.CASCADE, related_name="decisions")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="decisions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    notice_sent_on = models.DateField()
    appeal_deadline = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-notice_sent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.notice_sent_on})"

    @property
    def appealable(self) -> bool:
        return self.kind in self.APPEALABLE


class AppealEvent(models.Model):
    """Mediation and Tribunal events, recorded against the decision they challenge."""

    class Kind(models.TextChoices):
        MEDIATION_ADVICE = "mediation_advice", "Family contacted mediation adviser"
        MEDIATION_CERTIFICATE = "mediation_certificate", "Mediation certificate issued"
        MEDIATION_HELD = "mediation_held", "Mediation held"
        APPEAL_REGISTERED = "appeal_registered", "Appeal registered with the SEND Tribunal"
        HEARING = "hearing", "Tribunal hearing"
        TRIBUNAL_DECISION = "tribunal_decision", "Tribunal decision"
        WITHDRAWN = "withdrawn", "Appeal withdrawn"
        CONCEDED = "conceded", "Local authority conceded"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="appeal_events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.on})"


class SignOff(models.Model):
    """An owning service's sign-off of its sections of a draft (health C, G; social care D, H)."""

    class Area(models.TextChoices):
        HEALTH = "health", "Health (sections C and G)"
        SOCIAL_CARE = "social_care", "Social care (sections D, H1 and H2)"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for sign-off"
        SIGNED_OFF = "signed_off", "Signed off"
        CHANGES_REQUESTED = "changes_requested", "Changes asked for"
        OVERRIDDEN = "overridden", "Finalised without sign-off (manager override)"

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="sign_offs")
    area = models.CharField(max_length=20, choices=Area.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    comment = models.TextField(blank=True)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    on = models.DateField(null=True, blank=True)
    override_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["area"]
        constraints = [
            models.UniqueConstraint(fields=["version", "area"], name="one_sign_off_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.get_status_display()}"

    @property
    def sections(self) -> tuple[str, ...]:
        return SIGN_OFF_SECTIONS[self.area]


class DraftResponse(models.Model):
    """The family's comments on a draft (or on proposed amendments) and their preferred setting."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="responses")
    comments = models.TextField(blank=True, help_text="About the whole draft")
    section_comments = models.JSONField(
        default=dict, blank=True, help_text="Section letter to the family's comment on it",
    )
    preferred_setting = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Comments on {self.version} ({self.on})"


class Consultation(models.Model):
    """Consulting the setting the plan will name (CFA s.39(2), s.40)."""

    class Response(models.TextChoices):
        WAITING = "waiting", "Waiting for a reply"
        CAN_MEET_NEEDS = "can_meet", "The setting can meet the child's needs"
        CANNOT_MEET_NEEDS = "cannot_meet", "The setting says it cannot meet the child's needs"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="consultations")
    setting = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField()
    response = models.CharField(max_length=20, choices=Response.choices,
                                default=Response.WAITING)
    comment = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_on"]

    def __str__(self) -> str:
        return f"Consultation with {self.setting} ({self.get_response_display()})"


class Review(models.Model):
    """An annual review (CFA s.44), and the amendment route that may follow it."""

    class Stage(models.TextChoices):
        SCHEDULED = "scheduled", "Review due"
        MEETING_HELD = "meeting_held", "Meeting held: decision due"
        AMENDING = "amending", "Amending the plan"
        DONE = "done", "Review complete"

    class Outcome(models.TextChoices):
        MAINTAIN = "maintain", "Keep the plan as it is"
        AMEND = "amend", "Amend the plan"
        CEASE = "cease", "Stop maintaining the plan"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="ehc_reviews")
    due_by = models.DateField(help_text="Last day in time for the review (CFA s.44(1))")
    transfer_type = models.CharField(max_length=30, blank=True)
    transfer_year = models.PositiveIntegerField(null=True, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SCHEDULED)
    meeting_on = models.DateField(null=True, blank=True)
    invited = models.TextField(blank=True, help_text="Who was invited to the meeting")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    decision_notice_on = models.DateField(null=True, blank=True)
    amendment_notice_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-due_by"]
        indexes = [models.Index(fields=["plan", "stage"])]

    def __str__(self) -> str:
        return f"Annual review of {self.child}'s plan (due {self.due_by})"


# Sorts steps with no due date after those with one, as `due IS NULL` then `due`: an index can
# hold that expression on SQLite and PostgreSQL alike, where SQLite's index on `due` cannot
# serve `NULLS LAST` (it keeps nulls first).
DUE_NULLS_LAST = ExpressionWrapper(Q(due__isnull=True), output_field=BooleanField())
# An open step: not done and not cancelled (Step.is_open).
OPEN = Q(done_on__isnull=True, cancelled=False)


class Step(models.Model):
    """One statutory duty: what must happen, for whom, by when, waiting on whom, and when done.

    `due` comes from `clock.due(clock, start, **facts)`; None means no deadline applies (an
    exception was recorded, or the duty has no time limit). Measures exclude steps with an
    exception, as the DfE measure does.

    `local_authority` is the child's authority, and `child_send_status`, `child_family_name`,
    `child_given_name` and `child_locality` are copies of the child's, so the worklist can be
    scoped (by the access policy's `ehc_step_caseload_q`), sorted and shown from this table's
    own rows, without joining every open step to its child. Actions that open steps copy
    them; a database trigger (migration 0008) keeps the name, status and locality true
    whatever code changes the child; a move to another authority goes through
    `ehc.actions.copy_child_onto_steps`, which moves the measures' counts too.
    """

    class Kind(models.TextChoices):
        ASSESSMENT_DECISION = "assessment_decision", "Decide whether to assess"
        ADVICE = "advice", "Give advice"
        PLAN_DECISION = "plan_decision", "Decide whether to issue a plan"
        DRAFT_PLAN = "draft_plan", "Send the draft plan"
        DRAFT_COMMENTS = "draft_comments", "Comment on the draft plan"
        SIGN_OFF = "sign_off", "Sign off sections of the draft"
        CONSULTATION = "consultation", "Reply to the consultation on a placement"
        FINAL_PLAN = "final_plan", "Issue the final plan"
        ANNUAL_REVIEW = "annual_review", "Hold the annual review"
        PHASE_TRANSFER = "phase_transfer", "Review and amend the plan before a change of phase"
        REVIEW_REPORTS = "review_reports", "Send reports for the review meeting"
        REVIEW_DECISION = "review_decision", "Send the review decision"
        REPRESENTATIONS = "representations", "Comment on the proposed amendments"
        AMENDED_PLAN = "amended_plan", "Issue the amended plan"

    class Stage(models.TextChoices):
        REQUEST = "request", "Request"
        ASSESSMENT = "assessment", "Assessment"
        DRAFT = "draft", "Draft plan"
        FINAL = "final", "Final plan"
        REVIEW = "review", "Annual review"
        AMENDMENT = "amendment", "Amendment"

    class WaitingOn(models.TextChoices):
        LOCAL_AUTHORITY = "la", "The council's SEND team"
        FAMILY = "family", "The family"
        ORGANISATION = "organisation", "A service or setting"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="ehc_steps")
    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Copies of the child's (see the class docstring): kept by the database's trigger.
    child_send_status = models.CharField(max_length=20, default=Child.SendStatus.NONE)
    child_family_name = models.CharField(max_length=100, blank=True)
    child_given_name = models.CharField(max_length=100, blank=True)
    child_locality = models.ForeignKey("people.Locality", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    stage = models.CharField(max_length=20, choices=Stage.choices)
    title = models.CharField(max_length=200)
    clock = models.CharField(max_length=40, blank=True, help_text="The clock in ehc.clock")
    start = models.DateField()
    due = models.DateField(null=True, blank=True)
    exception = models.CharField(max_length=20, blank=True)
    exception_reason = models.TextField(blank=True)
    waiting_on = models.CharField(max_length=20, choices=WaitingOn.choices)
    waiting_on_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    waiting_on_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    caseworker = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    request = models.ForeignKey(AssessmentRequest, null=True, blank=True,
                                on_delete=models.CASCADE, related_name="steps")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="steps")
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="steps")
    advice = models.ForeignKey(AdviceRequest, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="steps")
    sign_off = models.ForeignKey(SignOff, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="steps")
    done_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    cancelled = models.BooleanField(default=False, help_text="No longer needed")

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            # Open steps (done_on IS NULL) are reached only through partial indexes, and
            # done steps through indexes that exclude open ones: an index with done_on as a
            # column had SQLite's planner read every open step through it, sure from its
            # statistics that few steps share a done_on.
            # The worklist's sorts: by due date (no date last, as DUE_NULLS_LAST orders them)
            # and by child's name. The columns after `id` do not change the order: they let
            # the page's count and the rows before the page be read from the index alone.
            models.Index("local_authority", DUE_NULLS_LAST, "due", "id", "child_send_status",
                         name="ehc_step_open_by_due", condition=OPEN),
            models.Index(fields=["local_authority", "child_family_name", "child_given_name",
                                 "id", "child_send_status", "due"],
                         name="ehc_step_open_by_name", condition=OPEN),
            # The page's count of all open steps: the narrowest index the caseload rule can
            # be read from (a tenth of ehc_step_open_by_due's size, its keys deduplicated).
            models.Index(fields=["local_authority", "child_send_status"],
                         name="ehc_step_open_count", condition=OPEN),
            models.Index(fields=["caseworker", "due"], name="ehc_step_open_by_caseworker",
                         condition=OPEN),
            # Open steps of a kind by due date (advice reminders, a contributor's advice).
            models.Index(fields=["kind", "due"], name="ehc_step_open_by_kind", condition=OPEN),
            # The measures: steps done by kind, with the columns they count, so they are read
            # from the index alone.
            models.Index(fields=["local_authority", "kind", "done_on", "cancelled", "exception",
                                 "due"], name="ehc_step_done_by_kind",
                         condition=Q(done_on__isnull=False)),
            models.Index(fields=["child", "start"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} for {self.child} (due {self.due})"

    @property
    def is_open(self) -> bool:
        return self.done_on is None and not self.cancelled

    def days_left(self, today: date) -> int | None:
        return None if self.due is None else (self.due - today).days

    def days_late(self, today: date) -> int:
        from tellonce.ehc.clock import days_late

        if self.due is None:
            return 0
        return days_late(self.due, self.done_on or today)

    def waiting_on_label(self) -> str:
        if self.waiting_on == self.WaitingOn.FAMILY:
            return "The family"
        if self.waiting_on_user_id is not None and self.waiting_on_user is not None:
            if self.waiting_on_organisation is not None:
                return f"{self.waiting_on_user}, {self.waiting_on_organisation}"
            return str(self.waiting_on_user)
        if self.waiting_on_organisation is not None:
            return str(self.waiting_on_organisation)
        return "The council's SEND team"


class TimelineEvent(models.Model):
    """A child's EHC history in plain English, as the family and contributors read it."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="ehc_events")
    at = models.DateTimeField(default=timezone.now)
    on = models.DateField(help_text="The day it happened (for the law's clocks)")
    summary = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    by_description = models.CharField(max_length=300, blank=True)
    request = models.ForeignKey(AssessmentRequest, null=True, blank=True,
                                on_delete=models.CASCADE, related_name="events")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="events")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["child", "-at"])]

    def __str__(self) -> str:
        return f"{self.on}: {self.summary}"


# The kinds of step the headline measures count (see `queries.measures`).
MEASURED_KINDS = (Step.Kind.FINAL_PLAN, Step.Kind.REVIEW_DECISION)


class DoneStepCount(models.Model):
    """How many steps of a measured kind one authority completed on one day: with no
    exception (`total`), of those by their due date (`within`), and with an exception
    (`excluded`). Cancelled steps are not counted.

    The measures add up a year of these (about 700 rows) instead of counting ~20,000 steps.
    `ehc.actions.recount_done_steps` rewrites a day's counts from the steps themselves; every
    action that completes a step, or moves steps to another authority, calls it in the same
    transaction.
    """

    local_authority = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Step.Kind.choices)
    done_on = models.DateField()
    total = models.PositiveIntegerField(default=0)
    within = models.PositiveIntegerField(default=0)
    excluded = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "kind", "done_on"],
                                    name="unique_done_step_count"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} done on {self.done_on}: {self.total}"


class ConsideredFinding(models.Model):
    """A quality finding (`ehc.quality`) the caseworker considered and left, with the reason.

    Findings are advisory: a caseworker may keep wording the checks question (a family's own
    phrase in section A, a provider that is genuinely flexible), but says why, so the audit
    round and the reviewers can see it was a decision. Matched to findings by `key`, so a
    finding stays considered while its words stay. Rows are added, never changed: the latest
    for a key is the one that counts. `at_issue` marks a reason given when issuing the plan
    with findings still open.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="considered_findings")
    key = models.CharField(max_length=300)
    code = models.CharField(max_length=40)
    section = models.CharField(max_length=3)
    trigger = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    at_issue = models.BooleanField(default=False)
    by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["plan", "key"])]

    def __str__(self) -> str:
        return f"Considered {self.code} in section {self.section}: {self.reason[:40]}"


class PersonalBudget(models.Model):
    """Section J: a personal budget asked for, or not, and what was decided (CFA s.49; the SEND
    (Personal Budgets) Regulations 2014). One row per request; the family can ask for a refusal
    to be reviewed, and the review's outcome is kept beside the refusal."""

    class Status(models.TextChoices):
        NOT_REQUESTED = "not_requested", "The family did not ask for a personal budget"
        REQUESTED = "requested", "Asked for: waiting for the council's decision"
        AGREED = "agreed", "Agreed"
        REFUSED = "refused", "Refused"

    class Kind(models.TextChoices):
        DIRECT_PAYMENT = "direct_payment", "Direct payment (the family buys the provision)"
        NOTIONAL = "notional", "Notional budget (the council or setting holds the money)"
        THIRD_PARTY = "third_party", "Third-party arrangement (someone else holds the money)"
        ORGANISED = "organised", "Organised arrangement (the council arranges the provision)"

    class Period(models.TextChoices):
        WEEK = "week", "A week"
        MONTH = "month", "A month"
        TERM = "term", "A term"
        YEAR = "year", "A year"

    class Review(models.TextChoices):
        NONE = "", "No review asked for"
        ASKED = "asked", "The family asked for the refusal to be reviewed"
        UPHELD = "upheld", "Reviewed: the refusal stands"
        OVERTURNED = "overturned", "Reviewed: the budget is agreed"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="personal_budgets")
    status = models.CharField(max_length=20, choices=Status.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True)
    provision_covered = models.TextField(blank=True,
                                         help_text="The provision in F, G or H it pays for")
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    period = models.CharField(max_length=10, choices=Period.choices, blank=True)
    requested_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    reasons = models.TextField(blank=True, help_text="Why it was agreed or refused")
    review = models.CharField(max_length=20, choices=Review.choices, blank=True, default="")
    review_asked_on = models.DateField(null=True, blank=True)
    review_decided_on = models.DateField(null=True, blank=True)
    review_reasons = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    # Bumped by every change: a form posted with an older number was edited by someone else.
    edition = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"Personal budget ({self.get_status_display()}) for {self.plan.child}"


class EotasPackage(models.Model):
    """Education otherwise than at school (CFA s.61): the package a plan's EOTAS provision is
    made through, who oversees it and when it was last reviewed. The review period is the
    SEND manager's to set (the partnership's practice; the law sets none beyond the annual
    review)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="eotas_packages")
    providers = models.TextField(help_text="Who delivers the package, one a line")
    hours_a_week = models.DecimalField(max_digits=4, decimal_places=1)
    provision = models.TextField(help_text="The provision in section F the package delivers")
    cost_a_year = models.DecimalField(max_digits=10, decimal_places=2)
    overseer = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="eotas_packages")
    started_on = models.DateField()
    review_every_weeks = models.PositiveIntegerField(default=12)
    last_reviewed_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    edition = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"EOTAS package for {self.plan.child}"
