"""Uploaded figures: CSV and .xlsx, all or nothing, a row-level report, kept with who and
when, and read by the scorecard saying so."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tellonce.insight import imports, indicators
from tellonce.insight.indicators import Scope
from tellonce.insight.models import ImportedFigure, ImportedUpload
from tellonce.insight.scorecard import add_months, indicator_row

pytestmark = pytest.mark.django_db
SOURCE = imports.SOURCES["school_absence"]


def _month(n: int) -> str:
    return add_months(date.today().replace(day=1), -n).strftime("%Y-%m")


def test_every_bad_row_is_reported_and_nothing_is_saved(world, client_for) -> None:  # type: ignore[no-untyped-def]
    csv = (f"month,sen_status,pupils,persistently_absent,suspensions\n"
           f"{_month(1)},ehc_plan,200,70,3\n"
           f"2026-13,ehc_plan,200,70,3\n"          # row 3: not a month
           f"{_month(1)},plan,200,70,3\n"           # row 4: not a status
           f"{_month(1)},sen_support,100,170,x\n"   # row 5: more absent than pupils; not a number
           f"{_month(1)},ehc_plan,10,1,0\n")        # row 6: the same as row 2
    answer = client_for("leader").post("/scorecard/imports/", {
        "source": "school_absence", "file": SimpleUploadedFile("absence.csv", csv.encode())})
    html = answer.content.decode()
    assert answer.status_code == 400
    for expected in ("Row 3, month", "Row 4, sen_status", "Row 5, persistently_absent",
                     "Row 5, suspensions", "Row 6: The same month and sen_status as row 2"):
        assert expected in html, expected
    assert not ImportedUpload.objects.exists() and not ImportedFigure.objects.exists()


def test_an_xlsx_upload_is_kept_and_read_by_the_scorecard(world, client_for) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["month", "sen_status", "pupils", "persistently_absent", "suspensions"])
    sheet.append([_month(1), "ehc_plan", 200, 70, 3])
    sheet.append([_month(1), "sen_support", 1000, 300, 12])
    sheet.append([_month(13), "ehc_plan", 190, 76, 4])
    content = io.BytesIO()
    book.save(content)
    answer = client_for("leader").post("/scorecard/imports/", {
        "source": "school_absence",
        "file": SimpleUploadedFile("absence.xlsx", content.getvalue())})
    assert answer.status_code == 302
    upload = ImportedUpload.objects.get()
    assert upload.rows == 3 and upload.uploaded_by == world.users["leader"]
    ind = indicators.get("persistent_absence_ehc_plan")
    assert ind is not None
    row = indicator_row(ind, Scope((world.la.pk,)), date.today())
    assert (row.numerator, row.denominator, row.value, row.before) == (70, 200, 35.0, 40.0)
    assert row.improving == "improving"  # lower is better
    assert row.as_of.startswith("imported from absence.xlsx on ")
    page = client_for("leader").get("/scorecard/").content.decode()
    assert "imported from absence.xlsx" in page


def test_template_names_the_columns(client_for) -> None:  # type: ignore[no-untyped-def]
    answer = client_for("leader").get("/scorecard/imports/school_absence-template.csv")
    assert answer.content.decode().splitlines()[0] == \
        "month,sen_status,pupils,persistently_absent,suspensions"


def test_a_file_that_is_not_a_workbook_is_refused(world, client_for) -> None:  # type: ignore[no-untyped-def]
    answer = client_for("leader").post("/scorecard/imports/", {
        "source": "camhs_waits", "file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert answer.status_code == 400
    assert "not an Excel workbook" in answer.content.decode()
