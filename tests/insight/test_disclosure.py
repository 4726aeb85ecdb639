"""Suppression: no suppressed group can be worked out from what the breakdown shows."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tellonce.insight.disclosure import Cell, protect, total_protected
from tests.insight.helpers import children_in, final_plan_step


def feasible(hidden: list[Cell], total_num: int, total_den: int, shown_num: int,
             shown_den: int) -> list[set[tuple[int, int]]]:
    """Every (denominator, numerator) each hidden group could have, given the shown groups
    and the total, worked out here from first principles: an attacker knows only that a
    hidden group holds at least one child, and that each group's numerator is between 0 and
    its denominator. The other k-1 hidden groups can then make any denominator of at least
    k-1 with any numerator up to it."""
    d_left, n_left = total_den - shown_den, total_num - shown_num
    k = len(hidden)
    out = []
    for _cell in hidden:
        possible = set()
        for d in range(1, d_left + 1):
            for n in range(0, d + 1):
                rd, rn = d_left - d, n_left - n
                ok = (rd, rn) == (0, 0) if k == 1 else rd >= k - 1 and 0 <= rn <= rd
                if ok:
                    possible.add((d, n))
        out.append(possible)
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), min_size=1, max_size=4))
def test_no_suppressed_group_is_recovered_from_the_totals(groups: list[tuple[int, int]]) -> None:
    cells = [Cell(f"g{i}", min(n, d), d) for i, (d, n) in enumerate(groups)]
    protect(cells, share=True)
    if not total_protected(cells, share=True):
        return  # the page shows no total: nothing to subtract from
    hidden = [c for c in cells if c.suppressed]
    shown = [c for c in cells if not c.suppressed]
    total_num = sum(c.numerator for c in cells)
    total_den = sum(c.denominator for c in cells)
    for c in shown:  # what is shown is never small
        assert not 0 < c.denominator <= 7
        assert not 0 < c.numerator <= 7 and not 0 < c.denominator - c.numerator <= 7
    options = feasible(hidden, total_num, total_den, sum(c.numerator for c in shown),
                       sum(c.denominator for c in shown))
    for cell, possible in zip(hidden, options, strict=True):
        assert (cell.denominator, cell.numerator) in possible
        assert len({d for d, _n in possible}) > 1, f"{cell.label}'s count is recoverable"
        if total_num not in (0, total_den):
            assert len({n == 0 or n == d for d, n in possible}) > 1 or len(
                {n for _d, n in possible}) > 1, f"{cell.label}'s share is recoverable"


def test_one_small_group_takes_the_next_smallest_with_it() -> None:
    cells = protect([Cell("A", 10, 20), Cell("B", 15, 30), Cell("C", 1, 2)], share=True)
    assert [c.suppressed for c in cells] == [True, False, True]
    assert [c.primary for c in cells] == [False, False, True]


@pytest.mark.django_db
def test_a_child_in_a_group_of_one_or_two_cannot_be_found_on_a_breakdown(
        world, client_for) -> None:  # type: ignore[no-untyped-def]
    """Every breakdown of the page, with one locality of one child and one of two: the
    groups are shown as c, and the counts shown with the total do not give them away."""
    import re

    issued_in = date.today().replace(day=1)
    from tellonce.insight.scorecard import add_months

    on = add_months(issued_in, -2)
    plenty = children_in(world.la, "Big town", 20) + children_in(world.la, "Other town", 20)
    one = children_in(world.la, "Hamlet", 1)
    two = children_in(world.la, "Village", 2)
    for i, child in enumerate(plenty):  # half in time, half received 6 months before
        final_plan_step(child, on if i % 2 else add_months(on, -6), on)
    for child in one + two:
        final_plan_step(child, on, on)
    page = client_for("leader").get("/scorecard/ehc_20_weeks_including/")
    assert page.status_code == 200
    html = page.content.decode()
    for place in ("Hamlet", "Village"):
        row = re.search(rf"<th [^>]*>{place}</th>(.*?)</tr>", html, re.S)
        assert row is not None, place
        cells = re.findall(r"<td [^>]*>(.*?)</td>", row.group(1))
        assert cells == ["c", "c"], (place, cells)
    for child in one + two:
        assert child.family_name not in html and str(child.pk) not in html
