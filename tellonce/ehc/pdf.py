"""PDFs of plan versions with WeasyPrint: tagged (PDF/UA-1), titled, in the family's language.

A version never changes, so its PDF is made once and kept under MEDIA_ROOT.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from tellonce.ehc.models import PlanVersion
from tellonce.people.models import Child


def _path(version: PlanVersion) -> Path:
    return _path_for(version.pk)


def _path_for(version_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "ehc" / "plans" / f"plan-version-{version_id}.pdf"


def forget_versions(version_ids: list[int]) -> None:
    """Delete the kept PDFs of these versions (their record was erased)."""
    for version_id in version_ids:
        _path_for(version_id).unlink(missing_ok=True)


def render_version(version: PlanVersion, child: Child) -> bytes:
    path = _path(version)
    if path.exists():
        return path.read_bytes()
    from weasyprint import HTML

    html = render_to_string("ehc/plan_pdf.html", {"version": version, "child": child})
    content: bytes = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(content)
    partial.replace(path)
    return content
