"""The scorecard pages: who sees them, what they show, bad input, the published version."""

from __future__ import annotations

from datetime import date

import pytest

from tellonce.access.models import AuditEvent
from tellonce.insight.models import PublishedScorecard
from tellonce.insight.scorecard import add_months
from tellonce.people.models import Organisation, StaffMembership
from tests.factories import make_org, make_staff
from tests.insight.helpers import children_in, final_plan_step

pytestmark = pytest.mark.django_db


def _plans(world) -> None:  # type: ignore[no-untyped-def]
    on = add_months(date.today().replace(day=1), -2)
    for i, child in enumerate(children_in(world.la, "Big town", 20)):
        final_plan_step(child, on if i % 4 else add_months(on, -7), on)  # 15 of 20 in time


def test_leader_sees_every_indicator_with_its_value(world, client_for) -> None:  # type: ignore[no-untyped-def]
    _plans(world)
    page = client_for("leader").get("/scorecard/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "New EHC plans issued within 20 weeks, excluding exceptions" in html
    assert "75.0%" in html  # 15 of 20
    assert "46.4%" in html  # England, 2024, from the comparators file
    assert "Children waiting longer than the standard" in html


def test_csv_uses_dfe_symbols_and_is_audited(world, client_for) -> None:  # type: ignore[no-untyped-def]
    _plans(world)
    answer = client_for("leader").get("/scorecard.csv")
    text = answer.content.decode()
    assert answer.status_code == 200 and text.startswith("indicator,table,group")
    assert ",z," in text  # an indicator with nothing counted
    assert "ehc_20_weeks_excluding,this period,all" in text
    assert AuditEvent.objects.filter(subject="Partnership scorecard (CSV)").count() == 1


def test_pdf_is_a_pdf(world, client_for) -> None:  # type: ignore[no-untyped-def]
    _plans(world)
    answer = client_for("leader").get("/scorecard.pdf")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")


def test_unknown_indicator_is_404(client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("leader").get("/scorecard/no-such-thing/").status_code == 404


def test_others_get_404_and_anonymous_signs_in(client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("caseworker").get("/scorecard/").status_code == 404
    assert client_for("parent").get("/scorecard/published/").status_code == 404
    assert client_for("anonymous").get("/scorecard/").status_code == 302


def test_publishing_keeps_the_figures_for_the_forum(world, client_for) -> None:  # type: ignore[no-untyped-def]
    _plans(world)
    forum_org = make_org("Testshire Parent Carer Forum", Organisation.Kind.VOLUNTARY,
                         local_authority=world.la)
    forum = make_staff("forum", forum_org, StaffMembership.Role.PARENT_CARER_FORUM)
    from django.test import Client

    client = Client()
    client.force_login(forum)
    assert "Nothing has been published yet" in client.get("/scorecard/published/").content.decode()
    assert client.get("/scorecard/").status_code == 404  # the forum sees only what is published
    answer = client_for("leader").post("/scorecard/publish/", {"note": "After the March board"})
    assert answer.status_code == 302
    published = PublishedScorecard.objects.get()
    html = client.get("/scorecard/published/").content.decode()
    assert "After the March board" in html and "75.0%" in html
    with pytest.raises(PermissionError):
        published.save()


def test_a_note_too_long_is_refused_naming_the_field(world, client_for) -> None:  # type: ignore[no-untyped-def]
    answer = client_for("leader").post("/scorecard/publish/", {"note": "x" * 2001})
    assert answer.status_code == 400
    assert "The note must be 2,000 characters or fewer" in answer.content.decode()
    assert not PublishedScorecard.objects.exists()
