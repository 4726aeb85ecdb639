"""A file problem is shown beside the file field; any other problem is not."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tellonce.ehc import actions
from tellonce.ehc.actions import EvidenceError, ProcessError

pytestmark = pytest.mark.django_db


def test_every_file_check_raises_the_file_error_class() -> None:
    empty = SimpleUploadedFile("empty.pdf", b"", "application/pdf")
    wrong = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", "application/pdf")
    large = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * actions.MAX_EVIDENCE_BYTES)
    many = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4") for i in range(11)]
    for files in ([empty], [wrong], [large], many):
        with pytest.raises(EvidenceError):
            actions.check_evidence_files(files)


def test_a_file_problem_is_shown_at_the_file_field(world, client_for, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    url = reverse("ehc:request", kwargs={"child_id": world.esi.pk})
    response = client_for("parent").post(url, {
        "reasons": "Help", "evidence": SimpleUploadedFile("empty.pdf", b"", "application/pdf")})
    page = response.content.decode()
    assert 'id="evidence-error"' in page and "empty.pdf is empty" in page


def test_a_process_problem_is_not_put_on_the_file_field(  # type: ignore[no-untyped-def]
    world, client_for, settings, tmp_path, monkeypatch
) -> None:
    settings.MEDIA_ROOT = tmp_path

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        # Words the old view looked for ("files", "PDF") in a message about something else.
        raise ProcessError("A request with its PDF files is already in progress")

    monkeypatch.setattr(actions, "do_request_assessment", refuse)
    url = reverse("ehc:request", kwargs={"child_id": world.esi.pk})
    page = client_for("parent").post(url, {"reasons": "Help"}).content.decode()
    assert "already in progress" in page
    assert 'id="evidence-error"' not in page
