"""Template filters and tags shared by every page (builtins: no {% load %} needed)."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField, Form
from django.utils.safestring import SafeString

from tellonce import govuk
from tellonce.listing import Listing

register = template.Library()


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
