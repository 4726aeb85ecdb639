"""Who may refer a child to a health pathway (issue 11 item 8): the SENCO of the child's
setting, the family, and health practitioners, each to the pathways that take referrals from
them; the referral records who referred and, for a professional, that the family agreed."""

from __future__ import annotations

from typing import Any

import pytest

from tellonce.access.models import AuditEvent
from tellonce.access.policy import get_child_or_404
from tellonce.health.models import Pathway, PathwayKind, Referral
from tellonce.health.policy import referable_pathways
from tellonce.notify.models import Message
from tests.health.helpers import slt_pathway

pytestmark = pytest.mark.django_db


def _audiology(world: Any) -> Pathway:
    return Pathway.objects.create(kind=PathwayKind.AUDIOLOGY, provider=world.slt,
                                  local_authority=world.la)


def _url(child: Any) -> str:
    return f"/children/{child.pk}/referrals/new/"


def _kinds(world: Any, username: str, child: Any) -> set[str]:
    user = world.users[username]
    child, access = get_child_or_404(user, child.pk)
    return {p.kind for p in referable_pathways(user, child, access)}


def test_the_senco_of_the_childs_setting_may_refer_to_pathways_that_take_school_referrals(
    world: Any
) -> None:
    slt_pathway(world)
    _audiology(world)  # hearing tests come through the GP or health visitor, not the school
    assert _kinds(world, "senco", world.kofi) == {PathwayKind.SLT}
    assert _kinds(world, "senco", world.esi) == {PathwayKind.SLT}


def test_the_family_may_refer_themselves_where_the_pathway_takes_self_referrals(world: Any
                                                                                ) -> None:
    slt_pathway(world)
    _audiology(world)
    assert _kinds(world, "parent", world.kofi) == {PathwayKind.SLT}


def test_a_health_practitioner_may_refer_on_to_any_pathway(world: Any) -> None:
    slt_pathway(world)
    _audiology(world)
    assert _kinds(world, "slt", world.kofi) == {PathwayKind.SLT, PathwayKind.AUDIOLOGY}


@pytest.mark.parametrize("username", ["caseworker", "dco", "socialworker", "ep"])
def test_others_who_see_the_child_may_not_refer_here(world: Any, username: str) -> None:
    slt_pathway(world)
    from tellonce.access.policy import child_access

    found = child_access(world.users[username], world.kofi.pk)
    if found is not None:
        assert _kinds(world, username, world.kofi) == set()


def test_a_pathway_for_another_locality_is_not_offered(world: Any) -> None:
    from tellonce.people.models import Locality

    north = Locality.objects.create(name="Northbank", local_authority=world.la)
    south = Locality.objects.create(name="Southbank", local_authority=world.la)
    world.kofi.locality = north
    world.kofi.save()
    Pathway.objects.create(kind=PathwayKind.OT, provider=world.slt, local_authority=world.la,
                           locality=north)
    Pathway.objects.create(kind=PathwayKind.SLT, provider=world.slt, local_authority=world.la,
                           locality=south)
    assert _kinds(world, "senco", world.kofi) == {PathwayKind.OT}


def test_the_senco_refers_with_the_familys_agreement_and_it_is_recorded(world: Any,
                                                                        client_for: Any) -> None:
    pathway = slt_pathway(world)
    client = client_for("senco")
    assert client.get(_url(world.esi)).status_code == 200
    response = client.post(_url(world.esi), {
        "pathway": pathway.pk, "reason": "Esi is hard to understand in class",
        "family_agreed": "yes",
    })
    assert response.status_code == 302
    referral = Referral.objects.get(child=world.esi)
    senco = world.users["senco"]
    assert referral.referred_by == senco and referral.family_agreed is True
    assert referral.reason == "Esi is hard to understand in class"
    assert referral.status == Referral.Status.AWAITING_TRIAGE
    assert "SENCO" in referral.referrer_role and "Alpha Primary" in referral.referrer_role
    assert AuditEvent.objects.filter(child=world.esi, user=senco, action="create").exists()
    assert Message.objects.filter(to=world.users["parent"], child=world.esi).exists()


def test_a_professional_referral_without_the_familys_agreement_is_refused(world: Any,
                                                                          client_for: Any
                                                                          ) -> None:
    pathway = slt_pathway(world)
    for answer in ("", "no"):
        response = client_for("senco").post(_url(world.esi), {
            "pathway": pathway.pk, "reason": "Hard to understand", "family_agreed": answer,
        })
        text = response.content.decode()
        assert response.status_code == 200
        assert "govuk-error-summary" in text and "Hard to understand" in text
    assert "Ask the family first" in text
    assert not Referral.objects.exists()


def test_the_family_refers_without_being_asked_whether_they_agree(world: Any, client_for: Any
                                                                  ) -> None:
    pathway = slt_pathway(world)
    client = client_for("parent")
    assert "agree" not in client.get(_url(world.esi)).content.decode().split("<form", 1)[1]
    response = client.post(_url(world.esi), {"pathway": pathway.pk, "reason": "Not talking"})
    assert response.status_code == 302
    referral = Referral.objects.get(child=world.esi)
    assert referral.referred_by == world.users["parent"] and referral.family_agreed is None


def test_a_pathway_the_referrer_may_not_use_is_refused(world: Any, client_for: Any) -> None:
    slt_pathway(world)
    audiology = _audiology(world)
    response = client_for("senco").post(_url(world.esi), {
        "pathway": audiology.pk, "reason": "x", "family_agreed": "yes"})
    assert response.status_code == 200
    assert not Referral.objects.exists()


def test_a_second_open_referral_to_the_same_list_is_refused(world: Any, client_for: Any) -> None:
    pathway = slt_pathway(world)
    data = {"pathway": pathway.pk, "reason": "x", "family_agreed": "yes"}
    assert client_for("senco").post(_url(world.esi), data).status_code == 302
    response = client_for("senco").post(_url(world.esi), data)
    assert response.status_code == 200
    assert "already has an open referral" in response.content.decode()
    assert Referral.objects.count() == 1


@pytest.mark.parametrize("username", ["senco_b", "caseworker", "leader", "editor", "stranger",
                                      "zara_mum"])
def test_those_who_may_not_refer_this_child_get_not_found(world: Any, client_for: Any,
                                                          username: str) -> None:
    slt_pathway(world)
    assert client_for(username).get(_url(world.esi)).status_code == 404


def test_the_senco_is_sent_from_the_referrals_page_to_her_children(world: Any,
                                                                   client_for: Any) -> None:
    response = client_for("senco").get("/referrals/new/")
    assert response.status_code == 302 and response["Location"] == "/children/"


def test_the_childs_record_links_to_referring(world: Any, client_for: Any) -> None:
    slt_pathway(world)
    text = client_for("senco").get(f"/children/{world.esi.pk}/").content.decode()
    assert f'href="{_url(world.esi)}"' in text
    text = client_for("caseworker").get(f"/children/{world.kofi.pk}/").content.decode()
    assert f'href="{_url(world.kofi)}"' not in text


def test_the_practitioner_sees_who_referred_and_that_the_family_agreed(world: Any,
                                                                       client_for: Any) -> None:
    pathway = slt_pathway(world)
    client_for("senco").post(_url(world.kofi), {
        "pathway": pathway.pk, "reason": "Kofi is not talking to other children",
        "family_agreed": "yes"})
    referral = Referral.objects.get(child=world.kofi)
    text = client_for("slt").get(f"/referrals/{referral.pk}/").content.decode()
    assert "Kofi is not talking to other children" in text
    assert "The family agreed to the referral" in text


@pytest.mark.parametrize(("answer", "kept"), [("yes", True), ("no", False), ("", None)])
def test_a_referral_recorded_from_a_letter_keeps_whether_it_says_the_family_agreed(
    world: Any, client_for: Any, answer: str, kept: bool | None
) -> None:
    from datetime import date

    pathway = slt_pathway(world)
    dob, today = world.kofi.date_of_birth, date.today()
    response = client_for("slt").post("/referrals/new/", {
        "nhs_number": world.kofi.nhs_number, "date_of_birth_0": dob.day,
        "date_of_birth_1": dob.month, "date_of_birth_2": dob.year, "pathway": pathway.pk,
        "received_on_0": today.day, "received_on_1": today.month, "received_on_2": today.year,
        "referrer_name": "Dr Ama Owusu", "referrer_role": "GP", "priority": "routine",
        "family_agreed": answer,
    })
    assert response.status_code == 302
    assert Referral.objects.get(child=world.kofi).family_agreed is kept
