"""Bringing in an agency's file: every row checked, all or nothing, a report by row."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tellonce.feeds import imports
from tellonce.feeds.formats import FORMATS
from tellonce.feeds.models import Delivery, FeedRecord
from tellonce.matching.models import Link
from tellonce.people.validators import upn_check_letter

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 2)


def _upn(serial: int) -> str:
    body = f"999000126{serial:03d}"
    return upn_check_letter(body) + body


ROLL_HEADER = ("upn,forename,surname,dob,sex,postcode,setting_urn,sen_provision,primary_need,"
               "year_group,entry_date,leaving_date\n")


def _roll(world, body: str, filename: str = "roll.csv"):  # type: ignore[no-untyped-def]
    world.school_a.code = "100001"
    world.school_a.save()
    return imports.check(FORMATS["pupil_roll"], filename, (ROLL_HEADER + body).encode(),
                         world.la, TODAY)


def test_a_good_pupil_roll_is_read_with_every_column(world) -> None:
    checked = _roll(world, f"{_upn(1)},Kofi,Mensah,2017-05-01,M,rv1 2ab,100001,E,ASD,4,"
                           "01/09/2021,\n")
    assert checked.ok and checked.total == 1
    row = checked.rows[0]
    assert (row.given_name, row.postcode, row.setting, row.upn) == (
        "Kofi", "RV1 2AB", world.school_a, _upn(1))
    assert row.facts == {"sen_provision": "E", "primary_need": "ASD", "year_group": "4",
                         "entry_date": "2021-09-01"}


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_kept(world) -> None:
    checked = _roll(world, (
        f"{_upn(1)},Kofi,Mensah,2017-05-01,M,RV1 2AB,100001,E,ASD,4,2021-09-01,\n"
        "A123,Esi,Mensah,2020-02-30,X,nowhere,999999,Q,ASD,1,2024-09-01,2023-01-01\n"
        f"{_upn(2)},,Jones,2016-01-01,F,,100001,N,SLCN,5,2021-09-01,\n"
        f"{_upn(1)},Kofi,Mensah,2017-05-01,M,RV1 2AB,100001,E,ASD,4,2021-09-01,\n"
    ))
    assert not checked.ok and checked.rows == []
    found = {(e.row, e.column) for e in checked.errors}
    assert {(3, "upn"), (3, "dob"), (3, "sex"), (3, "postcode"), (3, "setting_urn"),
            (3, "sen_provision"), (4, "forename"), (4, "primary_need"), (5, "")} <= found
    assert (2, "") not in found and all(e.row != 2 for e in checked.errors)
    duplicate = next(e for e in checked.errors if e.row == 5)
    assert "row 2" in duplicate.message


def test_missing_and_unknown_columns_are_named(world) -> None:
    spec = FORMATS["social_care"]
    missing = imports.check(spec, "f.csv", b"forename,surname\nA,B\n", world.la, TODAY)
    assert "dob" in missing.errors[0].message and "flag" in missing.errors[0].message
    unknown = imports.check(spec, "f.csv", b"forename,surname,dob,flag,start_date,shoe\n",
                            world.la, TODAY)
    assert "shoe" in unknown.errors[0].message


def test_attendance_checks_sessions_and_needs_a_reason_for_a_suspension(world) -> None:
    spec = FORMATS["attendance"]
    content = (
        "upn,forename,surname,dob,term,sessions_possible,sessions_missed,suspension_start,"
        "suspension_sessions,suspension_reason\n"
        f"{_upn(1)},Kofi,Mensah,2017-05-01,2026-autumn,120,130,,,\n"
        f"{_upn(2)},Esi,Mensah,2020-05-01,2026-autumn,120,6,2026-10-01,4,\n"
        f"{_upn(3)},Bea,Jones,2016-05-01,autumn,120,6,,,\n"
    ).encode()
    checked = imports.check(spec, "att.csv", content, world.la, TODAY)
    assert {(e.row, e.column) for e in checked.errors} == {
        (2, "sessions_missed"), (3, "suspension_reason"), (4, "term")}


def test_an_excel_workbook_is_read_like_a_csv(world) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["nhs_number", "forename", "surname", "dob", "flag", "start_date"])
    sheet.append([world.kofi.nhs_number, "Kofi", "Mensah", world.kofi.date_of_birth, "CIN",
                  date(2026, 1, 5)])
    out = io.BytesIO()
    book.save(out)
    checked = imports.check(FORMATS["social_care"], "flags.xlsx", out.getvalue(), world.la,
                            TODAY)
    assert checked.ok, checked.errors
    assert checked.rows[0].nhs_number == world.kofi.nhs_number
    assert checked.rows[0].facts == {"flag": "CIN", "start_date": "2026-01-05"}


def test_a_file_that_is_neither_csv_nor_excel_is_refused_with_a_reason(world) -> None:
    checked = imports.check(FORMATS["social_care"], "flags.xlsx", b"PK\x03\x04garbage",
                            world.la, TODAY)
    assert "Excel" in checked.errors[0].message
    latin = imports.check(FORMATS["social_care"], "f.csv", "forename\nZoë".encode("latin-1"),
                          world.la, TODAY)
    assert "UTF-8" in latin.errors[0].message


def _post(client, world, content: bytes, kind: str = "health_caseload",  # type: ignore[no-untyped-def]
          name: str = "caseload.csv", sender=None):
    return client.post("/feeds/new/", {
        "kind": kind, "sender": str((sender or world.slt).pk), "sent_by": "RiO export",
        "file": SimpleUploadedFile(name, content, content_type="text/csv"),
    })


CASELOAD = "nhs_number,forename,surname,dob,postcode,service\n"


def test_the_upload_keeps_the_file_with_who_sent_it_and_links_by_nhs_number(world,
                                                                           client_for) -> None:
    kofi = world.kofi
    content = (CASELOAD + f"{kofi.nhs_number},Kofi,Mensah,{kofi.date_of_birth},RV1 2AB,"
               "Community paediatrics\n").encode()
    response = _post(client_for("dataofficer"), world, content)
    delivery = Delivery.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/feeds/{delivery.pk}/"
    assert (delivery.sender, delivery.sent_by, delivery.received_by, delivery.rows) == (
        world.slt, "RiO export", world.users["dataofficer"], 1)
    record = FeedRecord.objects.get()
    assert Link.objects.get(record=record).child == kofi
    page = client_for("dataofficer").get(response["Location"])
    assert "1 linked to a child" in page.content.decode()


def test_a_bad_upload_saves_nothing_and_lists_the_rows(world, client_for) -> None:
    content = (CASELOAD + "12345,Kofi,Mensah,2017-01-01,,Paediatrics\n"
               ",Esi,,2017-01-01,,Paediatrics\n").encode()
    response = _post(client_for("dataofficer"), world, content)
    text = response.content.decode()
    assert response.status_code == 200 and "Nothing was imported: 2 problems" in text
    assert "not a valid NHS number" in text and "surname is empty" in text
    assert not Delivery.objects.exists() and not FeedRecord.objects.exists()


def test_the_form_names_each_missing_field(world, client_for) -> None:
    response = client_for("dataofficer").post("/feeds/new/", {})
    text = response.content.decode()
    for message in ("Select the kind of file", "Select the organisation that sent the file",
                    "Enter who sent the file", "Choose a file to upload"):
        assert message in text
    assert not Delivery.objects.exists()


def test_a_sender_of_the_wrong_kind_is_refused(world, client_for) -> None:
    world.school_a.code = "100001"
    world.school_a.save()
    response = _post(client_for("dataofficer"), world, b"x", kind="social_care",
                     sender=world.school_a)
    assert "does not send" in response.content.decode()
    assert not Delivery.objects.exists()


def test_without_a_model_a_small_file_of_strangers_is_refused_not_half_saved(world,
                                                                           client_for) -> None:
    content = (CASELOAD + ",Wiktoria,Stonebridge,2012-01-30,,Paediatrics\n").encode()
    response = _post(client_for("dataofficer"), world, content)
    assert "needs at least" in response.content.decode()
    assert not Delivery.objects.exists() and not FeedRecord.objects.exists()
