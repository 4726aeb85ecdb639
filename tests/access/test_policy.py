"""The access policy: each rule, and that the single-record check and the list agree."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tellonce.access.models import Consent
from tellonce.access.policy import Basis, child_access, visible_children
from tellonce.people.models import Child, Involvement, StaffMembership, User
from tests.factories import (
    consent,
    involve,
    make_child,
    make_org,
    make_parent,
    make_staff,
    statutory_basis,
)

BASIS_CASELOAD, BASIS_FAMILY, BASIS_INVOLVEMENT, BASIS_YOUNG_PERSON = (
    Basis.CASELOAD, Basis.FAMILY, Basis.INVOLVEMENT, Basis.YOUNG_PERSON
)


def sees(world, username: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {c.given_name for c in visible_children(world.users[username])}


def assert_agrees(world, username: str) -> None:  # type: ignore[no-untyped-def]
    """Every child: child_access says yes exactly when the list includes it."""
    user = world.users[username]
    listed = set(visible_children(user).values_list("pk", flat=True))
    for child in Child.objects.all():
        assert (child_access(user, child.pk) is not None) == (child.pk in listed), (
            username,
            child.given_name,
        )


@pytest.mark.django_db
class TestWhoSeesWhom:
    def test_parent_with_parental_responsibility_sees_their_children_only(self, world) -> None:
        assert sees(world, "parent") == {"Kofi", "Esi"}
        assert child_access(world.users["parent"], world.kofi.pk)[1].basis == BASIS_FAMILY

    def test_parent_without_parental_responsibility_does_not_see_the_child(self, world) -> None:
        make_parent(world.bea, "stepdad", pr=False)
        world.users["stepdad"] = world.bea.family.get(adult__user__username="stepdad").adult.user
        assert sees(world, "stepdad") == set()

    def test_young_person_16_or_over_sees_their_own_record(self, world) -> None:
        assert sees(world, "youngperson") == {"Zara"}
        assert (
            child_access(world.users["youngperson"], world.zara.pk)[1].basis == BASIS_YOUNG_PERSON
        )

    def test_under_16_with_an_account_does_not_see_their_own_record(self, world) -> None:
        world.zara.date_of_birth = date.today() - timedelta(days=15 * 365)
        world.zara.save()
        assert "Zara" not in sees(world, "youngperson")

    def test_young_person_can_stop_their_parents_seeing_the_record(self, world) -> None:
        assert sees(world, "zara_mum") == {"Zara"}
        Child.objects.filter(pk=world.zara.pk).update(parent_access=Child.ParentAccess.WITHHELD)
        assert sees(world, "zara_mum") == set()

    def test_withholding_from_parents_does_not_apply_under_16(self, world) -> None:
        Child.objects.filter(pk=world.kofi.pk).update(parent_access=Child.ParentAccess.WITHHELD)
        assert "Kofi" in sees(world, "parent")

    def test_team_sees_own_agency_record_through_team_involvement(self, world) -> None:
        # Esi's record is held by her school; Bea's by another school.
        assert sees(world, "senco") == {"Kofi", "Esi"}
        assert sees(world, "senco_b") == {"Bea"}

    def test_other_agency_needs_consent(self, world) -> None:
        # The therapist is involved with Kofi (consent given) and Esi (no consent).
        assert sees(world, "slt") == {"Kofi"}
        assert child_access(world.users["slt"], world.kofi.pk)[1].basis == BASIS_INVOLVEMENT

    def test_withdrawn_consent_takes_effect_on_the_next_check(self, world) -> None:
        Consent.objects.filter(child=world.kofi, organisation=world.slt).update(
            withdrawn_at=timezone.now()
        )
        world.users["slt"].refresh_from_db()
        assert child_access(world.users["slt"], world.kofi.pk) is None

    def test_statutory_basis_allows_without_consent(self, world) -> None:
        statutory_basis(world.esi, world.slt)
        assert sees(world, "slt") == {"Kofi", "Esi"}

    def test_ended_statutory_basis_no_longer_allows(self, world) -> None:
        basis = statutory_basis(world.esi, world.slt)
        basis.end = date.today() - timedelta(days=1)
        basis.save()
        assert sees(world, "slt") == {"Kofi"}

    def test_ended_involvement_no_longer_allows(self, world) -> None:
        Involvement.objects.filter(child=world.kofi, organisation=world.slt).update(
            end=date.today() - timedelta(days=1)
        )
        assert sees(world, "slt") == set()

    def test_personal_involvement_of_a_colleague_does_not_extend_to_the_team(self, world) -> None:
        colleague = make_staff("slt2", world.slt, StaffMembership.Role.HEALTH_PRACTITIONER)
        world.users["slt2"] = colleague
        assert sees(world, "slt2") == set()
        involve(world.kofi, world.slt, role="SLT service")  # a team involvement
        assert sees(world, "slt2") == {"Kofi"}

    def test_educational_psychologist_is_not_a_team_role(self, world) -> None:
        ep_service = world.users["ep"].memberships.get().organisation
        involve(world.bea, ep_service, role="EP service")  # team involvement, no named EP
        statutory_basis(world.bea, ep_service, "cfa_s36")
        assert sees(world, "ep") == set()

    def test_caseworker_sees_the_statutory_caseload_of_their_authority(self, world) -> None:
        assert sees(world, "caseworker") == {"Kofi", "Zara"}
        assert child_access(world.users["caseworker"], world.zara.pk)[1].basis == BASIS_CASELOAD
        other_la = make_child(
            world.school_b, given_name="Elsewhere", send_status=Child.SendStatus.EHC_PLAN
        )
        assert other_la.given_name not in sees(world, "caseworker")

    def test_a_new_membership_counts_at_once(self, world) -> None:
        # The policy keeps its compiled SQL per user and organisations: a new organisation
        # must give new SQL, not the old.
        assert sees(world, "slt") == {"Kofi"}
        clinic = make_org("Second clinic", kind="health_service")
        StaffMembership.objects.create(
            user=world.users["slt"],
            organisation=clinic,
            role=StaffMembership.Role.HEALTH_PRACTITIONER,
            start=date.today(),
        )
        involve(world.bea, clinic, staff=world.users["slt"])
        consent(world.bea, clinic)
        world.users["slt"] = User.objects.get(pk=world.users["slt"].pk)  # the next request
        assert sees(world, "slt") == {"Kofi", "Bea"}

    def test_the_day_is_part_of_the_check(self, world) -> None:
        Involvement.objects.filter(child=world.kofi, organisation=world.slt).update(
            end=date.today() + timedelta(days=2)
        )
        user = world.users["slt"]
        assert set(visible_children(user).values_list("given_name", flat=True)) == {"Kofi"}
        later = date.today() + timedelta(days=3)
        assert not visible_children(user, today=later).exists()

    def test_ended_membership_sees_nothing(self, world) -> None:
        StaffMembership.objects.filter(user=world.users["slt"]).update(
            end=date.today() - timedelta(days=1)
        )
        world.users["slt"].refresh_from_db()
        assert sees(world, "slt") == set()

    @pytest.mark.parametrize("username", ["leader", "editor", "orgadmin", "stranger"])
    def test_roles_without_records_see_none(self, world, username: str) -> None:
        assert sees(world, username) == set()

    def test_malformed_id_is_not_found(self, world) -> None:
        assert child_access(world.users["parent"], "not-a-uuid") is None

    @pytest.mark.parametrize(
        "username",
        [
            "parent",
            "zara_mum",
            "youngperson",
            "senco",
            "senco_b",
            "slt",
            "caseworker",
            "ep",
            "leader",
            "stranger",
        ],
    )
    def test_single_record_check_agrees_with_the_list(self, world, username: str) -> None:
        statutory_basis(world.esi, world.slt)
        assert_agrees(world, username)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["youngperson", "caseworker"])
def test_field_conditions_in_python_agree_with_their_sql(world, username: str) -> None:
    from tellonce.access.policy import _conditions

    user = world.users[username]
    # Someone over and under 16, in and out of the caseload, in and out of the authority.
    Child.objects.filter(pk=world.esi.pk).update(send_status=Child.SendStatus.ASSESSMENT)
    conditions = [c for c in _conditions(user, date.today()) if c.on_fields is not None]
    assert conditions
    for condition in conditions:
        by_sql = set(Child.objects.filter(condition.q).values_list("pk", flat=True))
        by_python = {c.pk for c in Child.objects.all() if condition.on_fields(c)}
        assert by_sql == by_python, condition.basis
