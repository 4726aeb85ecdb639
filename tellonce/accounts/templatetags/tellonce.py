"""Template filters shared by every page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

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
def select_options(field: BoundField) -> SafeString:
    """A select's <option>s, the one matching the field's value selected (none when it has no
    value). Written here rather than in a template loop: a select of 166 caseworkers took
    longer to render than the rest of its form."""
    current = str(field.value())
    return format_html_join(
        "", '<option value="{}"{}>{}</option>',
        ((value, " selected" if str(value) == current else "", label)
         for value, label in getattr(field.field, "choices", ())),
    )


@register.filter
def page_url(listing: Listing, number: int) -> str:
    return listing.url_for_page(number)


@register.filter
def sort_url(listing: Listing, key: str) -> str:
    return listing.url_for_sort(key)


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)
