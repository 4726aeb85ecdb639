"""Demo feeds: a term of attendance and suspensions from the schools, a social care feed,
matched with the model trained on them, leaving a review queue for the data officer.

The rows carry the errors real agencies' files do (tellonce/demo/matching_truth.py): names
mistyped or shortened, dates of birth with a digit wrong or day and month swapped, and one
row in ten with a UPN the council's record does not hold (a temporary or re-issued UPN),
so that the model, not the identifier, has to find the child.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password

from tellonce.demo.matching_truth import _dob_digit, _short_form, _typo
from tellonce.feeds.actions import do_save_delivery
from tellonce.feeds.formats import FORMATS, SUSPENSION_REASONS
from tellonce.feeds.imports import Row
from tellonce.matching import actions
from tellonce.people.models import Child, Organisation, StaffMembership, User
from tellonce.people.validators import upn_check_letter

if TYPE_CHECKING:
    from tellonce.demo.area import Area

ERROR_RATE = 0.05
MAX_PUPILS = 6000  # a term's attendance for this many pupils: enough to train on, quick
# Training the model takes seconds: the test suite's small areas (a few thousand children,
# generated a dozen times) leave the feeds out; the demo area (30,000) has them.
MIN_CHILDREN = 10_000


def _term(today: date) -> str:
    if today.month >= 9:
        return f"{today.year}-autumn"
    return f"{today.year}-{'spring' if today.month <= 4 else 'summer'}"


def _noisy(rng: random.Random, child: Child) -> tuple[str, str, date]:
    given, family, born = child.given_name, child.family_name, child.date_of_birth
    if rng.random() < ERROR_RATE:
        given = _typo(rng, given.lower()).title()
    if rng.random() < ERROR_RATE:
        family = _typo(rng, family.lower()).title()
    if rng.random() < ERROR_RATE:
        given = _short_form(rng, given)
    if rng.random() < ERROR_RATE / 2:
        born = _dob_digit(rng, born)
    if rng.random() < ERROR_RATE / 2 and born.day <= 12 and born.day != born.month:
        born = date(born.year, born.day, born.month)
    return given, family, born


def _fresh_upn(rng: random.Random) -> str:
    body = (f"999{rng.randrange(9000, 9999):04d}{rng.randrange(0, 99):02d}"
            f"{rng.randrange(0, 999):03d}")
    return upn_check_letter(body) + body


def generate(area: Area) -> None:
    rng = random.Random(area.seed * 17 + 3)
    la, send = area.local_authority, area.la_teams["send"]
    officer = User.objects.create(
        username="dataofficer", display_name="Daniel Price", first_name="Daniel",
        last_name="Price", password=make_password("tell-it-once-demo"),
        email="dataofficer@demo.invalid")
    StaffMembership.objects.create(user=officer, organisation=send,
                                   role=StaffMembership.Role.DATA_OFFICER,
                                   job_title="Data officer", start=area.today - timedelta(days=400))
    area.users["dataofficer"] = officer
    # The account exists in every demo area (README lists it); the feeds need enough pupils.
    if Child.objects.filter(local_authority=la).count() < MIN_CHILDREN:
        area.progress(f"feeds: fewer than {MIN_CHILDREN:,} children; no demo feeds")
        return
    pupils = list(Child.objects.filter(local_authority=la, setting__kind=Organisation.Kind.SCHOOL,
                                       erased_at__isnull=True)
                  .select_related("setting").order_by("pk")[:MAX_PUPILS])
    if len(pupils) < actions.MIN_TRAINING_ROWS:
        area.progress("feeds: too few pupils to train the matching model; no demo feeds")
        return
    term = _term(area.today)
    start = area.today - timedelta(days=40)
    rows: list[Row] = []
    for n, child in enumerate(pupils, start=2):
        given, family, born = _noisy(rng, child)
        upn = child.upn or ""
        if not upn or rng.random() < 0.1:
            upn = _fresh_upn(rng)
        possible = 2 * rng.randint(55, 65)
        # SEN makes absence and suspension likelier (DfE: about twice the rate).
        sen = child.send_status != Child.SendStatus.NONE
        missed = int(possible * min(0.9, rng.expovariate(1 / (0.09 if sen else 0.05))))
        facts: dict[str, object] = {"term": term, "sessions_possible": possible,
                                    "sessions_missed": missed}
        if rng.random() < (0.04 if sen else 0.015):
            began = start + timedelta(days=rng.randint(0, 30))
            facts.update(suspension_start=began.isoformat(),
                         suspension_sessions=rng.randint(1, 10),
                         suspension_reason=rng.choice(SUSPENSION_REASONS))
        rows.append(Row(n, given, family, born, upn=upn, setting=child.setting, facts=facts))
    school = pupils[0].setting
    assert school is not None
    attendance = do_save_delivery(officer, FORMATS["attendance"], school,
                                  "School MIS census export", la, f"attendance-{term}.csv", rows)
    model = actions.do_train_model(officer, attendance)
    outcome = actions.do_match_delivery(officer, attendance)
    area.progress(f"feeds: attendance for {len(rows)} pupils with model {model.version}: "
                  f"{outcome.by_identifier} by UPN, {outcome.linked} by the model, "
                  f"{outcome.to_review} to review")
    # Social care: children a social worker works with, flagged, without NHS numbers.
    cared = list(Child.objects.filter(local_authority=la,
                                      involvements__organisation__in=area.social_care)
                 .distinct().order_by("pk")[:300])
    care_rows = []
    for n, child in enumerate(cared, start=2):
        given, family, born = _noisy(rng, child)
        care_rows.append(Row(n, given, family, born, facts={
            "flag": rng.choice(["CIN", "CIN", "CPP", "CLA"]),
            "start_date": (area.today - timedelta(days=rng.randint(30, 700))).isoformat()}))
    if care_rows:
        care = do_save_delivery(officer, FORMATS["social_care"], area.social_care[0],
                                "Case management system", la, "flags.xlsx", care_rows)
        outcome = actions.do_match_delivery(officer, care)
        area.progress(f"feeds: {len(care_rows)} social care flags: {outcome.linked} linked, "
                      f"{outcome.to_review} to review")
