"""Children and young people, their families, organisations, staff and who works with whom."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from .validators import format_nhs_number, validate_nhs_number, validate_upn


class User(AbstractUser):
    """A person who signs in: a parent or carer, a young person, or a member of staff.

    What they may see follows from the data linked to them (an Adult record with parental
    responsibility, their own Child record, staff memberships), never from a flag on the user.
    """

    display_name = models.CharField(max_length=150, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        ICB = "icb", "Integrated care board"
        NHS_TRUST = "nhs_trust", "NHS trust"
        HEALTH_SERVICE = "health_service", "Health service"
        SCHOOL = "school", "School"
        EARLY_YEARS = "early_years", "Early years setting"
        COLLEGE = "college", "College"
        SOCIAL_CARE = "social_care", "Social care team"
        VOLUNTARY = "voluntary", "Voluntary or community organisation"

    EDUCATION_KINDS = (Kind.SCHOOL, Kind.EARLY_YEARS, Kind.COLLEGE)

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # A trust's services, an LA's teams: sharing is decided per organisation, not per parent.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    local_authority = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The local authority whose area this organisation serves",
    )
    locality = models.ForeignKey("Locality", null=True, blank=True, on_delete=models.PROTECT)
    code = models.CharField(max_length=20, blank=True, help_text="URN, ODS code or LA number")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name


class Locality(models.Model):
    name = models.CharField(max_length=100)
    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "name"], name="unique_locality")
        ]

    def __str__(self) -> str:
        return self.name


class StaffMembershipQuerySet(models.QuerySet["StaffMembership"]):
    def bulk_create(  # type: ignore[override]
        self, objs: Iterable[StaffMembership], *args: Any, **kwargs: Any
    ) -> list[StaffMembership]:
        """Bulk creation skips save(): check each membership's role fits here too."""
        memberships = list(objs)
        for membership in memberships:
            membership.check_role_fits()
        return super().bulk_create(memberships, *args, **kwargs)  # type: ignore[arg-type,return-value]

    def update(self, **kwargs: Any) -> int:
        """A membership's role and organisation are what was granted: ending it and granting
        another is the only change (each audited), so an update cannot move a role across
        agencies unseen."""
        if {"role", "organisation", "organisation_id"} & kwargs.keys():
            raise ValidationError("End the membership and grant another instead")
        return super().update(**kwargs)


class StaffMembership(models.Model):
    """A user works for an organisation in a role. Roles decide what the policy allows.

    Which roles exist in which kind of organisation is the policy's rule
    (tellonce/access/roles.py); saving a membership that breaks it is refused here, and the
    policy ignores any such row that exists anyway.
    """

    class Role(models.TextChoices):
        SENCO = "senco", "SENCO or setting practitioner"
        LA_CASEWORKER = "la_caseworker", "SEND caseworker"
        LA_MANAGER = "la_manager", "SEND manager"
        HEALTH_PRACTITIONER = "health_practitioner", "Health practitioner"
        DCO = "dco", "Designated clinical officer"
        SOCIAL_WORKER = "social_worker", "Social worker"
        EDUCATIONAL_PSYCHOLOGIST = "educational_psychologist", "Educational psychologist"
        LEADER = "leader", "Partnership leader or commissioner"
        LOCAL_OFFER_EDITOR = "local_offer_editor", "Local offer editor"
        ORG_ADMIN = "org_admin", "Organisation administrator"
        PARENT_CARER_FORUM = "parent_carer_forum", "Parent carer forum member"
        DATA_OFFICER = "data_officer", "Data officer (joins the agencies' records)"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=30, choices=Role.choices)
    job_title = models.CharField(max_length=100, blank=True)
    start = models.DateField(default=date.today)
    end = models.DateField(null=True, blank=True)

    objects = StaffMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "role"]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.check_role_fits()
        super().save(*args, **kwargs)

    def role_misfit(self) -> str | None:
        """Why this role cannot exist in this organisation, or None if it can."""
        from tellonce.access.roles import misfit_message, role_fits  # access sits above

        if self.organisation_id is None or not self.role:
            return None
        kind = self.organisation.kind
        return None if role_fits(self.role, kind) else misfit_message(self.role, kind)

    def check_role_fits(self) -> None:
        problem = self.role_misfit()
        if problem:
            raise ValidationError({"role": problem})

    def clean(self) -> None:
        super().clean()
        self.check_role_fits()

    @staticmethod
    def active_q(prefix: str = "", on: date | None = None) -> Q:
        """Active on a day: started on or before it, and not yet ended. `end` is the day it
        stopped applying, so ending something today takes effect at once."""
        on = on or date.today()
        return Q(**{f"{prefix}start__lte": on}) & (
            Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": on})
        )


class RoleChange(models.Model):
    """A role given or ended in an organisation: the organisation's own history of who may do
    what there, shown on its staff page. The audit log has the same event (audit.record)."""

    class Change(models.TextChoices):
        GRANTED = "granted", "Role given"
        ENDED = "ended", "Role ended"

    membership = models.ForeignKey(
        StaffMembership, on_delete=models.PROTECT, related_name="changes"
    )
    # The membership's organisation, kept here so the staff page reads its history by index.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="role_changes"
    )
    change = models.CharField(max_length=10, choices=Change.choices)
    on = models.DateField(help_text="The day the role starts or stops applying")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Who made the change as they were then (as the audit log keeps it); "System" for none.
    by_description = models.CharField(max_length=300)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at", "-id"])]

    def __str__(self) -> str:
        return f"{self.get_change_display()}: {self.membership}"


class PrimaryNeed(models.TextChoices):
    """The 13 SEN primary need types of the DfE school census and SEN2."""

    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Vision impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    ASD = "ASD", "Autistic spectrum disorder"
    OTH = "OTH", "Other difficulty or disability"
    NSA = "NSA", "SEN support but no specialist assessment of type of need"


class Child(models.Model):
    """A child or young person aged 0 to 25: one record, shared with consent."""

    class SendStatus(models.TextChoices):
        NONE = "none", "No identified SEN"
        SEN_SUPPORT = "sen_support", "SEN support"
        ASSESSMENT = "assessment", "EHC needs assessment in progress"
        EHC_PLAN = "ehc_plan", "EHC plan"

    class ParentAccess(models.TextChoices):
        ALLOWED = "allowed", "My parents or carers can see my record"
        WITHHELD = "withheld", "My parents or carers cannot see my record"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    # Lower-case copies kept by the database, indexed, so a name search is an index range
    # scan on SQLite and PostgreSQL alike (case-insensitive LIKE can use neither's index).
    given_name_key = models.GeneratedField(
        expression=Lower("given_name"),
        output_field=models.CharField(max_length=100),
        db_persist=True,
    )
    family_name_key = models.GeneratedField(
        expression=Lower("family_name"),
        output_field=models.CharField(max_length=100),
        db_persist=True,
    )
    date_of_birth = models.DateField()
    nhs_number = models.CharField(
        max_length=10, null=True, blank=True, unique=True, validators=[validate_nhs_number]
    )
    upn = models.CharField(
        "UPN", max_length=13, null=True, blank=True, unique=True, validators=[validate_upn]
    )
    local_authority = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="resident_children"
    )
    locality = models.ForeignKey(Locality, null=True, blank=True, on_delete=models.PROTECT)
    setting = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="on_roll",
        help_text="The school, early years setting or college the child attends",
    )
    # The agency that created the record: its own staff with an involvement need no consent.
    held_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    send_status = models.CharField(
        max_length=20, choices=SendStatus.choices, default=SendStatus.NONE
    )
    primary_need = models.CharField(max_length=4, choices=PrimaryNeed.choices, blank=True)
    # A young person of 16 or over may sign in and decides whether their parents see the record.
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="own_record"
    )
    parent_access = models.CharField(
        max_length=10, choices=ParentAccess.choices, default=ParentAccess.ALLOWED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the record was erased (tellonce.privacy.erasure): the row stays, with no
    # personal data, because the audit log refers to it.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["family_name", "given_name"]),
            models.Index(fields=["family_name_key"]),
            models.Index(fields=["given_name_key"]),
            # The caseload (an authority's children with plans or assessments) by name and age.
            # With both name keys and the id, a name search's count and page of ids are
            # read from the index alone, however many children share a surname.
            models.Index(
                fields=["local_authority", "send_status", "family_name_key", "given_name_key",
                        "id"],
                name="child_caseload_family_name",
            ),
            models.Index(
                fields=["local_authority", "send_status", "given_name_key", "family_name_key",
                        "id"],
                name="child_caseload_given_name",
            ),
            models.Index(
                fields=["local_authority", "send_status", "date_of_birth"],
                name="child_caseload_birth",
            ),
            models.Index(fields=["date_of_birth"]),
            models.Index(fields=["local_authority", "send_status"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}"

    @staticmethod
    def name_alternatives(term: str) -> list[Q]:
        """Family name, or given name, starts with `term` ignoring case: two index ranges."""
        key = term.lower()
        upper = key + "\U0010ffff"
        return [
            Q(family_name_key__gte=key, family_name_key__lt=upper),
            Q(given_name_key__gte=key, given_name_key__lt=upper),
        ]

    @classmethod
    def name_starts_with(cls, term: str) -> Q:
        family, given = cls.name_alternatives(term)
        return family | given

    def age_on(self, on: date) -> int:
        dob = self.date_of_birth
        return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))

    @property
    def age(self) -> int:
        return self.age_on(date.today())

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number) if self.nhs_number else ""


class Adult(models.Model):
    """A parent or carer."""

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="adult"
    )

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class FamilyLink(models.Model):
    """An adult's relationship to a child; parental responsibility is recorded as a fact."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        PARENT = "parent", "Parent"
        STEP_PARENT = "step_parent", "Step-parent"
        GRANDPARENT = "grandparent", "Grandparent"
        FOSTER_CARER = "foster_carer", "Foster carer"
        SPECIAL_GUARDIAN = "special_guardian", "Special guardian"
        OTHER_CARER = "other_carer", "Other carer"

    adult = models.ForeignKey(Adult, on_delete=models.CASCADE, related_name="links")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="family")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    parental_responsibility = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["adult", "child"], name="unique_family_link")
        ]

    def __str__(self) -> str:
        return f"{self.adult} ({self.get_relationship_display()}) of {self.child}"


class Involvement(models.Model):
    """Who works with which child, in what role, from when to when.

    With `staff` set it is one practitioner's; without, it is the whole team's (the
    organisation's), for roles that work as a team (a SENCO's setting, a therapy service).
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="involvements")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="involvements"
    )
    staff = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="involvements"
    )
    role = models.CharField(max_length=100, help_text="For example 'Speech and language therapist'")
    start = models.DateField(default=date.today)
    end = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-start"]
        indexes = [
            models.Index(fields=["child", "organisation"]),
            models.Index(fields=["organisation", "end"]),
            models.Index(fields=["staff", "end"]),
            # Personal involvements only: most involvements are a team's (no staff), and
            # statistics over all rows would make the planner shun the staff index.
            # With the dates and the child, the policy reads a practitioner's involvements
            # from the index alone.
            models.Index(
                fields=["staff", "organisation", "start", "end", "child"],
                condition=Q(staff__isnull=False),
                name="involvement_personal",
            ),
        ]

    def __str__(self) -> str:
        who = self.staff or self.organisation
        return f"{who} — {self.role} for {self.child}"

    @staticmethod
    def active_q(prefix: str = "", on: date | None = None) -> Q:
        return StaffMembership.active_q(prefix, on)

    def is_active(self, on: date | None = None) -> bool:
        on = on or date.today()
        return self.start <= on and (self.end is None or self.end > on)
