"""A subject access request (UK GDPR Article 15): everything held about a child, including the
audit of who looked, as a machine-readable file (JSON) and a readable PDF.

What is held is found by following the relations from the child (inventory.collect), so the
export cannot quietly miss a new kind of record. Secrets are never exported: password
hashes, API tokens and the audit chain's hashes mean nothing to the family and are left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from tellonce.access import audit
from tellonce.access.models import AuditEvent
from tellonce.people.models import Child
from tellonce.privacy import inventory

FORMAT = "tellonce-subject-access/1"
# Fields that are machinery, not information about the child.
LEFT_OUT = frozenset({"password", "token_hash", "hash", "detail_salt", "sequence",
                      "given_name_key", "family_name_key"})
ROW_LIMIT_PER_KIND = 100_000  # far above any real record; a runaway walk stops here


@dataclass(frozen=True)
class Section:
    label: str
    title: str
    rows: list[dict[str, Any]]


def _value(row: models.Model, field: models.Field[Any, Any]) -> Any:
    if isinstance(field, models.ForeignKey):
        related = getattr(row, field.name)
        return None if related is None else {"id": related.pk, "name": str(related)}
    if isinstance(field, models.FileField):
        value = getattr(row, field.attname)
        return str(value) if value else ""
    return getattr(row, field.attname)


def _row(row: models.Model) -> dict[str, Any]:
    # Every row carries its key as "id", including those keyed by a one-to-one link (a
    # child's recorded sex and ethnicity is keyed by the child), so rows can be cited.
    out: dict[str, Any] = {"id": row.pk}
    for field in row._meta.concrete_fields:
        if field.name in LEFT_OUT or isinstance(field, models.GeneratedField):
            continue
        out[field.name] = _value(row, field)
        display = getattr(row, f"get_{field.name}_display", None)
        if field.choices and display is not None:
            out[f"{field.name}_display"] = str(display())
    return out


def _rows(model: type[models.Model], pks: set[Any]) -> list[dict[str, Any]]:
    foreign = [f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    queryset = model._base_manager.filter(pk__in=pks).select_related(*foreign).order_by("pk")
    return [_row(row) for row in queryset[:ROW_LIMIT_PER_KIND]]


def sections(child: Child) -> list[Section]:
    """The child's own record first, then each kind of record held, the audit log last."""
    found = [Section("people.child", "The child's record", [_row(child)])]
    holdings = sorted(inventory.collect(child).values(), key=lambda h: (h.depth, h.label))
    for holding in holdings:
        if holding.model is not AuditEvent:
            found.append(Section(holding.label, holding.title, _rows(holding.model, holding.pks)))
    # Last, the audit: the events about the child and the list reads that showed the child.
    events = set(audit.events_about(child).values_list("pk", flat=True))
    found.append(Section("access.auditevent", "Who has looked at or changed the record",
                         _rows(AuditEvent, events)))
    return found


def as_json(child: Child, generated_at: datetime | None = None) -> bytes:
    document = {
        "format": FORMAT,
        "generated_at": generated_at or timezone.now(),
        "child_id": child.pk,
        "records": {s.label: {"title": s.title, "rows": s.rows} for s in sections(child)},
    }
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def _readable(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and "name" in value:
        return str(value["name"])
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%-d %B %Y, %H:%M}"
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return str(value)


def _readable_row(row: dict[str, Any]) -> list[tuple[str, str]]:
    """Each field as label and words: a choice by its label ("EHC plan", not "ehc_plan")."""
    return [
        (name.replace("_", " ").capitalize(), _readable(row.get(f"{name}_display", value)))
        for name, value in row.items()
        if not name.endswith("_display")
    ]


def as_pdf(child: Child, generated_at: datetime | None = None) -> bytes:
    from weasyprint import HTML

    found = sections(child)
    readable = [(s.title, [_readable_row(row) for row in s.rows]) for s in found[:-1]]
    # The audit, often the longest part, as one table of a line per event: a table per event
    # made a long record's PDF slow to lay out (WeasyPrint) and long to read.
    audit_rows = [
        (_readable(row["at"]), str(row["actor_description"]),
         f"{row.get('action_display', row['action'])}: {row['subject']}", str(row["basis"]))
        for row in sorted(found[-1].rows, key=lambda r: (r["at"], r["id"]))
    ]
    html = render_to_string(
        "privacy/subject_access_pdf.html",
        {"child": child, "sections": readable, "audit_title": found[-1].title,
         "audit_rows": audit_rows, "generated_at": generated_at or timezone.now()},
    )
    content: bytes = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return content
