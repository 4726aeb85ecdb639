"""Template filters shared by every page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.forms import BoundField

from tellonce.listing import Listing

register = template.Library()


@register.filter
def date_part(field: BoundField, index: int) -> str:
    """Day, month or year (index 0, 1, 2) of a date field, as typed or as stored."""
    value: Any = field.value()
    if isinstance(value, date):
        return str([value.day, value.month, value.year][index])
    if isinstance(value, (list, tuple)) and len(value) > index:
        return value[index] or ""
    return ""


@register.filter
def page_url(listing: Listing, number: int) -> str:
    return listing.url_for_page(number)


@register.filter
def sort_url(listing: Listing, key: str) -> str:
    return listing.url_for_sort(key)


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)
