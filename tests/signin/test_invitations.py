"""Family invitations: sent by who may see the child, accepted once with the DOB and code."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tellonce.access.models import AuditEvent
from tellonce.invitations.models import Invitation
from tellonce.notify.models import Message
from tellonce.people.models import Adult, FamilyLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def father(world):  # type: ignore[no-untyped-def]
    adult = Adult.objects.create(given_name="Kwame", family_name="Mensah")
    FamilyLink.objects.create(adult=adult, child=world.kofi, relationship="father",
                              parental_responsibility=True)
    return adult


def invite(world, father, who="senco") -> tuple[str, str]:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.users[who])
    response = client.post(f"/children/{world.kofi.pk}/invitations/",
                           {"person": f"adult-{father.pk}", "email": "kwame@example.org"})
    assert response.status_code == 200, response.content[:500]
    message = Message.objects.get(to_address="kwame@example.org", status=Message.Status.KEPT)
    token = message.link.rstrip("/").rsplit("/", 1)[-1]
    code = re.search(r"Your code is (\d{6})", message.what_changed).group(1)  # type: ignore[union-attr]
    return token, code


def one_login_client(local_provider, sign_in_through, token: str, person: str = "kwame"):  # type: ignore[no-untyped-def]
    local_provider.people.setdefault(person, {"sub": f"urn:fdc:gov.uk:2022:{person}",
                                              "email": f"{person}@example.org"})
    client = Client()
    assert client.get(f"/invitations/{token}/").status_code == 200
    response = sign_in_through(client, person)
    assert response["Location"] == "/invitations/confirm/"
    return client


def dob(child) -> dict[str, str]:  # type: ignore[no-untyped-def]
    d = child.date_of_birth
    return {"date_of_birth_0": str(d.day), "date_of_birth_1": str(d.month),
            "date_of_birth_2": str(d.year)}


def test_senco_invites_the_father_who_signs_in_confirms_and_sees_kofi(
    world, father, local_provider, sign_in_through
):
    token, code = invite(world, father)
    invitation = Invitation.objects.get()
    assert token not in invitation.token_digest and code not in invitation.code_digest
    client = one_login_client(local_provider, sign_in_through, token)
    assert client.get(f"/children/{world.kofi.pk}/").status_code == 404  # not yet
    response = client.post("/invitations/confirm/", {**dob(world.kofi), "code": code})
    assert response.status_code == 302 and response["Location"] == f"/children/{world.kofi.pk}/"
    record = client.get(f"/children/{world.kofi.pk}/")
    assert record.status_code == 200 and "Kofi" in record.content.decode()
    assert client.get(f"/children/{world.esi.pk}/").status_code == 404  # not his child
    invitation.refresh_from_db()
    father.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert father.user == invitation.accepted_by
    assert invitation.family_link == FamilyLink.objects.get(adult=father, child=world.kofi)
    assert invitation.invited_by == world.users["senco"] and invitation.basis
    steps = set(AuditEvent.objects.filter(child=world.kofi).values_list("subject", flat=True))
    assert {"Family invitation", "Family invitation accepted"} <= steps


def test_a_used_link_cannot_be_used_again(world, father, local_provider, sign_in_through):
    token, code = invite(world, father)
    client = one_login_client(local_provider, sign_in_through, token)
    client.post("/invitations/confirm/", {**dob(world.kofi), "code": code})
    again = Client().get(f"/invitations/{token}/")
    assert again.status_code == 410 and "already been used" in again.content.decode()


def test_an_expired_invitation_cannot_be_used(world, father, local_provider, sign_in_through):
    token, code = invite(world, father)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = Client().get(f"/invitations/{token}/")
    assert response.status_code == 410 and "expired" in response.content.decode()


def test_an_invitation_expiring_while_signing_in_is_refused_at_confirmation(
    world, father, local_provider, sign_in_through
):
    token, code = invite(world, father)
    client = one_login_client(local_provider, sign_in_through, token)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post("/invitations/confirm/", {**dob(world.kofi), "code": code})
    assert response.status_code == 410
    assert client.get(f"/children/{world.kofi.pk}/").status_code == 404


def test_a_stranger_with_the_link_but_wrong_answers_sees_no_child(
    world, father, local_provider, sign_in_through
):
    token, code = invite(world, father)
    client = one_login_client(local_provider, sign_in_through, token, person="stranger")
    wrong_code = f"{(int(code) + 1) % 10**6:06d}"
    response = client.post("/invitations/confirm/", {**dob(world.kofi), "code": wrong_code})
    assert response.status_code == 200
    assert "does not match" in response.content.decode()
    wrong_day = dob(world.kofi) | {"date_of_birth_0": str(world.kofi.date_of_birth.day % 28 + 1)}
    client.post("/invitations/confirm/", {**wrong_day, "code": code})
    assert Invitation.objects.get().failed_attempts == 2
    assert client.get(f"/children/{world.kofi.pk}/").status_code == 404
    for _ in range(3):
        client.post("/invitations/confirm/", {**dob(world.kofi), "code": wrong_code})
    # Five wrong answers: even the right ones no longer work.
    last = client.post("/invitations/confirm/", {**dob(world.kofi), "code": code})
    assert last.status_code == 410
    assert client.get(f"/children/{world.kofi.pk}/").status_code == 404


def test_bad_input_on_the_confirmation_names_the_field(world, father, local_provider,
                                                       sign_in_through):
    token, code = invite(world, father)
    client = one_login_client(local_provider, sign_in_through, token)
    page = client.post("/invitations/confirm/", {"date_of_birth_0": "31", "date_of_birth_1": "2",
                                                 "date_of_birth_2": "2015", "code": "12ab"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "must be a real date" in text and "Enter the 6 numbers of the code" in text
    assert Invitation.objects.get().failed_attempts == 0


def test_a_withdrawn_invitation_cannot_be_used(world, father):
    token, _ = invite(world, father)
    invitation = Invitation.objects.get()
    senco = Client()
    senco.force_login(world.users["senco"])
    response = senco.post(f"/children/{world.kofi.pk}/invitations/{invitation.pk}/withdraw/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.WITHDRAWN
    assert Client().get(f"/invitations/{token}/").status_code == 410
    assert AuditEvent.objects.filter(subject="Family invitation withdrawn").exists()


def test_who_cannot_see_the_child_cannot_invite(world, father):
    for who in ("senco_b", "parent", "stranger", "leader"):
        client = Client()
        client.force_login(world.users[who])
        response = client.post(f"/children/{world.kofi.pk}/invitations/",
                               {"person": f"adult-{father.pk}", "email": "x@example.org"})
        assert response.status_code == 404, who
    assert not Invitation.objects.exists()


def test_bad_invitation_input_names_the_field_and_sends_nothing(world, father):
    client = Client()
    client.force_login(world.users["senco"])
    page = client.post(f"/children/{world.kofi.pk}/invitations/",
                       {"person": "adult-999999", "email": "not-an-email"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Select who to invite from the list" in text
    assert "Enter an email address in the right format" in text
    assert not Invitation.objects.exists() and not Message.objects.exists()


def test_a_young_person_of_sixteen_is_invited_to_their_own_record(
    world, local_provider, sign_in_through
):
    zara = world.zara
    zara.user = None
    zara.save()
    client = Client()
    client.force_login(world.users["caseworker"])
    client.post(f"/children/{zara.pk}/invitations/",
                {"person": "young_person", "email": "zara@example.org"})
    message = Message.objects.get(to_address="zara@example.org")
    token = message.link.rstrip("/").rsplit("/", 1)[-1]
    code = re.search(r"Your code is (\d{6})", message.what_changed).group(1)  # type: ignore[union-attr]
    young = one_login_client(local_provider, sign_in_through, token, person="zara")
    young.post("/invitations/confirm/", {**dob(zara), "code": code})
    zara.refresh_from_db()
    assert zara.user is not None and zara.user.identities.get().provider == "onelogin"
    assert young.get(f"/children/{zara.pk}/parents/").status_code == 200  # she decides


def test_a_staff_account_cannot_accept_an_invitation(world, father):
    token, code = invite(world, father)
    staff = Client()
    staff.force_login(world.users["slt"])
    staff.get(f"/invitations/{token}/")
    response = staff.post("/invitations/confirm/", {**dob(world.kofi), "code": code})
    assert response.status_code == 410
    father.refresh_from_db()
    assert father.user is None


def test_the_child_record_links_to_invitations_only_for_who_may_invite(world):
    wanted = f"/children/{world.kofi.pk}/invitations/"
    for who, shown in (("senco", True), ("caseworker", True), ("slt", True), ("parent", False)):
        client = Client()
        client.force_login(world.users[who])
        page = client.get(f"/children/{world.kofi.pk}/").content.decode()
        assert (wanted in page) is shown, who


def test_a_new_one_login_account_is_told_what_to_do_next(local_provider, sign_in_through):
    local_provider.people["new"] = {"sub": "urn:fdc:gov.uk:2022:new", "email": "new@example.org"}
    client = Client()
    sign_in_through(client, "new")
    page = client.get("/").content.decode()
    assert "Hello, new@example.org" in page
    assert "open the link in the invitation email" in page
