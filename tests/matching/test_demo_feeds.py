"""The demo's feeds: a term of attendance and a social care feed, matched, with a queue."""

from __future__ import annotations

import pytest

from tellonce.demo import feeds
from tellonce.demo.area import generate_area
from tellonce.feeds.models import Delivery, FeedRecord
from tellonce.matching.models import Link, MatchModel, Review

pytestmark = pytest.mark.django_db


def test_the_demo_feeds_link_most_rows_correctly_and_leave_a_queue(monkeypatch) -> None:
    monkeypatch.setattr(feeds, "MIN_CHILDREN", 0)
    generate_area(seed=3, children=1500, progress=lambda _m: None)
    assert set(Delivery.objects.values_list("kind", flat=True)) == {"attendance",
                                                                     "social_care"}
    assert MatchModel.objects.count() == 1
    attendance = FeedRecord.objects.filter(delivery__kind="attendance")
    linked = Link.objects.filter(record__in=attendance, ended_at__isnull=True)
    # Every attendance row is one of the area's pupils: the demo's truth is its setting.
    assert linked.count() >= 0.9 * attendance.count()
    assert Review.objects.filter(status=Review.Status.PENDING).exists()
    # Invariant over every link the demo made: the row names the child's own setting and
    # the child's date of birth within the errors made (a digit, or day and month swapped).
    for link in linked.select_related("record", "child"):
        assert link.record.setting_id == link.child.setting_id
        assert link.record.date_of_birth.year == link.child.date_of_birth.year or \
            link.record.date_of_birth == link.child.date_of_birth
    # No row created a child: attendance and social care are not authoritative.
    assert not Link.objects.filter(method=Link.Method.NEW_CHILD).exists()
