"""Who may see a child's record, and which children: the only place that decides.

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

Each workflow keeps the rules for its own records in its own policy module, built on this
one (as Wagtail's permission_policies): referrals in tellonce/health/policy.py, services in
tellonce/directory/policy.py, the EHC process's roles in tellonce/ehc/policy.py. This module
imports no workflow app (the import contracts in pyproject.toml check it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    TextChoices,
)
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


class Basis(TextChoices):
    """The basis on which a user sees a child: one per way of seeing (`_conditions`), and the
    text the audit log records. Whether the user is the family, or the young person, follows
    from the basis, so no caller compares strings."""

    FAMILY = "Parent or carer with parental responsibility"
    YOUNG_PERSON = "Young person's own record"
    INVOLVEMENT = "Works with the child (involvement, with consent or a statutory basis)"
    # Also the basis of everything the SEND team does in the EHC process (tellonce.ehc).
    CASELOAD = "Local authority SEND caseload (Children and Families Act 2014 Part 3)"

    @property
    def is_family(self) -> bool:
        """A parent or carer, or the young person themselves."""
        return self in (Basis.FAMILY, Basis.YOUNG_PERSON)


@dataclass(frozen=True)
class ChildAccess:
    """Why a user may see a child: the basis written to the audit log."""

    basis: Basis

    @property
    def is_family(self) -> bool:
        return self.basis.is_family

    @property
    def is_young_person(self) -> bool:
        return self.basis is Basis.YOUNG_PERSON


@dataclass(frozen=True)
class Condition:
    """One way a user may see a child: the basis, the condition on Child for lists, and, for
    conditions on the child's own fields only, the same test in Python so a single record
    can be checked without another query. tests/access/test_policy.py checks that the two
    forms agree for every user and child of the test area."""

    basis: Basis
    q: Q
    on_fields: Callable[[Child], bool] | None = None


def sixteenth_birthday_cutoff(today: date) -> date:
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


def org_ids(user: User, allowed: frozenset[str]) -> list[int]:
    """The organisations of the user's memberships in these roles."""
    return sorted({m.organisation_id for m in active_memberships(user) if m.role in allowed})


def authorities(user: User, allowed: frozenset[str]) -> list[int]:
    """The local authorities of the user's memberships in these roles (a SEND team's LA)."""
    return sorted(
        {
            m.organisation.local_authority_id or m.organisation.parent_id or m.organisation_id
            for m in active_memberships(user)
            if m.role in allowed
        }
    )


def caseload_authorities(user: User) -> list[int]:
    """The local authorities whose statutory caseload the user works (SEND caseworkers and
    managers): the caseload condition of `_conditions`, and the EHC worklist's scope."""
    return authorities(user, CASELOAD_ROLES)


def caseload_q(
    local_authority_ids: Sequence[int],
    authority_field: str = "local_authority_id",
    status_field: str = "send_status",
) -> Q:
    """The statutory caseload of these authorities as a condition on Child, or on another
    table holding the child's authority and SEND status (a related child's `child__...`, or
    the copies an EHC step keeps)."""
    return Q(
        **{
            f"{authority_field}__in": local_authority_ids,
            f"{status_field}__in": CASELOAD_STATUSES,
        }
    )


def in_caseload(
    local_authority_ids: Sequence[int], local_authority_id: int, send_status: str
) -> bool:
    """`caseload_q` for one record's fields, in Python."""
    return local_authority_id in local_authority_ids and send_status in CASELOAD_STATUSES


def _is_adult_in_a_family(user: User) -> bool:
    return hasattr(user, "adult")  # loaded with the user by accounts.backends.UserBackend


def _has_own_record(user: User) -> bool:
    return hasattr(user, "own_record")


def _conditions(user: User, today: date) -> list[Condition]:
    """Each way a user may see a child. Conditions that cannot apply to this user are left
    out, so queries stay few and simple; the cheap ones on the child's own fields come first."""
    if not user.is_authenticated or not user.is_active:
        return []
    adult_cutoff = sixteenth_birthday_cutoff(today)
    conditions: list[Condition] = []

    if _is_adult_in_a_family(user):
        withheld_from_parents = Q(
            date_of_birth__lte=adult_cutoff, parent_access=Child.ParentAccess.WITHHELD
        )
        conditions.append(
            Condition(
                Basis.FAMILY,
                Q(pk__in=_family_link_children_sql(user.pk)) & ~withheld_from_parents,
            )
        )
    if _has_own_record(user):
        conditions.append(
            Condition(
                Basis.YOUNG_PERSON,
                Q(user=user, date_of_birth__lte=adult_cutoff),
                lambda child: child.user_id == user.pk and child.date_of_birth <= adult_cutoff,
            )
        )

    caseload = caseload_authorities(user)
    if caseload:
        conditions.append(
            Condition(
                Basis.CASELOAD,
                caseload_q(caseload),
                lambda child: in_caseload(caseload, child.local_authority_id, child.send_status),
            )
        )

    own_orgs = tuple(org_ids(user, PRACTITIONER_ROLES))
    if own_orgs:
        team_orgs = tuple(org_ids(user, TEAM_ROLES))
        shared = _involvement_children_sql(user.pk, own_orgs, team_orgs, today)
        conditions.append(Condition(Basis.INVOLVEMENT, Q(pk__in=shared)))
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
            return child, ChildAccess(condition.basis)
    return None


def family_children(user: User, today: date | None = None) -> QuerySet[Child]:
    """The children a user sees as family: as a parent or carer, or their own record."""
    combined = Q(pk__in=[])
    for condition in _conditions(user, today or date.today()):
        if condition.basis.is_family:
            combined |= condition.q
    return Child.objects.filter(combined)


def leader_local_authorities(user: User) -> list[int]:
    """The local authorities whose aggregates a leader sees (their organisation's area)."""
    return authorities(user, frozenset({Role.LEADER}))


def get_child_or_404(user: User, child_id: UUID | str) -> tuple[Child, ChildAccess]:
    found = child_access(user, child_id)
    if found is None:
        raise Http404("No such child record")
    return found


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
            # As `authorities` finds a caseworker's local authority from their team.
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



def family_users(child: Child, today: date | None = None) -> list[User]:
    """The accounts that see this child as family (the people to tell when something
    changes): parents and carers with parental responsibility, unless a young person of 16
    or over has decided they may not; and the young person themselves from 16."""
    cutoff = sixteenth_birthday_cutoff(today or date.today())
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
