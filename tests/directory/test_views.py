"""The local offer's pages: public search and service pages, feedback, keeping it true."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from tellonce.access.models import AuditEvent
from tellonce.directory import taxonomy
from tellonce.directory.actions import FEEDBACK_LIMIT_PER_HOUR
from tellonce.directory.models import Feedback, Service, ServiceChange
from tellonce.directory.queries import support_while_you_wait
from tests.directory.helpers import make_organization, make_service

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.name for s in response.context["listing"].page]


# ----- public search -----


def test_search_needs_no_sign_in_and_lists_active_services(client) -> None:  # type: ignore[no-untyped-def]
    make_service("Autism group")
    make_service("Closed for good", status=Service.Status.DEFUNCT)
    response = client.get("/local-offer/")
    assert response.status_code == 200
    assert names(response) == ["Autism group"]


def test_search_by_words_need_age_cost_and_waiting(client) -> None:  # type: ignore[no-untyped-def]
    make_service("Autism coffee morning", terms=("need-asd", "wait-neurodevelopmental"),
                 minimum_age=2, maximum_age=11)
    make_service("Teen swimming", terms=("need-pd",), minimum_age=12, maximum_age=18,
                 free=False, fees="£3")
    assert names(client.get("/local-offer/?q=coffee")) == ["Autism coffee morning"]
    assert names(client.get("/local-offer/?need=PD")) == ["Teen swimming"]
    assert names(client.get("/local-offer/?age=14")) == ["Teen swimming"]
    assert names(client.get("/local-offer/?cost=free")) == ["Autism coffee morning"]
    assert names(client.get("/local-offer/?waiting=wait-neurodevelopmental")) == [
        "Autism coffee morning"]


def test_search_by_distance_from_a_postcode_sorts_nearest_first(client) -> None:  # type: ignore[no-untyped-def]
    from tellonce.directory import postcodes

    far_code = next(p.postcode for p in postcodes.all_places() if p.postcode.startswith("RV4"))
    make_service("Far away", postcode=far_code)
    make_service("Round the corner", postcode="RV1 1AA")
    make_service("Online only")
    response = client.get("/local-offer/?postcode=rv11aa&sort=nearest")
    assert names(response) == ["Round the corner", "Far away", "Online only"]
    within = client.get("/local-offer/?postcode=RV1 1AA&distance=1")
    assert names(within) == ["Round the corner", "Online only"]
    assert b"miles from RV1 1AA" in within.content


@pytest.mark.parametrize("query, message", [
    ("age=seven", b"Age must be a whole number"),
    ("postcode=hello", b"Enter a real postcode"),
    ("postcode=ZZ9 9ZZ", b"We do not know that postcode"),
    ("distance=5", b"Enter a postcode to search within a distance"),
    ("need=XYZ", b"Select a valid choice"),
])
def test_bad_search_shows_an_error_and_no_results(client, query, message) -> None:  # type: ignore[no-untyped-def]
    make_service("Anything")
    response = client.get(f"/local-offer/?{query}")
    assert response.status_code == 200
    assert b"There is a problem" in response.content and message in response.content
    assert names(response) == []


def test_a_search_links_straight_to_its_results(client) -> None:  # type: ignore[no-untyped-def]
    for i in range(1, 3):
        make_service(f"Drama club {i}")
    content = client.get("/local-offer/?q=drama").content.decode()
    link = content.index('href="#results">Go to the 2 services found</a>')
    assert link < content.index("<form") < content.index('id="results"')
    # None before a search, nor when nothing matches: there are no results to go to.
    assert 'href="#results"' not in client.get("/local-offer/").content.decode()
    assert 'href="#results"' not in client.get("/local-offer/?q=zzz").content.decode()


def test_empty_results_say_so(client) -> None:  # type: ignore[no-untyped-def]
    assert b"no services in the local offer yet" in client.get("/local-offer/").content
    make_service("Something")
    assert b"No services match your search" in client.get("/local-offer/?q=zzz").content


def test_service_page_says_how_when_where_for_whom_and_cost(client) -> None:  # type: ignore[no-untyped-def]
    from tests.directory.helpers import make_full_service

    service = make_full_service(name="Sensory club")
    content = client.get(f"/local-offer/services/{service.pk}/").content.decode()
    for text in ("How to get in touch", "01632 960000", "When", "Mondays 9am to 5pm", "Where",
                 "RV1 1AA", "Who it is for", "4 to 11", "Autistic spectrum disorder",
                 "What it costs", "Waiting for an autism or ADHD assessment"):
        assert text in content, text


def test_retired_or_unknown_service_pages_are_404(client) -> None:  # type: ignore[no-untyped-def]
    retired = make_service("Gone", status=Service.Status.DEFUNCT)
    assert client.get(f"/local-offer/services/{retired.pk}/").status_code == 404
    assert client.get("/local-offer/services/00000000-0000-0000-0000-000000000000/"
                      ).status_code == 404


# ----- support while you wait (for the health team) -----


def test_support_while_you_wait_finds_services_by_pathway_words() -> None:
    autism = make_service("Autism workshop", terms=("wait-neurodevelopmental",))
    talk = make_service("Talk and play", terms=("wait-speech-language",))
    make_service("Not tagged", terms=("need-asd",))
    make_service("Retired", terms=("wait-neurodevelopmental",), status=Service.Status.DEFUNCT)
    assert list(support_while_you_wait()) == [autism, talk]
    assert list(support_while_you_wait("Autism and ADHD assessment")) == [autism]
    assert list(support_while_you_wait("Speech and language therapy")) == [talk]
    assert list(support_while_you_wait("wait-speech-language")) == [talk]
    assert list(support_while_you_wait("workshop")) == [autism]


# ----- feedback (reg 56) -----


def test_anyone_can_comment_and_it_is_published_with_the_response(client, client_for) -> None:  # type: ignore[no-untyped-def]
    service = make_service("Youth club")
    response = client.post(f"/local-offer/services/{service.pk}/feedback/",
                           {"comment": "Please open on Saturdays", "email": ""})
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert item.service == service
    editor = client_for("editor")
    response = editor.post(f"/manage-local-offer/feedback/{item.pk}/", {
        "published_comment": "Please open on Saturdays", "response": "We now open Saturdays"})
    assert response.status_code == 302
    page = client.get("/local-offer/you-said-we-did/").content.decode()
    assert "Please open on Saturdays" in page and "We now open Saturdays" in page


def test_feedback_without_a_comment_or_with_a_bad_email_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/local-offer/feedback/", {"comment": "  ", "email": "nope"})
    assert response.status_code == 400
    assert b"Enter your comments" in response.content and b"correct format" in response.content
    assert not Feedback.objects.exists()


def test_feedback_is_limited_per_sender_per_hour(client) -> None:  # type: ignore[no-untyped-def]
    for _ in range(FEEDBACK_LIMIT_PER_HOUR):
        assert client.post("/local-offer/feedback/", {"comment": "Hi"}).status_code == 302
    response = client.post("/local-offer/feedback/", {"comment": "Hi"})
    assert response.status_code == 400 and b"several comments" in response.content
    assert Feedback.objects.count() == FEEDBACK_LIMIT_PER_HOUR


def test_unanswered_comments_are_not_published(client) -> None:  # type: ignore[no-untyped-def]
    Feedback.objects.create(received_at=timezone.now(), comment="Secret", sender_hash="x")
    page = client.get("/local-offer/you-said-we-did/").content.decode()
    assert "Secret" not in page and "received 1 comment" in page


def test_respond_needs_an_editor_and_both_fields(client_for) -> None:  # type: ignore[no-untyped-def]
    item = Feedback.objects.create(received_at=timezone.now(), comment="Hi", sender_hash="x")
    url = f"/manage-local-offer/feedback/{item.pk}/"
    assert client_for("slt").post(url, {"published_comment": "a", "response": "b"}
                                  ).status_code == 404
    response = client_for("editor").post(url, {"published_comment": "a", "response": ""})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == Feedback.Status.NEW


# ----- keeping it true -----


def _form(service: Service | None = None, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "organization": str(service.organization_id) if service else "", "name": "Play club",
        "description": "Play for all", "status": "active", "free": "yes", "minimum_age": "5",
        "maximum_age": "11", "needs": ["ASD"], "support_types": ["leisure"],
        "waits": ["wait-neurodevelopmental"], "phone": "0191 498 0123",
        "address_1": "2 Mill Street", "city": "Rivermouth", "postcode": "RV1 1AA",
        "version": str(service.version) if service else "",
    }
    data.update(changes)
    return data


def test_editor_creates_a_service_tagged_and_placed_and_it_is_recorded(client_for) -> None:  # type: ignore[no-untyped-def]
    org = make_organization("Rivermouth Play")
    response = client_for("editor").post("/manage-local-offer/services/new/",
                                         _form(organization=str(org.pk)))
    assert response.status_code == 302
    service = Service.objects.get(name="Play club")
    codes = set(service.attributes.values_list("taxonomy_term__code", flat=True))
    assert {"need-asd", "leisure", "wait-neurodevelopmental", "age-5-10", "age-11-15"} == codes
    assert service.service_at_locations.get().location.latitude is not None
    assert ServiceChange.objects.get(service=service).kind == ServiceChange.Kind.CREATED
    event = AuditEvent.objects.get(subject="Local offer: Play club")
    assert event.child is None and event.action == AuditEvent.Action.CREATE


def test_provider_edits_their_own_service_but_not_anothers(client_for, world) -> None:  # type: ignore[no-untyped-def]
    own = make_service("SLT drop-in", make_organization("SLT", provider=world.slt))
    other = make_service("Someone else's")
    slt = client_for("slt")
    assert slt.get(f"/manage-local-offer/services/{own.pk}/edit/").status_code == 200
    response = slt.post(f"/manage-local-offer/services/{own.pk}/edit/",
                        _form(own, name="SLT drop-in (Tuesdays)"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "SLT drop-in (Tuesdays)" and own.version == 2
    assert slt.get(f"/manage-local-offer/services/{other.pk}/edit/").status_code == 404
    assert client_for("senco").get(f"/manage-local-offer/services/{own.pk}/edit/"
                                   ).status_code == 404


def test_edit_from_an_old_version_is_refused_and_keeps_what_was_typed(client_for) -> None:  # type: ignore[no-untyped-def]
    service = make_service("Play club")
    editor = client_for("editor")
    first = _form(service, name="First edit")
    second = _form(service, name="Second edit")
    assert editor.post(f"/manage-local-offer/services/{service.pk}/edit/", first
                       ).status_code == 302
    response = editor.post(f"/manage-local-offer/services/{service.pk}/edit/", second)
    assert response.status_code == 409
    assert b"Someone else saved a change" in response.content
    assert b'value="Second edit"' in response.content
    service.refresh_from_db()
    assert service.name == "First edit"


def test_edit_with_bad_input_saves_nothing(client_for) -> None:  # type: ignore[no-untyped-def]
    service = make_service("Play club")
    response = client_for("editor").post(
        f"/manage-local-offer/services/{service.pk}/edit/",
        _form(service, name="", minimum_age="12", maximum_age="5", free="no", fees="",
              postcode="ZZ1 1ZZ"))
    assert response.status_code == 400
    for message in (b"Enter the name", b"Oldest age must be", b"Say what it costs",
                    b"Enter a postcode in the area"):
        assert message in response.content
    service.refresh_from_db()
    assert service.name == "Play club" and service.version == 1


def test_services_not_reviewed_in_12_months_are_flagged_and_review_clears_it(client_for) -> None:  # type: ignore[no-untyped-def]
    stale = make_service("Stale", reviewed_on=date.today() - timedelta(days=400))
    make_service("Fresh")
    editor = client_for("editor")
    response = editor.get("/manage-local-offer/?due=1")
    assert names(response) == ["Stale"] and response.context["due_count"] == 1
    assert editor.post(f"/manage-local-offer/services/{stale.pk}/review/").status_code == 302
    stale.refresh_from_db()
    assert stale.reviewed_on == date.today() and not stale.needs_review()
    with time_machine.travel(date.today() + timedelta(days=366)):
        assert stale.needs_review()


def test_retiring_removes_it_from_search_and_records_why(client, client_for) -> None:  # type: ignore[no-untyped-def]
    service = make_service("Old club")
    editor = client_for("editor")
    assert editor.post(f"/manage-local-offer/services/{service.pk}/retire/", {"reason": ""}
                       ).status_code == 400
    assert editor.post(f"/manage-local-offer/services/{service.pk}/retire/",
                       {"reason": "Funding ended"}).status_code == 302
    service.refresh_from_db()
    assert service.status == Service.Status.DEFUNCT
    assert names(client.get("/local-offer/")) == []
    changes = client.get("/local-offer/changes/").content.decode()
    assert "Retired: Funding ended" in changes


def test_manage_pages_need_sign_in_and_a_role(client, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/manage-local-offer/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    assert client_for("parent").get("/manage-local-offer/").status_code == 404
    assert client_for("editor").get("/manage-local-offer/").status_code == 200


def test_csv_export_lists_every_service_and_defuses_formulas(client) -> None:  # type: ignore[no-untyped-def]
    make_service("=HYPERLINK(1)", terms=("need-asd",))
    response = client.get("/local-offer/local-offer.csv")
    text = b"".join(response.streaming_content).decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("id,name,organisation")
    assert "'=HYPERLINK(1)" in lines[1] and "Autistic spectrum disorder" in lines[1]


def test_taxonomy_has_the_13_needs_age_bands_and_three_waits() -> None:
    taxonomy.ensure_send_taxonomy()
    from tellonce.directory.models import TaxonomyTerm

    assert TaxonomyTerm.objects.filter(parent_id=taxonomy.term_id("need")).count() == 13
    assert TaxonomyTerm.objects.filter(parent_id=taxonomy.term_id("age-band")).count() == 4
    assert TaxonomyTerm.objects.filter(parent_id=taxonomy.term_id("while-you-wait")).count() == 3
    assert taxonomy.age_band_codes(4, 11) == ["age-0-4", "age-5-10", "age-11-15"]


def test_recent_changes_say_what_changed_in_plain_words(client, client_for) -> None:  # type: ignore[no-untyped-def]
    org = make_organization("Rivermouth Play")
    editor = client_for("editor")
    assert editor.post("/manage-local-offer/services/new/",
                       _form(organization=str(org.pk))).status_code == 302
    service = Service.objects.get(name="Play club")
    assert editor.post(f"/manage-local-offer/services/{service.pk}/edit/", _form(
        service, phone="0191 498 0999", maximum_age="14")).status_code == 302
    service.refresh_from_db()
    assert editor.post(f"/manage-local-offer/services/{service.pk}/edit/",
                       _form(service, maximum_age="14", phone="0191 498 0999")
                       ).status_code == 302
    assert editor.post(f"/manage-local-offer/services/{service.pk}/review/").status_code == 302
    rows = [cells[-1] for cells in _table_rows(client.get("/local-offer/changes/"))]
    assert rows == ["Checked and still correct", "Saved with no changes",
                    "Changed ages and phone number", "Added"]


def _table_rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    import re

    body = response.content.decode().split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell).strip()
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]
