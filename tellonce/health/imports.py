"""Referrals from a provider's system as CSV: checked row by row, then saved all or nothing.

The columns are documented in COLUMNS (shown on the import page and in the README). Every
row is checked before anything is saved; one bad row means nothing is saved and the report
lists every problem by row number (the header is row 1, as in a spreadsheet).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from tellonce import dates
from tellonce.health.actions import Decision
from tellonce.health.models import Pathway, PathwayKind, Referral
from tellonce.people.models import Child, Organisation
from tellonce.people.validators import normalise_nhs_number, validate_nhs_number

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# (column, required, what it holds)
COLUMNS: list[tuple[str, bool, str]] = [
    ("provider_reference", True, "The referral's identifier in your system. Must be unique: "
     "a row whose reference was imported before is reported as a duplicate."),
    ("nhs_number", True, "The child's 10-digit NHS number (spaces allowed)."),
    ("date_of_birth", True, "The child's date of birth, as 2015-03-27 or 27/03/2015. It must "
     "match the NHS number."),
    ("pathway", True, "One of: " + ", ".join(f"{v} ({label.lower()})"
                                             for v, label in PathwayKind.choices) + "."),
    ("received_on", True, "The date the referral was received."),
    ("referrer_name", True, "Who referred: a person or a team."),
    ("referrer_role", False, "Their role, for example GP, SENCO, health visitor."),
    ("priority", False, "routine (the default) or urgent."),
    ("locality", False, "The locality's list the child joins, where the service has one list "
     "per locality. Empty: the child's own locality, or the area-wide list."),
    ("triage_decision", False, "Empty if not decided yet; accepted, declined or redirected."),
    ("triage_decision_on", False, "Date of the decision (needed with a decision)."),
    ("decline_reason", False, "Why it was declined (needed to decline). The family reads it."),
    ("redirected_to", False, "The service it was sent to (needed to redirect)."),
    ("family_told_on", False, "When the family was told the decision."),
]
# The kind of each date column (tellonce.dates): which dates make sense in it.
DATE_KINDS: dict[str, dates.Kind] = {
    "date_of_birth": dates.DATE_OF_BIRTH,
    "received_on": dates.PAST_EVENT,
    "triage_decision_on": dates.PAST_EVENT,
    "family_told_on": dates.PAST_EVENT,
}
REQUIRED = [name for name, required, _ in COLUMNS if required]
KNOWN = {name for name, _, _ in COLUMNS}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportRow:
    row: int
    child: Child
    pathway: Pathway
    provider_reference: str
    received_on: date
    referrer_name: str
    referrer_role: str
    priority: str
    decision: str
    decided_on: date | None
    decline_reason: str
    redirected_to: str
    family_told_on: date | None


@dataclass
class Checked:
    rows: list[ImportRow]
    errors: list[RowError]
    total: int

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _date(value: str) -> date:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def check(provider: Organisation, content: bytes, today: date) -> Checked:
    """Read and check every row; nothing is written."""
    if len(content) > MAX_BYTES:
        return Checked([], [RowError(0, "", "The file is larger than 5 MB. Split it and upload "
                                     "each part.")], 0)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Checked([], [RowError(0, "", "The file must be a CSV saved as UTF-8. In a "
                                     "spreadsheet, choose 'CSV UTF-8' when saving.")], 0)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if not header or missing:
        return Checked([], [RowError(1, "", "The first row must name the columns. Missing: "
                                     + ", ".join(missing or REQUIRED))], 0)
    unknown = [h for h in header if h not in KNOWN]
    if unknown:
        return Checked([], [RowError(1, "", "Unknown columns: " + ", ".join(unknown))], 0)
    reader.fieldnames = header
    try:
        raw = list(reader)
    except csv.Error as error:
        return Checked([], [RowError(0, "", f"The file is not a valid CSV: {error}")], 0)
    if len(raw) > MAX_ROWS:
        return Checked([], [RowError(0, "", f"The file has {len(raw):,} rows; the most is "
                                     f"{MAX_ROWS:,}. Split it and upload each part.")], len(raw))
    if not raw:
        return Checked([], [RowError(2, "", "The file has no referrals in it")], 0)

    pathways = list(Pathway.objects.filter(provider=provider).select_related("locality"))
    by_kind: dict[tuple[str, str], Pathway] = {
        (p.kind, p.locality.name.lower() if p.locality else ""): p for p in pathways
    }
    locality_names = {p.locality.name.lower() for p in pathways if p.locality}
    numbers = {normalise_nhs_number(v.get("nhs_number") or "") for v in raw}
    children = {
        c.nhs_number: c
        for c in Child.objects.filter(nhs_number__in=numbers).select_related("locality")
    }
    references = [(v.get("provider_reference") or "").strip() for v in raw]
    existing_refs = set(
        Referral.objects.filter(
            pathway__provider=provider, provider_reference__in=[r for r in references if r]
        ).values_list("provider_reference", flat=True)
    )

    errors: list[RowError] = []
    rows: list[ImportRow] = []
    seen_refs: dict[str, int] = {}
    seen_keys: dict[tuple[object, int, date], int] = {}
    for index, values in enumerate(raw):
        number = index + 2
        row_errors: list[RowError] = []

        def fail(column: str, message: str, number: int = number,
                 row_errors: list[RowError] = row_errors) -> None:
            row_errors.append(RowError(number, column, message))

        def get(column: str, values: dict[str, str | None] = values) -> str:
            value = values.get(column)
            return value.strip() if isinstance(value, str) else ""

        if None in values:  # more cells than columns
            fail("", "The row has more cells than there are columns")
        for column in REQUIRED:
            if not get(column):
                fail(column, f"{column} is empty")

        def parse_date(column: str, required: bool) -> date | None:
            text = get(column)
            if not text:
                return None
            try:
                value = _date(text)
            except ValueError:
                fail(column, f"'{text}' is not a date: use 2015-03-27 or 27/03/2015")
                return None
            error = dates.check(DATE_KINDS[column], value, column, today)
            if error:
                fail(column, f"{error} ({value:%-d %B %Y} was given)")
            return value

        reference = get("provider_reference")
        if len(reference) > 40:
            fail("provider_reference", "The reference is longer than 40 characters")
        elif reference in existing_refs:
            fail("provider_reference", f"Duplicate: referral {reference} was imported before")
        elif reference and reference in seen_refs:
            fail("provider_reference",
                 f"Duplicate: referral {reference} is also on row {seen_refs[reference]}")
        elif reference:
            seen_refs[reference] = number

        child = None
        if get("nhs_number"):
            try:
                validate_nhs_number(get("nhs_number"))
                nhs = normalise_nhs_number(get("nhs_number"))
            except Exception:  # noqa: BLE001 - any validation failure is the same to the user
                fail("nhs_number", f"'{get('nhs_number')}' is not a valid NHS number")
            else:
                child = children.get(nhs)
                if child is None:
                    fail("nhs_number", "No child has this NHS number")
        born = parse_date("date_of_birth", True)
        if child is not None and born is not None and child.date_of_birth != born:
            fail("date_of_birth", "The date of birth does not match the child with this "
                 "NHS number")
            child = None

        kind = get("pathway").lower()
        pathway = None
        if kind and kind not in PathwayKind.values:
            fail("pathway", f"'{get('pathway')}' is not a pathway: use one of "
                 + ", ".join(PathwayKind.values))
        elif kind:
            locality = get("locality").lower()
            if locality and locality not in locality_names:
                fail("locality", f"{provider} has no list for the locality '{get('locality')}'")
            else:
                if not locality and child is not None and child.locality is not None:
                    locality = child.locality.name.lower()
                pathway = by_kind.get((kind, locality)) or by_kind.get((kind, ""))
                if pathway is None:
                    fail("pathway", f"{provider} has no {PathwayKind(kind).label.lower()} list"
                         + (f" for {get('locality') or locality.title()}" if locality else ""))

        received = parse_date("received_on", True)
        if received and born and received < born:
            fail("received_on", "The referral cannot be received before the child was born")
        priority = get("priority").lower() or Referral.Priority.ROUTINE
        if priority not in Referral.Priority.values:
            fail("priority", f"'{get('priority')}' is not a priority: use routine or urgent")

        decision = get("triage_decision").lower()
        decided_on = parse_date("triage_decision_on", False)
        told_on = parse_date("family_told_on", False)
        if decision and decision not in (Decision.ACCEPTED, Decision.DECLINED,
                                         Decision.REDIRECTED):
            fail("triage_decision", f"'{get('triage_decision')}' is not a decision: use "
                 "accepted, declined or redirected, or leave it empty")
        if decision and decided_on is None and not get("triage_decision_on"):
            fail("triage_decision_on", "Give the date of the decision")
        if decided_on and not decision:
            fail("triage_decision", "There is a decision date but no decision")
        if decided_on and received and decided_on < received:
            fail("triage_decision_on", "The decision cannot be before the referral was received")
        if told_on and not decision:
            fail("family_told_on", "The family cannot be told a decision that was not made")
        if told_on and decided_on and told_on < decided_on:
            fail("family_told_on", "The family cannot be told before the decision")
        if decision == Decision.DECLINED and not get("decline_reason"):
            fail("decline_reason", "Give the reason the referral was declined")
        if decision == Decision.REDIRECTED and not get("redirected_to"):
            fail("redirected_to", "Give the service the referral was sent to")
        for column, limit in (("referrer_name", 150), ("referrer_role", 100),
                              ("redirected_to", 200)):
            if len(get(column)) > limit:
                fail(column, f"{column} is longer than {limit} characters")

        if child is not None and pathway is not None and received is not None:
            key = (child.pk, pathway.pk, received)
            if key in seen_keys:
                fail("", f"Duplicate: the same child, pathway and date as row {seen_keys[key]}")
            else:
                seen_keys[key] = number
        errors += row_errors
        if not row_errors and child and pathway and received:
            rows.append(ImportRow(
                row=number, child=child, pathway=pathway, provider_reference=reference,
                received_on=received, referrer_name=get("referrer_name"),
                referrer_role=get("referrer_role"), priority=priority, decision=decision,
                decided_on=decided_on, decline_reason=get("decline_reason"),
                redirected_to=get("redirected_to"), family_told_on=told_on,
            ))
    if rows:
        # The same child, pathway and date already on record is a duplicate too.
        existing = set(
            Referral.objects.filter(
                pathway_id__in={r.pathway.pk for r in rows},
                child_id__in={r.child.pk for r in rows},
            ).values_list("child_id", "pathway_id", "received_on")
        )
        for r in rows:
            if (r.child.pk, r.pathway.pk, r.received_on) in existing:
                errors.append(RowError(r.row, "", "Duplicate: this child already has a referral "
                                       "to this list received on the same date"))
    errors.sort(key=lambda e: (e.row, e.column))
    return Checked(rows if not errors else [], errors, len(raw))
