"""Who may invite whom to a child's record, and which invitations they see (one definition).

A SENCO, SEND caseworker or manager, or health practitioner who may see the child (on any
basis but family) invites: a parent or carer the record holds with parental responsibility,
or the young person themselves once they are 16 (their own record; the policy for 16+ is in
tellonce/access/policy.py). The same people see and withdraw the child's invitations.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from tellonce.access.policy import ChildAccess, roles, sixteenth_birthday_cutoff
from tellonce.invitations.models import Invitation
from tellonce.people.models import Adult, Child, StaffMembership, User

Role = StaffMembership.Role
INVITER_ROLES = frozenset(
    {Role.SENCO, Role.LA_CASEWORKER, Role.LA_MANAGER, Role.HEALTH_PRACTITIONER}
)


def may_invite(user: User, access: ChildAccess) -> bool:
    return not access.is_family and bool(roles(user) & INVITER_ROLES)


def invitable_adults(child: Child) -> QuerySet[Adult]:
    """Parents and carers the record holds with parental responsibility, with no account yet."""
    return Adult.objects.filter(
        links__child=child, links__parental_responsibility=True, user__isnull=True
    ).order_by("family_name", "given_name")


def young_person_invitable(child: Child, today: date | None = None) -> bool:
    """16 or over, and not yet signed in to their own record."""
    return child.user_id is None and child.date_of_birth <= sixteenth_birthday_cutoff(
        today or date.today()
    )


def invitations_of(user: User, child: Child, access: ChildAccess) -> QuerySet[Invitation]:
    if not may_invite(user, access):
        return Invitation.objects.none()
    return Invitation.objects.filter(child=child)


def get_invitation_or_404(
    user: User, child: Child, access: ChildAccess, invitation_id: UUID | str
) -> Invitation:
    found = invitations_of(user, child, access).filter(pk=invitation_id).first()
    if found is None:
        raise Http404("No such invitation")
    return found
