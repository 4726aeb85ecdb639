"""Indicators read from uploaded figures: the newest upload of each source."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from tellonce.insight.indicators import Case, Scope
from tellonce.insight.models import ImportedFigure, ImportedUpload


def latest_upload(scope: Scope, source: str) -> ImportedUpload | None:
    return ImportedUpload.objects.filter(local_authority_id__in=scope.local_authority_ids,
                                         source=source).first()


def monthly(source: str, numerator: str, denominator: str,
            group: str | None = None) -> Callable[[Scope, date], dict[date, tuple[int, int]]]:
    """Month to (numerator, denominator) from the newest upload, over its groups (or one)."""

    def read(scope: Scope, today: date) -> dict[date, tuple[int, int]]:
        upload = latest_upload(scope, source)
        if upload is None:
            return {}
        out: dict[date, list[int]] = defaultdict(lambda: [0, 0])
        figures = ImportedFigure.objects.filter(upload=upload)
        if group is not None:
            figures = figures.filter(group=group)
        for month, values in figures.values_list("month", "values"):
            out[month][0] += int(values.get(numerator, 0))
            out[month][1] += int(values.get(denominator, 0))
        return {m: (v[0], v[1]) for m, v in out.items()}

    return read


def as_of(source: str) -> Callable[[Scope], str]:
    def say(scope: Scope) -> str:
        upload = latest_upload(scope, source)
        if upload is None:
            return "imported: nothing uploaded yet"
        return (f"imported from {upload.filename} on {upload.uploaded_at:%d %B %Y} by "
                f"{upload.uploaded_by_description}")

    return say


def no_cases(scope: Scope, start: date, end: date) -> list[Case]:
    """Uploaded figures are counts, not children: they have no breakdowns."""
    return []
