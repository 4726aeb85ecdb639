"""Showing the scorecard's figures: a value with its unit, or the DfE symbol for none."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def figure(value: float | None, unit: str = "%") -> str:
    """42.5% / 12.3 days; `z` where nothing was counted."""
    if value is None:
        return "z"
    if unit == "%":
        return f"{value:.1f}%"
    return f"{value:.1f} per 100" if unit == "per 100" else f"{value:.1f} days"


@register.filter
def cell_value(breakdown: object, cell: object) -> float | None:
    return breakdown.value(cell)  # type: ignore[attr-defined]
