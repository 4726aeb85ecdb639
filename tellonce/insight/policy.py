"""Who sees the partnership's figures: aggregates only, never a child's record.

Partnership leaders and commissioners (role `leader`, in the council or the ICB) see their
area's scorecard, breakdowns and exports. "May this user see the scorecard" and "whose
figures" come from one definition: the user's scope.
"""

from __future__ import annotations

from django.http import Http404

from tellonce.access.policy import caseload_authorities, leader_local_authorities
from tellonce.insight.indicators import Scope
from tellonce.people.models import User


def scorecard_scope(user: User) -> Scope | None:
    """The areas whose figures the user sees, or None: not a leader or commissioner."""
    authorities = tuple(leader_local_authorities(user))
    return Scope(authorities) if authorities else None


def scorecard_scope_or_404(user: User) -> Scope:
    scope = scorecard_scope(user)
    if scope is None:
        raise Http404("No scorecard for this account")
    return scope


def published_scope(user: User) -> Scope | None:
    """The areas whose published scorecard the user sees: leaders and commissioners, and
    members of the area's parent carer forum (a voluntary organisation serving the area)."""
    from tellonce.access.policy import active_memberships
    from tellonce.people.models import StaffMembership

    authorities = set(leader_local_authorities(user))
    authorities |= {m.organisation.local_authority_id for m in active_memberships(user)
                    if m.role == StaffMembership.Role.PARENT_CARER_FORUM
                    and m.organisation.local_authority_id is not None}
    return Scope(tuple(sorted(authorities))) if authorities else None


def published_scope_or_404(user: User) -> Scope:
    scope = published_scope(user)
    if scope is None:
        raise Http404("No published scorecard for this account")
    return scope


# ----- the priority action plan -----
# Leaders and commissioners see and change the whole plan of their area; an action's owners
# (its named person, and the staff of its owning organisation: health, education or social
# care) see the plan and update their own actions. "May this user update this action" and
# "which actions may this user update" are one definition: `editable_actions`.


def editable_actions(user: User):  # type: ignore[no-untyped-def]
    from django.db.models import Q

    from tellonce.access.policy import active_memberships
    from tellonce.insight.models import PlanAction

    orgs = [m.organisation_id for m in active_memberships(user)]
    leads = leader_local_authorities(user)
    return PlanAction.objects.filter(
        Q(area__local_authority_id__in=leads) | Q(owner_organisation_id__in=orgs)
        | Q(owner_id=user.pk)
    )


def may_update_action(user: User, action_id: int) -> bool:
    return editable_actions(user).filter(pk=action_id).exists()


def visible_areas(user: User):  # type: ignore[no-untyped-def]
    from django.db.models import Q

    from tellonce.insight.models import PriorityArea

    return PriorityArea.objects.filter(
        Q(local_authority_id__in=leader_local_authorities(user))
        | Q(pk__in=editable_actions(user).values("area_id"))
    ).distinct()


def plan_authorities_or_404(user: User) -> list[int]:
    """The areas whose plan the user sees (as a leader, or as an owner of one of its
    actions)."""
    found = sorted(set(visible_areas(user).values_list("local_authority_id", flat=True)))
    if not found and not leader_local_authorities(user):
        raise Http404("No action plan for this account")
    return found or leader_local_authorities(user)


def sen2_authority_or_404(user: User) -> int:
    """The authority whose SEN2 return the user prepares: its SEND team (caseworkers and
    managers), who hold the statutory caseload the return is made from."""
    found = caseload_authorities(user)
    if not found:
        raise Http404("No SEN2 return for this account")
    return found[0]
