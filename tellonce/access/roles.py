"""Which roles exist in which kind of organisation: a rule of the policy.

A role is what the policy grants from: a SEND caseworker sees the local authority's whole
statutory caseload, a health practitioner their service's referrals. A role given in the
wrong kind of organisation is therefore a grant across agencies (an NHS trust's
administrator making someone a "SEND caseworker" in a trust service gave them the council's
caseload). So the rule is one table, checked where a membership is made (the model and the
organisation administrator's action) and where one is read (`policy.active_memberships`
ignores a membership that breaks it, so a bad row already in the database grants nothing).

The council's SEND service is an organisation of kind local authority: the council itself
or a team under it (the demo's "SEND Team", `parent` the council). Its caseload is the
caseload of that team's local authority (`access.policy.authorities`).

Imports only people's models: people's models import this module inside their methods, so
it must not import anything that imports them back at load time.
"""

from __future__ import annotations

from tellonce.people.models import Organisation, StaffMembership

Kind = Organisation.Kind
Role = StaffMembership.Role

EDUCATION = frozenset({Kind.SCHOOL, Kind.EARLY_YEARS, Kind.COLLEGE})
HEALTH_PROVIDERS = frozenset({Kind.NHS_TRUST, Kind.HEALTH_SERVICE})

# Each role and the kinds of organisation it may exist in.
ROLE_KINDS: dict[str, frozenset[str]] = {
    # The EHC caseload is the local authority's statutory duty (Children and Families Act
    # 2014 Part 3): only a local authority (its SEND service) employs caseworkers for it.
    Role.LA_CASEWORKER: frozenset({Kind.LOCAL_AUTHORITY}),
    # The same caseload, and the authority's decisions (overriding a missing sign-off).
    Role.LA_MANAGER: frozenset({Kind.LOCAL_AUTHORITY}),
    # Statutory psychological advice (SEND Regulations 2014 reg 6(1)(b)) comes from the
    # council's educational psychology service.
    Role.EDUCATIONAL_PSYCHOLOGIST: frozenset({Kind.LOCAL_AUTHORITY}),
    # The local authority publishes the local offer (CFA 2014 s.30); an editor edits every
    # service in it, so no other agency may have one.
    Role.LOCAL_OFFER_EDITOR: frozenset({Kind.LOCAL_AUTHORITY}),
    # The partnership's two statutory partners (joint commissioning, CFA 2014 s.26): the
    # council and the integrated care board see their area's aggregates.
    Role.LEADER: frozenset({Kind.LOCAL_AUTHORITY, Kind.ICB}),
    # Clinicians work for the NHS providers: a trust or one of its services.
    Role.HEALTH_PRACTITIONER: HEALTH_PROVIDERS,
    # The designated clinical officer is the integrated care board's (SEND Code of Practice
    # 3.49), not a provider's.
    Role.DCO: frozenset({Kind.ICB}),
    # SENCOs and setting practitioners work in the setting: a school, an early years
    # setting or a college (SEND Code of Practice 5.52, 6.84, 7.18).
    Role.SENCO: EDUCATION,
    # Social workers work in the council's social care teams, which are their own kind.
    Role.SOCIAL_WORKER: frozenset({Kind.SOCIAL_CARE}),
    # The area's parent carer forum is an independent voluntary group of parents (funded
    # by the DfE; SEND Code of Practice 4.12): its members see the published scorecard,
    # aggregates only, and no child's record.
    Role.PARENT_CARER_FORUM: frozenset({Kind.VOLUNTARY}),
    # The council receives the other agencies' files (school census returns, social care,
    # community health caseloads) and joins them to its children's records: the data
    # officer works for the local authority that holds the record (tellonce/matching).
    Role.DATA_OFFICER: frozenset({Kind.LOCAL_AUTHORITY}),
    # Every organisation has someone who manages its own staff and involvements.
    Role.ORG_ADMIN: frozenset(Kind.values),
}

# The agency each kind belongs to. An administrator manages organisations of their own
# agency only: a trust's administrator never manages a council team, even one filed under
# the trust by mistake.
AGENCY_OF_KIND: dict[str, str] = {
    Kind.LOCAL_AUTHORITY: "council",
    Kind.SOCIAL_CARE: "council",  # the council's children's social care
    Kind.ICB: "NHS",
    Kind.NHS_TRUST: "NHS",
    Kind.HEALTH_SERVICE: "NHS",
    Kind.SCHOOL: "education",
    Kind.EARLY_YEARS: "education",
    Kind.COLLEGE: "education",
    Kind.VOLUNTARY: "voluntary",
}


def role_fits(role: str, kind: str) -> bool:
    """The role may exist in an organisation of this kind."""
    return kind in ROLE_KINDS.get(role, frozenset())


def same_agency(kind: str, other_kind: str) -> bool:
    return AGENCY_OF_KIND.get(kind) is not None and AGENCY_OF_KIND.get(kind) == AGENCY_OF_KIND.get(
        other_kind
    )


def roles_for(kind: str) -> list[tuple[str, str]]:
    """The roles (value, label) an organisation of this kind may have, in the roles' order."""
    return [(value, str(label)) for value, label in Role.choices if role_fits(value, kind)]


def _with_article(label: str) -> str:
    text = label if label.startswith("NHS") else label[0].lower() + label[1:]
    return f"{'an' if text[0] in 'aeiouN' else 'a'} {text}"


def misfit_message(role: str, kind: str) -> str:
    """Why the role cannot be given in an organisation of this kind, naming where it can."""
    role_label = Role(role).label if role in Role.values else role
    kind_label = Kind(kind).label if kind in Kind.values else kind
    where = " or ".join(
        _with_article(str(Kind(k).label)) for k in Kind.values if k in ROLE_KINDS.get(role, ())
    )
    return (
        f"{role_label} is not a role in {_with_article(str(kind_label))}. "
        f"It exists only in {where or 'no organisation'}"
    )
