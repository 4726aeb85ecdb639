"""The public search form's fields, written by tellonce/govuk.py like every form's: each
names its hint and its error messages in aria-describedby (a select too, as GOV.UK
Frontend's select does), whatever was typed."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tellonce import govuk
from tellonce.directory.forms import SearchForm

DESCRIBED = re.compile(r' aria-describedby="[^"]*"')
LOCALITIES = [(1, "North <&> 'x'"), (2, "South")]
values = st.one_of(st.just(""), st.text(alphabet="ab1 <>&\"'RV", max_size=8),
                   st.sampled_from(["7", "RV1 1AA", "ASD", "free", "1", "3", "wait-speech"]))


@given(st.one_of(st.none(), st.dictionaries(st.sampled_from(list(SearchForm.base_fields)), values)))
def test_search_fields_describe_their_hints_and_errors(data) -> None:  # type: ignore[no-untyped-def]
    form = SearchForm(data, localities=LOCALITIES)
    if data is not None:
        form.is_valid()
    for name in form.fields:
        written = govuk.field(form[name])
        described = DESCRIBED.search(written)
        hint, error = bool(form[name].help_text), bool(form[name].errors)
        assert (described.group(0) if described else "") == (
            ' aria-describedby="' + " ".join(
                [f"id_{name}-hint"] * hint + [f"id_{name}-error"] * error) + '"'
            if hint or error else "")
        for described_id in (described.group(0).split('"')[1].split() if described else []):
            assert f'id="{described_id}"' in written
        assert "<&>" not in written  # the locality's name, escaped
