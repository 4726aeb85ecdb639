"""What a browser posts for a form's fields, for tests that post forms."""

from __future__ import annotations

from datetime import date


def date_fields(prefix: str, d: date) -> dict[str, str]:
    """The day, month and year boxes of a GOV.UK date input (tellonce.dates.DateInput)."""
    return {f"{prefix}_0": str(d.day), f"{prefix}_1": str(d.month), f"{prefix}_2": str(d.year)}
