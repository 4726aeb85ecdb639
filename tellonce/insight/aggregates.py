"""Aggregate counts for leaders, with small numbers suppressed so no child can be picked out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Count

from tellonce.people.models import Child, PrimaryNeed
from tellonce.suppression import SUPPRESSION_THRESHOLD, suppress


def crosstab(
    rows: Iterable[Mapping[str, Any]], row_key: str, column_key: str, columns: list[str]
) -> list[tuple[str, list[int | None]]]:
    """Turn grouped counts into table rows, suppressing small cells."""
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row[row_key] or "Not recorded", {})[row[column_key]] = row["n"]
    return [
        (label, [suppress(cells.get(column, 0)) for column in columns])
        for label, cells in sorted(table.items())
    ]


def area_overview(local_authority_ids: list[int]) -> dict[str, Any]:
    children = Child.objects.filter(local_authority_id__in=local_authority_ids)
    statuses = [value for value, _label in Child.SendStatus.choices]
    by_locality = children.values("locality__name", "send_status").annotate(n=Count("pk"))
    need_labels = dict(PrimaryNeed.choices)
    by_need = [
        {**row, "need": need_labels.get(row["primary_need"], row["primary_need"])}
        for row in children.exclude(primary_need="")
        .values("primary_need", "send_status")
        .annotate(n=Count("pk"))
    ]
    return {
        "status_labels": [label for _value, label in Child.SendStatus.choices],
        "by_locality": crosstab(by_locality, "locality__name", "send_status", statuses),
        "by_need": crosstab(by_need, "need", "send_status", statuses),
        "threshold": SUPPRESSION_THRESHOLD,
    }
