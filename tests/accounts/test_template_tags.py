"""The shared template tags that stand in for Django's: {% static %} (its URLs worked out once
per process) and the `thousands` filter."""

from __future__ import annotations

from django.template import Context, Template
from django.templatetags.static import static as django_static
from hypothesis import given
from hypothesis import strategies as st

PATHS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
    max_size=30,
)


@given(PATHS)
def test_static_writes_what_djangos_static_tag_writes(path: str) -> None:
    ours = Template("{% static path %}").render(Context({"path": path}))
    djangos = Template("{% load static %}{% static path %}").render(Context({"path": path}))
    assert ours == djangos
    # ...twice: the second answer comes from the cache.
    assert Template("{% static path %}").render(Context({"path": path})) == djangos


def test_static_url_is_the_storages_and_is_served(client) -> None:  # type: ignore[no-untyped-def]
    url = Template("{% static 'tellonce.css' %}").render(Context())
    assert url == django_static("tellonce.css")
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])


def test_every_page_links_the_stylesheets_by_their_static_urls(client, db) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/sign-in/").content.decode()
    for path in ("govuk/govuk-frontend.min.css", "tellonce.css", "govuk/govuk-frontend.min.js",
                 "tellonce.js"):
        assert f'"{django_static(path)}"' in page


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_thousands_groups_digits_in_threes(number: int) -> None:
    written = Template("{{ n|thousands }}").render(Context({"n": number}))
    assert written.replace(",", "") == str(number)
    digits = written.lstrip("-").split(",")
    assert all(len(group) == 3 for group in digits[1:]) and 1 <= len(digits[0]) <= 3
