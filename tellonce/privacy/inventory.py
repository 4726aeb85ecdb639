"""Everything held about one child: the rows that refer to the child, and the rows that refer
to those (a plan's versions, a referral's events), found by following the relations.

Walking the relations instead of naming the models means that a new kind of record (a new
workflow's table with a foreign key to Child) is part of the subject access export and of
erasure from the day it is added; tests/privacy/test_inventory.py checks that every model
with a foreign key to Child is reached.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from tellonce.people.models import Child

# How far from the child the walk goes: child → request → plan → version → sign-off is 4.
MAX_DEPTH = 5


@dataclass
class Holding:
    """The rows of one model held about the child, in the order the walk found the model."""

    model: type[models.Model]
    depth: int
    pks: set[Any] = field(default_factory=set)

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name_plural).capitalize()


def _reverse_relations(model: type[models.Model]) -> Iterator[models.ForeignObjectRel]:
    for relation in model._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            yield relation


def collect(child: Child) -> dict[str, Holding]:
    """The child's holdings by model label. The child's own row is not among them."""
    holdings: dict[str, Holding] = {}
    frontier: list[tuple[type[models.Model], set[Any], int]] = [(Child, {child.pk}, 0)]
    while frontier:
        model, pks, depth = frontier.pop(0)
        if depth >= MAX_DEPTH or not pks:
            continue
        for relation in _reverse_relations(model):
            related: type[models.Model] = relation.related_model  # type: ignore[assignment]
            lookup = {f"{relation.field.name}__in": pks}
            found = set(related._base_manager.filter(**lookup).values_list("pk", flat=True))
            if not found:
                continue
            holding = holdings.setdefault(
                related._meta.label_lower, Holding(related, depth + 1)
            )
            new = found - holding.pks
            holding.pks |= new
            if new:
                frontier.append((related, new, depth + 1))
    return holdings


def models_referring_to_child() -> list[type[models.Model]]:
    """Every model with a foreign key (or one-to-one) to Child: what collect() must reach."""
    return [relation.related_model for relation in _reverse_relations(Child)]  # type: ignore[misc]
