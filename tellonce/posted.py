"""What a form is bound to: the request's POST data (and files) for a POST, even an empty one,
so that its errors show; None for any other request, so the form starts unbound.

`request.POST or None` is not the same: an empty POST would show a blank form, not its errors.
"""

from __future__ import annotations

from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict


def data(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def files(request: HttpRequest) -> MultiValueDict | None:  # type: ignore[type-arg]
    return request.FILES if request.method == "POST" else None
