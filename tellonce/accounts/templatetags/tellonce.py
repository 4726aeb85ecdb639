"""Template filters and tags shared by every page (builtins: no {% load %} needed)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.forms import BoundField, Form
from django.templatetags.static import static as django_static
from django.utils.safestring import SafeString

from tellonce import govuk
from tellonce.listing import Listing

register = template.Library()


@register.simple_tag(name="static")
def static(path: str) -> str:
    """{% static 'tellonce.css' %}, as Django's tag, with each path's URL worked out once per
    process: base.html asks for five on every page, and the storage joins and quotes each."""
    return _static_url(path)


@lru_cache(maxsize=256)
def _static_url(path: str) -> str:
    return django_static(path)


@register.filter
def thousands(number: int) -> str:
    """1480 as "1,480", as the pagination's "Showing 1 to 20 of 1,480" writes it."""
    return f"{number:,}"


@register.filter
def date_part(field: BoundField, index: int) -> str:
    return govuk.date_part(field, index)


@register.filter
def select_options(field: BoundField) -> SafeString:
    return govuk.select_options(field)


@register.simple_tag
def govuk_field(field: BoundField, **options: Any) -> SafeString:
    """{% govuk_field form.name input_class="govuk-input--width-10" spellcheck_off=True %}"""
    return govuk.field(field, **{k: v for k, v in options.items() if v})


@register.simple_tag
def govuk_error_summary(form: Form) -> SafeString:
    return govuk.error_summary(form)


@register.simple_tag
def govuk_sort(listing: Listing) -> SafeString:
    return govuk.sort_links(listing)


@register.simple_tag
def govuk_pagination(listing: Listing) -> SafeString:
    return govuk.pagination(listing)


@register.filter
def page_url(listing: Listing, number: int) -> str:
    return listing.url_for_page(number)


@register.filter
def sort_url(listing: Listing, key: str) -> str:
    return listing.url_for_sort(key)


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)
