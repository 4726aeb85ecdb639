"""GOV.UK markup for the public search form's fields, written in Python.

The search page is the local offer's busiest page, and rendering its eight fields through
includes/field.html cost more than finding the results. This writes the same markup as that
include does for text inputs and selects (label, hint, error message, aria-describedby), so
the page looks and reads the same to a screen reader; the field include stays for other forms.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Extra attributes for particular fields: GOV.UK widths and autocomplete tokens.
INPUT_CLASS = {"age": "govuk-input--width-3", "postcode": "govuk-input--width-10"}
AUTOCOMPLETE = {"postcode": "postal-code"}


def search_fields(form: forms.Form, names: Iterable[str]) -> SafeString:
    """The named fields of `form`, each in its GOV.UK form group."""
    return mark_safe("\n".join(_field(form[name]) for name in names))  # noqa: S308 -- format_html parts


def _field(field: forms.BoundField) -> str:
    field_id = field.auto_id
    errors = field.errors
    described = " ".join(
        ([f"{field_id}-hint"] if field.help_text else [])
        + ([f"{field_id}-error"] if errors else [])
    )
    describedby = format_html(' aria-describedby="{}"', described) if described else ""
    parts = [format_html('<label class="govuk-label" for="{}">{}</label>', field_id,
                         field.label)]
    if field.help_text:
        parts.append(format_html('<div id="{}-hint" class="govuk-hint">{}</div>', field_id,
                                 field.help_text))
    parts.extend(
        format_html('<p id="{}-error" class="govuk-error-message"><span '
                    'class="govuk-visually-hidden">Error:</span> {}</p>', field_id, error)
        for error in errors
    )
    error_class = " govuk-form-group--error" if errors else ""
    if isinstance(field.field, forms.ChoiceField):
        current = str(field.value())  # as the include did: nothing marked selected when None
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((value, " selected" if str(value) == current else "", label)
             for value, label in getattr(field.field, "choices", ())),
        )
        parts.append(format_html(
            '<select class="govuk-select{}" id="{}" name="{}"{}>{}</select>',
            " govuk-select--error" if errors else "", field_id, field.html_name, describedby,
            options))
    else:
        classes = " ".join(c for c in ("govuk-input", INPUT_CLASS.get(field.name, ""),
                                       "govuk-input--error" if errors else "") if c)
        autocomplete = AUTOCOMPLETE.get(field.name)
        parts.append(format_html(
            '<input class="{}" id="{}" name="{}" type="text" value="{}"{}{}>',
            classes, field_id, field.html_name,
            "" if field.value() is None else field.value(),
            format_html(' autocomplete="{}"', autocomplete) if autocomplete else "",
            describedby))
    return format_html('<div class="govuk-form-group{}">\n{}\n</div>', error_class,
                       mark_safe("\n".join(parts)))  # noqa: S308 -- format_html parts
