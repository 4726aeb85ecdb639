"""Who may change the local offer: which services and organisations a user may edit.

Every service is public (tellonce/directory/queries.py decides what the public sees); this
decides who keeps it true. `editable_services` is the one definition: a list of services to
edit and the check on one service (`may_edit_service`, `get_editable_service_or_404`) both
come from it.
"""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from django.db.models import Model, QuerySet
from django.http import Http404

from tellonce.access.policy import active_memberships, administered_organisations, roles
from tellonce.directory.models import Organization, Service
from tellonce.people.models import StaffMembership, User

Role = StaffMembership.Role
M = TypeVar("M", bound=Model)

# Who keeps the local offer true. Every service is public; these decide who may change one.
# - Local offer editors (role local_offer_editor) edit every service: one deployment publishes
#   one local authority's local offer. Only they import, and respond to feedback (reg 56).
# - Providers edit their own services: anyone with an active membership of the organisation
#   that provides the service (directory Organization.provider: a charity's staff, a health
#   service's clinicians), and the organisation administrators of its parent (a trust's
#   administrator for the trust's services). A service whose organisation has no provider
#   is the editors' alone.


def is_local_offer_editor(user: User) -> bool:
    return Role.LOCAL_OFFER_EDITOR in roles(user)


def _provider_org_ids(user: User) -> list[int]:
    """Platform organisations whose directory services the user may edit as a provider."""
    own = {m.organisation_id for m in active_memberships(user)}
    administered = administered_organisations(user).values_list("pk", flat=True)
    return sorted(own | set(administered))


def _editable(user: User, rows: QuerySet[M], provider_field: str) -> QuerySet[M]:
    """Everything for an editor; else the rows whose provider (`provider_field`) is one of
    the user's organisations."""
    if is_local_offer_editor(user):
        return rows
    ids = _provider_org_ids(user)
    if not ids:
        return rows.none()
    return rows.filter(**{f"{provider_field}__in": ids})


def editable_services(user: User) -> QuerySet[Service]:
    """The directory services the user may edit, retire and mark as reviewed."""
    return _editable(user, Service.objects.all(), "organization__provider_id")


def editable_organizations(user: User) -> QuerySet[Organization]:
    """Directory organisations under which the user may add a service."""
    return _editable(user, Organization.objects.all(), "provider_id")


def may_edit_service(user: User, service: Service) -> bool:
    """One service: the same rule as editable_services, so a list and a page agree."""
    return editable_services(user).filter(pk=service.pk).exists()


def may_manage_local_offer(user: User) -> bool:
    """Editors, and anyone with a service (or an organisation) of their own to keep true."""
    return is_local_offer_editor(user) or editable_organizations(user).exists()


def get_editable_service_or_404(user: User, service_id: UUID | str) -> Service:
    try:
        service_uuid = UUID(str(service_id))
    except ValueError:
        raise Http404("No such service") from None
    service = editable_services(user).filter(pk=service_uuid).select_related("organization").first()
    if service is None:
        raise Http404("No such service")
    return service
