"""The measures' daily counts (DoneStepCount) stay equal to counting the steps themselves,
and the child's locality copied onto its steps follows the child."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db.models import F, Q

from tellonce.ehc import actions, queries
from tellonce.ehc.models import MEASURED_KINDS, DoneStepCount, Step
from tellonce.people.models import Locality
from tests.ehc.cases import esi_case
from tests.factories import make_org
from tests.world import World

TODAY = date(2026, 6, 15)


def counted_from_steps(authorities: list[int], start: date, end: date) -> list[tuple]:
    """The measures as counted straight from the steps: the reference the counts must equal."""
    result = []
    for kind in (Step.Kind.FINAL_PLAN, Step.Kind.REVIEW_DECISION):
        done = Step.objects.filter(local_authority_id__in=authorities, kind=kind,
                                   done_on__gte=start, done_on__lte=end, cancelled=False)
        result.append((
            done.filter(exception="", done_on__lte=F("due")).count(),
            done.filter(exception="").count(),
            done.exclude(exception="").count(),
        ))
    return result


def shown(user, start: date, end: date) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(m.within, m.total, m.excluded) for m in queries.measures(user, start, end)]


def _open(world: World, kind: str, rng: random.Random) -> Step:
    start = TODAY - timedelta(days=rng.randrange(0, 200))
    return actions._open_step(
        world.esi, kind, Step.Stage.FINAL, "A step", start,
        due=start + timedelta(days=rng.randrange(0, 60)),
        exception=rng.choice(["", "", "reg 10(4)(c)"]),
    )


@pytest.mark.parametrize("seed", range(6))
def test_measures_from_the_daily_counts_equal_counting_the_steps(world: World, seed: int) -> None:
    rng = random.Random(seed)
    cw = world.users["caseworker"]
    kinds = [*MEASURED_KINDS, Step.Kind.ADVICE]
    steps = [_open(world, rng.choice(kinds), rng) for _ in range(40)]
    rng.shuffle(steps)
    # Close them in small groups, some completed and some cancelled, on assorted days.
    for i in range(0, len(steps), 3):
        group = Step.objects.filter(pk__in=[s.pk for s in steps[i:i + 3]])
        on = TODAY - timedelta(days=rng.randrange(0, 120))
        actions._close(group, on, "Done", cancelled=rng.random() < 0.25)
        # Closing again does nothing, and changes no count.
        actions._close(group, on + timedelta(days=1), "Again")
    assert sum(map(sum, counted_from_steps([world.la.pk], TODAY - timedelta(days=365), TODAY)))
    for start, end in [(TODAY - timedelta(days=365), TODAY),
                       (TODAY - timedelta(days=rng.randrange(1, 120)), TODAY),
                       (TODAY - timedelta(days=90), TODAY - timedelta(days=30))]:
        assert shown(cw, start, end) == counted_from_steps([world.la.pk], start, end)
    before = set(DoneStepCount.objects.values_list(
        "local_authority_id", "kind", "done_on", "total", "within", "excluded"))
    actions.recount_all_done_steps()
    assert before - {r for r in before if r[3:] == (0, 0, 0)} == set(
        DoneStepCount.objects.values_list(
            "local_authority_id", "kind", "done_on", "total", "within", "excluded"))


def test_the_measures_count_a_final_plan_issued_through_the_process(world: World) -> None:
    request = esi_case(world, "final_issued")
    cw = world.users["caseworker"]
    start, end = date.today() - timedelta(days=365), date.today()
    counted = counted_from_steps([world.la.pk], start, end)
    assert counted[0][1] == 1
    assert shown(cw, start, end) == counted
    assert request.steps.filter(kind=Step.Kind.FINAL_PLAN, done_on__isnull=False).exists()


def test_counts_move_with_a_child_who_moves_authority(world: World) -> None:
    rng = random.Random(1)
    steps = [_open(world, Step.Kind.FINAL_PLAN, rng) for _ in range(5)]
    actions._close(Step.objects.filter(pk__in=[s.pk for s in steps]), TODAY, "Issued")
    other = make_org("Otherby Council", world.la.kind)
    child = world.esi
    child.local_authority = other
    child.save(update_fields=["local_authority"])
    actions.copy_child_onto_steps(child)
    counts = DoneStepCount.objects.filter(kind=Step.Kind.FINAL_PLAN, done_on=TODAY)
    old = counts.get(local_authority=world.la)
    assert (old.total, old.within, old.excluded) == (0, 0, 0)
    new = counts.get(local_authority=other)
    assert (new.within, new.total, new.excluded) == counted_from_steps(
        [other.pk], TODAY, TODAY)[0]
    assert new.total + new.excluded == 5
    assert not DoneStepCount.objects.filter(~Q(local_authority__in=[world.la, other])).exists()


def test_the_copied_locality_follows_the_child(world: World) -> None:
    north = Locality.objects.create(local_authority=world.la, name="North")
    south = Locality.objects.create(local_authority=world.la, name="South")
    child = world.esi
    child.locality = north
    child.save(update_fields=["locality"])
    actions.copy_child_onto_steps(child)
    esi_case(world, "assessing")
    assert set(Step.objects.filter(child=child).values_list("child_locality", flat=True)) == {
        north.pk}
    child.locality = south
    child.save(update_fields=["locality"])
    actions.copy_child_onto_steps(child)
    assert set(Step.objects.filter(child=child).values_list("child_locality", flat=True)) == {
        south.pk}
