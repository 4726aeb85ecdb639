"""Every date a person types is checked against the range that fits what it is, in one place.

The class-wide tests: every form field for a date in the project declares its kind (a new
date field without one fails here), every date column of the health import has one, and each
kind accepts exactly the dates in its range, with GOV.UK wording naming the field.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from datetime import date, timedelta
from pathlib import Path

from django import forms
from hypothesis import given, settings
from hypothesis import strategies as st

import tellonce
from tellonce import dates
from tellonce.health import imports

ROOT = Path(tellonce.__file__).parent
DATE_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField, dates.DateInput)


def _modules() -> list[str]:
    return sorted(
        info.name for info in pkgutil.walk_packages([str(ROOT)], prefix="tellonce.")
        if ".migrations" not in info.name and ".management" not in info.name
    )


def _form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for name in _modules():
        module = importlib.import_module(name)
        for _attr, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__.startswith("tellonce."):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[key] for key in sorted(found)]


def test_every_date_field_of_every_form_declares_its_kind() -> None:
    forms_found = _form_classes()
    names = {f.__name__ for f in forms_found}
    # The walk reaches the forms of every app (a walk that found none would pass vacuously).
    assert {"ReviewMeetingForm", "AppointmentForm", "NewReferralForm", "ChildSearchForm",
            "AddInvolvementForm", "WorklistFilterForm", "SearchForm"} <= names
    checked = 0
    for form in forms_found:
        for field_name, field in form.base_fields.items():
            if isinstance(field, DATE_FIELDS):
                where = f"{form.__module__}.{form.__name__}.{field_name}"
                assert isinstance(field, dates.DateInput), f"{where}: use tellonce.dates.DateInput"
                assert field.kind in dates.KINDS.values(), f"{where}: no kind of date"
                checked += 1
    assert checked >= 20


def test_no_date_field_is_made_anywhere_without_a_kind() -> None:
    """Fields added in a form's __init__ are not in base_fields: read every module's source
    for date fields made without a kind, or with Django's own date fields."""
    problems = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
                node.func, "id", "")
            where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
            if name in ("DateField", "DateTimeField", "SplitDateTimeField") and isinstance(
                    node.func, ast.Attribute) and ast.unparse(node.func.value) == "forms":
                problems.append(f"{where}: forms.{name} (use tellonce.dates.DateInput)")
            if name == "DateInput" and not any(k.arg == "kind" for k in node.keywords):
                # _date(label, kind) in health.forms passes its kind through.
                problems.append(f"{where}: DateInput without kind=")
    assert problems == []


def test_every_date_column_of_the_health_import_has_a_kind() -> None:
    date_columns = {name for name, _required, _what in imports.COLUMNS
                    if name.endswith("_on") or name == "date_of_birth"}
    assert date_columns and date_columns == set(imports.DATE_KINDS)


# ----- each kind accepts exactly its range -----

TODAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))
OFFSETS = st.integers(min_value=-40 * 366, max_value=40 * 366)


def _expected_range(kind: dates.Kind, today: date) -> tuple[date, date]:
    """Written out from the rules the kinds stand for, not read from the kinds."""
    def years_back(n: int) -> date:
        try:
            return today.replace(year=today.year - n)
        except ValueError:  # 29 February
            return today.replace(year=today.year - n, day=28)

    def months_ahead(n: int) -> date:
        month = today.month - 1 + n
        year, month = today.year + month // 12, month % 12 + 1
        for day in (today.day, 30, 29, 28):
            try:
                return date(year, month, day)
            except ValueError:
                continue
        raise AssertionError

    return {
        "past_event": (years_back(26), today),
        "date_of_birth": (years_back(26), today),
        "meeting": (today, months_ahead(12)),
        "appointment": (today, months_ahead(12)),
        "next_review": (today, months_ahead(12)),
        "start": (years_back(26), months_ahead(12)),
        "reporting_period": (date(2014, 9, 1), today),
        "target": (date(2014, 9, 1), years_back(-5)),
    }[kind.name]


@settings(deadline=None)  # no timing: what is tested is the range
@given(today=TODAYS, offset=OFFSETS, name=st.sampled_from(sorted(dates.KINDS)))
def test_a_kind_accepts_exactly_the_dates_in_its_range(today: date, offset: int,
                                                       name: str) -> None:
    kind = dates.KINDS[name]
    value = today + timedelta(days=offset)
    low, high = _expected_range(kind, today)
    error = dates.check(kind, value, "Date of the thing", today)
    assert (error is None) == (low <= value <= high)
    if error is not None:
        assert error.startswith("Date of the thing must ")


@settings(deadline=None)  # no timing: what is tested is the range
@given(today=TODAYS, name=st.sampled_from(sorted(dates.KINDS)))
def test_each_bound_is_in_and_the_day_beyond_is_out(today: date, name: str) -> None:
    kind = dates.KINDS[name]
    low, high = _expected_range(kind, today)
    assert dates.check(kind, low, "Date", today) is None
    assert dates.check(kind, high, "Date", today) is None
    assert dates.check(kind, low - timedelta(days=1), "Date", today) is not None
    assert dates.check(kind, high + timedelta(days=1), "Date", today) is not None


def test_gov_uk_wording_names_the_field() -> None:
    today = date(2026, 12, 4)
    assert dates.check(dates.MEETING, date(2099, 1, 1), "Date of the review meeting", today) \
        == "Date of the review meeting must be within the next 12 months"
    assert dates.check(dates.MEETING, date(2026, 12, 3), "Date of the review meeting", today) \
        == "Date of the review meeting must be today or in the future"
    assert dates.check(dates.DATE_OF_BIRTH, date(2027, 1, 1), "Date of birth", today) \
        == "Date of birth must be today or in the past"
    assert dates.check(dates.DATE_OF_BIRTH, date(1990, 5, 1), "Date of birth", today) == (
        "Date of birth must be on or after 4 December 2000: Tell It Once is for children and "
        "young people aged 0 to 25")
    assert dates.check(dates.PAST_EVENT, date(2026, 12, 5), "Date of the contact", today) \
        == "Date of the contact must be today or in the past"


@settings(deadline=None)  # no timing: what is tested is the range
@given(today=TODAYS, offset=OFFSETS)
def test_a_form_field_checks_its_kind_against_today(today: date, offset: int) -> None:
    import time_machine

    value = today + timedelta(days=offset)
    field = dates.DateInput(kind=dates.APPOINTMENT, label="Date of the first appointment")
    with time_machine.travel(today, tick=False):
        try:
            cleaned = field.clean([str(value.day), str(value.month), str(value.year)])
        except forms.ValidationError as error:
            low, high = _expected_range(dates.APPOINTMENT, today)
            assert not low <= value <= high
            assert error.messages[0].startswith("Date of the first appointment must ")
        else:
            assert cleaned == value


# ----- deadlines in words -----

@settings(deadline=None)  # no timing: what is tested is the range
@given(due=TODAYS, today=TODAYS)
def test_a_deadline_is_worded_in_the_tense_true_today(due: date, today: date) -> None:
    text = dates.deadline(due, today, "Reports will be sent by {date}.",
                          "Reports were due by {date}.")
    assert due.strftime("%-d %B %Y") in text
    assert text.startswith("Reports were due") == (due < today)
