"""Reading a feed file (CSV or Excel) and checking every row before anything is saved.

All or nothing: one bad row means nothing is saved, and the report lists every problem by
row and column (the header is row 1, as in a spreadsheet). The columns are in formats.py.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tellonce import dates
from tellonce.feeds.formats import Format
from tellonce.people.models import Organisation
from tellonce.people.validators import normalise_nhs_number, normalise_upn, validate_nhs_number
from tellonce.people.validators import validate_upn as _validate_upn

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
TERM = re.compile(r"^(20\d\d)-(autumn|spring|summer)$")
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Row:
    row: int
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str = ""
    postcode: str = ""
    upn: str = ""
    nhs_number: str = ""
    setting: Organisation | None = None
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class Checked:
    rows: list[Row]
    errors: list[RowError]
    total: int

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _fail(message: str, row: int = 0, total: int = 0) -> Checked:
    return Checked([], [RowError(row, "", message)], total)


def _read_xlsx(content: bytes) -> list[list[str]] | str:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the same to the sender
        return "The file is not an Excel workbook that can be read. Save it as .xlsx or CSV."
    sheet = book.worksheets[0]
    table: list[list[str]] = []
    for values in sheet.iter_rows(values_only=True):
        cells = []
        for value in values:
            if value is None:
                cells.append("")
            elif isinstance(value, datetime):
                cells.append(value.date().isoformat())
            elif isinstance(value, date):
                cells.append(value.isoformat())
            elif isinstance(value, float) and value.is_integer():
                cells.append(str(int(value)))
            else:
                cells.append(str(value))
        table.append(cells)
        if len(table) > MAX_ROWS + 1:
            break
    book.close()
    while table and not any(c.strip() for c in table[-1]):
        table.pop()
    return table


def _read_csv(content: bytes) -> list[list[str]] | str:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ("The file must be a CSV saved as UTF-8 (in a spreadsheet, choose 'CSV UTF-8') "
                "or an Excel .xlsx workbook.")
    try:
        return [r for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        return f"The file is not a valid CSV: {error}"


def read_table(filename: str, content: bytes) -> list[list[str]] | str:
    """The cells of the file's first sheet, or a message saying why it cannot be read."""
    if content.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    return _read_csv(content)


def _date(value: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def check(spec: Format, filename: str, content: bytes, local_authority: Organisation,
          today: date) -> Checked:
    """Read and check every row of a file in the format `spec`; nothing is written."""
    if len(content) > MAX_BYTES:
        return _fail("The file is larger than 10 MB. Split it and upload each part.")
    table = read_table(filename, content)
    if isinstance(table, str):
        return _fail(table)
    if not table:
        return _fail("The file is empty", 1)
    header = [h.strip().lower() for h in table[0]]
    known = {c.name for c in spec.columns}
    missing = [c for c in spec.required if c not in header]
    if missing:
        return _fail("The first row must name the columns. Missing: " + ", ".join(missing), 1)
    unknown = [h for h in header if h and h not in known]
    if unknown:
        return _fail("Unknown columns: " + ", ".join(unknown), 1)
    body = table[1:]
    if len(body) > MAX_ROWS:
        return _fail(f"The file has more than {MAX_ROWS:,} rows. Split it and upload each "
                     "part.", 0, len(body))
    if not body:
        return _fail("The file has no rows under the header", 2)

    settings: dict[str, Organisation] = {}
    if any(c.kind == "setting" for c in spec.columns):
        settings = {
            o.code: o for o in Organisation.objects.filter(
                local_authority=local_authority,
                kind__in=[Organisation.Kind.SCHOOL, Organisation.Kind.EARLY_YEARS,
                          Organisation.Kind.COLLEGE],
            ).exclude(code="")
        }
    errors: list[RowError] = []
    rows: list[Row] = []
    seen: dict[tuple[str, ...], int] = {}
    for index, cells in enumerate(body):
        number = index + 2
        before = len(errors)
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            errors.append(RowError(number, "", "The row has more cells than there are columns"))
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        parsed: dict[str, Any] = {}
        for column in spec.columns:
            text = values.get(column.name, "")
            if "\x00" in text:
                errors.append(RowError(number, column.name, f"{column.name} has a NUL "
                                       "character in it"))
                continue
            if not text:
                if column.required:
                    errors.append(RowError(number, column.name, f"{column.name} is empty"))
                continue
            value, problem = _parse(column.kind, column.name, text, column.choices, settings,
                                    today)
            if problem:
                errors.append(RowError(number, column.name, problem))
            else:
                parsed[column.name] = value
        problem_column, problem = _row_rules(spec.kind, parsed)
        if problem:
            errors.append(RowError(number, problem_column, problem))
        key = _key(spec.kind, parsed)
        if key and key in seen:
            errors.append(RowError(number, "", f"Duplicate: the same child and "
                                   f"{'term' if spec.kind == 'attendance' else 'entry'} as "
                                   f"row {seen[key]}"))
        elif key:
            seen[key] = number
        if len(errors) == before:
            rows.append(_row(number, parsed))
    errors.sort(key=lambda e: (e.row, e.column))
    return Checked(rows if not errors else [], errors, len(body))


def _parse(kind: str, name: str, text: str, choices: tuple[str, ...],
           settings: dict[str, Organisation], today: date) -> tuple[Any, str | None]:
    if len(text) > 100:
        return None, f"{name} is longer than 100 characters"
    if kind == "text":
        return text, None
    if kind == "date":
        try:
            value = _date(text)
        except ValueError:
            return None, f"'{text}' is not a date: use 2015-03-27 or 27/03/2015"
        date_kind = dates.DATE_OF_BIRTH if name == "dob" else dates.PAST_EVENT
        error = date_kind.error(value, name, today)
        return (None, f"{error} ({value:%-d %B %Y} was given)") if error else (value, None)
    if kind == "integer":
        if not text.isdigit() or len(text) > 5:
            return None, f"'{text}' is not a whole number of sessions"
        return int(text), None
    if kind == "upn":
        try:
            _validate_upn(text)
        except Exception:  # noqa: BLE001 - any failure is the same to the sender
            return None, f"'{text}' is not a valid UPN (a check letter then 12 digits)"
        return normalise_upn(text), None
    if kind == "nhs_number":
        try:
            validate_nhs_number(text)
        except Exception:  # noqa: BLE001
            return None, f"'{text}' is not a valid NHS number"
        return normalise_nhs_number(text), None
    if kind == "postcode":
        packed = re.sub(r"\s+", "", text.upper())
        if not POSTCODE.match(packed):
            return None, f"'{text}' is not a UK postcode"
        return f"{packed[:-3]} {packed[-3:]}", None
    if kind == "sex":
        if text.upper() not in ("F", "M"):
            return None, f"'{text}' is not a sex code: use F or M, or leave it empty"
        return text.upper(), None
    if kind == "choice":
        by_lower = {c.lower(): c for c in choices}
        if text.lower() not in by_lower:
            shown = ", ".join(choices) if len(choices) < 16 else "the census codes in the format"
            return None, f"'{text}' is not one of {shown}"
        return by_lower[text.lower()], None
    if kind == "setting":
        setting = settings.get(text)
        if setting is None:
            return None, f"No school or setting in this area has the URN '{text}'"
        return setting, None
    if kind == "term":
        if not TERM.match(text.lower()):
            return None, f"'{text}' is not a term: use 2026-autumn, 2027-spring or 2027-summer"
        return text.lower(), None
    raise ValueError(kind)


def _row_rules(kind: str, v: dict[str, Any]) -> tuple[str, str | None]:
    """Rules across a row's columns: the column to name and the message, or no message."""
    if kind == "attendance":
        possible, missed = v.get("sessions_possible"), v.get("sessions_missed")
        if possible is not None and missed is not None and missed > possible:
            return "sessions_missed", "More sessions missed than were possible"
        if v.get("suspension_start") and not v.get("suspension_reason"):
            return "suspension_reason", "Give the reason for the suspension"
        if v.get("permanent_exclusion_date") and not v.get("permanent_exclusion_reason"):
            return "permanent_exclusion_reason", "Give the reason for the exclusion"
    if kind == "pupil_roll":
        if v.get("leaving_date") and v.get("entry_date") and v["leaving_date"] < v["entry_date"]:
            return "leaving_date", "The leaving date is before the entry date"
        if v.get("sen_provision") == "N" and v.get("primary_need"):
            return "primary_need", "A primary need is given for a pupil with no SEN provision"
        if v.get("dob") and v.get("entry_date") and v["entry_date"] < v["dob"]:
            return "entry_date", "The entry date is before the date of birth"
    if kind == "social_care" and v.get("end_date") and v.get("start_date") \
            and v["end_date"] < v["start_date"]:
        return "end_date", "The end date is before the start date"
    return "", None


def _key(kind: str, v: dict[str, Any]) -> tuple[str, ...] | None:
    who = v.get("upn") or v.get("nhs_number") or (
        f"{v.get('forename', '')}|{v.get('surname', '')}|{v.get('dob', '')}".lower())
    extra = {"pupil_roll": "setting_urn", "attendance": "term", "social_care": "flag",
             "health_caseload": "service"}[kind]
    other = v.get(extra)
    if kind == "pupil_roll":
        other = getattr(other, "pk", other)
    if kind == "social_care":
        other = f"{other}|{v.get('start_date')}"
    return (str(who), str(other))


IDENTITY = {"forename", "surname", "dob", "sex", "postcode", "upn", "nhs_number",
            "setting_urn"}


def _row(number: int, v: dict[str, Any]) -> Row:
    facts = {k: (x.isoformat() if isinstance(x, date) else x)
             for k, x in v.items() if k not in IDENTITY}
    return Row(number, v["forename"], v["surname"], v["dob"], v.get("sex", ""),
               v.get("postcode", ""), v.get("upn", ""), v.get("nhs_number", ""),
               v.get("setting_urn"), facts)
