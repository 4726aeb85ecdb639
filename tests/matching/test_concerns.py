"""Suspensions, exclusions and persistent absence of children with SEN raise a flag."""

from __future__ import annotations

from datetime import date

import pytest

from tellonce.matching import actions, concerns
from tellonce.matching.models import Concern
from tellonce.notify.models import Message
from tests.factories import make_child
from tests.matching.helpers import deliver

pytestmark = pytest.mark.django_db


def _attendance(world, rows):  # type: ignore[no-untyped-def]
    made = [{"given": c.given_name, "family": c.family_name, "dob": c.date_of_birth,
             "nhs": c.nhs_number, "facts": {"term": "2026-autumn", **facts}}
            for c, facts in rows]
    delivery = deliver(world, made, kind="attendance", sender=world.school_a)
    actions.do_match_delivery(world.users["dataofficer"], delivery)
    return delivery


def test_a_suspension_of_a_child_with_a_plan_tells_senco_and_caseworker_and_proposes_a_review(
        world) -> None:
    _attendance(world, [(world.kofi, {"sessions_possible": 120, "sessions_missed": 4,
                                      "suspension_start": "2026-10-05",
                                      "suspension_sessions": 6, "suspension_reason": "damage"})])
    concern = Concern.objects.get()
    assert (concern.child, concern.kind, concern.on) == (world.kofi, "suspension",
                                                         date(2026, 10, 5))
    assert concern.proposes_early_review
    told = set(Message.objects.filter(child=world.kofi).values_list("to__username", flat=True))
    assert told == {"senco", "caseworker"}
    assert "early review" in Message.objects.filter(child=world.kofi).first().what_next


def test_persistent_absence_starts_at_one_session_in_ten(world) -> None:
    assert concerns.is_persistently_absent(120, 12)
    assert not concerns.is_persistently_absent(120, 11)
    assert not concerns.is_persistently_absent(0, 0)
    _attendance(world, [(world.esi, {"sessions_possible": 120, "sessions_missed": 12}),
                        (world.bea, {"sessions_possible": 120, "sessions_missed": 11})])
    concern = Concern.objects.get()
    assert concern.child == world.esi and concern.kind == "persistent_absence"
    assert not concern.proposes_early_review  # SEN support: no plan to review
    assert list(Message.objects.values_list("to__username", flat=True)) == ["senco"]
    # Without a plan, it is for the early identification tracker.
    assert list(concerns.concerns_without_plan(world.la.pk)) == [concern]


def test_a_child_without_sen_raises_no_flag(world) -> None:
    child = make_child(world.la, given_name="Noah", family_name="Hall", setting=world.school_a)
    _attendance(world, [(child, {"sessions_possible": 120, "sessions_missed": 60,
                                 "permanent_exclusion_date": "2026-10-01",
                                 "permanent_exclusion_reason": "other"})])
    assert not Concern.objects.exists() and not Message.objects.exists()


def test_no_one_is_told_about_a_child_they_may_not_see(world) -> None:
    """Bea's setting is school B: school A's SENCO is never told, however the row came."""
    _attendance(world, [(world.bea, {"sessions_possible": 100, "sessions_missed": 30})])
    told = set(Message.objects.values_list("to__username", flat=True))
    assert "senco" not in told and told <= {"senco_b"}


def test_rates_by_sen_status_suppress_small_numbers(world) -> None:
    children = [make_child(world.la, given_name=f"Pupil{i}", family_name="Sands",
                           setting=world.school_a, send_status="sen_support") for i in range(6)]
    rows = [(c, {"sessions_possible": 100, "sessions_missed": 20 if i < 5 else 0})
            for i, c in enumerate(children)]
    rows.append((world.kofi, {"sessions_possible": 100, "sessions_missed": 50}))
    _attendance(world, rows)
    rates = concerns.rates_by_sen_status([world.la.pk], "2026-autumn")
    assert rates["sen_support"].pupils == 6 and rates["sen_support"].persistently_absent == 5
    assert rates["ehc_plan"].pupils is None  # one pupil: suppressed
    assert rates["sen_support"].suspended == 0
