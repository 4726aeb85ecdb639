"""Importing referrals from a provider's CSV: all or nothing, a row-by-row report, duplicates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tellonce.access.models import AuditEvent
from tellonce.health.models import Referral
from tests.health.helpers import make_referral, slt_pathway

pytestmark = pytest.mark.django_db

HEADER = "provider_reference,nhs_number,date_of_birth,pathway,received_on,referrer_name,"\
         "referrer_role,triage_decision,triage_decision_on,decline_reason\n"


def _row(ref: str, child, received: date | None = None, dob: date | None = None,  # type: ignore[no-untyped-def]
         pathway: str = "slt", decision: str = "", decided: str = "", reason: str = "") -> str:
    received = received or date.today() - timedelta(days=10)
    dob = dob or child.date_of_birth
    return (f"{ref},{child.nhs_number},{dob.isoformat()},{pathway},{received:%d/%m/%Y},"
            f"Dr Owusu,GP,{decision},{decided},{reason}\n")


def _upload(client, world, content: str | bytes):  # type: ignore[no-untyped-def]
    data = content.encode() if isinstance(content, str) else content
    return client.post("/referrals/import/", {
        "provider": str(world.slt.pk),
        "file": SimpleUploadedFile("referrals.csv", data, content_type="text/csv"),
    })


def test_a_good_file_imports_every_row_matched_by_nhs_number(world, client_for) -> None:
    slt_pathway(world)
    today = date.today()
    content = (HEADER + _row("R1", world.kofi)
               + _row("R2", world.esi, decision="declined", decided=today.isoformat(),
                      reason="Needs met at school"))
    response = _upload(client_for("slt"), world, content)
    assert response.status_code == 302
    kofi = Referral.objects.get(provider_reference="R1")
    esi = Referral.objects.get(provider_reference="R2")
    assert kofi.child == world.kofi and kofi.status == Referral.Status.AWAITING_TRIAGE
    assert esi.child == world.esi and esi.status == Referral.Status.DECLINED
    assert AuditEvent.objects.filter(action="create", subject__startswith="Health referral",
                                     basis__contains="provider's system").count() == 2


def test_an_administrator_of_the_trust_may_import_for_its_service(world, client_for) -> None:
    slt_pathway(world)
    response = _upload(client_for("orgadmin"), world, HEADER + _row("R1", world.kofi))
    assert response.status_code == 302
    assert Referral.objects.count() == 1


def test_one_bad_row_means_nothing_is_saved_and_every_problem_is_reported(
    world, client_for
) -> None:
    slt_pathway(world)
    content = (HEADER
               + _row("R1", world.kofi)
               + "R2,999 000 0000,2015-01-01,slt,2026-01-01,GP,GP,,,\n"
               + _row("R3", world.esi, dob=world.esi.date_of_birth - timedelta(days=1))
               + _row("R4", world.bea, pathway="dentistry")
               + _row("R5", world.bea, received=date.today() + timedelta(days=5)))
    response = _upload(client_for("slt"), world, content)
    text = response.content.decode()
    assert response.status_code == 200
    assert not Referral.objects.exists()
    assert "Nothing was imported: 4 problems" in text
    assert "is not a valid NHS number" in text
    assert "The date of birth does not match the child with this NHS number" in text
    assert "&#x27;dentistry&#x27; is not a pathway" in text
    assert "received_on must be today or in the past" in text


def test_duplicates_in_the_file_and_already_imported_are_reported(world, client_for) -> None:
    make_referral(world, child=world.zara, provider_reference="OLD1")
    content = (HEADER + _row("OLD1", world.kofi) + _row("R2", world.esi)
               + _row("R2", world.bea)
               + _row("R4", world.esi))  # same child, list and date as R2
    response = _upload(client_for("slt"), world, content)
    text = response.content.decode()
    assert "Duplicate: referral OLD1 was imported before" in text
    assert "Duplicate: referral R2 is also on row 3" in text
    assert "Duplicate: the same child, pathway and date as row 3" in text
    assert Referral.objects.count() == 1


def test_missing_columns_are_named(world, client_for) -> None:
    response = _upload(client_for("slt"), world, "nhs_number,date_of_birth\n1,2\n")
    assert "Missing: provider_reference, pathway, received_on, referrer_name" in (
        response.content.decode()
    )


def test_a_file_that_is_not_utf8_gets_a_clear_error(world, client_for) -> None:
    response = _upload(client_for("slt"), world, b"\xff\xfe\x00h\x00i")
    assert "The file must be a CSV saved as UTF-8" in response.content.decode()
    assert not Referral.objects.exists()


def test_no_file_chosen_is_an_error(world, client_for) -> None:
    response = client_for("slt").post("/referrals/import/", {"provider": str(world.slt.pk)})
    assert "Choose a CSV file to upload" in response.content.decode()


def test_import_is_not_found_for_those_without_a_service(world, client_for) -> None:
    for username in ("senco", "leader", "parent", "dco"):
        assert client_for(username).get("/referrals/import/").status_code == 404


def test_import_page_documents_the_columns(world, client_for) -> None:
    text = client_for("slt").get("/referrals/import/").content.decode()
    for column in ("provider_reference", "nhs_number", "triage_decision", "family_told_on"):
        assert f"<code>{column}</code>" in text
