"""What is held about a child is found by following relations: nothing referring to a child is
missed, in the test world and across a generated area."""

from __future__ import annotations

import pytest

from tellonce.people.models import Child
from tellonce.privacy import inventory


def _direct_rows(child: Child) -> dict[str, set[object]]:
    """Rows of every model with a foreign key to Child, found by asking each model directly."""
    rows: dict[str, set[object]] = {}
    for model in inventory.models_referring_to_child():
        for field in model._meta.concrete_fields:
            if getattr(field, "related_model", None) is Child:
                pks = set(model._base_manager.filter(**{field.name: child}).values_list(
                    "pk", flat=True))
                if pks:
                    rows.setdefault(model._meta.label_lower, set()).update(pks)
    return rows


def test_every_model_referring_to_a_child_is_known() -> None:
    labels = {m._meta.label_lower for m in inventory.models_referring_to_child()}
    # The kinds of record the product keeps about a child today; a new one appears here.
    for expected in ("profile.aboutmeversion", "ehc.plan", "health.referral",
                     "notify.message", "access.consent", "access.auditevent"):
        assert expected in labels


@pytest.mark.django_db
def test_collect_finds_every_row_that_refers_to_the_child_across_an_area(area) -> None:  # type: ignore[no-untyped-def]
    seen_kinds: set[str] = set()
    for child in Child.objects.all():
        held = inventory.collect(child)
        for label, pks in _direct_rows(child).items():
            assert label in held, f"{label} rows of {child.pk} were not collected"
            assert pks <= held[label].pks
            seen_kinds.add(label)
    # The area is rich enough for the check to mean something.
    assert {"ehc.plan", "health.referral", "people.familylink"} <= seen_kinds


@pytest.mark.django_db
def test_collect_follows_rows_below_the_child(area) -> None:  # type: ignore[no-untyped-def]
    from tellonce.ehc.models import PlanVersion

    version = PlanVersion.objects.select_related("plan").first()
    assert version is not None
    held = inventory.collect(version.plan.child)
    assert version.pk in held["ehc.planversion"].pks
