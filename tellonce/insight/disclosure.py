"""Statistical disclosure control for the scorecard's breakdowns (below the authority's level).

The rule (docs/insight.md): a group whose children counted, or whose children in or out of the
numerator, number 1 to 7 is suppressed (primary; the NHS's 1-7 rule, stricter than the
area-overview's 1-4 because a breakdown shows a share as well as a count). Because the
authority's total is shown beside the groups, one suppressed group could be recovered by
subtraction: more groups are suppressed (secondary, the smallest first) until no suppressed
group's count, nor whether its children are all in or all out of the numerator, follows from
what is shown. Exports use the DfE's symbols: `c` suppressed, `z` not applicable (no one
counted), `x` not available.
"""

from __future__ import annotations

from dataclasses import dataclass

SMALL_MAX = 7  # counts of 1..7 are suppressed
SUPPRESSED, NOT_APPLICABLE, NOT_AVAILABLE = "c", "z", "x"


def small(n: int) -> bool:
    return 0 < n <= SMALL_MAX


@dataclass
class Cell:
    """One group of a breakdown: `numerator` of `denominator` (for a mean, the amount)."""

    label: str
    numerator: int
    denominator: int
    suppressed: bool = False
    primary: bool = False


def _primary(cell: Cell, share: bool) -> bool:
    if small(cell.denominator):
        return True
    return share and (small(cell.numerator) or small(cell.denominator - cell.numerator))


def _recoverable(cells: list[Cell], share: bool, total_num: int, total_den: int) -> bool:
    hidden = [c for c in cells if c.suppressed]
    if not hidden:
        return False
    if len(hidden) == 1:
        return True
    d = sum(c.denominator for c in hidden)
    if d == len(hidden):  # every hidden group must then hold exactly one child
        return True
    if share:
        n = sum(c.numerator for c in hidden)
        already_known = total_num in (0, total_den)  # the total says it for everyone
        if n in (0, d) and not already_known:
            return True
    return False


def protect(cells: list[Cell], *, share: bool) -> list[Cell]:
    """Mark the cells to suppress (in place, and returned): primary, then secondary."""
    for cell in cells:
        cell.primary = cell.suppressed = _primary(cell, share)
    total_num = sum(c.numerator for c in cells)
    total_den = sum(c.denominator for c in cells)
    while _recoverable(cells, share, total_num, total_den):
        candidates = [c for c in cells if not c.suppressed and c.denominator > 0]
        if not candidates:
            break
        smallest = min(candidates, key=lambda c: (c.denominator, c.label))
        smallest.suppressed = True
    return cells


def total_protected(cells: list[Cell], share: bool) -> bool:
    """Whether the total may be shown beside the cells: not when the groups could not be
    protected (all suppressed and still recoverable, e.g. one group holding everyone)."""
    total_num = sum(c.numerator for c in cells)
    total_den = sum(c.denominator for c in cells)
    return not _recoverable(cells, share, total_num, total_den)
