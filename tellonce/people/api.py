"""Children over the API, scoped and audited exactly as the pages are (their 'About me' is
profile/api.py's, under the same /api/children/ prefix)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tellonce import signed_in
from tellonce.access import audit
from tellonce.access.policy import get_child_or_404, visible_children
from tellonce.api.auth import StaffToken
from tellonce.api.errors import responses
from tellonce.listing import MAX_PAGE
from tellonce.people.models import Child

router = Router(auth=StaffToken(), tags=["children"])
MAX_PER_PAGE = 100


class ChildOut(Schema):
    id: UUID
    given_name: str
    family_name: str
    date_of_birth: date
    nhs_number: str | None
    upn: str | None
    send_status: str
    primary_need: str
    setting: str | None = Field(None, alias="setting.name")


class ChildPage(Schema):
    total_items: int
    page: int
    per_page: int
    items: list[ChildOut]


@router.get("", response=responses({200: ChildPage}),
            summary="Children the caller may see")
def list_children(
    request: HttpRequest,
    name: str = "",
    nhs_number: str = "",
    page: int = Query(1, ge=1, le=MAX_PAGE),
    per_page: int = Query(25, ge=1, le=MAX_PER_PAGE),
) -> dict[str, object]:
    user = signed_in.user(request)
    children = visible_children(user).select_related("setting")
    for term in name.split():
        children = children.filter(Child.name_starts_with(term))
    if nhs_number:
        children = children.filter(nhs_number=nhs_number.replace(" ", ""))
    children = children.order_by("family_name", "given_name", "pk")
    total = children.count()
    items = list(children[(page - 1) * per_page : page * per_page])
    audit.record_list(user, "API: list of children", "Search within own scope", items,
                      results=total)
    return {"total_items": total, "page": page, "per_page": per_page, "items": items}


@router.get("/{child_id}", response=responses({200: ChildOut}),
            summary="One child's record summary")
def get_child(request: HttpRequest, child_id: UUID) -> Child:
    user = signed_in.user(request)
    child, access = get_child_or_404(user, child_id)
    audit.record(user, child, audit.Action.VIEW, "API: child record", access.basis)
    return child
