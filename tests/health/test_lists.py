"""Lists that put first what matters (issue 11 item 6): the practitioners' worklist, the
family's expected wait, support while waiting, the gap between localities, and form errors
that name their field."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django import forms

from tellonce.health import forms as health_forms
from tellonce.health.analysis import analyse
from tellonce.health.models import Pathway, PathwayKind, Referral
from tellonce.people.models import Locality
from tests.factories import make_child
from tests.health.helpers import make_referral, slt_pathway

pytestmark = pytest.mark.django_db
Status = Referral.Status


def _seen_recently(world: Any, weeks: int = 10, per_week: int = 2) -> None:
    """Children seen on the SLT list in recent weeks, so a wait can be forecast."""
    today = date.today()
    for week in range(1, weeks + 1):
        for _ in range(per_week):
            seen = today - timedelta(weeks=week)
            make_referral(world, child=world.bea, received_on=seen - timedelta(weeks=12),
                          status=Status.IN_ASSESSMENT, first_seen_on=seen, left_list_on=seen)


# ----- the practitioners' worklist -----


def test_open_referrals_waited_longest_puts_children_still_waiting_first(
    world: Any, client_for: Any
) -> None:
    today = date.today()
    assessed = make_referral(world, received_on=today - timedelta(weeks=90),
                             status=Status.ASSESSED, first_seen_on=today - timedelta(weeks=60),
                             left_list_on=today - timedelta(weeks=60),
                             assessment_completed_on=today - timedelta(weeks=50))
    seen = make_referral(world, received_on=today - timedelta(weeks=70),
                         status=Status.IN_ASSESSMENT, first_seen_on=today - timedelta(weeks=40),
                         left_list_on=today - timedelta(weeks=40))
    newer = make_referral(world, received_on=today - timedelta(weeks=5))
    longest = make_referral(world, received_on=today - timedelta(weeks=30),
                            status=Status.AWAITING_TRIAGE)
    text = client_for("slt").get("/referrals/").content.decode()
    order = [int(pk) for pk in re.findall(r'href="/referrals/(\d+)/"', text)]
    assert order == [longest.pk, newer.pk, seen.pk, assessed.pk]


# ----- the family's expected wait -----


def _family_page(world: Any, client_for: Any, referral: Referral) -> str:
    return client_for("parent").get(
        f"/children/{world.kofi.pk}/referrals/{referral.pk}/"
    ).content.decode()


def test_family_sees_no_forecast_before_the_referral_is_accepted(world: Any, client_for: Any
                                                                 ) -> None:
    _seen_recently(world)
    referral = make_referral(world, status=Status.AWAITING_TRIAGE)
    text = _family_page(world, client_for, referral)
    assert "Most likely wait" not in text
    assert "8 in 10 children" not in text
    assert "once the service accepts the referral" in text


def test_family_sees_the_booked_appointment_not_a_forecast(world: Any, client_for: Any) -> None:
    _seen_recently(world)
    booked_for = date.today() + timedelta(days=20)
    referral = make_referral(world, status=Status.WAITING, first_appointment_on=booked_for)
    text = _family_page(world, client_for, referral)
    assert "Most likely wait" not in text
    assert f"{booked_for:%-d %B %Y}" in text


def test_family_still_sees_the_forecast_while_accepted_and_not_booked(world: Any,
                                                                      client_for: Any) -> None:
    _seen_recently(world)
    referral = make_referral(world, status=Status.WAITING)
    assert "Most likely wait" in _family_page(world, client_for, referral)


# ----- support while you wait -----


def test_support_while_waiting_is_each_service_once_and_in_the_familys_locality(
    world: Any, client_for: Any
) -> None:
    from tellonce.directory.models import ServiceArea
    from tests.directory.helpers import make_service

    north = Locality.objects.create(name="Northbank", local_authority=world.la)
    south = Locality.objects.create(name="Southbank", local_authority=world.la)
    world.kofi.locality = north
    world.kofi.save()

    def service(name: str, locality: Locality | None) -> None:
        made = make_service(name=name, terms=("wait-speech-language",))
        ServiceArea.objects.create(service=made, locality=locality,
                                   name=locality.name if locality else "Whole area")

    for _ in range(4):
        service("Communication advice line", None)
    service("Talk and play (Northbank)", north)
    service("Talk and play (Southbank)", south)
    referral = make_referral(world)
    text = _family_page(world, client_for, referral)
    listed = text.split("Support while you wait", 1)[1].split("Contact and reviews", 1)[0]
    assert listed.count("Communication advice line") == 1
    assert "Talk and play (Northbank)" in listed
    assert "Southbank" not in listed


# ----- the gap between localities -----


def _waiting(pathway: Pathway, weeks: int, count: int = 6) -> None:
    today = date.today()
    for _ in range(count):
        Referral.objects.create(
            child=make_child(pathway.local_authority), pathway=pathway, referrer_name="GP",
            received_on=today - timedelta(weeks=weeks, days=1), status=Status.WAITING,
        )


def test_gap_between_localities_compares_localities_not_the_area_wide_list(world: Any) -> None:
    north = Locality.objects.create(name="Northbank", local_authority=world.la)
    south = Locality.objects.create(name="Southbank", local_authority=world.la)
    area = slt_pathway(world)
    ot_north = Pathway.objects.create(kind=PathwayKind.OT, provider=world.slt,
                                      local_authority=world.la, locality=north)
    ot_south = Pathway.objects.create(kind=PathwayKind.OT, provider=world.slt,
                                      local_authority=world.la, locality=south)
    _waiting(area, 40)
    _waiting(ot_north, 20)
    _waiting(ot_south, 8)
    result = analyse([area, ot_north, ot_south], date.today())
    gap = result.locality_gap
    assert gap is not None
    assert gap[0] == 12.0  # 20 weeks in Northbank against 8 in Southbank, not 40 - 8


def test_no_gap_between_localities_with_one_locality_and_the_area_wide_list(world: Any) -> None:
    north = Locality.objects.create(name="Northbank", local_authority=world.la)
    area = slt_pathway(world)
    ot_north = Pathway.objects.create(kind=PathwayKind.OT, provider=world.slt,
                                      local_authority=world.la, locality=north)
    _waiting(area, 40)
    _waiting(ot_north, 20)
    assert analyse([area, ot_north], date.today()).locality_gap is None


# ----- errors name their field -----


def _health_forms(world: Any) -> list[forms.Form]:
    referral = make_referral(world)
    today = date.today()
    made: list[forms.Form] = []
    for name in dir(health_forms):
        cls = getattr(health_forms, name)
        if not (isinstance(cls, type) and issubclass(cls, forms.Form)
                and cls.__module__ == health_forms.__name__):
            continue
        if issubclass(cls, health_forms.ReferralForm):
            if cls is health_forms.ReferralForm:
                continue
            made.append(cls(referral=referral, today=today))
        elif cls is health_forms.ReferChildForm:
            made.append(cls(pathways=[slt_pathway(world)], professional=True))
        elif cls is health_forms.NewReferralForm:
            made.append(cls(pathways=[slt_pathway(world)], today=today))
        elif cls is health_forms.ImportForm:
            made.append(cls(providers=[world.slt]))
        elif cls in (health_forms.WorklistFilterForm, health_forms.AnalysisFilterForm):
            made.append(cls(pathways=[slt_pathway(world)]))
        elif cls is health_forms.CapacityForm:
            made.append(cls(choices=[("1", "A list")]))
        else:
            made.append(cls())
    return made


def _label_words(label: str) -> set[str]:
    return {w for w in re.findall(r"[a-z'-]+", label.lower()) if len(w) > 3} - {
        "your", "their", "with", "from", "this", "that", "what", "when", "were", "child's",
    }


def test_every_health_form_error_names_its_field(world: Any) -> None:
    """Every error a field can give (missing, too small, too big, too long, not a choice)
    names the field, so a message is never a bare 'Ensure this value is...'."""
    found = 0
    problems = []
    for form in _health_forms(world):
        for name, field in form.fields.items():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            codes = []
            if field.required:
                codes.append("required")
            if getattr(field, "min_value", None) is not None:
                codes.append("min_value")
            if getattr(field, "max_value", None) is not None:
                codes.append("max_value")
            if getattr(field, "max_length", None) is not None:
                codes.append("max_length")
            if isinstance(field, forms.ChoiceField):
                codes.append("invalid_choice")
            if isinstance(field, forms.IntegerField | forms.DecimalField):
                codes.append("invalid")
            if getattr(field, "decimal_places", None) is not None:
                codes.append("max_decimal_places")
            words = _label_words(str(field.label))
            for code in codes:
                found += 1
                message = str(field.error_messages.get(code, ""))
                if not message or not words & set(re.findall(r"[a-z'-]+", message.lower())):
                    problems.append(f"{type(form).__name__}.{name} {code}: {message!r}")
    assert found > 40
    assert problems == []


def test_capacity_planner_errors_say_which_target_is_wrong(world: Any, client_for: Any) -> None:
    response = client_for("leader").get(
        "/waiting-times/capacity/",
        {"pathway": slt_pathway(world).pk, "target_weeks": 0, "target_percent": 150,
         "weeks_to_target": 999},
    )
    text = response.content.decode()
    assert "Ensure this value" not in text
    assert "The waiting-time standard must be at least 1 week" in text
    assert "The percentage to be seen within the standard must be 99 or less" in text
    assert "The weeks to reach the target must be 260 weeks or fewer" in text
