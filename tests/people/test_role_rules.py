"""Roles cannot cross agencies: which role exists in which kind of organisation, who may give
it to whom, the audit of every grant and end, and the migration that ended bad memberships.

The expected rule is written out here by hand (ALLOWED, AGENCY), not read from
tellonce/access/roles.py: these tests say what the rule is, the code must agree.
"""

from __future__ import annotations

import importlib
import itertools
from datetime import date, timedelta

import pytest
from django.apps import apps as live_apps
from django.core.exceptions import ValidationError
from django.test import Client

from tellonce.access.models import AuditEvent
from tellonce.access.policy import active_memberships, roles, visible_children
from tellonce.demo.area import generate_area
from tellonce.people import actions
from tellonce.people.models import Organisation, RoleChange, StaffMembership, User
from tests.factories import make_org, make_staff, make_user

KINDS = [
    "local_authority",
    "icb",
    "nhs_trust",
    "health_service",
    "school",
    "early_years",
    "college",
    "social_care",
    "voluntary",
]
ROLES = [
    "senco",
    "la_caseworker",
    "la_manager",
    "health_practitioner",
    "dco",
    "social_worker",
    "educational_psychologist",
    "leader",
    "local_offer_editor",
    "org_admin",
    "parent_carer_forum",
    "data_officer",
]
# The rule: each role and the kinds of organisation it may exist in.
ALLOWED = {
    ("la_caseworker", "local_authority"),
    ("la_manager", "local_authority"),
    ("educational_psychologist", "local_authority"),
    ("local_offer_editor", "local_authority"),
    ("leader", "local_authority"),
    ("leader", "icb"),
    ("health_practitioner", "nhs_trust"),
    ("health_practitioner", "health_service"),
    ("dco", "icb"),
    ("senco", "school"),
    ("senco", "early_years"),
    ("senco", "college"),
    ("social_worker", "social_care"),
    ("parent_carer_forum", "voluntary"),
    ("data_officer", "local_authority"),
} | {("org_admin", kind) for kind in KINDS}
# An administrator manages organisations under theirs only within their own agency.
AGENCY = {
    "local_authority": "council",
    "social_care": "council",
    "icb": "NHS",
    "nhs_trust": "NHS",
    "health_service": "NHS",
    "school": "education",
    "early_years": "education",
    "college": "education",
    "voluntary": "voluntary",
}


def test_the_expectations_name_every_role_and_kind() -> None:
    """So the enumeration below is every combination, and a new role or kind must be added."""
    assert set(ROLES) == set(StaffMembership.Role.values)
    assert set(KINDS) == set(Organisation.Kind.values)
    assert set(AGENCY) == set(KINDS)


def bad_membership(user: User, org: Organisation, role: str) -> StaffMembership:
    """A row breaking the rule, as one made before it: bulk creation through the base manager
    skips both save() and the checked bulk_create, which is the point."""
    membership = StaffMembership(
        user=user, organisation=org, role=role, start=date.today() - timedelta(days=30)
    )
    StaffMembership._base_manager.bulk_create([membership])
    return StaffMembership.objects.get(user=user, organisation=org, role=role)


def offered_roles(page: str) -> set[str]:
    return {role for role in ROLES if f'<option value="{role}"' in page}


# ----- every role x organisation kind x granting administrator -----


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("admin_kind", "target_kind"), list(itertools.product(KINDS, KINDS))
)
def test_every_role_in_every_kind_by_every_administrator(admin_kind: str, target_kind: str) -> None:
    """An administrator of an organisation of `admin_kind` gives each role, to a new account,
    in an organisation of `target_kind` under theirs: exactly the allowed grants succeed; the
    rest are refused with a message and nothing saved. Another agency's organisation, even
    one filed under theirs, is not theirs to manage at all (404)."""
    own = make_org(f"Admin's {admin_kind}", admin_kind)
    target = make_org(f"A {target_kind} under it", target_kind, parent=own)
    client = Client()
    client.force_login(make_staff(f"admin-{admin_kind}", own, "org_admin"))
    url = f"/organisations/{target.pk}/staff/"
    same_agency = AGENCY[admin_kind] == AGENCY[target_kind]
    page = client.get(url)
    if not same_agency:
        assert page.status_code == 404
    else:
        expected = {role for role in ROLES if (role, target_kind) in ALLOWED}
        assert offered_roles(page.content.decode()) == expected
    granted: set[str] = set()
    for role in ROLES:
        person = make_user(f"new-{role}")
        audits = AuditEvent.objects.count()
        response = client.post(url, {"username": person.username, "role": role})
        saved = StaffMembership.objects.filter(user=person).exists()
        if response.status_code == 302:
            granted.add(role)
            assert saved
            assert AuditEvent.objects.count() == audits + 1
            assert RoleChange.objects.filter(membership__user=person, change="granted").exists()
        else:
            assert response.status_code == (200 if same_agency else 404), role
            assert not saved, role
            assert AuditEvent.objects.count() == audits
            assert not RoleChange.objects.filter(membership__user=person).exists()
            if same_agency:
                assert "is not a role in" in response.content.decode(), role
    expected_grants = (
        {role for role in ROLES if (role, target_kind) in ALLOWED} if same_agency else set()
    )
    assert granted == expected_grants


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "kind"), list(itertools.product(ROLES, KINDS)))
def test_the_model_refuses_a_role_outside_its_kinds(role: str, kind: str) -> None:
    org = make_org(f"A {kind}", kind)
    user = make_user("someone")
    membership = StaffMembership(user=user, organisation=org, role=role)
    if (role, kind) in ALLOWED:
        membership.full_clean()
        membership.save()
        assert StaffMembership.objects.filter(user=user).count() == 1
    else:
        with pytest.raises(ValidationError):
            membership.full_clean()
        with pytest.raises(ValidationError):
            membership.save()
        with pytest.raises(ValidationError):
            StaffMembership.objects.bulk_create([StaffMembership(user=user, organisation=org,
                                                                 role=role)])
        assert not StaffMembership.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_membership_cannot_be_moved_to_another_role_or_organisation_by_update(world) -> None:
    memberships = StaffMembership.objects.filter(user=world.users["editor"])
    with pytest.raises(ValidationError):
        memberships.update(role="la_caseworker")
    with pytest.raises(ValidationError):
        memberships.update(organisation=world.slt)
    assert memberships.get().role == "local_offer_editor"


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "kind"), list(itertools.product(ROLES, KINDS)))
def test_the_policy_ignores_a_membership_breaking_the_rule(role: str, kind: str) -> None:
    """Defence in depth: a row already in the database counts only if the rule allows it."""
    org = make_org(f"A {kind}", kind)
    user = make_user("someone")
    bad_membership(user, org, role)
    assert (roles(user) == {role}) == ((role, kind) in ALLOWED)
    assert bool(active_memberships(user)) == ((role, kind) in ALLOWED)


# ----- the reported escalation -----


@pytest.mark.django_db
class TestTheReportedEscalation:
    """An NHS trust's administrator gave a local offer editor the "SEND caseworker" role in
    the trust's service, and the editor saw the council's statutory caseload."""

    def test_trust_admin_cannot_make_the_editor_a_caseworker_in_a_trust_service(
        self, world, client_for
    ) -> None:
        response = client_for("orgadmin").post(
            f"/organisations/{world.slt.pk}/staff/",
            {"username": "editor", "role": "la_caseworker"},
        )
        assert response.status_code == 200
        assert (
            "SEND caseworker is not a role in a health service. It exists only in a local "
            "authority" in response.content.decode()
        )
        assert not StaffMembership.objects.filter(
            user=world.users["editor"], role="la_caseworker"
        ).exists()
        editor = User.objects.get(username="editor")
        assert client_for("editor").get("/ehc/worklist/").status_code == 404
        assert not visible_children(editor).exists()

    def test_caseworker_role_is_not_offered_in_a_trust_service(self, world, client_for) -> None:
        page = client_for("orgadmin").get(f"/organisations/{world.slt.pk}/staff/").content
        assert offered_roles(page.decode()) == {"health_practitioner", "org_admin"}

    def test_trust_admin_cannot_give_another_agencys_staff_any_role(
        self, world, client_for
    ) -> None:
        response = client_for("orgadmin").post(
            f"/organisations/{world.slt.pk}/staff/",
            {"username": "editor", "role": "health_practitioner"},
        )
        assert (
            "editor works for an organisation you do not manage"
            in response.content.decode()
        )
        assert not StaffMembership.objects.filter(
            user=world.users["editor"], organisation=world.slt
        ).exists()

    def test_a_bad_row_already_there_grants_no_caseload(self, world, client_for) -> None:
        editor = world.users["editor"]
        bad_membership(editor, world.slt, "la_caseworker")
        editor = User.objects.get(pk=editor.pk)  # no memberships cached
        assert not visible_children(editor).exists()
        client = client_for("editor")
        assert client.get("/ehc/worklist/").status_code == 404
        assert client.get(f"/children/{world.kofi.pk}/").status_code == 404
        assert client.get("/children/").status_code == 404
        # The same row in the council's SEND team would have granted the caseload: the
        # test above fails for the right reason, not because the editor sees nothing anyway.
        newcomer = make_user("newcomer")
        StaffMembership.objects.create(user=newcomer, organisation=world.send_team,
                                       role="la_caseworker")
        assert visible_children(newcomer).filter(pk=world.kofi.pk).exists()


# ----- own staff only, own organisations only -----


@pytest.mark.django_db
class TestWhoMayBeGivenARole:
    def post(self, client_for, org, username: str, role: str):  # type: ignore[no-untyped-def]
        return client_for("orgadmin").post(
            f"/organisations/{org.pk}/staff/", {"username": username, "role": role}
        )

    def test_own_staff_may_be_given_another_role_of_the_kind(self, world, client_for) -> None:
        response = self.post(client_for, world.trust, "slt", "health_practitioner")
        assert response.status_code == 302
        assert StaffMembership.objects.filter(
            user=world.users["slt"], organisation=world.trust, role="health_practitioner"
        ).exists()

    def test_a_new_account_may_be_given_its_first_role(self, world, client_for) -> None:
        make_user("newstarter")
        response = self.post(client_for, world.slt, "newstarter", "health_practitioner")
        assert response.status_code == 302

    def test_a_school_senco_is_not_the_trusts_to_give_a_role(self, world, client_for) -> None:
        text = self.post(client_for, world.slt, "senco", "health_practitioner").content.decode()
        assert "senco works for an organisation you do not manage" in text
        assert not StaffMembership.objects.filter(
            user=world.users["senco"], organisation=world.slt
        ).exists()

    def test_a_family_account_is_refused(self, world, client_for) -> None:
        for username in ("parent", "youngperson"):
            text = self.post(client_for, world.slt, username, "health_practitioner").content
            assert f"{username} is a family&#x27;s account" in text.decode()
            assert not StaffMembership.objects.filter(user=world.users[username]).exists()

    def test_the_same_role_twice_is_refused(self, world, client_for) -> None:
        text = self.post(client_for, world.slt, "slt", "health_practitioner").content.decode()
        assert "already has the role Health practitioner in Speech and Language Therapy" in text
        assert StaffMembership.objects.filter(user=world.users["slt"]).count() == 1

    def test_an_unknown_role_is_a_clear_error(self, world, client_for) -> None:
        make_user("newstarter")
        text = self.post(client_for, world.slt, "newstarter", "superuser").content.decode()
        assert "Select a role from the list" in text
        assert not StaffMembership.objects.filter(user__username="newstarter").exists()

    def test_a_forged_post_to_an_organisation_not_administered_is_a_404(
        self, world, client_for
    ) -> None:
        make_user("newstarter")
        for org in (world.school_a, world.send_team, world.la):
            response = self.post(client_for, org, "newstarter", "org_admin")
            assert response.status_code == 404
        assert not StaffMembership.objects.filter(user__username="newstarter").exists()

    def test_a_council_team_filed_under_the_trust_is_not_the_trusts(
        self, world, client_for
    ) -> None:
        misfiled = make_org("Misfiled SEND Team", "local_authority", parent=world.trust)
        assert client_for("orgadmin").get(f"/organisations/{misfiled.pk}/staff/").status_code == 404
        assert client_for("orgadmin").get(
            f"/organisations/{misfiled.pk}/involvements/"
        ).status_code == 404

    def test_the_actions_refuse_what_the_pages_would_not_offer(self, world) -> None:
        """The guard is in the action too, not only in the view that calls it."""
        admin, newcomer = world.users["orgadmin"], make_user("newstarter")
        with pytest.raises(actions.Refused):
            actions.do_add_staff(admin, world.send_team, newcomer, "la_caseworker", "")
        with pytest.raises(actions.Refused):
            actions.do_add_staff(admin, world.slt, newcomer, "la_caseworker", "")
        with pytest.raises(actions.Refused):
            actions.do_add_staff(admin, world.slt, world.users["editor"], "org_admin", "")
        with pytest.raises(actions.Refused):
            actions.do_end_membership(admin, world.users["senco"].memberships.get(), date.today())
        assert not StaffMembership.objects.filter(user=newcomer).exists()
        assert world.users["senco"].memberships.get().end is None
        assert not RoleChange.objects.exists()

    def test_ending_a_membership_of_another_organisation_is_a_404(self, world, client_for) -> None:
        senco = world.users["senco"].memberships.get()
        response = client_for("orgadmin").post(
            f"/organisations/{world.slt.pk}/staff/{senco.pk}/end/"
        )
        assert response.status_code == 404
        assert StaffMembership.objects.get(pk=senco.pk).end is None


# ----- every grant and end audited and shown to the organisation -----


@pytest.mark.django_db
class TestGrantsAndEndsAreAuditedAndShown:
    def test_a_grant_writes_an_audit_event_and_shows_on_the_staff_page(
        self, world, client_for
    ) -> None:
        make_user("newstarter", display_name="Nia Starter")
        client = client_for("orgadmin")
        client.post(
            f"/organisations/{world.slt.pk}/staff/",
            {"username": "newstarter", "role": "health_practitioner"},
        )
        membership = StaffMembership.objects.get(user__username="newstarter")
        event = AuditEvent.objects.get(subject="Staff role given: Health practitioner")
        assert event.child is None
        assert event.user == world.users["orgadmin"]
        assert event.action == "create"
        assert event.detail["membership_id"] == membership.pk
        assert event.detail["organisation_id"] == world.slt.pk
        assert event.detail["staff_username"] == "newstarter"
        page = client.get(f"/organisations/{world.slt.pk}/staff/").content.decode()
        assert "<strong>Role given</strong>: Nia Starter" in page

    def test_an_end_writes_an_audit_event_and_shows_on_the_staff_page(
        self, world, client_for
    ) -> None:
        membership = world.users["slt"].memberships.get()
        client = client_for("orgadmin")
        client.post(f"/organisations/{world.slt.pk}/staff/{membership.pk}/end/")
        event = AuditEvent.objects.get(subject="Staff role ended: Health practitioner")
        assert event.action == "update"
        assert event.detail["membership_id"] == membership.pk
        assert event.detail["on"] == date.today().isoformat()
        change = RoleChange.objects.get(membership=membership)
        assert (change.change, change.on, change.by) == ("ended", date.today(),
                                                         world.users["orgadmin"])
        page = client.get(f"/organisations/{world.slt.pk}/staff/").content.decode()
        assert "<strong>Role ended</strong>: Slt" in page

    def test_the_history_is_empty_until_a_role_changes(self, world, client_for) -> None:
        client = client_for("orgadmin")
        for url in (
            f"/organisations/{world.slt.pk}/staff/",
            f"/organisations/{world.slt.pk}/staff/changes/",
        ):
            assert "No role has been given or ended here yet." in client.get(url).content.decode()

    def test_the_history_pages_through_every_change(self, world, client_for) -> None:
        client = client_for("orgadmin")
        for i in range(30):
            make_user(f"temp{i:02d}")
            client.post(
                f"/organisations/{world.slt.pk}/staff/",
                {"username": f"temp{i:02d}", "role": "health_practitioner"},
            )
        assert RoleChange.objects.filter(organisation=world.slt).count() == 30
        staff_page = client.get(f"/organisations/{world.slt.pk}/staff/").content.decode()
        assert "See every change to roles (30)" in staff_page
        assert staff_page.count("<strong>Role given</strong>") == 5
        first = client.get(f"/organisations/{world.slt.pk}/staff/changes/").content.decode()
        second = client.get(f"/organisations/{world.slt.pk}/staff/changes/?page=2").content
        assert first.count("<strong>Role given</strong>") == 25
        assert second.decode().count("<strong>Role given</strong>") == 5
        # Newest first: the last account given a role heads the first page.
        assert first.index("temp29") < first.index("temp05")
        assert "temp00" in second.decode()

    def test_another_organisations_history_is_a_404(self, world, client_for) -> None:
        response = client_for("orgadmin").get(f"/organisations/{world.school_a.pk}/staff/changes/")
        assert response.status_code == 404


# ----- the data migration -----


def migration_module():  # type: ignore[no-untyped-def]
    return importlib.import_module(
        "tellonce.people.migrations.0008_end_memberships_outside_their_kind"
    )


@pytest.mark.django_db
def test_the_migration_ends_reports_and_audits_each_bad_membership(world) -> None:
    # The migration ran before later roles existed (its table is frozen as it stood): the
    # world it meets has none of them.
    StaffMembership.objects.exclude(role__in=migration_module().ROLE_KINDS).delete()
    editor_as_caseworker = bad_membership(world.users["editor"], world.slt, "la_caseworker")
    senco_in_trust = bad_membership(world.users["senco"], world.trust, "senco")
    already_ended = bad_membership(make_user("left"), world.slt, "la_manager")
    StaffMembership.objects.filter(pk=already_ended.pk).update(end=date.today() - timedelta(5))
    valid_before = set(
        StaffMembership.objects.filter(end__isnull=True)
        .exclude(pk__in=[editor_as_caseworker.pk, senco_in_trust.pk])
        .values_list("pk", flat=True)
    )
    lines: list[str] = []
    ended = migration_module().end_memberships_outside_their_kind(
        live_apps, None, today=date.today(), report=lines.append
    )
    assert ended == 2
    for membership in (editor_as_caseworker, senco_in_trust):
        membership.refresh_from_db()
        assert membership.end == date.today()
        assert RoleChange.objects.filter(membership=membership, change="ended").exists()
        event = AuditEvent.objects.get(detail__membership_id=membership.pk)
        assert event.child is None and event.user is None and event.action == "update"
    report = "\n".join(lines)
    assert "editor as la_caseworker in Speech and Language Therapy" in report
    assert (
        "senco as senco in Testshire NHS Trust. SENCO or setting practitioner is not a role in "
        "an NHS trust; it exists only in a school or an early years setting or a college"
    ) in report
    assert "left" not in report
    # Valid memberships are untouched, and the ended ones grant nothing.
    assert set(
        StaffMembership.objects.filter(end__isnull=True).values_list("pk", flat=True)
    ) == valid_before
    # Running it again finds nothing more to do.
    assert migration_module().end_memberships_outside_their_kind(
        live_apps, None, report=lines.append
    ) == 0


# ----- the demo area -----


@pytest.mark.django_db
def test_every_membership_in_the_demo_area_fits_its_organisation() -> None:
    generate_area(seed=11, children=3000, progress=lambda message: None)
    pairs = StaffMembership.objects.values_list("role", "organisation__kind", "user__username")
    assert len(pairs) > 50
    misfits = [(u, r, k) for r, k, u in pairs if (r, k) not in ALLOWED]
    assert misfits == []
    # Every organisation under another belongs to the same agency, so an administrator's
    # scope is all of their organisation's services.
    split = [
        (o.name, o.kind, o.parent.kind)
        for o in Organisation.objects.filter(parent__isnull=False).select_related("parent")
        if AGENCY[o.kind] != AGENCY[o.parent.kind]
    ]
    assert split == []
    # Every demo account's role counts with the policy: none is silently ignored.
    for user in User.objects.filter(memberships__isnull=False).distinct()[:200]:
        assert active_memberships(user)
