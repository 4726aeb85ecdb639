"""How long a child's record is kept, by kind of record, and which records are due for erasure.

The periods are counted from the child's date of birth, as the sources count them. Each
period can be changed with the setting RETENTION_YEARS (environment variable
`RETENTION_YEARS="ehc=31,record=25"`): a council follows its own published retention
schedule, which these defaults are taken from the usual sources for:

- ehc: education, health and care needs assessments and plans, until the 31st birthday.
  IRMS Information Management Toolkit for Schools: SEN files, reviews and EHC plans,
  "date of birth of the pupil + 31 years" (a plan can last to 25; six years more is the
  Limitation Act 1980's time for a claim).
- health: health referrals and waiting-list records, until the 25th birthday, or the 26th
  for a young person who was 17 when a referral was made. NHS England, Records Management
  Code of Practice 2023, children's records.
- sen_support: a child on SEN support, until the 25th birthday (IRMS toolkit: the pupil's
  educational record, date of birth + 25 years).
- record: any other child record, until the 25th birthday (the same rule: the service
  works with children and young people to 25).

A record is due when every kind of record it holds has passed its period: the longest
period wins. The audit log is not erased: its rows name the child only by the record's
random identifier, which says nothing about the child once the record is erased.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from tellonce.people.models import Child
from tellonce.privacy import inventory
from tellonce.privacy.periods import DEFAULT_YEARS


@dataclass(frozen=True)
class Rule:
    key: str
    what: str
    default_years: int
    source: str

    @property
    def years(self) -> int:
        configured: dict[str, int] = getattr(settings, "RETENTION_YEARS", {})
        return configured.get(self.key, self.default_years)


RULES = {
    rule.key: rule
    for rule in (
        Rule("ehc", "EHC needs assessment and plan records", DEFAULT_YEARS["ehc"],
             "IRMS Information Management Toolkit for Schools (SEN files and EHC plans)"),
        Rule("health", "Health referrals", DEFAULT_YEARS["health"],
             "NHS England Records Management Code of Practice 2023 (children's records)"),
        Rule("health_seventeen", "Health referrals made at 17 or over",
             DEFAULT_YEARS["health_seventeen"],
             "NHS England Records Management Code of Practice 2023 (children's records)"),
        Rule("sen_support", "SEN support records", DEFAULT_YEARS["sen_support"],
             "IRMS Information Management Toolkit for Schools (pupil's educational record)"),
        Rule("record", "The child's record", DEFAULT_YEARS["record"],
             "IRMS Information Management Toolkit for Schools (pupil's educational record)"),
    )
}


def _birthday(dob: date, years: int) -> date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # 29 February
        return date(dob.year + years, 3, 1)


@dataclass(frozen=True)
class Due:
    """When a child's record may be erased, and the rule that keeps it longest."""

    child: Child
    on: date
    rule: Rule


def _applicable(child: Child, labels: set[str], referral_ages: list[int]) -> list[Rule]:
    rules = []
    if child.send_status == Child.SendStatus.SEN_SUPPORT:
        rules.append(RULES["sen_support"])
    if any(label.startswith("ehc.") for label in labels) or child.send_status in (
        Child.SendStatus.ASSESSMENT,
        Child.SendStatus.EHC_PLAN,
    ):
        rules.append(RULES["ehc"])
    if referral_ages:
        rules.append(RULES["health_seventeen" if max(referral_ages) >= 17 else "health"])
    # Last, so that a specific rule with the same period is the one named.
    return [*rules, RULES["record"]]


def due_date(child: Child) -> Due:
    """The day the child's record may be erased, from what is held about the child."""
    holdings = inventory.collect(child)
    labels = set(holdings)
    referral_ages: list[int] = []
    referrals = holdings.get("health.referral")
    if referrals is not None:
        for received in referrals.model._base_manager.filter(pk__in=referrals.pks).values_list(
            "received_on", flat=True
        ):
            referral_ages.append(child.age_on(received))
    rules = _applicable(child, labels, referral_ages)
    longest = max(rules, key=lambda rule: rule.years)
    return Due(child, _birthday(child.date_of_birth, longest.years), longest)


def due_for_erasure(today: date | None = None) -> Iterator[Due]:
    """Records whose retention has passed, oldest first. Only children old enough for the
    shortest period are looked at, so the list stays quick on a large area."""
    today = today or date.today()
    shortest = min(rule.years for rule in RULES.values())
    born_by = _birthday(today, -shortest)
    candidates = Child.objects.filter(erased_at__isnull=True, date_of_birth__lte=born_by)
    for child in candidates.order_by("date_of_birth", "pk").iterator(chunk_size=500):
        due = due_date(child)
        if due.on <= today:
            yield due
