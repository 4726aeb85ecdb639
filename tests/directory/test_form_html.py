"""The public search form's fields, written by form_html.py, are the markup every other form
gets from tellonce/govuk.py (the GOV.UK form group the browser tests check with axe), except
that a select with an error names its error message in aria-describedby too, as GOV.UK
Frontend's select does."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tellonce import govuk
from tellonce.directory import form_html
from tellonce.directory.forms import SearchForm
from tellonce.directory.views import SEARCH_FIELDS

DESCRIBED = re.compile(r' aria-describedby="[^"]*"')
LOCALITIES = [(1, "North <&> 'x'"), (2, "South")]
values = st.one_of(st.just(""), st.text(alphabet="ab1 <>&\"'RV", max_size=8),
                   st.sampled_from(["7", "RV1 1AA", "ASD", "free", "1", "3", "wait-speech"]))


@given(st.one_of(st.none(), st.dictionaries(st.sampled_from(SEARCH_FIELDS), values)))
def test_search_fields_are_the_govuk_form_groups(data) -> None:  # type: ignore[no-untyped-def]
    form = SearchForm(data, localities=LOCALITIES)
    if data is not None:
        form.is_valid()
    for name in SEARCH_FIELDS:
        options = {"input_class": form_html.INPUT_CLASS.get(name),
                   "autocomplete": form_html.AUTOCOMPLETE.get(name)}
        expected = govuk.field(form[name], **{k: v for k, v in options.items() if v})
        written = form_html.search_fields(form, [name])
        assert DESCRIBED.sub("", written) == DESCRIBED.sub("", expected)
        described = DESCRIBED.search(written)
        hint, error = bool(form[name].help_text), bool(form[name].errors)
        assert (described.group(0) if described else "") == (
            ' aria-describedby="' + " ".join(
                [f"id_{name}-hint"] * hint + [f"id_{name}-error"] * error) + '"'
            if hint or error else "")
