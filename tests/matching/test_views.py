"""The review queue and the review page, as a data officer uses them."""

from __future__ import annotations

from datetime import date

import pytest

from tellonce.access.models import AuditEvent
from tellonce.matching import actions
from tellonce.matching.models import Link, Review
from tests.factories import make_child
from tests.matching.helpers import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def swapped(world, match_model):  # type: ignore[no-untyped-def]
    child = make_child(world.la, given_name="Isla", family_name="Brookfield",
                       date_of_birth=date(2015, 4, 9))
    delivery = deliver(world, [{"given": "Isla", "family": "Brookfield",
                                "dob": date(2015, 9, 4), "postcode": "RV1 2AB"}])
    actions.do_match_delivery(world.users["dataofficer"], delivery)
    return child, Review.objects.get()


def test_the_queue_lists_the_waiting_rows_and_audits_the_candidates(world, client_for,
                                                                    swapped) -> None:
    child, review = swapped
    response = client_for("dataofficer").get("/matching/reviews/")
    text = response.content.decode()
    assert f"/matching/reviews/{review.pk}/" in text and "swapped" in text
    assert AuditEvent.objects.filter(subject="Matches to review",
                                     detail__children=[str(child.pk)]).exists()


def test_the_queue_says_when_there_is_nothing_to_review(world, client_for) -> None:
    text = client_for("dataofficer").get("/matching/reviews/").content.decode()
    assert "Nothing to review" in text


def test_the_review_shows_the_row_beside_the_record_with_evidence(world, client_for,
                                                                  swapped) -> None:
    child, review = swapped
    text = client_for("dataofficer").get(f"/matching/reviews/{review.pk}/").content.decode()
    assert "4 September 2015" in text and "9 April 2015" in text  # side by side
    assert "Day and month swapped" in text and "Same given and family name" in text
    assert "For" in text
    assert AuditEvent.objects.filter(child=child, subject="Identity match review").exists()


def test_accepting_links_the_row_and_the_queue_empties(world, client_for, swapped) -> None:
    child, review = swapped
    response = client_for("dataofficer").post(f"/matching/reviews/{review.pk}/", {
        "decision": f"child-{review.candidates.get().pk}", "version": review.version,
        "note": "Checked with the trust: American date"})
    assert response.status_code == 302
    link = Link.objects.get(child=child)
    assert link.method == Link.Method.REVIEWED and link.made_by == world.users["dataofficer"]
    review.refresh_from_db()
    assert review.status == Review.Status.ACCEPTED and review.note.startswith("Checked")
    assert "Nothing to review" in client_for("dataofficer").get(
        "/matching/reviews/").content.decode()


def test_rejecting_links_nothing_and_is_recorded_against_the_candidate(world, client_for,
                                                                       swapped) -> None:
    child, review = swapped
    client_for("dataofficer").post(f"/matching/reviews/{review.pk}/",
                                   {"decision": "reject", "version": review.version})
    review.refresh_from_db()
    assert review.status == Review.Status.REJECTED and not Link.objects.exists()
    assert AuditEvent.objects.filter(child=child, subject="Agency record not linked").exists()


def test_deferring_keeps_it_in_the_queue(world, client_for, swapped) -> None:
    _child, review = swapped
    client_for("dataofficer").post(f"/matching/reviews/{review.pk}/",
                                   {"decision": "defer", "version": review.version})
    review.refresh_from_db()
    assert review.status == Review.Status.DEFERRED
    assert f"/matching/reviews/{review.pk}/" in client_for("dataofficer").get(
        "/matching/reviews/").content.decode()


def test_no_decision_is_an_error_naming_the_question(world, client_for, swapped) -> None:
    _child, review = swapped
    response = client_for("dataofficer").post(f"/matching/reviews/{review.pk}/",
                                              {"version": review.version})
    assert "Select a child, none of them, or decide later" in response.content.decode()
    review.refresh_from_db()
    assert review.status == Review.Status.PENDING


def test_a_decision_made_meanwhile_by_someone_else_is_not_overwritten(world, client_for,
                                                                      swapped) -> None:
    _child, review = swapped
    stale = review.version
    actions.do_reject(world.users["dataofficer"], review, stale)
    response = client_for("dataofficer").post(f"/matching/reviews/{review.pk}/", {
        "decision": f"child-{review.candidates.get().pk}", "version": stale})
    assert "decided already" in response.content.decode()
    assert not Link.objects.exists()


def test_unlinking_needs_a_reason_then_sends_the_row_back(world, client_for,
                                                          match_model) -> None:
    delivery = deliver(world, [{"given": "Kofi", "family": "Mensah",
                                "dob": world.kofi.date_of_birth}])
    actions.do_match_delivery(world.users["dataofficer"], delivery)
    link = Link.objects.get()
    client = client_for("dataofficer")
    empty = client.post(f"/matching/links/{link.pk}/unlink/", {"reason": ""})
    assert "Enter why the row is not this child" in empty.content.decode()
    assert Link.objects.get().ended_at is None
    response = client.post(f"/matching/links/{link.pk}/unlink/", {"reason": "Another Kofi"})
    review = Review.objects.get()
    assert response["Location"] == f"/matching/reviews/{review.pk}/"
    assert Link.objects.get().ended_at is not None


def test_a_childs_linked_rows_show_to_who_sees_the_child_and_are_audited(world, client_for,
                                                                        match_model) -> None:
    delivery = deliver(world, [{"given": "Kofi", "family": "Mensah",
                                "dob": world.kofi.date_of_birth,
                                "facts": {"service": "Community paediatrics"}}])
    actions.do_match_delivery(world.users["dataofficer"], delivery)
    url = f"/children/{world.kofi.pk}/agency-records/"
    text = client_for("senco").get(url).content.decode()
    assert "Community paediatrics" in text
    assert AuditEvent.objects.filter(user=world.users["senco"], child=world.kofi,
                                     subject="Other agencies' records").exists()
    assert client_for("senco_b").get(url).status_code == 404
    assert client_for("dataofficer").get(url).status_code == 404
