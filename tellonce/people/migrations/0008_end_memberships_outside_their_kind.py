"""End every current staff membership whose role may not exist in its organisation's kind.

Before the rule (tellonce/access/roles.py), an organisation administrator could give any role
in any organisation they managed: an NHS trust's administrator made someone a "SEND
caseworker" in a trust service, and they saw the council's statutory caseload. The policy
now ignores such memberships; this migration ends them (end = the day it runs), prints a
report of each, and writes an audit event and a role change for each, so the organisation
sees what happened and why.

The rule and the logic are frozen here, as they were when this migration was written: a
migration must do the same thing whenever it runs, whatever the live code says later.
"""

from datetime import date

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

ALL_KINDS = frozenset(
    {
        "local_authority",
        "icb",
        "nhs_trust",
        "health_service",
        "school",
        "early_years",
        "college",
        "social_care",
        "voluntary",
    }
)
# The role -> kinds table as it stood (see tellonce/access/roles.py for the reasons).
ROLE_KINDS = {
    "la_caseworker": frozenset({"local_authority"}),
    "la_manager": frozenset({"local_authority"}),
    "educational_psychologist": frozenset({"local_authority"}),
    "local_offer_editor": frozenset({"local_authority"}),
    "leader": frozenset({"local_authority", "icb"}),
    "health_practitioner": frozenset({"nhs_trust", "health_service"}),
    "dco": frozenset({"icb"}),
    "senco": frozenset({"school", "early_years", "college"}),
    "social_worker": frozenset({"social_care"}),
    "org_admin": ALL_KINDS,
}
# The names people read, as they stood, for the report and the organisation's history.
ROLE_NAMES = {
    "senco": "SENCO or setting practitioner",
    "la_caseworker": "SEND caseworker",
    "la_manager": "SEND manager",
    "health_practitioner": "Health practitioner",
    "dco": "Designated clinical officer",
    "social_worker": "Social worker",
    "educational_psychologist": "Educational psychologist",
    "leader": "Partnership leader or commissioner",
    "local_offer_editor": "Local offer editor",
    "org_admin": "Organisation administrator",
}
KIND_NAMES = {
    "local_authority": "local authority",
    "icb": "integrated care board",
    "nhs_trust": "NHS trust",
    "health_service": "health service",
    "school": "school",
    "early_years": "early years setting",
    "college": "college",
    "social_care": "social care team",
    "voluntary": "voluntary or community organisation",
}
ACTOR = "System (data migration people.0008: roles only in organisations of their kind)"
BASIS = "A role may exist only in an organisation of a kind that has it"


def with_article(name):
    return f"{'an' if name[0] in 'aeiouN' else 'a'} {name}"


def end_memberships_outside_their_kind(apps, schema_editor, today=None, report=print):
    """End, report and audit each current membership breaking the rule. Returns how many."""
    StaffMembership = apps.get_model("people", "StaffMembership")
    RoleChange = apps.get_model("people", "RoleChange")
    AuditEvent = apps.get_model("access", "AuditEvent")
    today = today or date.today()
    current = StaffMembership.objects.filter(Q(end__isnull=True) | Q(end__gt=today))
    breaking = [
        m
        for m in current.select_related("user", "organisation").order_by("pk")
        if m.organisation.kind not in ROLE_KINDS.get(m.role, frozenset())
    ]
    if not breaking:
        return 0
    report(
        f"\nEnding {len(breaking)} staff membership(s) whose role does not exist in the kind of"
        " organisation it was given in:"
    )
    now = timezone.now()
    for m in breaking:
        org = m.organisation
        role_name = ROLE_NAMES.get(m.role, m.role)
        allowed = " or ".join(
            with_article(KIND_NAMES[k]) for k in KIND_NAMES if k in ROLE_KINDS.get(m.role, ())
        )
        reason = (
            f"{role_name} is not a role in {with_article(KIND_NAMES.get(org.kind, org.kind))}; "
            f"it exists only in {allowed or 'no organisation'}"
        )
        report(f"  membership {m.pk}: {m.user.username} as {m.role} in {org.name}. {reason}")
        StaffMembership.objects.filter(pk=m.pk).update(end=today)
        RoleChange.objects.create(
            membership_id=m.pk,
            organisation_id=org.pk,
            change="ended",
            on=today,
            at=now,
            by=None,
            by_description=ACTOR,
            reason=reason[:300],
        )
        AuditEvent.objects.create(
            at=now,
            user=None,
            actor_description=ACTOR,
            child=None,
            action="update",
            subject=f"Staff role ended: {role_name}"[:100],
            basis=BASIS,
            detail={
                "membership_id": m.pk,
                "organisation_id": org.pk,
                "organisation": org.name,
                "organisation_kind": org.kind,
                "staff_user_id": m.user_id,
                "staff_username": m.user.username,
                "role": m.role,
                "on": today.isoformat(),
            },
        )
    return len(breaking)


def forwards(apps, schema_editor):
    end_memberships_outside_their_kind(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_role_changes"),
        ("access", "0004_statutory_basis_index_holds_the_dates"),
    ]

    # Ending a membership is not undone by unapplying this: the audit log keeps the event.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
