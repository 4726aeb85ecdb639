"""Matching small hand-built feeds against the record: links, reviews, new children."""

from __future__ import annotations

from datetime import date

import pytest

from tellonce.access.models import AuditEvent
from tellonce.access.policy import visible_children
from tellonce.feeds.models import FeedKind
from tellonce.matching import actions
from tellonce.matching.models import Link, Review
from tellonce.people.models import Child
from tests.factories import make_child
from tests.matching.helpers import deliver, swap_day_month

pytestmark = pytest.mark.django_db


def _active_link(record) -> Link | None:  # type: ignore[no-untyped-def]
    return record.links.filter(ended_at__isnull=True).first()


def test_a_typo_in_the_family_name_still_links_to_the_child(world, match_model) -> None:
    kofi = world.kofi
    delivery = deliver(world, [{"given": "Kofi", "family": "Mensha", "dob": kofi.date_of_birth}])
    outcome = actions.do_match_delivery(world.users["dataofficer"], delivery)
    link = _active_link(delivery.records.get())
    assert outcome.linked == 1
    assert link is not None and link.child == kofi and link.method == Link.Method.MODEL
    assert link.model == match_model and link.probability >= match_model.accept_at


def test_a_short_form_of_the_given_name_links(world, match_model) -> None:
    child = make_child(world.la, given_name="Alexander", family_name="Whitworth",
                       date_of_birth=date(2016, 5, 20))
    delivery = deliver(world, [{"given": "Alex", "family": "Whitworth",
                                "dob": date(2016, 5, 20)}])
    actions.do_match_delivery(world.users["dataofficer"], delivery)
    link = _active_link(delivery.records.get())
    assert link is not None and link.child == child


def test_a_twin_with_the_same_birthday_and_family_name_is_not_linked(world, match_model) -> None:
    born = date(2017, 3, 4)
    ben = make_child(world.la, given_name="Ben", family_name="Ashworth", date_of_birth=born)
    delivery = deliver(world, [{"given": "Amy", "family": "Ashworth", "dob": born}])
    actions.do_match_delivery(world.users["dataofficer"], delivery)
    record = delivery.records.get()
    assert _active_link(record) is None
    # A person may look, and is told why: the twin is a candidate with the name against.
    review = Review.objects.get(record=record)
    candidate = review.candidates.get()
    assert candidate.child == ben
    assert candidate.evidence["name"]["label"] == "Same family name, different given name"


def test_with_both_twins_on_the_record_each_row_links_to_its_own_twin(world, match_model) -> None:
    born = date(2017, 3, 4)
    ben = make_child(world.la, given_name="Ben", family_name="Ashworth", date_of_birth=born)
    amy = make_child(world.la, given_name="Amy", family_name="Ashworth", date_of_birth=born)
    delivery = deliver(world, [{"given": "Amy", "family": "Ashworth", "dob": born},
                               {"given": "Ben", "family": "Ashworth", "dob": born}])
    actions.do_match_delivery(world.users["dataofficer"], delivery)
    first, second = delivery.records.order_by("row")
    assert _active_link(first).child == amy  # type: ignore[union-attr]
    assert _active_link(second).child == ben  # type: ignore[union-attr]


def test_a_swapped_day_and_month_goes_to_review_not_a_link(world, match_model) -> None:
    child = make_child(world.la, given_name="Isla", family_name="Brookfield",
                       date_of_birth=date(2015, 4, 9))
    delivery = deliver(world, [{"given": "Isla", "family": "Brookfield",
                                "dob": swap_day_month(date(2015, 4, 9))}])
    outcome = actions.do_match_delivery(world.users["dataofficer"], delivery)
    record = delivery.records.get()
    assert _active_link(record) is None and outcome.to_review == 1
    review = Review.objects.get(record=record)
    assert review.status == Review.Status.PENDING and "swapped" in review.reason
    assert review.candidates.get().child == child
    assert review.candidates.get().evidence["dob"]["label"] == "Day and month swapped"


def test_a_stranger_is_not_linked_and_a_non_authoritative_feed_adds_no_child(world,
                                                                             match_model) -> None:
    before = Child.objects.count()
    delivery = deliver(world, [{"given": "Wiktoria", "family": "Stonebridge",
                                "dob": date(2012, 1, 30)}])
    outcome = actions.do_match_delivery(world.users["dataofficer"], delivery)
    assert outcome.not_found == 1 and outcome.linked == 0 and outcome.new_children == 0
    assert Child.objects.count() == before
    assert not Link.objects.exists() and not Review.objects.exists()


def test_the_pupil_roll_is_authoritative_and_adds_a_child_it_cannot_match(world,
                                                                          match_model) -> None:
    delivery = deliver(world, [{"given": "Wiktoria", "family": "Stonebridge",
                                "dob": date(2012, 1, 30), "setting": world.school_b,
                                "upn": "", "facts": {"sen_provision": "K",
                                                     "primary_need": "SLCN"}}],
                       kind=FeedKind.PUPIL_ROLL, sender=world.school_b)
    outcome = actions.do_match_delivery(world.users["dataofficer"], delivery)
    assert outcome.new_children == 1
    child = Child.objects.get(family_name="Stonebridge")
    assert child.setting == world.school_b and child.send_status == Child.SendStatus.SEN_SUPPORT
    assert _active_link(delivery.records.get()).method == Link.Method.NEW_CHILD  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(child=child, subject="Child added from an agency's file")


def test_the_same_nhs_number_and_date_of_birth_link_without_the_model(world) -> None:
    kofi = world.kofi
    delivery = deliver(world, [{"given": "K", "family": "M", "dob": kofi.date_of_birth,
                                "nhs": kofi.nhs_number}])
    outcome = actions.do_match_delivery(world.users["dataofficer"], delivery)
    assert outcome.by_identifier == 1
    assert _active_link(delivery.records.get()).method == Link.Method.IDENTIFIER  # type: ignore[union-attr]


def test_the_same_nhs_number_with_another_birthday_waits_for_a_person(world, match_model) -> None:
    kofi = world.kofi
    delivery = deliver(world, [{"given": "Kofi", "family": "Mensah",
                                "dob": date(2001, 1, 1), "nhs": kofi.nhs_number}])
    actions.do_match_delivery(world.users["dataofficer"], delivery)
    review = Review.objects.get(record=delivery.records.get())
    assert "date of birth is different" in review.reason
    assert _active_link(delivery.records.get()) is None


def test_every_link_and_unlink_is_audited_and_an_unlink_can_be_undone(world, match_model) -> None:
    kofi = world.kofi
    officer = world.users["dataofficer"]
    delivery = deliver(world, [{"given": "Kofi", "family": "Mensah", "dob": kofi.date_of_birth}])
    actions.do_match_delivery(officer, delivery)
    record = delivery.records.get()
    link = _active_link(record)
    assert link is not None
    review = actions.do_unlink(officer, link, "Wrong Kofi: the trust confirmed")
    assert _active_link(record) is None
    link.refresh_from_db()
    assert link.ended_by == officer and link.end_reason.startswith("Wrong Kofi")
    assert review.status == Review.Status.PENDING and review.candidates.get().child == kofi
    # The decision is reversible: accepting the review links the row again.
    relinked = actions.do_accept(officer, review, review.candidates.get(), review.version)
    assert _active_link(record) == relinked and relinked.method == Link.Method.REVIEWED
    subjects = list(AuditEvent.objects.filter(child=kofi).order_by("sequence")
                    .values_list("subject", flat=True))
    assert subjects == ["Agency record linked", "Agency record unlinked",
                        "Agency record linked"]
    assert Link.objects.filter(record=record).count() == 2  # history kept, none deleted


def test_a_decision_from_an_old_page_is_refused(world, match_model) -> None:
    child = make_child(world.la, given_name="Isla", family_name="Brookfield",
                       date_of_birth=date(2015, 4, 9))
    delivery = deliver(world, [{"given": "Isla", "family": "Brookfield",
                                "dob": date(2015, 9, 4)}])
    officer = world.users["dataofficer"]
    actions.do_match_delivery(officer, delivery)
    review = Review.objects.get()
    old = review.version
    actions.do_defer(officer, review, old, "Asking the school")
    with pytest.raises(actions.StaleDecision):
        actions.do_accept(officer, review, review.candidates.get(), old)
    assert not Link.objects.filter(child=child).exists()


def test_a_link_never_widens_who_may_see_the_child(world, match_model) -> None:
    """School B's pupil roll names Kofi (school A's pupil). The link joins the row to him;
    it gives school B's SENCO (or anyone else) nothing they could not see before."""
    users = world.users
    before = {name: set(visible_children(user).values_list("pk", flat=True))
              for name, user in users.items()}
    delivery = deliver(world, [{"given": "Kofi", "family": "Mensah",
                                "dob": world.kofi.date_of_birth, "setting": world.school_b,
                                "facts": {"sen_provision": "E"}}],
                       kind=FeedKind.PUPIL_ROLL, sender=world.school_b)
    actions.do_match_delivery(users["dataofficer"], delivery)
    assert _active_link(delivery.records.get()).child == world.kofi  # type: ignore[union-attr]
    for name, user in users.items():
        if hasattr(user, "_active_memberships"):
            del user._active_memberships
        after = set(visible_children(user).values_list("pk", flat=True))
        assert after == before[name], name
    assert world.kofi.pk not in before["senco_b"]
