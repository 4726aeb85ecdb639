"""The retention schedule: when each kind of record is due for erasure, and the commands."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tellonce.people.models import Child
from tellonce.privacy.periods import DEFAULT_YEARS, parse_setting
from tellonce.privacy.retention import due_date, due_for_erasure
from tests.factories import make_child
from tests.health.helpers import make_referral

TODAY = date(2026, 12, 4)


def _born(years_ago: int, days: int = 0) -> date:
    return date(TODAY.year - years_ago, TODAY.month, TODAY.day) - timedelta(days=days)


@pytest.mark.django_db
def test_each_kind_of_record_keeps_the_child_for_its_period(world) -> None:  # type: ignore[no-untyped-def]
    plain = make_child(world.la, date_of_birth=_born(26))
    support = make_child(world.la, date_of_birth=_born(26),
                         send_status=Child.SendStatus.SEN_SUPPORT)
    plan = make_child(world.la, date_of_birth=_born(26), send_status=Child.SendStatus.EHC_PLAN)
    seventeen = make_child(world.la, date_of_birth=_born(25, days=10))
    make_referral(world, child=seventeen, received_on=_born(8))  # when the child was 17
    assert due_date(plain).on == _born(1)  # 25th birthday, a year ago
    assert due_date(plain).rule.key == "record"
    assert due_date(support).rule.key == "sen_support"
    assert due_date(plan).on == date(plan.date_of_birth.year + 31, TODAY.month, TODAY.day)
    assert due_date(plan).rule.key == "ehc"
    assert due_date(seventeen).rule.key == "health_seventeen"
    due = {d.child.pk for d in due_for_erasure(TODAY)}
    assert plain.pk in due and support.pk in due
    assert plan.pk not in due and seventeen.pk not in due
    # The world's own children (all under 18) are never due.
    assert not due & {world.kofi.pk, world.zara.pk, world.esi.pk, world.bea.pk}


@pytest.mark.django_db
def test_a_council_can_change_a_period(world, settings) -> None:  # type: ignore[no-untyped-def]
    child = make_child(world.la, date_of_birth=_born(26))
    assert child.pk in {d.child.pk for d in due_for_erasure(TODAY)}
    settings.RETENTION_YEARS = {"record": 30}
    assert child.pk not in {d.child.pk for d in due_for_erasure(TODAY)}


def test_the_setting_is_checked() -> None:
    assert parse_setting("") == {}
    assert parse_setting(" ehc=35 , record=25") == {"ehc": 35, "record": 25}
    for bad, words in (("ehc", "KIND=YEARS"), ("plans=3", "KIND=YEARS"),
                       ("ehc=many", "whole number"), ("ehc=0", "between 1 and 100")):
        with pytest.raises(ValueError, match=words):
            parse_setting(bad)


@hypothesis_settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2026, 12, 31)),
       st.sampled_from(list(DEFAULT_YEARS)))
def test_a_due_day_is_the_birthday_of_its_period(born: date, key: str) -> None:
    from tellonce.privacy.retention import _birthday

    due = _birthday(born, DEFAULT_YEARS[key])
    assert due.year == born.year + DEFAULT_YEARS[key]
    assert (due.month, due.day) == ((born.month, born.day) if (born.month, born.day) != (2, 29)
                                    else (3, 1))


@pytest.mark.django_db
def test_the_commands_list_and_erase_what_is_due(world) -> None:  # type: ignore[no-untyped-def]
    old = make_child(world.la, date_of_birth=_born(40), given_name="Olderthan", family_name="Due")
    out = StringIO()
    call_command("retention_due", "--on", TODAY.isoformat(), stdout=out)
    assert str(old.pk) in out.getvalue() and "1 record due" in out.getvalue()
    out = StringIO()
    call_command("erase_due", "--on", TODAY.isoformat(), stdout=out)
    assert "--confirm" in out.getvalue()
    assert Child.objects.get(pk=old.pk).erased_at is None
    call_command("erase_due", "--on", TODAY.isoformat(), "--confirm", stdout=StringIO())
    assert Child.objects.get(pk=old.pk).erased_at is not None
    out = StringIO()
    call_command("retention_due", "--on", TODAY.isoformat(), stdout=out)
    assert "0 records due" in out.getvalue()
    with pytest.raises(CommandError, match="--on must be a date"):
        call_command("retention_due", "--on", "4/12/2026")
