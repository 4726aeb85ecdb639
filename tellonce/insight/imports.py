"""Figures the record does not hold, uploaded by leaders as CSV or Excel (.xlsx): one
documented template per source, every row checked before anything is saved, all or nothing,
with a report naming each bad row (the header is row 1, as in a spreadsheet).

The newest upload of a source is the one the scorecard reads (it says which, and when).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    where_from: str
    group_column: str
    group_values: tuple[str, ...]  # empty: any text
    counts: tuple[tuple[str, str], ...]  # (column, what it counts)


SOURCES: dict[str, Source] = {s.key: s for s in (
    Source("community_waits", "Community waiting lists (ICB extract)",
           "The ICB's monthly extract of children's community waiting lists (CHS SitRep)",
           "service", (), (("waiting", "children waiting at the month's end"),
                           ("over_18_weeks", "of them, waiting more than 18 weeks"),
                           ("over_52_weeks", "of them, waiting more than 52 weeks"))),
    Source("school_absence", "School absence and suspensions by SEN status",
           "The council's school census returns (DfE absence and exclusions)",
           "sen_status", ("ehc_plan", "sen_support", "no_sen"),
           (("pupils", "pupils on roll"),
            ("persistently_absent", "of them, missing 10% or more of sessions"),
            ("suspensions", "suspensions in the month"))),
    Source("camhs_waits", "Children's mental health (CAMHS) waits",
           "The mental health trust's monthly waiting list report",
           "team", (), (("waiting", "children waiting at the month's end"),
                        ("over_4_weeks", "of them, waiting more than 4 weeks"))),
)}


def columns(source: Source) -> list[tuple[str, str]]:
    group = (f"one of {', '.join(source.group_values)}" if source.group_values
             else "a name (text)")
    return [("month", "the month, as 2026-03"), (source.group_column, group),
            *[(c, f"{what} (a whole number)") for c, what in source.counts]]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Checked:
    rows: list[tuple[date, str, dict[str, int]]]
    errors: list[RowError]


def _table(name: str, content: bytes) -> tuple[list[str], list[list[str]]] | RowError:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
            return RowError(0, "", "The file is not an Excel workbook (.xlsx) that can be read")
        sheet = book.worksheets[0]
        cells = [["" if v is None else (v.strftime("%Y-%m") if hasattr(v, "strftime")
                                        else str(v)) for v in row]
                 for row in sheet.iter_rows(values_only=True)]
        book.close()
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return RowError(0, "", "The file must be a CSV saved as UTF-8, or an Excel .xlsx")
        try:
            cells = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as error:
            return RowError(0, "", f"The file is not a valid CSV: {error}")
    cells = [r for r in cells if any(c.strip() for c in r)]
    if not cells:
        return RowError(1, "", "The file is empty")
    return [h.strip() for h in cells[0]], [[c.strip() for c in r] for r in cells[1:]]


def _month(value: str) -> date:
    year, month = value.split("-")[:2]
    return date(int(year), int(month), 1)


def check(source: Source, name: str, content: bytes, today: date) -> Checked:
    """Read and check every row; nothing is written."""
    if len(content) > MAX_BYTES:
        return Checked([], [RowError(0, "", "The file is larger than 5 MB")])
    table = _table(name, content)
    if isinstance(table, RowError):
        return Checked([], [table])
    header, body = table
    expected = [c for c, _ in columns(source)]
    missing = [c for c in expected if c not in header]
    unknown = [h for h in header if h and h not in expected]
    if missing or unknown:
        words = ([f"missing {', '.join(missing)}"] if missing else []) + \
            ([f"unknown {', '.join(unknown)}"] if unknown else [])
        return Checked([], [RowError(1, "", "The first row must name the template's columns: "
                                     + "; ".join(words))])
    if not body:
        return Checked([], [RowError(2, "", "The file has no figures in it")])
    if len(body) > MAX_ROWS:
        return Checked([], [RowError(0, "", f"The file has {len(body):,} rows; the most is "
                                     f"{MAX_ROWS:,}")])
    at = {c: header.index(c) for c in expected}
    rows: list[tuple[date, str, dict[str, int]]] = []
    errors: list[RowError] = []
    seen: dict[tuple[date, str], int] = {}
    for number, raw in enumerate(body, start=2):
        def get(column: str, raw: list[str] = raw) -> str:
            i = at[column]
            return raw[i] if i < len(raw) else ""

        problems = []
        try:
            month = _month(get("month"))
            if month > today:
                problems.append(RowError(number, "month", "The month is in the future"))
        except (ValueError, IndexError):
            problems.append(RowError(number, "month", f"{get('month')!r} is not a month: "
                                     "write it as 2026-03"))
            month = date.min
        group = get(source.group_column)
        if not group:
            problems.append(RowError(number, source.group_column, "Empty"))
        elif source.group_values and group not in source.group_values:
            problems.append(RowError(number, source.group_column,
                                     f"{group!r} is not one of "
                                     f"{', '.join(source.group_values)}"))
        values: dict[str, int] = {}
        for column, _what in source.counts:
            text = get(column).replace(",", "")
            if not text.isdigit():
                problems.append(RowError(number, column, f"{get(column)!r} is not a whole "
                                         "number of 0 or more"))
            else:
                values[column] = int(text)
        first = source.counts[0][0]
        for column, _what in source.counts[1:]:
            if column in values and first in values and values[column] > values[first]:
                problems.append(RowError(number, column, f"More than {first} "
                                         f"({values[column]} > {values[first]})"))
        key = (month, group)
        if not problems and key in seen:
            problems.append(RowError(number, "", f"The same month and {source.group_column} "
                                     f"as row {seen[key]}"))
        seen.setdefault(key, number)
        errors += problems
        if not problems:
            rows.append((month, group, values))
    return Checked(rows, errors)


def template_rows(source: Source) -> list[list[str]]:
    example_group = source.group_values[0] if source.group_values else "Example"
    return [[c for c, _ in columns(source)],
            ["2026-03", example_group, *["0" for _ in source.counts]]]
