"""Every date a person types, checked against the range that fits what it is: the one place.

A date field says what kind of date it holds (`DateInput(kind=dates.MEETING, …)`), and the
kind says which dates make sense: a meeting or appointment is today or within the next 12
months, a date of birth is in the past and within the 0–25 years the SEND system covers, a
past event is not in the future. Forms, the health CSV import and the actions that take dates
from the API all check through `check()`, with GOV.UK Design System wording ("Date of the
review meeting must be within the next 12 months").

`deadline()` words a date a message says something must happen by: a deadline that has
already passed is said to have passed, never as if it were still to come.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone


def add_years(d: date, years: int) -> date:
    """The same day `years` on (or back); 29 February becomes 28 February."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def add_months(d: date, months: int) -> date:
    """The corresponding day `months` on, or the month's last day where there is none."""
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def fmt(d: date) -> str:
    return d.strftime("%-d %B %Y")


# Children and young people aged 0 to 25 (CFA 2014 s.83(2)): a young person stays in the
# system until their 26th birthday, so no one born more than 26 years ago.
OLDEST_YEARS = 26
# How far ahead a meeting, an appointment or a planned review can sensibly be arranged.
AHEAD_MONTHS = 12
# How far back an event in a child's record can be: no earlier than the oldest child's birth.
BACK_YEARS = OLDEST_YEARS
# EHC plans, and so the measures of them, began on 1 September 2014 (CFA 2014 Part 3).
REFORMS_BEGAN = date(2014, 9, 1)


@dataclass(frozen=True)
class Kind:
    """What a date is, and the dates that make sense for it on a given day.

    `earliest(today)` and `latest(today)` are inclusive bounds; the messages are GOV.UK
    Design System error messages with `{label}` for the field's label and `{date}` for the
    bound.
    """

    name: str
    earliest: Callable[[date], date]
    latest: Callable[[date], date]
    too_early: str
    too_late: str

    def error(self, value: date, label: str, today: date) -> str | None:
        """The error message for `value`, or None if it makes sense for this kind today."""
        low, high = self.earliest(today), self.latest(today)
        if value < low:
            return _words(self.too_early, label, low)
        if value > high:
            return _words(self.too_late, label, high)
        return None


def _words(template: str, label: str, bound: date) -> str:
    return template.replace("{label}", label).replace("{date}", fmt(bound))


PAST_EVENT = Kind(
    "past_event",
    earliest=lambda today: add_years(today, -BACK_YEARS),
    latest=lambda today: today,
    too_early="{label} must be on or after {date}",
    too_late="{label} must be today or in the past",
)
DATE_OF_BIRTH = Kind(
    "date_of_birth",
    earliest=lambda today: add_years(today, -OLDEST_YEARS),
    latest=lambda today: today,
    too_early="{label} must be on or after {date}: Tell It Once is for children and young "
              "people aged 0 to 25",
    too_late="{label} must be today or in the past",
)
MEETING = Kind(
    "meeting",
    earliest=lambda today: today,
    latest=lambda today: add_months(today, AHEAD_MONTHS),
    too_early="{label} must be today or in the future",
    too_late="{label} must be within the next 12 months",
)
APPOINTMENT = Kind(
    "appointment",
    earliest=lambda today: today,
    latest=lambda today: add_months(today, AHEAD_MONTHS),
    too_early="{label} must be today or in the future",
    too_late="{label} must be within the next 12 months",
)
# A follow-up planned after today (the next risk review of a waiting child).
NEXT_REVIEW = Kind(
    "next_review",
    earliest=lambda today: today,
    latest=lambda today: add_months(today, AHEAD_MONTHS),
    too_early="{label} must be today or in the future",
    too_late="{label} must be within the next 12 months",
)
# When someone's involvement with a child starts: in the child's lifetime, or arranged to
# start within the next 12 months.
START = Kind(
    "start",
    earliest=lambda today: add_years(today, -BACK_YEARS),
    latest=lambda today: add_months(today, AHEAD_MONTHS),
    too_early="{label} must be on or after {date}",
    too_late="{label} must be within the next 12 months",
)
# A period to count statutory measures over.
REPORTING_PERIOD = Kind(
    "reporting_period",
    earliest=lambda today: REFORMS_BEGAN,
    latest=lambda today: today,
    too_early="{label} must be on or after {date}, when EHC plans began",
    too_late="{label} must be today or in the past",
)

# How far ahead a partnership plans an improvement action: an action plan answering an
# inspection runs for a few years, not a decade.
PLAN_AHEAD_YEARS = 5
# The date an improvement action is due by. It may already have passed (an overdue action
# keeps its date while its status changes), but not before the reforms it improves began.
TARGET = Kind(
    "target",
    earliest=lambda today: REFORMS_BEGAN,
    latest=lambda today: add_years(today, PLAN_AHEAD_YEARS),
    too_early="{label} must be on or after {date}, when the SEND reforms began",
    too_late="{label} must be within the next 5 years",
)

KINDS: dict[str, Kind] = {k.name: k for k in (
    PAST_EVENT, DATE_OF_BIRTH, MEETING, APPOINTMENT, NEXT_REVIEW, START, REPORTING_PERIOD,
    TARGET)}


def today() -> date:
    return timezone.localdate()


def check(kind: Kind, value: date, label: str, on: date | None = None) -> str | None:
    """The GOV.UK error message if `value` is not a date of this kind on `on` (today)."""
    return kind.error(value, label, on or today())


def deadline(due: date | None, on: date, to_come: str, passed: str) -> str:
    """A sentence about a deadline, in the tense that is true on `on`: `to_come` while the
    deadline is today or later, `passed` once it has gone ("was due by …"). `{date}` in
    either is replaced by the date. No deadline: `to_come` with "no fixed date"."""
    if due is None:
        return to_come.replace("{date}", "no fixed date")
    return (to_come if due >= on else passed).replace("{date}", fmt(due))


class DateInput(forms.MultiValueField):
    """A GOV.UK date input: day, month and year boxes, with errors that say which is wrong,
    and a `kind` saying which dates make sense in it (checked against today when cleaned)."""

    def __init__(self, *, kind: Kind, **kwargs: Any) -> None:
        self.kind = kind
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=False, **kwargs)
        self.widget = forms.MultiWidget(
            widgets=[forms.TextInput(), forms.TextInput(), forms.TextInput()]
        )
        self.widget.decompress = lambda value: (
            [value.day, value.month, value.year] if value else [None, None, None]
        )  # type: ignore[method-assign]

    def compress(self, data_list: list[str]) -> date | None:
        if not data_list or not any(data_list):
            return None
        day, month, year = (list(data_list) + ["", "", ""])[:3]
        label = str(self.label or "Date")
        missing = [
            name for name, value in (("day", day), ("month", month), ("year", year)) if not value
        ]
        if missing:
            raise ValidationError(f"{label} must include a {' and '.join(missing)}")
        try:
            parts = int(day), int(month), int(year)
        except ValueError:
            raise ValidationError(f"{label} must be a real date, in numbers, like 27 3 2015") \
                from None
        if parts[2] < 1000:
            raise ValidationError("Year must include 4 numbers, like 2015")
        try:
            return date(parts[2], parts[1], parts[0])
        except ValueError:
            raise ValidationError(f"{label} must be a real date") from None

    def clean(self, value: Any) -> date | None:
        result: date | None = super().clean(value)
        if result is not None:
            error = check(self.kind, result, str(self.label or "Date"))
            if error:
                raise ValidationError(error)
        return result
