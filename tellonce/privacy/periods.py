"""The retention periods' names and the RETENTION_YEARS setting's parser.

Kept apart from retention.py, which needs the models, because settings.py reads it.
"""

from __future__ import annotations

DEFAULT_YEARS = {"ehc": 31, "health": 25, "health_seventeen": 26, "sen_support": 25, "record": 25}


def parse_setting(text: str) -> dict[str, int]:
    """`"ehc=31,record=25"` → {"ehc": 31, "record": 25}; a clear error for anything else."""
    periods: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, years = part.partition("=")
        key = key.strip()
        if not sep or key not in DEFAULT_YEARS:
            known = ", ".join(DEFAULT_YEARS)
            raise ValueError(
                f"RETENTION_YEARS: {part!r} is not KIND=YEARS with KIND one of {known}"
            )
        try:
            periods[key] = int(years)
        except ValueError:
            raise ValueError(f"RETENTION_YEARS: {part!r}: years must be a whole number") from None
        if not 1 <= periods[key] <= 100:
            raise ValueError(f"RETENTION_YEARS: {part!r}: years must be between 1 and 100")
    return periods
