"""Template context: the service navigation for the signed-in user's roles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from tellonce.access.policy import CASELOAD_ROLES, PRACTITIONER_ROLES, roles
from tellonce.people.models import StaffMembership

Role = StaffMembership.Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    items: list[tuple[str, str]] = []
    user = request.user
    # The API is for staff systems (tokens are issued to staff): families are not sent there.
    staff = False
    if user.is_authenticated:
        items.append(("Home", reverse("accounts:home")))
        user_roles = roles(user)  # type: ignore[arg-type]
        if user_roles & PRACTITIONER_ROLES:
            items.append(("Children", reverse("people:children")))
        if user_roles & CASELOAD_ROLES:
            items.append(("EHC worklist", reverse("ehc:worklist")))
        if user_roles & (PRACTITIONER_ROLES - CASELOAD_ROLES):
            items.append(("Asked of me", reverse("ehc:my_requests")))
        if Role.HEALTH_PRACTITIONER in user_roles:
            items.append(("Referrals", reverse("health:worklist")))
        if user_roles & {Role.HEALTH_PRACTITIONER, Role.LEADER}:
            items.append(("Waiting times", reverse("health:analysis")))
        if Role.ORG_ADMIN in user_roles:
            items.append(("Your organisation", reverse("people:organisations")))
        items.append(("Messages", reverse("notify:outbox")))
        if user_roles:
            items.append(("Two-factor", reverse("accounts:two_factor")))
            staff = True
    return {
        "service_name": settings.SERVICE_NAME,
        "nav_items": items,
        "current_path": request.path,
        "show_api_docs": staff,
    }
