"""Children and 'About me' over the API, scoped and audited exactly as the pages are."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from tellonce.access import audit
from tellonce.access.policy import get_child_or_404, may_edit_about_me, visible_children
from tellonce.api.auth import StaffToken
from tellonce.api.errors import responses
from tellonce.listing import MAX_PAGE
from tellonce.people.models import Child, User
from tellonce.profile.actions import EditConflict, do_save_about_me, latest_version
from tellonce.profile.models import SECTION_NAMES

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


class AboutMeOut(Schema):
    version: int
    written_by: str
    author: str
    created_at: datetime
    people_like: str
    matters: str
    support: str
    communication: str
    health: str
    aspirations: str


class AboutMeIn(Schema):
    base_version: int = Field(..., ge=0, description="The version this edit started from")
    people_like: str = Field("", max_length=5000)
    matters: str = Field("", max_length=5000)
    support: str = Field("", max_length=5000)
    communication: str = Field("", max_length=5000)
    health: str = Field("", max_length=5000)
    aspirations: str = Field("", max_length=5000)


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


@router.get("", response=responses({200: ChildPage}),
            summary="Children the caller may see")
def list_children(
    request: HttpRequest,
    name: str = "",
    nhs_number: str = "",
    page: int = Query(1, ge=1, le=MAX_PAGE),
    per_page: int = Query(25, ge=1, le=MAX_PER_PAGE),
) -> dict[str, object]:
    user = _user(request)
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
    user = _user(request)
    child, access = get_child_or_404(user, child_id)
    audit.record(user, child, audit.Action.VIEW, "API: child record", access.basis)
    return child


def _about_me_out(child: Child) -> dict[str, object]:
    version = latest_version(child)
    if version is None:
        raise HttpError(404, "No 'About me' has been written for this child yet")
    return {
        "version": version.number,
        "written_by": version.written_by,
        "author": version.author_description,
        "created_at": version.created_at,
        **{name: getattr(version, name) for name in SECTION_NAMES},
    }


@router.get("/{child_id}/about-me", response=responses({200: AboutMeOut}),
            summary="The latest 'About me'")
def get_about_me(request: HttpRequest, child_id: UUID) -> dict[str, object]:
    user = _user(request)
    child, access = get_child_or_404(user, child_id)
    audit.record(user, child, audit.Action.VIEW, "API: About me", access.basis)
    return _about_me_out(child)


@router.post(
    "/{child_id}/about-me",
    response=responses({201: AboutMeOut}, 409),
    summary="Save a new 'About me' version (409 if someone saved one since base_version)",
)
def post_about_me(
    request: HttpRequest, child_id: UUID, payload: AboutMeIn
) -> Status[dict[str, object]]:
    user = _user(request)
    child, access = get_child_or_404(user, child_id)
    if not may_edit_about_me(user, access):
        raise HttpError(404, "Not Found")
    sections = {name: getattr(payload, name) for name in SECTION_NAMES}
    if not any(text.strip() for text in sections.values()):
        raise HttpError(422, "Write something in at least one section")
    try:
        do_save_about_me(user, child, access, sections, payload.base_version)
    except EditConflict as conflict:
        latest = conflict.latest.number if conflict.latest else 0
        message = (f"Version {latest} was saved since version {payload.base_version}"
                   if payload.base_version < latest else str(conflict))
        raise HttpError(409, message) from None
    return Status(201, _about_me_out(child))
