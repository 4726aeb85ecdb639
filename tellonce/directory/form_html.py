"""GOV.UK markup for the public search form's fields, written in Python.

The search page is the local offer's busiest page, and rendering its eight fields through
includes/field.html cost more than finding the results. This writes the same markup as that
include does for text inputs and selects (label, hint, error message, aria-describedby), so
the page looks and reads the same to a screen reader; the field include stays for other forms.
Strings are joined and escaped directly (format_html per option cost more than the rest).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django import forms
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

# Extra attributes for particular fields: GOV.UK widths and autocomplete tokens.
INPUT_CLASS = {"age": "govuk-input--width-3", "postcode": "govuk-input--width-10"}
AUTOCOMPLETE = {"postcode": "postal-code"}


def search_fields(form: forms.Form, names: Iterable[str]) -> SafeString:
    """The named fields of `form`, each in its GOV.UK form group."""
    return mark_safe("\n".join(_field(form[name]) for name in names))  # noqa: S308 -- escaped


def _escape(text: Any) -> str:
    """conditional_escape, without its lazy-string wrapper for the plain strings a form has."""
    return html.escape(text) if type(text) is str else conditional_escape(text)


@lru_cache(maxsize=64)
def _options(choices: tuple[tuple[Any, Any], ...]) -> tuple[tuple[str, str, str], ...]:
    """Each choice's value as the form compares it, and its <option> before and after where
    'selected' goes, escaped once: the same choices come with every search."""
    return tuple(
        (str(value), f'<option value="{escape(value)}"', f">{conditional_escape(label)}</option>")
        for value, label in choices
    )


def _field(field: forms.BoundField) -> str:
    field_id = html.escape(str(field.auto_id))
    errors = field.errors
    described = " ".join(
        ([f"{field_id}-hint"] if field.help_text else [])
        + ([f"{field_id}-error"] if errors else [])
    )
    describedby = f' aria-describedby="{described}"' if described else ""
    label = _escape(field.label)
    parts = [f'<label class="govuk-label" for="{field_id}">{label}</label>']
    if field.help_text:
        hint = _escape(field.help_text)
        parts.append(f'<div id="{field_id}-hint" class="govuk-hint">{hint}</div>')
    parts.extend(
        f'<p id="{field_id}-error" class="govuk-error-message"><span '
        f'class="govuk-visually-hidden">Error:</span> {_escape(str(error))}</p>'
        for error in errors
    )
    name = html.escape(field.html_name)
    if isinstance(field.field, forms.ChoiceField):
        current = str(field.value())  # as the include did: nothing marked selected when None
        options = "".join(
            f'{start}{" selected" if value == current else ""}{end}'
            for value, start, end in _options(tuple(getattr(field.field, "choices", ())))
        )
        select_class = "govuk-select govuk-select--error" if errors else "govuk-select"
        parts.append(f'<select class="{select_class}" id="{field_id}" name="{name}"'
                     f"{describedby}>{options}</select>")
    else:
        classes = " ".join(c for c in ("govuk-input", INPUT_CLASS.get(field.name, ""),
                                       "govuk-input--error" if errors else "") if c)
        value = field.value()
        value = "" if value is None else html.escape(str(value))
        autocomplete = AUTOCOMPLETE.get(field.name)
        extra = f' autocomplete="{autocomplete}"' if autocomplete else ""
        parts.append(f'<input class="{classes}" id="{field_id}" name="{name}" type="text" '
                     f'value="{value}"{extra}{describedby}>')
    error_class = " govuk-form-group--error" if errors else ""
    return f'<div class="govuk-form-group{error_class}">\n' + "\n".join(parts) + "\n</div>"
