"""The demo area's waiting lists: every pathway, history to backtest, a gap, the demo families."""

from __future__ import annotations

from datetime import date

import pytest

from tellonce.demo.area import generate_area
from tellonce.health.analysis import analyse
from tellonce.health.models import Pathway, PathwayKind, PathwayMonth, Referral
from tellonce.health.queues import forecast_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(db):  # type: ignore[no-untyped-def]
    return generate_area(seed=11, children=6000, today=date(2026, 3, 2), progress=lambda _m: None)


def test_every_pathway_has_a_list_with_three_years_of_history(area) -> None:  # type: ignore[no-untyped-def]
    kinds = set(Pathway.objects.values_list("kind", flat=True))
    assert kinds == set(PathwayKind.values)
    oldest = Referral.objects.order_by("received_on").first()
    assert oldest is not None and (area.today - oldest.received_on).days > 3 * 365
    assert PathwayMonth.objects.exists()


def test_kofi_waits_for_speech_and_language_therapy_with_a_forecast(area) -> None:  # type: ignore[no-untyped-def]
    kofi = area.demo_children["kofi"]
    referral = Referral.objects.get(child=kofi, pathway__kind=PathwayKind.SLT)
    assert referral.is_waiting
    assert forecast_referral(referral, area.today) is not None


def test_occupational_therapy_waits_differ_between_localities(area) -> None:  # type: ignore[no-untyped-def]
    lists = Pathway.objects.filter(kind=PathwayKind.OT).order_by("locality__name")
    waits = [analyse([p], area.today).now.mean_weeks_waited for p in lists]
    assert len(waits) == 2 and None not in waits
    assert abs(waits[0] - waits[1]) > 3  # type: ignore[operator]


def test_paediatrics_is_improving(area) -> None:  # type: ignore[no-untyped-def]
    paeds = list(Pathway.objects.filter(kind=PathwayKind.PAEDIATRICS))
    months = analyse(paeds, area.today).months
    peak = max(t.list_size for _m, t in months)
    assert months[-1][1].list_size < peak
