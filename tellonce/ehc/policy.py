"""Who does what in the statutory EHC process: the SEND team that runs it, the managers
who may override, who may ask for an assessment, and who acts for an organisation asked
for advice or a sign-off.

Built on the child policy (tellonce/access/policy.py); the caseload condition here is the
child policy's own (`caseload_authorities`, `caseload_q`), so the worklist and the record
check cannot disagree. Everything the SEND team does in the process is audited on the
caseload basis (`Basis.CASELOAD`).
"""

from __future__ import annotations

from django.db.models import Q

from tellonce.access.policy import (
    PRACTITIONER_ROLES,
    ChildAccess,
    authorities,
    caseload_authorities,
    caseload_q,
    org_ids,
)
from tellonce.people.models import Child, StaffMembership, User

Role = StaffMembership.Role


def is_caseworker_for(user: User, child: Child) -> bool:
    """A SEND caseworker or manager of the child's local authority: runs its EHC process."""
    return child.local_authority_id in caseload_authorities(user)


def is_send_manager_for(user: User, child: Child) -> bool:
    """A SEND manager of the child's local authority: may override a missing sign-off."""
    return child.local_authority_id in authorities(user, frozenset({Role.LA_MANAGER}))


def may_request_assessment(user: User, child: Child, access: ChildAccess) -> bool:
    """CFA s.36(1): the parent, the young person, or the child's school or setting may ask."""
    if access.is_family:
        return True
    return child.setting_id is not None and child.setting_id in org_ids(
        user, frozenset({Role.SENCO})
    )


def acts_for(user: User, organisation_id: int, named_user_id: int | None = None) -> bool:
    """The user may act for this organisation (give its advice, sign off its sections): an
    active practitioner there, and the named person where one is named."""
    if named_user_id is not None and named_user_id != user.pk:
        return False
    return organisation_id in org_ids(user, PRACTITIONER_ROLES)


def acting_organisations(user: User) -> list[int]:
    """The organisations the user acts for as a practitioner (for 'my advice requests')."""
    return org_ids(user, PRACTITIONER_ROLES)


def statutory_caseload_q(user: User, prefix: str = "") -> Q | None:
    """The caseload condition of the child policy (caseworkers' and managers' statutory
    caseload) on a related child (`prefix="child__"`), for lists driven from another table
    where joining through `visible_children` would be slow. None if the user has no
    caseload. The same definition (`caseload_q`), so a list and a record never disagree."""
    caseload = caseload_authorities(user)
    if not caseload:
        return None
    return caseload_q(caseload, f"{prefix}local_authority_id", f"{prefix}send_status")


def ehc_step_caseload_q(user: User) -> Q | None:
    """The caseload condition of the child policy on EHC steps (ehc.Step), through the
    copies of the child's authority and status each step keeps (`local_authority`,
    `child_send_status`), so the worklist is scoped without joining every open step to its
    child. The same definition (`caseload_q`) as the record check. None if the user has no
    caseload."""
    caseload = caseload_authorities(user)
    if not caseload:
        return None
    return caseload_q(caseload, "local_authority_id", "child_send_status")
