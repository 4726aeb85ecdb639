"""Who may manage, refer to and count health referrals and waiting lists.

Built on the child policy (tellonce/access/policy.py): a practitioner manages a referral to
their own service only for a child whose record they may see, so a family's consent decides
here exactly as it does for the record. Each rule answers both "which referrals" (a queryset
filter, for worklists) and "this referral" (the same filter on one row).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from tellonce.access.policy import (
    ChildAccess,
    administered_organisations,
    leader_local_authorities,
    org_ids,
    visible_children,
)
from tellonce.health.models import Pathway, Referral
from tellonce.people.models import Child, Organisation, StaffMembership, User

Role = StaffMembership.Role


def referral_provider_ids(user: User) -> list[int]:
    """Health services whose referrals the user manages: the services they work in as a
    health practitioner, and the services directly under those (a trust's, say)."""
    own = org_ids(user, frozenset({Role.HEALTH_PRACTITIONER}))
    if not own:
        return []
    below = Organisation.objects.filter(parent_id__in=own).values_list("pk", flat=True)
    return sorted(set(own) | set(below))


def scope_referrals(
    user: User, referrals: QuerySet[Referral], today: date | None = None
) -> QuerySet[Referral]:
    """The referrals (a queryset of health.Referral) a practitioner manages: to their own
    services, and only for children whose record they may see, so a family's consent
    decides here exactly as it does for the record."""
    provider_ids = referral_provider_ids(user)
    if not provider_ids:
        return referrals.none()
    return referrals.filter(
        pathway__provider_id__in=provider_ids,
        child_id__in=visible_children(user, today).values("pk"),
    )


def may_manage_referral(user: User, referral: Referral) -> bool:
    """One referral: the same rule as scope_referrals, so a worklist and a page agree."""
    return scope_referrals(user, Referral.objects.filter(pk=referral.pk)).exists()


# Who may refer a child to a health pathway. Each kind of pathway takes referrals from some
# referrers only: a school may refer a child on its roll for speech and language therapy, but
# a hearing test comes through the GP or health visitor. Health practitioners refer on to any
# pathway; a family refers itself where the service takes self-referrals. (The GP and the
# health visitor, who refer most, are not users here: their letters are recorded by the
# service, `referral_provider_ids`.)
REFERRER_SCHOOL, REFERRER_FAMILY, REFERRER_HEALTH = "school", "family", "health"
_ALL_REFERRERS = frozenset({REFERRER_SCHOOL, REFERRER_FAMILY, REFERRER_HEALTH})
PATHWAY_REFERRERS: dict[str, frozenset[str]] = {
    "autism": frozenset({REFERRER_SCHOOL, REFERRER_HEALTH}),
    "adhd": frozenset({REFERRER_SCHOOL, REFERRER_HEALTH}),
    "slt": _ALL_REFERRERS,
    "ot": frozenset({REFERRER_SCHOOL, REFERRER_HEALTH}),
    "paediatrics": frozenset({REFERRER_HEALTH}),
    "physio": frozenset({REFERRER_HEALTH}),
    "audiology": frozenset({REFERRER_HEALTH}),
    "mental_health": _ALL_REFERRERS,
}


def referrer_kinds(user: User, child: Child, access: ChildAccess) -> frozenset[str]:
    """As whom the user may refer this child: the family; the SENCO of the child's own
    school or setting; a health practitioner who sees the child."""
    if access.is_family:
        return frozenset({REFERRER_FAMILY})
    kinds = set()
    if child.setting_id is not None and child.setting_id in org_ids(
        user, frozenset({Role.SENCO})
    ):
        kinds.add(REFERRER_SCHOOL)
    if org_ids(user, frozenset({Role.HEALTH_PRACTITIONER})):
        kinds.add(REFERRER_HEALTH)
    return frozenset(kinds)


def referable_pathways(user: User, child: Child, access: ChildAccess) -> QuerySet[Pathway]:
    """The health pathways (health.Pathway) the user may refer this child to: those that
    take referrals from them and serve the child's area (the whole area's list, or the list
    of the child's locality). `access` is how the user sees the child (get_child_or_404)."""
    kinds = referrer_kinds(user, child, access)
    allowed = sorted(kind for kind, who in PATHWAY_REFERRERS.items() if who & kinds)
    if not allowed:
        return Pathway.objects.none()
    return Pathway.objects.filter(
        Q(locality__isnull=True) | Q(locality_id=child.locality_id),
        kind__in=allowed, local_authority_id=child.local_authority_id,
    ).select_related("provider", "locality")


def referral_import_provider_ids(user: User) -> list[int]:
    """Health services whose referrals the user may import from the provider's system:
    their practitioners, and administrators of the service or its trust."""
    administered = (
        administered_organisations(user)
        .filter(kind=Organisation.Kind.HEALTH_SERVICE)
        .values_list("pk", flat=True)
    )
    return sorted(set(referral_provider_ids(user)) | set(administered))


@dataclass(frozen=True)
class AggregateScope:
    """Whose waiting-list aggregates a user sees: pathways in these areas or of these services."""

    local_authority_ids: tuple[int, ...]
    provider_ids: tuple[int, ...]

    def __bool__(self) -> bool:
        return bool(self.local_authority_ids or self.provider_ids)


def waiting_aggregate_scope(user: User) -> AggregateScope:
    """Leaders see their area's pathways; health practitioners their own services'.
    Counts only, small numbers suppressed: never a child's record."""
    return AggregateScope(tuple(leader_local_authorities(user)), tuple(referral_provider_ids(user)))
