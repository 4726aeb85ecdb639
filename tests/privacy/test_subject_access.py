"""A copy of everything held about a child (UK GDPR Article 15): complete, audited, and only
for whoever decides about the record."""

from __future__ import annotations

import json
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client

from tellonce.access import audit
from tellonce.access.models import AuditEvent, AuditEventChild
from tellonce.people.models import Child, User
from tellonce.privacy import inventory, subject_access
from tellonce.profile.models import AboutMeVersion


@pytest.mark.django_db
def test_the_copy_holds_every_row_held_about_the_child_across_an_area(area) -> None:  # type: ignore[no-untyped-def]
    checked = 0
    client_for_caseworker = Client()
    client_for_caseworker.force_login(User.objects.get(username="caseworker"))
    assert client_for_caseworker.get("/ehc/worklist/").status_code == 200  # a list read
    listed = AuditEventChild.objects.values_list("child_id", flat=True)
    richest = sorted(Child.objects.all()[:200], key=lambda c: -len(inventory.collect(c)))[:8]
    for child in [*richest, *Child.objects.filter(pk__in=listed[:2])]:
        document = json.loads(subject_access.as_json(child))
        assert document["child_id"] == str(child.pk)
        records = document["records"]
        assert records["people.child"]["rows"][0]["given_name"] == child.given_name
        for label, holding in inventory.collect(child).items():
            assert label in records, f"{label} missing from the copy"
            # JSON carries keys as text: a child-keyed row's key is the child's UUID
            assert {str(row["id"]) for row in records[label]["rows"]} >= {
                str(pk) for pk in holding.pks}
            checked += 1
        # The audit section also has the list reads that showed the child.
        assert {row["id"] for row in records["access.auditevent"]["rows"]} == set(
            audit.events_about(child).values_list("pk", flat=True))
        text = json.dumps(records)
        for secret in ("password", "detail_salt", "given_name_key"):
            assert f'"{secret}"' not in text
    assert checked > 20


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


@pytest.mark.django_db
def test_the_family_downloads_a_copy_and_it_is_audited(world, client_for) -> None:  # type: ignore[no-untyped-def]
    AboutMeVersion.objects.create(child=world.kofi, number=1, people_like="Trains",
                                  written_by="family", author_description="Mother")
    client = client_for("parent")
    page = client.get(f"/children/{world.kofi.pk}/your-information/")
    assert page.status_code == 200
    assert b"Get a copy of everything held" in page.content
    response = client.get(f"/children/{world.kofi.pk}/your-information/copy.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert "profile.aboutmeversion" in document["records"]
    exports = AuditEvent.objects.filter(child=world.kofi, action=AuditEvent.Action.EXPORT)
    assert exports.count() == 1
    # The copy's audit section already shows the request that made it.
    subjects = [row["subject"] for row in document["records"]["access.auditevent"]["rows"]]
    assert "Copy of everything held (JSON)" in subjects
    pdf = client.get(f"/children/{world.kofi.pk}/your-information/copy.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert "no-store" in pdf.get("Cache-Control", "")
    text = _pdf_text(pdf.content)
    assert "Everything held about Kofi Mensah" in text
    assert world.kofi.nhs_number in text.replace(" ", "")
    assert "Who has looked at or changed the record" in text
    assert exports.count() == 2


@pytest.mark.django_db
def test_only_whoever_decides_about_the_record_gets_a_copy(world, client_for) -> None:  # type: ignore[no-untyped-def]
    url = f"/children/{world.zara.pk}/your-information/copy.json"
    # Zara is 17 and has her own account: she decides, not her mother.
    assert client_for("youngperson").get(url).status_code == 200
    for username in ("zara_mum", "caseworker", "slt", "stranger", "leader"):
        assert client_for(username).get(url).status_code == 404, username
    assert client_for("anonymous").get(url).status_code == 302


@pytest.mark.django_db
def test_the_command_writes_both_files_and_audits_the_request(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("subject_access", str(world.esi.pk), "--out", str(tmp_path),
                 "--requested-by", "Mother, by letter", stdout=out)
    assert (tmp_path / f"everything-held-{world.esi.pk}.pdf").read_bytes().startswith(b"%PDF-")
    data = json.loads((tmp_path / f"everything-held-{world.esi.pk}.json").read_text())
    assert data["records"]["people.child"]["rows"][0]["given_name"] == "Esi"
    event = AuditEvent.objects.get(child=world.esi, action=AuditEvent.Action.EXPORT)
    assert event.detail["requested_by"] == "Mother, by letter"
    with pytest.raises(CommandError, match="not a folder"):
        call_command("subject_access", str(world.esi.pk), "--out", str(tmp_path / "nope"),
                     "--requested-by", "x")
    with transaction.atomic():
        from tellonce.privacy.erasure import erase_child

        erase_child(None, world.esi, "asked")
    with pytest.raises(CommandError, match="No child record"):
        call_command("subject_access", str(world.esi.pk), "--out", str(tmp_path),
                     "--requested-by", "x")
