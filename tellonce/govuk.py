"""GOV.UK Frontend markup for the parts every page repeats: form fields, the error summary,
sort links and pagination.

Written in Python rather than as template includes because they are on every list and form
page and rendering them through includes (a new template context per field, a loop per
option) cost more than the rest of a busy page. The includes in templates/includes/ call
these functions, so there is one definition of the markup; hot pages call the template tags
in accounts/templatetags/tellonce.py directly. tests/accounts/test_govuk.py checks the markup.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from tellonce.listing import Listing

DATE_PARTS = (("Day", 2), ("Month", 2), ("Year", 4))
DEFAULT_DATE_HINT = "For example, 27 3 2015"


def _join(parts: Sequence[str], separator: str = "\n") -> SafeString:
    return mark_safe(separator.join(parts))  # noqa: S308 -- every part comes from format_html


def _error_messages(field: forms.BoundField) -> list[SafeString]:
    return [
        format_html(
            '<p id="{}-error" class="govuk-error-message"><span class="govuk-visually-hidden">'
            "Error:</span> {}</p>",
            field.auto_id,
            error,
        )
        for error in field.errors
    ]


def _described_by(field: forms.BoundField, hint: bool) -> str:
    ids = ([f"{field.auto_id}-hint"] if hint else []) + (
        [f"{field.auto_id}-error"] if field.errors else []
    )
    return format_html(' aria-describedby="{}"', " ".join(ids)) if ids else ""


def date_part(field: forms.BoundField, index: int) -> str:
    """Day, month or year (index 0, 1, 2) of a date field, as typed or as stored."""
    value: Any = field.value()
    if isinstance(value, date):
        return str([value.day, value.month, value.year][index])
    if isinstance(value, (list, tuple)) and len(value) > index:
        return value[index] or ""
    return ""


def select_options(field: forms.BoundField) -> SafeString:
    """A select's <option>s, the one matching the field's value selected (none when it has
    no value)."""
    current = str(field.value())
    choices = tuple(getattr(field.field, "choices", ()))
    try:
        options = _options(choices)
    except TypeError:  # a choice that cannot be a cache key: escape it now
        options = _options.__wrapped__(choices)
    return mark_safe(  # noqa: S308 -- escaped in _options
        "".join(
            f"{start}{' selected' if value == current else ''}{end}"
            for value, start, end in options
        )
    )


@lru_cache(maxsize=64)
def _options(choices: tuple[tuple[Any, Any], ...]) -> tuple[tuple[str, str, str], ...]:
    """Each choice's value as the form compares it, and its <option> before and after where
    'selected' goes, escaped once: the same choices come with every request."""
    return tuple(
        (str(value), f'<option value="{_escape(value)}"', f">{_escape(label)}</option>")
        for value, label in choices
    )


def _escape(text: Any) -> str:
    """conditional_escape, without its lazy-string wrapper for the plain strings forms and
    lists mostly have: these functions run on every form and list page."""
    return html.escape(text) if type(text) is str else str(conditional_escape(text))


def field(
    field: forms.BoundField,
    *,
    label_class: str = "",
    input_class: str = "",
    spellcheck_off: bool = False,
    autocomplete: str = "",
) -> SafeString:
    """One form field in its GOV.UK form group: a date input (for multi-part widgets), a
    select, a textarea or a text input, with its label, hint and error messages."""
    widget = field.field.widget
    error_group = " govuk-form-group--error" if field.errors else ""
    if getattr(widget, "widgets", None):
        body = _date_input(field)
    else:
        body = _single_input(field, label_class, input_class, spellcheck_off, autocomplete)
    return mark_safe(f'<div class="govuk-form-group{error_group}">\n{body}\n</div>')  # noqa: S308


def _date_input(field: forms.BoundField) -> SafeString:
    error_class = " govuk-input--error" if field.errors else ""
    items = [
        format_html(
            '<div class="govuk-date-input__item"><div class="govuk-form-group">'
            '<label class="govuk-label govuk-date-input__label" for="{id}_{i}">{part}</label>'
            '<input class="govuk-input govuk-date-input__input govuk-input--width-{width}{err}"'
            ' id="{id}_{i}" name="{name}_{i}" type="text" inputmode="numeric" value="{value}">'
            "</div></div>",
            id=field.auto_id,
            i=index,
            part=part,
            width=width,
            err=error_class,
            name=field.html_name,
            value=date_part(field, index),
        )
        for index, (part, width) in enumerate(DATE_PARTS)
    ]
    return format_html(
        '<fieldset class="govuk-fieldset" role="group"{described}>\n'
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{label}</legend>\n'
        '<div id="{id}-hint" class="govuk-hint">{hint}</div>\n{errors}\n'
        '<div class="govuk-date-input" id="{id}">{items}</div>\n</fieldset>',
        described=_described_by(field, hint=True),  # the hint is always shown
        label=field.label,
        id=field.auto_id,
        hint=field.help_text or DEFAULT_DATE_HINT,
        errors=_join(_error_messages(field)),
        items=_join(items, ""),
    )


def _single_input(
    field: forms.BoundField,
    label_class: str,
    input_class: str,
    spellcheck_off: bool,
    autocomplete: str,
) -> SafeString:
    """Label, hint, errors and the control. Written with f-strings and html.escape rather than
    format_html: it runs for every field of every form page, and the public search has eight."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", None)
    field_id = _escape(field.auto_id)
    name = _escape(field.html_name)
    errors = bool(field.errors)
    hint = bool(field.help_text)
    described = " ".join([f"{field_id}-hint"] * hint + [f"{field_id}-error"] * errors)
    described_by = f' aria-describedby="{described}"' if described else ""
    label_classes = f"govuk-label {_escape(label_class)}" if label_class else "govuk-label"
    parts = [f'<label class="{label_classes}" for="{field_id}">{_escape(field.label)}</label>']
    if hint:
        parts.append(
            f'<div id="{field_id}-hint" class="govuk-hint">{_escape(field.help_text)}</div>'
        )
    parts += [
        f'<p id="{field_id}-error" class="govuk-error-message"><span '
        f'class="govuk-visually-hidden">Error:</span> {_escape(error)}</p>'
        for error in field.errors
    ]
    if input_type == "select" or (getattr(field.field, "choices", None) and not input_type):
        select_class = "govuk-select govuk-select--error" if errors else "govuk-select"
        parts.append(
            f'<select class="{select_class}" id="{field_id}" name="{name}"{described_by}>'
            f"{select_options(field)}</select>"
        )
    elif widget.attrs.get("rows"):
        value = field.value()
        textarea_class = "govuk-textarea govuk-textarea--error" if errors else "govuk-textarea"
        parts.append(
            f'<textarea class="{textarea_class}" id="{field_id}" name="{name}" '
            f'rows="{_escape(widget.attrs["rows"])}"{described_by}>'
            f"{'' if value is None else _escape(value)}</textarea>"
        )
    else:
        password = input_type == "password"
        value = None if password else field.value()
        classes = " ".join(
            c for c in ("govuk-input", input_class, "govuk-input--error" if errors else "") if c
        )
        extra = f' autocomplete="{_escape(autocomplete)}"' if autocomplete else ""
        spellcheck = ' spellcheck="false"' if spellcheck_off else ""
        parts.append(
            f'<input class="{_escape(classes)}" id="{field_id}" name="{name}" '
            f'type="{"password" if password else "text"}" '
            f'value="{"" if value is None else _escape(value)}"{extra}{described_by}{spellcheck}>'
        )
    return _join(parts)


def error_summary(form: forms.Form) -> SafeString:
    """The GOV.UK error summary for a form with errors; nothing for one without."""
    if not form.errors:
        return mark_safe("")
    links = [
        format_html('<li><a href="#main-content">{}</a></li>', e) for e in form.non_field_errors()
    ]
    for bound in form.visible_fields():
        anchor = (
            f"{bound.auto_id}_0"
            if getattr(bound.field.widget, "widgets", None)
            else (bound.auto_id)
        )
        links += [format_html('<li><a href="#{}">{}</a></li>', anchor, e) for e in bound.errors]
    return format_html(
        '<div class="govuk-error-summary" data-module="govuk-error-summary">\n'
        '  <div role="alert">\n'
        '    <h2 class="govuk-error-summary__title">There is a problem</h2>\n'
        '    <div class="govuk-error-summary__body">\n'
        '      <ul class="govuk-list govuk-error-summary__list">{}</ul>\n'
        "    </div>\n  </div>\n</div>",
        _join(links),
    )


def sort_links(listing: Listing) -> SafeString:
    """Sort links (plain links, so sorting works without JavaScript) and 'Showing x to y of
    z'."""
    options = [
        f"<strong>{_escape(option.label)}</strong>"
        if option.key == listing.sort
        else f'<a class="govuk-link" href="{_escape(listing.url_for_sort(option.key))}">'
        f"{_escape(option.label)}</a>"
        for option in listing.sort_options
    ]
    page = listing.page
    return mark_safe(  # noqa: S308 -- every part escaped above
        f'<p class="govuk-body-s">Sort by: {" · ".join(options)}</p>\n'
        f'<p class="govuk-body-s">Showing {page.start_index():,} to {page.end_index():,} of '
        f"{page.paginator.count:,}</p>"
    )


def pagination(listing: Listing) -> SafeString:
    """GOV.UK pagination for a listing of more than one page; nothing for a single page."""
    page = listing.page
    if page.paginator.num_pages <= 1:
        return mark_safe("")
    parts = []
    if page.has_previous():
        parts.append(
            '<div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" '
            f'href="{_escape(listing.url_for_page(page.previous_page_number()))}" rel="prev">'
            '<span class="govuk-pagination__link-title">Previous<span '
            'class="govuk-visually-hidden"> page</span></span></a></div>'
        )
    items = []
    for number, url in listing.pages:
        if number is None:
            items.append(
                '<li class="govuk-pagination__item govuk-pagination__item--ellipses">&ctdot;</li>'
            )
            continue
        current = number == page.number
        item_class = " govuk-pagination__item--current" if current else ""
        aria_current = ' aria-current="page"' if current else ""
        items.append(
            f'<li class="govuk-pagination__item{item_class}">'
            f'<a class="govuk-link govuk-pagination__link" href="{_escape(url)}" '
            f'aria-label="Page {number}"{aria_current}>{number}</a></li>'
        )
    parts.append(f'<ul class="govuk-pagination__list">{_join(items)}</ul>')
    if page.has_next():
        parts.append(
            '<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" '
            f'href="{_escape(listing.url_for_page(page.next_page_number()))}" rel="next">'
            '<span class="govuk-pagination__link-title">Next<span '
            'class="govuk-visually-hidden"> page</span></span></a></div>'
        )
    return mark_safe(  # noqa: S308 -- every part escaped above
        f'<nav class="govuk-pagination" aria-label="Pagination">{_join(parts)}</nav>'
    )
