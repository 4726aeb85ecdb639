"""Who may see or do what to a child's record: the only place that decides.

Every answer comes from one list of conditions (`_conditions`), used both to scope lists
(`visible_children`) and to check one record (`child_access`), so the two can never disagree.
A record the user may not see is a 404 (`get_child_or_404`), never a 403.

The rules (docs/design.md, "Who uses it"):
- a parent or carer with parental responsibility sees their child, unless the young person is
  16 or over and has decided their parents may not;
- a young person of 16 or over sees their own record;
- a practitioner sees a child through an active involvement of theirs (or their team's, for
  roles that work as a team), and a record held by another agency only with the family's
  active consent for the practitioner's organisation or a recorded statutory basis;
- LA SEND caseworkers and managers see their authority's statutory caseload;
- leaders, local offer editors and organisation administrators see no child records;
- a role counts only in a kind of organisation it may exist in (tellonce/access/roles.py):
  a membership breaking that rule grants nothing, wherever it came from.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from tellonce.access import roles as role_rules
from tellonce.access.models import Consent, StatutoryBasis
from tellonce.people.models import (
    Child,
    FamilyLink,
    Involvement,
    Organisation,
    StaffMembership,
    User,
)

Role = StaffMembership.Role

# Roles that see children through their own involvements.
PRACTITIONER_ROLES = frozenset(
    {
        Role.SENCO,
        Role.LA_CASEWORKER,
        Role.LA_MANAGER,
        Role.HEALTH_PRACTITIONER,
        Role.DCO,
        Role.SOCIAL_WORKER,
        Role.EDUCATIONAL_PSYCHOLOGIST,
    }
)
# Roles that work as a team: an involvement of their organisation (no named practitioner)
# counts for every member. A SENCO and a setting's roll; a therapy service's caseload.
TEAM_ROLES = frozenset({Role.SENCO, Role.HEALTH_PRACTITIONER, Role.DCO, Role.SOCIAL_WORKER})
CASELOAD_ROLES = frozenset({Role.LA_CASEWORKER, Role.LA_MANAGER})
CASELOAD_STATUSES = (Child.SendStatus.ASSESSMENT, Child.SendStatus.EHC_PLAN)
ADULTHOOD_FOR_RECORD = 16

BASIS_FAMILY = "Parent or carer with parental responsibility"
BASIS_YOUNG_PERSON = "Young person's own record"
BASIS_INVOLVEMENT = "Works with the child (involvement, with consent or a statutory basis)"
BASIS_CASELOAD = "Local authority SEND caseload (Children and Families Act 2014 Part 3)"


@dataclass(frozen=True)
class ChildAccess:
    """Why a user may see a child: the basis written to the audit log."""

    basis: str
    is_family: bool  # a parent or carer, or the young person themselves

    @property
    def is_young_person(self) -> bool:
        return self.basis == BASIS_YOUNG_PERSON


@dataclass(frozen=True)
class Condition:
    """One way a user may see a child: the basis, the condition on Child for lists, and, for
    conditions on the child's own fields only, the same test in Python so a single record
    can be checked without another query. tests/access/test_policy.py checks that the two
    forms agree for every user and child of the test area."""

    basis: str
    q: Q
    on_fields: Callable[[Child], bool] | None = None


def _sixteenth_birthday_cutoff(today: date) -> date:
    """Children born on or before this date are 16 or over today."""
    try:
        return today.replace(year=today.year - ADULTHOOD_FOR_RECORD)
    except ValueError:  # 29 February: a leapling turns 16 on 1 March in a common year
        return date(today.year - ADULTHOOD_FOR_RECORD, 2, 28)


def active_memberships(user: User, today: date | None = None) -> list[StaffMembership]:
    """The user's current staff memberships, fetched once per request and kept on the user.

    Every role the policy grants from comes through here. A membership whose role may not
    exist in its organisation's kind (a caseworker in an NHS service) is left out: saving
    one is refused, but a row made before the rule, or behind the model's back, must grant
    nothing."""
    if not user.is_authenticated:
        return []
    cached: list[StaffMembership] | None = getattr(user, "_active_memberships", None)
    if cached is None:
        cached = [
            m
            for m in StaffMembership.objects.filter(
                StaffMembership.active_q(on=today or date.today()), user=user
            ).select_related("organisation")
            if role_rules.role_fits(m.role, m.organisation.kind)
        ]
        user._active_memberships = cached  # type: ignore[attr-defined]
    return cached


def roles(user: User) -> set[str]:
    return {m.role for m in active_memberships(user)}


def _org_ids(user: User, allowed: frozenset[str]) -> list[int]:
    return sorted({m.organisation_id for m in active_memberships(user) if m.role in allowed})


def _authorities(user: User, allowed: frozenset[str]) -> list[int]:
    """The local authorities of the user's memberships in these roles (a SEND team's LA)."""
    return sorted(
        {
            m.organisation.local_authority_id or m.organisation.parent_id or m.organisation_id
            for m in active_memberships(user)
            if m.role in allowed
        }
    )


def _is_adult_in_a_family(user: User) -> bool:
    return hasattr(user, "adult")  # loaded with the user by accounts.backends.UserBackend


def _has_own_record(user: User) -> bool:
    return hasattr(user, "own_record")


def _conditions(user: User, today: date) -> list[Condition]:
    """Each way a user may see a child. Conditions that cannot apply to this user are left
    out, so queries stay few and simple; the cheap ones on the child's own fields come first."""
    if not user.is_authenticated or not user.is_active:
        return []
    adult_cutoff = _sixteenth_birthday_cutoff(today)
    conditions: list[Condition] = []

    if _is_adult_in_a_family(user):
        withheld_from_parents = Q(
            date_of_birth__lte=adult_cutoff, parent_access=Child.ParentAccess.WITHHELD
        )
        conditions.append(
            Condition(
                BASIS_FAMILY,
                Q(pk__in=_family_link_children_sql(user.pk)) & ~withheld_from_parents,
            )
        )
    if _has_own_record(user):
        conditions.append(
            Condition(
                BASIS_YOUNG_PERSON,
                Q(user=user, date_of_birth__lte=adult_cutoff),
                lambda child: child.user_id == user.pk and child.date_of_birth <= adult_cutoff,
            )
        )

    caseload_orgs = _authorities(user, CASELOAD_ROLES)
    if caseload_orgs:
        conditions.append(
            Condition(
                BASIS_CASELOAD,
                Q(local_authority_id__in=caseload_orgs, send_status__in=CASELOAD_STATUSES),
                lambda child: (
                    child.local_authority_id in caseload_orgs
                    and child.send_status in CASELOAD_STATUSES
                ),
            )
        )

    own_orgs = tuple(_org_ids(user, PRACTITIONER_ROLES))
    if own_orgs:
        team_orgs = tuple(_org_ids(user, TEAM_ROLES))
        shared = _involvement_children_sql(user.pk, own_orgs, team_orgs, today)
        conditions.append(Condition(BASIS_INVOLVEMENT, Q(pk__in=shared)))
    return conditions


# The policy's subqueries, compiled to SQL once per user, organisations and day.
#
# Building them with the ORM (a join, two correlated EXISTS) cost more than running them:
# it was the largest part of a children page's time. What they compile to depends only on
# the arguments below, so the SQL text is kept per process (it holds no data: the database
# evaluates it afresh on every request, so a withdrawn consent still counts at once).


def _family_link_children_sql(user_id: int) -> RawSQL:
    return RawSQL(*_family_link_children_compiled(user_id))


@functools.lru_cache(maxsize=4096)
def _family_link_children_compiled(user_id: int) -> tuple[str, tuple[Any, ...]]:
    """Children of whom the user is a parent or carer with parental responsibility."""
    links = FamilyLink.objects.filter(adult__user_id=user_id, parental_responsibility=True)
    return _compiled(links.values("child_id"))


# The ways a record held by one organisation reaches a practitioner in another, each its own
# query, joined by UNION: one query that ORed them had the database re-run the consent and
# statutory lookups row by row, where apart each is a plain join; and as three subqueries
# the database looked up every child three times.
SHARING_ROUTES = ("held", "consent", "statutory")


def _involvement_children_sql(
    user_id: int, own_orgs: tuple[int, ...], team_orgs: tuple[int, ...], today: date
) -> RawSQL:
    return RawSQL(*_involvement_children_compiled(user_id, own_orgs, team_orgs, today))


@functools.lru_cache(maxsize=4096)
def _involvement_children_compiled(
    user_id: int, own_orgs: tuple[int, ...], team_orgs: tuple[int, ...], today: date
) -> tuple[str, tuple[Any, ...]]:
    """Children the user (or their team, for team roles) is actively involved with, whose
    record is held by that organisation or shared with it by the family's consent or a
    statutory basis. Driven from the user's own involvements, so it stays cheap on a large
    area."""
    parts = [_compiled(_route(user_id, own_orgs, team_orgs, today, r)) for r in SHARING_ROUTES]
    return " UNION ".join(sql for sql, _ in parts), tuple(p for _, ps in parts for p in ps)


def _route(
    user_id: int, own_orgs: tuple[int, ...], team_orgs: tuple[int, ...], today: date, route: str
) -> QuerySet[Any]:
    """The children one sharing route ("held", "consent" or "statutory") reaches."""
    involved = Q(staff_id=user_id, organisation_id__in=own_orgs)
    if team_orgs:
        involved |= Q(staff__isnull=True, organisation_id__in=team_orgs)
    shared: Q | Exists
    if route == "held":
        shared = Q(organisation_id=F("child__held_by_id"))
    elif route == "consent":
        shared = Exists(
            Consent.objects.filter(
                child_id=OuterRef("child_id"),
                organisation_id=OuterRef("organisation_id"),
                withdrawn_at__isnull=True,
            )
        )
    else:
        shared = Exists(
            StatutoryBasis.objects.filter(
                Q(end__isnull=True) | Q(end__gt=today),
                child_id=OuterRef("child_id"),
                organisation_id=OuterRef("organisation_id"),
                start__lte=today,
            )
        )
    involvements = Involvement.objects.filter(Involvement.active_q(on=today), involved, shared)
    return involvements.values("child_id")


def _compiled(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = queryset.order_by().query.sql_with_params()  # no ordering in a subquery
    return sql, tuple(params)


def visible_children(
    user: User, today: date | None = None, matching: Sequence[Q] = ()
) -> QuerySet[Child]:
    """Every child whose record the user may see: the scope of lists, searches and exports.

    `matching` narrows it to children meeting any of the given conditions (a search's
    alternatives, such as "family name starts with" or "given name starts with"). Each is
    combined with each way of seeing a child, so the query is a plain OR of indexable terms
    that the database can answer from its indexes (caseload by name, involvement by name)
    instead of filtering the whole scope row by row.
    """
    conditions = _conditions(user, today or date.today())
    if not conditions:
        return Child.objects.none()
    any_alternative = Q()
    for alternative in matching:
        any_alternative |= alternative
    combined = Q()
    for condition in conditions:
        if condition.on_fields is None:
            # A subquery (involvements, family links): written once, narrowed by any of the
            # alternatives. Repeating it per alternative made the database run it again each
            # time, and it drives the lookup by child id whichever alternative matches.
            combined |= condition.q & any_alternative
        else:
            for alternative in matching or [Q()]:
                combined |= condition.q & alternative
    return Child.objects.filter(combined)


def child_access(
    user: User, child_id: UUID | str, today: date | None = None
) -> tuple[Child, ChildAccess] | None:
    """The child and the basis on which the user may see it, or None. One or two queries."""
    try:
        child_uuid = UUID(str(child_id))
    except ValueError:  # a malformed id is simply not found
        return None
    conditions = _conditions(user, today or date.today())
    if not conditions:
        return None
    found = list(
        Child.objects.filter(pk=child_uuid)
        .select_related("local_authority", "locality", "setting", "held_by")
        .order_by()[:1]
    )
    if not found:
        return None
    child = found[0]
    # The first condition, in order, that holds gives the basis. Conditions on the child's
    # fields are tested here; the others, only if needed, in one more query.
    holds: dict[int, bool] = {}
    for i, condition in enumerate(conditions):
        if condition.on_fields is not None:
            holds[i] = condition.on_fields(child)
    first_true = min((i for i, value in holds.items() if value), default=len(conditions))
    pending = {
        f"via_{i}": ExpressionWrapper(condition.q, output_field=BooleanField())
        for i, condition in enumerate(conditions[:first_true])
        if condition.on_fields is None
    }
    if pending:
        row = Child.objects.filter(pk=child_uuid).annotate(**pending).values(*pending).first()
        for name, value in (row or {}).items():
            holds[int(name.removeprefix("via_"))] = bool(value)
    for i, condition in enumerate(conditions):
        if holds.get(i):
            return child, ChildAccess(
                basis=condition.basis,
                is_family=condition.basis in (BASIS_FAMILY, BASIS_YOUNG_PERSON),
            )
    return None


def family_children(user: User, today: date | None = None) -> QuerySet[Child]:
    """The children a user sees as family: as a parent or carer, or their own record."""
    family_bases = (BASIS_FAMILY, BASIS_YOUNG_PERSON)
    combined = Q(pk__in=[])
    for condition in _conditions(user, today or date.today()):
        if condition.basis in family_bases:
            combined |= condition.q
    return Child.objects.filter(combined)


def leader_local_authorities(user: User) -> list[int]:
    """The local authorities whose aggregates a leader sees (their organisation's area)."""
    return _authorities(user, frozenset({Role.LEADER}))


def get_child_or_404(user: User, child_id: UUID | str) -> tuple[Child, ChildAccess]:
    found = child_access(user, child_id)
    if found is None:
        raise Http404("No such child record")
    return found


def may_edit_about_me(user: User, access: ChildAccess) -> bool:
    """The family writes 'About me', or a practitioner writes it with them."""
    return True


def may_manage_consent(user: User, child: Child, access: ChildAccess) -> bool:
    """Under 16, those with parental responsibility; from 16, the young person if they have
    an account (the Mental Capacity Act presumes capacity), else still the parents."""
    if not access.is_family:
        return False
    if child.age >= ADULTHOOD_FOR_RECORD and child.user_id is not None:
        return access.is_young_person
    return True


def may_see_audit_trail(user: User, child: Child, access: ChildAccess) -> bool:
    return access.is_family


def may_decide_parent_access(user: User, child: Child, access: ChildAccess) -> bool:
    return access.is_young_person


@dataclass(frozen=True)
class Sharing:
    """Whether an organisation working with a child may see the record, and on what ground:
    the same grounds `_conditions` lets its practitioners see it by (the family's consent
    page shows this, so it never offers consent the record does not need)."""

    organisation: Organisation
    holds: bool  # the organisation holds the record
    caseload: bool  # the child's council's SEND team, for a child in its statutory caseload
    bases: tuple[StatutoryBasis, ...]  # statutory bases in force
    consent: Consent | None  # the family's consent in force

    @property
    def by_law(self) -> bool:
        return self.holds or self.caseload or bool(self.bases)

    @property
    def may_see(self) -> bool:
        return self.by_law or self.consent is not None


def sharing_with(
    child: Child, organisations: Sequence[Organisation], today: date | None = None
) -> list[Sharing]:
    """How the record is shared with each of these organisations today (three queries)."""
    on = today or date.today()
    ids = [o.pk for o in organisations]
    consents = {c.organisation_id: c for c in Consent.objects.filter(
        child=child, organisation_id__in=ids, withdrawn_at__isnull=True)}
    bases: dict[int, list[StatutoryBasis]] = {}
    for basis in StatutoryBasis.objects.filter(
        StatutoryBasis.in_force_q(on), child=child, organisation_id__in=ids
    ).order_by("start", "pk"):
        bases.setdefault(basis.organisation_id, []).append(basis)
    caseload_teams = set(
        StaffMembership.objects.filter(
            StaffMembership.active_q(on=on), organisation_id__in=ids, role__in=CASELOAD_ROLES,
        ).values_list("organisation_id", flat=True)
    ) if child.send_status in CASELOAD_STATUSES else set()
    return [
        Sharing(
            organisation=org,
            holds=org.pk == child.held_by_id,
            # As `_authorities` finds a caseworker's local authority from their team.
            caseload=org.pk in caseload_teams
            and (org.local_authority_id or org.parent_id or org.pk) == child.local_authority_id,
            bases=tuple(bases.get(org.pk, ())),
            consent=consents.get(org.pk),
        )
        for org in organisations
    ]


def is_leader(user: User) -> bool:
    return Role.LEADER in roles(user)


def administered_organisations(user: User) -> QuerySet[Organisation]:
    """Organisations whose staff and involvements the user manages: their own, and the
    services directly under it that belong to the same agency (a trust's services; never a
    council team filed under a trust)."""
    admin_of = [m.organisation for m in active_memberships(user) if m.role == Role.ORG_ADMIN]
    if not admin_of:
        return Organisation.objects.none()
    under = Q()
    for org in admin_of:
        agency_kinds = [k for k in Organisation.Kind.values if role_rules.same_agency(k, org.kind)]
        under |= Q(parent_id=org.pk, kind__in=agency_kinds)
    return Organisation.objects.filter(Q(pk__in=[o.pk for o in admin_of]) | under)


def get_administered_organisation_or_404(user: User, org_id: int) -> Organisation:
    org = administered_organisations(user).filter(pk=org_id).first()
    if org is None:
        raise Http404("No such organisation")
    return org


# ----- staff roles: who may give whom which role -----
# An organisation administrator gives roles:
# - only in an organisation they administer (administered_organisations);
# - only roles that may exist in that organisation's kind (tellonce/access/roles.py);
# - only to their own staff: people with an active membership in an organisation they
#   administer, or a new account that is no one's staff yet and no family's (its first role).
#   Someone working for another agency gets roles there from that agency's administrator.


@dataclass(frozen=True)
class Refusal:
    """Why a role may not be given or ended: the form field it is about, and the message."""

    field: str
    message: str


def own_staff(user: User, today: date | None = None) -> QuerySet[User]:
    """People with an active membership in an organisation the user administers."""
    orgs = administered_organisations(user).values("pk")
    return User.objects.filter(
        pk__in=StaffMembership.objects.filter(
            StaffMembership.active_q(on=today or date.today()), organisation_id__in=orgs
        ).values("user_id")
    )


def _has_family_record(person: User) -> bool:
    """A parent's, a carer's or a young person's account."""
    return (
        Child.objects.filter(user=person).exists()
        or FamilyLink.objects.filter(adult__user=person).exists()
    )


def grant_refusal(
    admin: User, organisation: Organisation, person: User, role: str, today: date | None = None
) -> Refusal | None:
    """Why `admin` may not give `person` this role in `organisation`, or None if they may."""
    today = today or date.today()
    if not administered_organisations(admin).filter(pk=organisation.pk).exists():
        return Refusal("organisation", f"You do not manage {organisation}")
    if role not in Role.values:
        return Refusal("role", "Select a role from the list")
    if not role_rules.role_fits(role, organisation.kind):
        return Refusal("role", role_rules.misfit_message(role, organisation.kind))
    if not own_staff(admin, today).filter(pk=person.pk).exists():
        if StaffMembership.objects.filter(StaffMembership.active_q(on=today), user=person).exists():
            return Refusal(
                "username",
                f"{person.username} works for an organisation you do not manage. Only an "
                "administrator of an organisation they work for can give them a role",
            )
        if _has_family_record(person):
            return Refusal(
                "username",
                f"{person.username} is a family's account. Staff need an account of their own "
                "for work",
            )
    already = StaffMembership.objects.filter(
        StaffMembership.active_q(on=today), user=person, organisation=organisation, role=role
    ).exists()
    if already:
        return Refusal(
            "role", f"{person} already has the role {Role(role).label} in {organisation}"
        )
    return None


def end_refusal(admin: User, membership: StaffMembership) -> Refusal | None:
    """Why `admin` may not end this membership, or None if they may."""
    if not administered_organisations(admin).filter(pk=membership.organisation_id).exists():
        return Refusal("organisation", f"You do not manage {membership.organisation}")
    return None


# ----- health referrals and waiting lists (issue 6) -----


def referral_provider_ids(user: User) -> list[int]:
    """Health services whose referrals the user manages: the services they work in as a
    health practitioner, and the services directly under those (a trust's, say)."""
    own = _org_ids(user, frozenset({Role.HEALTH_PRACTITIONER}))
    if not own:
        return []
    below = Organisation.objects.filter(parent_id__in=own).values_list("pk", flat=True)
    return sorted(set(own) | set(below))


def scope_referrals(
    user: User, referrals: QuerySet[Any], today: date | None = None
) -> QuerySet[Any]:
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


def scope_family_referrals(user: User, referrals: QuerySet[Any]) -> QuerySet[Any]:
    """The referrals (health.Referral) of the children a user sees as family."""
    return referrals.filter(child_id__in=family_children(user).values("pk"))


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
    if child.setting_id is not None and child.setting_id in _org_ids(
        user, frozenset({Role.SENCO})
    ):
        kinds.add(REFERRER_SCHOOL)
    if _org_ids(user, frozenset({Role.HEALTH_PRACTITIONER})):
        kinds.add(REFERRER_HEALTH)
    return frozenset(kinds)


def referable_pathways(user: User, child: Child, access: ChildAccess) -> QuerySet[Any]:
    """The health pathways (health.Pathway) the user may refer this child to: those that
    take referrals from them and serve the child's area (the whole area's list, or the list
    of the child's locality). `access` is how the user sees the child (get_child_or_404)."""
    from tellonce.health.models import Pathway

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


def family_users(child: Child, today: date | None = None) -> list[User]:
    """The accounts that see this child as family (the people to tell when something
    changes): parents and carers with parental responsibility, unless a young person of 16
    or over has decided they may not; and the young person themselves from 16."""
    cutoff = _sixteenth_birthday_cutoff(today or date.today())
    is_sixteen = child.date_of_birth <= cutoff
    users: list[User] = []
    if not (is_sixteen and child.parent_access == Child.ParentAccess.WITHHELD):
        users += list(
            User.objects.filter(
                adult__links__child=child,
                adult__links__parental_responsibility=True,
                is_active=True,
            ).order_by("pk")
        )
    if is_sixteen and child.user_id is not None:
        own = User.objects.filter(pk=child.user_id, is_active=True).first()
        if own is not None:
            users.append(own)
    return users


# ----- The local offer (directory) -----
# Who keeps the local offer true. Every service is public; these decide who may change one.
# - Local offer editors (role local_offer_editor) edit every service: one deployment publishes
#   one local authority's local offer. Only they import, and respond to feedback (reg 56).
# - Providers edit their own services: anyone with an active membership of the organisation
#   that provides the service (directory Organization.provider: a charity's staff, a health
#   service's clinicians), and the organisation administrators of its parent (a trust's
#   administrator for the trust's services). A service whose organisation has no provider
#   is the editors' alone.
# Directory models are imported inside the functions: access sits below the workflows.


def is_local_offer_editor(user: User) -> bool:
    return Role.LOCAL_OFFER_EDITOR in roles(user)


def _provider_org_ids(user: User) -> list[int]:
    """Platform organisations whose directory services the user may edit as a provider."""
    own = {m.organisation_id for m in active_memberships(user)}
    administered = administered_organisations(user).values_list("pk", flat=True)
    return sorted(own | set(administered))


def editable_services(user: User) -> QuerySet[Any]:
    """The directory services the user may edit, retire and mark as reviewed."""
    from tellonce.directory.models import Service

    if is_local_offer_editor(user):
        return Service.objects.all()
    ids = _provider_org_ids(user)
    if not ids:
        return Service.objects.none()
    return Service.objects.filter(organization__provider_id__in=ids)


def editable_organizations(user: User) -> QuerySet[Any]:
    """Directory organisations under which the user may add a service."""
    from tellonce.directory.models import Organization

    if is_local_offer_editor(user):
        return Organization.objects.all()
    ids = _provider_org_ids(user)
    if not ids:
        return Organization.objects.none()
    return Organization.objects.filter(provider_id__in=ids)


def may_edit_service(user: User, service: Any) -> bool:
    """One service: the same rule as editable_services, so a list and a page agree."""
    return editable_services(user).filter(pk=service.pk).exists()


def may_manage_local_offer(user: User) -> bool:
    """Editors, and anyone with a service (or an organisation) of their own to keep true."""
    return is_local_offer_editor(user) or editable_organizations(user).exists()


def get_editable_service_or_404(user: User, service_id: UUID | str) -> Any:
    try:
        service_uuid = UUID(str(service_id))
    except ValueError:
        raise Http404("No such service") from None
    service = editable_services(user).filter(pk=service_uuid).select_related("organization").first()
    if service is None:
        raise Http404("No such service")
    return service


# ----- the statutory EHC process (tellonce.ehc) -----


def is_caseworker_for(user: User, child: Child) -> bool:
    """A SEND caseworker or manager of the child's local authority: runs its EHC process."""
    return child.local_authority_id in _authorities(user, CASELOAD_ROLES)


def is_send_manager_for(user: User, child: Child) -> bool:
    """A SEND manager of the child's local authority: may override a missing sign-off."""
    return child.local_authority_id in _authorities(user, frozenset({Role.LA_MANAGER}))


def ehc_caseload_authorities(user: User) -> list[int]:
    """The local authorities whose EHC worklist the user works (SEND caseworkers, managers)."""
    return _authorities(user, CASELOAD_ROLES)


def may_request_assessment(user: User, child: Child, access: ChildAccess) -> bool:
    """CFA s.36(1): the parent, the young person, or the child's school or setting may ask."""
    if access.is_family:
        return True
    return child.setting_id is not None and child.setting_id in _org_ids(
        user, frozenset({Role.SENCO})
    )


def acts_for(user: User, organisation_id: int, named_user_id: int | None = None) -> bool:
    """The user may act for this organisation (give its advice, sign off its sections): an
    active practitioner there, and the named person where one is named."""
    if named_user_id is not None and named_user_id != user.pk:
        return False
    return organisation_id in _org_ids(user, PRACTITIONER_ROLES)


def acting_organisations(user: User) -> list[int]:
    """The organisations the user acts for as a practitioner (for 'my advice requests')."""
    return _org_ids(user, PRACTITIONER_ROLES)


def may_see_caseload_messages(user: User) -> bool:
    """SEND managers see every outbox message about their caseload, not only their own."""
    return Role.LA_MANAGER in roles(user)


def statutory_caseload_q(user: User, prefix: str = "") -> Q | None:
    """The caseload condition of `_conditions` (caseworkers' and managers' statutory
    caseload) on a related child (`prefix="child__"`), for lists driven from another table
    (the EHC worklist) where joining through `visible_children` would be slow. None if the
    user has no caseload. Same rule, so a list and a record can never disagree."""
    authorities = _authorities(user, CASELOAD_ROLES)
    if not authorities:
        return None
    return Q(
        **{
            f"{prefix}local_authority_id__in": authorities,
            f"{prefix}send_status__in": CASELOAD_STATUSES,
        }
    )


def ehc_step_caseload_q(user: User) -> Q | None:
    """The caseload condition of `_conditions` on EHC steps (ehc.Step), through the copies of
    the child's authority and status each step keeps (`local_authority`,
    `child_send_status`), so the worklist is scoped without joining every open step to its
    child. Same rule and the same statuses as the record check. None if the user has no
    caseload."""
    authorities = _authorities(user, CASELOAD_ROLES)
    if not authorities:
        return None
    return Q(local_authority_id__in=authorities, child_send_status__in=CASELOAD_STATUSES)
