"""The consent page says truly whether each service can see the record and why: consent, a
statutory basis, or the council's SEND caseload; it never offers consent the record does not
need, and what it says agrees with the policy."""

from __future__ import annotations

from html import unescape

from django.urls import reverse

from tellonce.access.policy import child_access, sharing_with
from tellonce.people.models import Organisation, StaffMembership
from tests.factories import involve, make_org, make_staff, statutory_basis


def _page(client_for, child) -> str:  # type: ignore[no-untyped-def]
    response = client_for("parent").get(reverse("access:consent", args=[child.pk]))
    assert response.status_code == 200
    return unescape(response.content.decode())


def _give_button(org: Organisation) -> str:
    return f'Give consent<span class="govuk-visually-hidden"> for {org.name}</span>'


def test_the_councils_send_team_is_not_offered_consent_for_its_caseload(world,
                                                                         client_for) -> None:
    text = _page(client_for, world.kofi)
    assert world.send_team.name in text
    assert "Children and Families Act 2014 Part 3" in text
    assert _give_button(world.send_team) not in text
    assert "Your consent is not needed while this applies." in text


def test_a_statutory_basis_is_shown_with_its_reason_and_no_consent_is_asked(world,
                                                                           client_for) -> None:
    clinic = make_org("Audiology", Organisation.Kind.HEALTH_SERVICE, parent=world.trust)
    involve(world.kofi, clinic)
    assert _give_button(clinic) in _page(client_for, world.kofi)
    statutory_basis(world.kofi, clinic, basis="ca_s47")
    text = _page(client_for, world.kofi)
    assert "By law: Safeguarding enquiry (Children Act 1989 s.47)." in text
    assert _give_button(clinic) not in text


def test_a_service_without_consent_is_offered_it(world, client_for) -> None:
    # Esi's therapist works with her without the family's consent.
    text = _page(client_for, world.esi)
    assert _give_button(world.slt) in text


def test_what_the_page_says_agrees_with_the_policy(world) -> None:
    """For each service on Kofi's and Esi's pages, a practitioner there who works with the
    child sees the record exactly when the page says they can."""
    clinic = make_org("Audiology", Organisation.Kind.HEALTH_SERVICE, parent=world.trust)
    involve(world.kofi, clinic)
    statutory_basis(world.kofi, clinic, basis="ca_s47")
    for child in (world.kofi, world.esi):
        orgs = list(Organisation.objects.filter(involvements__child=child)
                    .exclude(pk=child.held_by_id).distinct())
        assert orgs
        for row in sharing_with(child, orgs):
            staff = StaffMembership.objects.filter(organisation=row.organisation,
                                                   role__in=["health_practitioner",
                                                             "la_caseworker", "senco"])
            practitioner = staff.first().user if staff.exists() else make_staff(
                f"p{row.organisation.pk}", row.organisation, "health_practitioner")
            involve(child, row.organisation, staff=practitioner)
            assert (child_access(practitioner, child.pk) is not None) == row.may_see, (
                child, row.organisation)
