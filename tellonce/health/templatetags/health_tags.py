"""Template filters for referral and waiting-list pages."""

from __future__ import annotations

from datetime import date

from django import template

from tellonce.health.models import Referral
from tellonce.suppression import SUPPRESSION_THRESHOLD, suppress

register = template.Library()


@register.filter
def weeks_waited(referral: Referral, today: date) -> int:
    return referral.weeks_waited(today)


@register.filter
def shown(value: float | int | None, unit: str = "") -> str:
    """A suppressed figure (None) reads 'fewer than 5'; others as they are, with a unit."""
    if value is None:
        return f"fewer than {SUPPRESSION_THRESHOLD}"
    if isinstance(value, float):
        return f"{value:.1f}{unit}"
    return f"{value:,}{unit}"


@register.filter
def one_decimal(value: float) -> str:
    return f"{value:,.1f}"


@register.filter
def shown_count(value: int) -> str:
    """A raw count, suppressed if it is 1 to 4."""
    return shown(suppress(value))


@register.filter
def percent(share: float) -> str:
    return f"{share * 100:g}%"
