"""Listing's page and sort links are the query as QueryDict would rewrite it."""

from __future__ import annotations

from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from tellonce.listing import Listing

names = st.sampled_from(["page", "sort", "q", "postcode", "a b", "é"])
values = st.text(alphabet="ab &=+%é1", max_size=4)


@given(st.lists(st.tuples(names, values), max_size=6), st.integers(1, 500),
       st.sampled_from(["name", "nearest", "a&b"]))
def test_page_and_sort_links_keep_the_rest_of_the_query(pairs, number, key) -> None:  # type: ignore[no-untyped-def]
    query = QueryDict(mutable=True)
    for name, value in pairs:
        query.appendlist(name, value)
    listing = Listing(page=None, sort="", sort_options=[], query=query)  # type: ignore[arg-type]
    expected = query.copy()
    expected["page"] = str(number)
    assert listing.url_for_page(number) == "?" + expected.urlencode()
    expected = query.copy()
    expected["sort"] = key
    expected.pop("page", None)
    assert listing.url_for_sort(key) == "?" + expected.urlencode()
