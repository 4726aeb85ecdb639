"""The family's consent, who-has-looked and parent-access pages."""

from __future__ import annotations

import pytest

from tellonce.access.models import AuditEvent, Consent
from tellonce.people.models import Child


@pytest.mark.django_db
class TestConsentPage:
    def url(self, world) -> str:  # type: ignore[no-untyped-def]
        return f"/children/{world.kofi.pk}/consent/"

    def test_lists_the_services_involved_with_their_state(self, world, client_for) -> None:
        text = client_for("parent").get(self.url(world)).content.decode()
        assert "Speech and Language Therapy" in text and "Withdraw consent" in text

    def test_withdrawing_takes_effect_at_once(self, world, client_for) -> None:
        assert client_for("slt").get(f"/children/{world.kofi.pk}/").status_code == 200
        response = client_for("parent").post(
            self.url(world), {"organisation": world.slt.pk, "decision": "withdraw"}
        )
        assert response.status_code == 302
        assert client_for("slt").get(f"/children/{world.kofi.pk}/").status_code == 404
        assert AuditEvent.objects.filter(child=world.kofi, action="consent_withdrawn").exists()

    def test_giving_consent_again_keeps_the_history(self, world, client_for) -> None:
        parent = client_for("parent")
        parent.post(self.url(world), {"organisation": world.slt.pk, "decision": "withdraw"})
        parent.post(self.url(world), {"organisation": world.slt.pk, "decision": "give"})
        rows = Consent.objects.filter(child=world.kofi, organisation=world.slt)
        assert rows.count() == 2 and rows.filter(withdrawn_at__isnull=True).count() == 1
        assert client_for("slt").get(f"/children/{world.kofi.pk}/").status_code == 200

    def test_an_organisation_not_involved_cannot_be_given_consent(self, world, client_for) -> None:
        response = client_for("parent").post(
            self.url(world), {"organisation": world.school_b.pk, "decision": "give"}
        )
        assert response.status_code == 302
        assert not Consent.objects.filter(organisation=world.school_b).exists()

    @pytest.mark.parametrize(
        "data",
        [{}, {"organisation": "x", "decision": "give"}, {"organisation": "1", "decision": "sell"}],
    )
    def test_bad_input_changes_nothing(self, world, client_for, data) -> None:
        before = Consent.objects.count()
        response = client_for("parent").post(self.url(world), data)
        assert response.status_code == 302
        assert Consent.objects.count() == before

    def test_professionals_cannot_change_consent(self, world, client_for) -> None:
        response = client_for("slt").post(
            self.url(world), {"organisation": world.slt.pk, "decision": "withdraw"}
        )
        assert response.status_code == 404
        assert Consent.objects.filter(organisation=world.slt, withdrawn_at__isnull=True).exists()

    def test_young_person_with_an_account_decides_not_their_parent(self, world, client_for) -> None:
        assert (
            client_for("youngperson").get(f"/children/{world.zara.pk}/consent/").status_code == 200
        )
        assert client_for("zara_mum").get(f"/children/{world.zara.pk}/consent/").status_code == 404


@pytest.mark.django_db
class TestWhoHasLooked:
    def test_shows_who_looked_and_why(self, world, client_for) -> None:
        client_for("slt").get(f"/children/{world.kofi.pk}/")
        text = (
            client_for("parent").get(f"/children/{world.kofi.pk}/who-has-looked/").content.decode()
        )
        assert "Slt" in text and "consent" in text

    def test_shows_the_lists_that_showed_the_child(self, world, client_for) -> None:
        client_for("caseworker").get("/children/")
        parent = client_for("parent")
        kofi = parent.get(f"/children/{world.kofi.pk}/who-has-looked/").content.decode()
        assert "Looked at: Children list" in kofi and "Caseworker (" in kofi
        # Esi is not in the caseworker's scope, so the list did not show her.
        esi = parent.get(f"/children/{world.esi.pk}/who-has-looked/").content.decode()
        assert "Children list" not in esi

    def test_can_hide_the_familys_own_visits(self, world, client_for) -> None:
        parent = client_for("parent")
        parent.get(f"/children/{world.kofi.pk}/")
        text = parent.get(
            f"/children/{world.kofi.pk}/who-has-looked/", {"who": "others"}
        ).content.decode()
        assert "No one else has looked at the record yet." in text


@pytest.mark.django_db
class TestParentAccess:
    def url(self, world) -> str:  # type: ignore[no-untyped-def]
        return f"/children/{world.zara.pk}/parents/"

    def test_young_person_withholds_the_record_from_their_parent(self, world, client_for) -> None:
        response = client_for("youngperson").post(self.url(world), {"parent_access": "withheld"})
        assert response.status_code == 302
        assert client_for("zara_mum").get(f"/children/{world.zara.pk}/").status_code == 404

    def test_no_choice_is_an_error(self, world, client_for) -> None:
        text = client_for("youngperson").post(self.url(world), {}).content.decode()
        assert "Choose whether your parents or carers can see your record" in text
        world.zara.refresh_from_db()
        assert world.zara.parent_access == Child.ParentAccess.ALLOWED


@pytest.mark.django_db
def test_opening_the_parent_access_page_is_audited(world, client_for) -> None:
    assert client_for("youngperson").get(f"/children/{world.zara.pk}/parents/").status_code == 200
    assert AuditEvent.objects.filter(
        child=world.zara, action="view", subject="Whether parents can see the record"
    ).exists()
