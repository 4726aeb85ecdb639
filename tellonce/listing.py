"""Paging and sorting for every list page: one way, so every list behaves the same."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

M = TypeVar("M")


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
        params = self.query.copy()
        params["page"] = str(number)
        return "?" + params.urlencode()

    def url_for_sort(self, key: str) -> str:
        params = self.query.copy()
        params["sort"] = key
        params.pop("page", None)
        return "?" + params.urlencode()

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


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any],
    sort_options: list[SortOption],
    per_page: int = 25,
) -> Listing:
    """Sort by the request's `sort` (falling back to the first option) and page it.

    A page number past the end shows the last page; a nonsense number shows the first.
    """
    by_key = {option.key: option for option in sort_options}
    sort = request.GET.get("sort", "")
    option = by_key.get(sort, sort_options[0])
    paginator = Paginator(queryset.order_by(*option.ordering), per_page)
    page = paginator.get_page(request.GET.get("page"))
    return Listing(page=page, sort=option.key, sort_options=sort_options, query=request.GET)
