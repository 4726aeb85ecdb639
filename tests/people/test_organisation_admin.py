"""Organisation administrators manage their own organisation's staff and involvements."""

from __future__ import annotations

import pytest

from tellonce.access.models import AuditEvent
from tellonce.people.models import Involvement, StaffMembership
from tests.factories import make_user


@pytest.mark.django_db
class TestOrganisationAdmin:
    def test_admin_adds_a_member_of_staff(self, world, client_for) -> None:
        make_user("newtherapist")
        response = client_for("orgadmin").post(
            f"/organisations/{world.slt.pk}/staff/",
            {"username": "newtherapist", "role": "health_practitioner", "job_title": "SLT"},
        )
        assert response.status_code == 302
        assert StaffMembership.objects.filter(
            user__username="newtherapist", organisation=world.slt
        ).exists()

    def test_unknown_username_is_a_clear_error(self, world, client_for) -> None:
        text = (
            client_for("orgadmin")
            .post(f"/organisations/{world.slt.pk}/staff/", {"username": "ghost", "role": "senco"})
            .content.decode()
        )
        assert "There is no active account with the username &#x27;ghost&#x27;" in text

    def test_admin_adds_an_involvement_by_nhs_number_and_date_of_birth(
        self, world, client_for
    ) -> None:
        dob = world.bea.date_of_birth
        response = client_for("orgadmin").post(
            f"/organisations/{world.slt.pk}/involvements/",
            {
                "nhs_number": world.bea.nhs_number,
                "date_of_birth_0": dob.day,
                "date_of_birth_1": dob.month,
                "date_of_birth_2": dob.year,
                "role": "SLT",
                "staff_username": "slt",
                "start_0": "1",
                "start_1": "9",
                "start_2": "2026",
            },
        )
        assert response.status_code == 302
        involvement = Involvement.objects.get(child=world.bea, organisation=world.slt)
        assert involvement.staff == world.users["slt"]
        assert AuditEvent.objects.filter(child=world.bea, action="create").exists()

    def test_wrong_date_of_birth_finds_no_child_and_saves_nothing(self, world, client_for) -> None:
        text = (
            client_for("orgadmin")
            .post(
                f"/organisations/{world.slt.pk}/involvements/",
                {
                    "nhs_number": world.bea.nhs_number,
                    "date_of_birth_0": "1",
                    "date_of_birth_1": "1",
                    "date_of_birth_2": "2001",
                    "role": "SLT",
                    "start_0": "1",
                    "start_1": "9",
                    "start_2": "2026",
                },
            )
            .content.decode()
        )
        assert "No child has that NHS number and date of birth" in text
        assert not Involvement.objects.filter(child=world.bea, organisation=world.slt).exists()

    def test_practitioner_from_another_organisation_is_refused(self, world, client_for) -> None:
        dob = world.bea.date_of_birth
        text = (
            client_for("orgadmin")
            .post(
                f"/organisations/{world.slt.pk}/involvements/",
                {
                    "nhs_number": world.bea.nhs_number,
                    "date_of_birth_0": dob.day,
                    "date_of_birth_1": dob.month,
                    "date_of_birth_2": dob.year,
                    "role": "SLT",
                    "staff_username": "senco",
                    "start_0": "1",
                    "start_1": "9",
                    "start_2": "2026",
                },
            )
            .content.decode()
        )
        assert "No one with that username works for" in text

    def test_ending_an_involvement_removes_access(self, world, client_for) -> None:
        involvement = Involvement.objects.get(child=world.kofi, organisation=world.slt)
        client_for("orgadmin").post(
            f"/organisations/{world.slt.pk}/involvements/{involvement.pk}/end/"
        )
        assert client_for("slt").get(f"/children/{world.kofi.pk}/").status_code == 404

    def test_admin_cannot_manage_another_organisation(self, world, client_for) -> None:
        assert (
            client_for("orgadmin").get(f"/organisations/{world.school_a.pk}/staff/").status_code
            == 404
        )
