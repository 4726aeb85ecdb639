"""The family's page for a copy of everything held about their child, and the two downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from tellonce import signed_in
from tellonce.access import audit
from tellonce.access.policy import ChildAccess, get_child_or_404
from tellonce.people.models import Child, User
from tellonce.privacy import subject_access
from tellonce.privacy.policy import may_request_copy


def _child_for_copy(request: HttpRequest, child_id: str) -> tuple[User, Child, ChildAccess]:
    user = signed_in.user(request)
    child, access = get_child_or_404(user, child_id)
    if not may_request_copy(user, child, access):
        raise Http404("Someone else decides about this record")
    return user, child, access


@login_required
def your_information(request: HttpRequest, child_id: str) -> HttpResponse:
    user, child, access = _child_for_copy(request, child_id)
    audit.record(user, child, audit.Action.VIEW, "Copy of everything held (page)", access.basis)
    return render(request, "privacy/your_information.html", {"child": child})


def _download(request: HttpRequest, child_id: str, kind: str) -> HttpResponse:
    user, child, access = _child_for_copy(request, child_id)
    # Audited before the copy is made, so the copy's own audit section shows this request.
    audit.record(user, child, audit.Action.EXPORT, f"Copy of everything held ({kind.upper()})",
                 access.basis)
    if kind == "pdf":
        content, content_type = subject_access.as_pdf(child), "application/pdf"
    else:
        content, content_type = subject_access.as_json(child), "application/json"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="everything-held-{child.pk}.{kind}"'
    )
    return response


@never_cache
@login_required
def copy_pdf(request: HttpRequest, child_id: str) -> HttpResponse:
    return _download(request, child_id, "pdf")


@never_cache
@login_required
def copy_json(request: HttpRequest, child_id: str) -> HttpResponse:
    return _download(request, child_id, "json")
