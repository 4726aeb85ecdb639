"""Paging and sorting for every list page: one way, so every list behaves the same."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest, QueryDict

M = TypeVar("M")

# The highest page number read from a request, pages and API alike: far past any real list,
# and small enough that its offset (times at most 1,000 a page) is an ordinary integer on
# both databases (a page of 10**30 overflowed their 64-bit integers).
MAX_PAGE = 10**6


def page_number(request: HttpRequest) -> int:
    """The request's `page` as a number from 1 to MAX_PAGE: anything else is page 1, as
    Django's paginator treats a nonsense page (only ASCII digits count: int("²") fails)."""
    raw = request.GET.get("page") or ""
    if not (raw.isascii() and raw.isdigit()):
        return 1
    return max(1, min(int(raw), MAX_PAGE)) if len(raw) <= 7 else MAX_PAGE


@dataclass(frozen=True)
class SortOption:
    key: str
    label: str
    ordering: tuple[str, ...]


@dataclass
class Listing:
    page: Page[Any]
    sort: str
    sort_options: list[SortOption]
    query: QueryDict

    def url_for_page(self, number: int) -> str:
        return self._url_with("page", str(number))

    def url_for_sort(self, key: str) -> str:
        return self._url_with("sort", key, without="page")

    def _url_with(self, key: str, value: str, without: str = "") -> str:
        """The query with `key` set (where it was, or last, as QueryDict puts it) and
        `without` left out, encoded as QueryDict.urlencode encodes it."""
        kept = [(name, part) for name, part in self._encoded if name != without]
        setting = _encode(key, [value])
        parts = [setting if name == key else part for name, part in kept]
        if all(name != key for name, _ in kept):
            parts.append(setting)
        return "?" + "&".join(parts)

    @cached_property
    def _encoded(self) -> list[tuple[str, str]]:
        """Each parameter of the query, encoded once: copying and encoding the whole query for
        each page and sort link cost more than the rest of a page's pagination."""
        return [(name, _encode(name, values)) for name, values in self.query.lists()]

    @property
    def pages(self) -> list[tuple[int | None, str]]:
        """Page numbers around the current one, with None for a gap (GOV.UK pagination)."""
        current, last = self.page.number, self.page.paginator.num_pages
        wanted = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
        items: list[tuple[int | None, str]] = []
        previous = 0
        for number in wanted:
            if number - previous > 1:
                items.append((None, ""))
            items.append((number, self.url_for_page(number)))
            previous = number
        return items


def _encode(name: str, values: list[str]) -> str:
    """`name` with each of `values`, as QueryDict.urlencode writes them."""
    if name.isascii() and name.isalnum() and all(v.isascii() and v.isalnum() for v in values):
        return "&".join(f"{name}={v}" for v in values)  # nothing to quote: page=2, sort=name
    key = name.encode(settings.DEFAULT_CHARSET)
    return "&".join(urlencode({key: str(v).encode(settings.DEFAULT_CHARSET)}) for v in values)


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any],
    sort_options: list[SortOption],
    per_page: int = 25,
) -> Listing:
    """Sort by the request's `sort` (falling back to the first option) and page it.

    A page number past the end shows the last page; a nonsense number shows the first.
    """
    option = chosen_sort(request, sort_options)
    return paginate_rows(
        request, queryset.order_by(*option.ordering), option, sort_options, per_page
    )


def chosen_sort(request: HttpRequest, sort_options: list[SortOption]) -> SortOption:
    """The request's `sort`, or the first option."""
    sort = request.GET.get("sort", "")
    return next((option for option in sort_options if option.key == sort), sort_options[0])


def paginate_rows(
    request: HttpRequest,
    rows: Any,
    option: SortOption,
    sort_options: list[SortOption],
    per_page: int = 25,
) -> Listing:
    """Page rows already in `option`'s order: anything with a len() (or count()) and slices,
    such as a search index's results."""
    page = Paginator(rows, per_page).get_page(page_number(request))
    return Listing(page=page, sort=option.key, sort_options=sort_options, query=request.GET)


def paginate_by_keys(
    request: HttpRequest,
    ordered: QuerySet[Any],
    fetch: Callable[[list[Any]], Iterable[Any]],
    option: SortOption,
    sort_options: list[SortOption],
    per_page: int = 25,
) -> Listing:
    """Page a queryset already in `option`'s order through `NarrowRows`: the page's keys and
    the count in one narrow query, then `fetch(keys)` reads those rows whole."""
    if ordered.query.is_empty():  # nothing to ask the database
        return paginate_rows(request, [], option, sort_options, per_page)
    rows = NarrowRows(ordered, fetch, per_page, page_number(request))
    return paginate_rows(request, rows, option, sort_options, per_page)


class NarrowRows:
    """Rows of an ordered queryset found by their primary keys first (see paginate_by_keys).

    One query finds the page's keys and, alongside them, how many rows there are in all (a
    window count), so the conditions are evaluated once rather than again for a count; the
    columns it sorts on can come from an index alone. Only the page's rows are then read
    whole, by key, with whatever `fetch` joins to them. The count query reads the page the
    request asked for; a page past the end (no keys to carry the count) falls back to a plain
    count, and the paginator then asks for the last page.
    """

    def __init__(
        self,
        ordered: QuerySet[Any],
        fetch: Callable[[list[Any]], Iterable[Any]],
        per_page: int,
        requested_page: int = 1,
    ) -> None:
        self.queryset = ordered
        self.fetch = fetch
        self.per_page = per_page
        self.requested_page = requested_page
        self._found: tuple[int, list[Any]] | None = None  # (offset, keys) already read

    def count(self) -> int:
        start = (self.requested_page - 1) * self.per_page
        rows = list(
            self.queryset.annotate(_rows_in_all=Window(Count("pk"))).values_list(
                "pk", "_rows_in_all"
            )[start : start + self.per_page]
        )
        if not rows:
            return self.queryset.count()
        self._found = (start, [key for key, _ in rows])
        return int(rows[0][1])

    def __getitem__(self, window: slice) -> list[Any]:
        start, stop = window.start or 0, window.stop
        if self._found is not None and self._found[0] == start:
            keys = self._found[1][: stop - start]
        else:
            keys = list(self.queryset.values_list("pk", flat=True)[window])
        by_key = {row.pk: row for row in self.fetch(keys)}
        return [by_key[key] for key in keys if key in by_key]
