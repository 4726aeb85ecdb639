"""Erasure (UK GDPR Article 17): everything held goes but the audit log, which stays whole."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from tellonce.access.models import AuditEvent
from tellonce.access.policy import child_access, visible_children
from tellonce.people.models import Child, User
from tellonce.privacy import inventory
from tellonce.privacy.erasure import AlreadyErased, erase_child


def _assert_erased(child_id: object, audit_before: int) -> None:
    child = Child.objects.get(pk=child_id)
    assert child.erased_at is not None
    assert (child.given_name, child.family_name, child.preferred_name) == ("Erased", "record", "")
    assert child.nhs_number is None and child.upn is None and child.user_id is None
    assert (child.date_of_birth.month, child.date_of_birth.day) == (1, 1)
    held = inventory.collect(child)
    assert set(held) <= {"access.auditevent"}, f"still held: {sorted(held)}"
    events = AuditEvent.objects.filter(child=child)
    assert events.count() == audit_before + 1
    assert events.filter(action=AuditEvent.Action.ERASE).count() == 1


@pytest.mark.django_db
def test_erasing_children_of_every_shape_leaves_only_the_audit_log(area) -> None:  # type: ignore[no-untyped-def]
    # One child of each SEND status, and the richest records (most kinds of record held).
    chosen: dict[object, Child] = {}
    for status in Child.SendStatus.values:
        found = Child.objects.filter(send_status=status).first()
        if found is not None:
            chosen[found.pk] = found
    by_richness = sorted(Child.objects.all()[:300], key=lambda c: -len(inventory.collect(c)))
    for child in by_richness[:5]:
        chosen[child.pk] = child
    assert len(chosen) >= 6
    users = list(User.objects.filter(is_active=True))
    for child in chosen.values():
        before = AuditEvent.objects.filter(child=child).count()
        with transaction.atomic():
            erase_child(None, child, "Test erasure")
        _assert_erased(child.pk, before)
        # Nobody can find or open it any more.
        for user in users:
            assert child_access(user, child.pk) is None
            assert not visible_children(user).filter(pk=child.pk).exists()
    # The audit log is untouched by erasure: its hash chain still verifies, end to end.
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "verifies" in out.getvalue()


@pytest.mark.django_db
def test_erasing_removes_uploaded_files_and_the_young_persons_account(  # type: ignore[no-untyped-def]
    world, settings, tmp_path, django_capture_on_commit_callbacks
) -> None:
    from django.core.files.base import ContentFile

    from tellonce.ehc.models import AssessmentRequest, Evidence

    settings.MEDIA_ROOT = tmp_path
    request = AssessmentRequest.objects.create(
        child=world.zara, requester=AssessmentRequest.Requester.YOUNG_PERSON,
        requested_by=world.users["youngperson"], requested_by_name="Zara",
        received_on=date.today(), reasons="Needs",
    )
    evidence = Evidence(request=request, original_name="report.pdf",
                        content_type="application/pdf", size=18)
    evidence.file.save("report.pdf", ContentFile(b"%PDF-1.4 synthetic"), save=True)
    path = tmp_path / evidence.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        erase_child(world.users["caseworker"], world.zara, "The young person asked")
    assert not path.exists()
    account = User.objects.get(pk=world.users["youngperson"].pk)
    assert not account.is_active and not account.has_usable_password()
    assert "zara" not in account.username.lower() and account.email == ""


@pytest.mark.django_db
def test_erasing_twice_is_refused_and_the_command_reports_bad_input(world) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("erase_child", str(world.kofi.pk), "--reason", "Mother asked", stdout=out)
    assert "Erased record" in out.getvalue()
    with pytest.raises(AlreadyErased), transaction.atomic():
        erase_child(None, Child.objects.get(pk=world.kofi.pk), "again")
    with pytest.raises(CommandError, match="No child record"):
        call_command("erase_child", "not-a-uuid", "--reason", "x")
    with pytest.raises(CommandError, match="must say why"):
        call_command("erase_child", str(world.esi.pk), "--reason", "  ")
    assert Child.objects.get(pk=world.esi.pk).erased_at is None
