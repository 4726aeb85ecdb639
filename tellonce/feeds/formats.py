"""The four file formats, one declaration each: columns, whether required, what each holds.

The import (imports.py), the upload page and docs/feeds.md all read these declarations, so
what is documented is what is checked. Column names follow the school census's pupil fields
where there is one (UPN, Surname, Forename, DOB, Sex, Postcode, SENprovision, SENtype).
"""

from __future__ import annotations

from dataclasses import dataclass

from tellonce.feeds.models import FeedKind
from tellonce.people.models import PrimaryNeed


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    kind: str  # text, date, integer, upn, nhs_number, postcode, sex, choice, setting, term
    about: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Format:
    kind: str
    title: str
    sender_kinds: tuple[str, ...]
    # May a row that matches no child create one? Only the school census is the register
    # of who is a pupil in the area; the other agencies' rows wait for a person.
    authoritative: bool
    columns: tuple[Column, ...]
    about: str

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


SEN_PROVISION = ("E", "K", "N")
NEEDS = tuple(PrimaryNeed.values)
CARE_FLAGS = ("CIN", "CPP", "CLA")
SUSPENSION_REASONS = (
    "physical assault against a pupil", "physical assault against an adult",
    "verbal abuse or threatening behaviour against a pupil",
    "verbal abuse or threatening behaviour against an adult", "use or threat of use of an "
    "offensive weapon or prohibited item", "bullying", "racist abuse", "abuse relating to "
    "disability", "sexual misconduct", "drug and alcohol related", "damage", "theft",
    "persistent or general disruptive behaviour", "inappropriate use of social media or "
    "online technology", "wilful and repeated transgression of protective measures", "other",
)


def _identity(upn_required: bool, nhs_about: str | None = None) -> tuple[Column, ...]:
    columns = [
        Column("upn", upn_required, "upn", "Unique pupil number: 13 characters, a check "
               "letter then 12 digits (A999000026001)." + ("" if upn_required else
                                                            " Leave empty if not known.")),
    ]
    if nhs_about:
        columns = [Column("nhs_number", False, "nhs_number", nhs_about)]
    return (
        *columns,
        Column("forename", True, "text", "Legal given name."),
        Column("surname", True, "text", "Legal family name."),
        Column("dob", True, "date", "Date of birth, as 2015-03-27 or 27/03/2015."),
        Column("sex", False, "sex", "F or M (census codes); empty if not recorded."),
        Column("postcode", False, "postcode", "Home postcode, as RV1 2AB."),
    )


TERM_ABOUT = ("The school term, as 2026-autumn, 2027-spring or 2027-summer (the year the "
              "term falls in).")

PUPIL_ROLL = Format(
    FeedKind.PUPIL_ROLL, "Pupil roll", ("school", "early_years", "college"), True,
    (
        *_identity(True),
        Column("setting_urn", True, "setting", "The URN of the school or setting the pupil "
               "is on roll at (as on Get Information about Schools)."),
        Column("sen_provision", True, "choice", "SEN provision: E (EHC plan), K (SEN "
               "support) or N (none).", SEN_PROVISION),
        Column("primary_need", False, "choice", "SEN primary need type code, for E and K: "
               + ", ".join(NEEDS) + ".", NEEDS),
        Column("year_group", False, "text", "National curriculum year: N1, N2, R, 1 to 14."),
        Column("entry_date", True, "date", "The date the pupil joined the setting."),
        Column("leaving_date", False, "date", "The date the pupil left, if they have."),
    ),
    "One row per pupil on roll, as in the school census. A pupil who matches no child on "
    "the record is added as a new child (the census is the register of pupils).",
)

ATTENDANCE = Format(
    FeedKind.ATTENDANCE, "Attendance, suspensions and exclusions",
    ("school", "college", "local_authority"), False,
    (
        *_identity(True),
        Column("term", True, "term", TERM_ABOUT),
        Column("sessions_possible", True, "integer", "Sessions the pupil could attend (two "
               "a day)."),
        Column("sessions_missed", True, "integer", "Sessions missed, authorised or not."),
        Column("suspension_start", False, "date", "First day of a suspension in the term."),
        Column("suspension_sessions", False, "integer", "Sessions the suspension lasted."),
        Column("suspension_reason", False, "choice", "The census reason: "
               + "; ".join(SUSPENSION_REASONS) + ".", SUSPENSION_REASONS),
        Column("permanent_exclusion_date", False, "date", "The date of a permanent "
               "exclusion."),
        Column("permanent_exclusion_reason", False, "choice", "Its reason (as for a "
               "suspension).", SUSPENSION_REASONS),
    ),
    "One row per pupil per term. Sessions missed of 10% or more of those possible is "
    "persistent absence.",
)

SOCIAL_CARE = Format(
    FeedKind.SOCIAL_CARE, "Children's social care flags", ("social_care",), False,
    (
        *_identity(False, "NHS number, 10 digits, where the case system holds it."),
        Column("flag", True, "choice", "CIN (child in need), CPP (child protection plan) or "
               "CLA (looked after).", CARE_FLAGS),
        Column("start_date", True, "date", "When the flag began."),
        Column("end_date", False, "date", "When it ended; empty if it still applies."),
    ),
    "One row per flag per child. Matched children are never added: a person decides.",
)

HEALTH_CASELOAD = Format(
    FeedKind.HEALTH_CASELOAD, "Community health caseload", ("nhs_trust", "health_service"),
    False,
    (
        *_identity(False, "NHS number, 10 digits, where known."),
        Column("service", True, "text", "The service whose caseload the child is on."),
    ),
    "One row per child per service.",
)

FORMATS: dict[str, Format] = {f.kind: f for f in (PUPIL_ROLL, ATTENDANCE, SOCIAL_CARE,
                                                   HEALTH_CASELOAD)}
