"""'About me' over the API, scoped and audited exactly as the pages are: mounted under
/api/children/ beside the child records (people/api.py), with its own router because
people sits below the profile and imports none of it."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from tellonce import signed_in
from tellonce.access import audit
from tellonce.access.policy import get_child_or_404
from tellonce.api.auth import StaffToken
from tellonce.api.errors import responses
from tellonce.people.models import Child
from tellonce.profile.actions import EditConflict, do_save_about_me, latest_version
from tellonce.profile.models import SECTION_NAMES

router = Router(auth=StaffToken(), tags=["children"])


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
    user = signed_in.user(request)
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
    user = signed_in.user(request)
    child, access = get_child_or_404(user, child_id)
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
