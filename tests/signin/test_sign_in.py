"""Signing in through the local OpenID Connect provider: One Login for families, SSO for staff."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessLog
from django.test import Client, override_settings

from tellonce.access.models import AuditEvent
from tellonce.accounts.models import SignInIdentity
from tellonce.people.models import User
from tests.signin.provider import ONE_LOGIN_CLIENT

pytestmark = pytest.mark.django_db


def test_one_login_request_asks_for_pkce_vtr_scopes_state_and_nonce(
    local_provider, sign_in_through
):
    local_provider.people["amara"] = {"sub": "urn:fdc:gov.uk:2022:amara", "email": "a@example.org"}
    response = sign_in_through(Client(), "amara")
    assert response.status_code == 302 and response["Location"] == "/"
    asked = local_provider.seen_authorisations[-1]
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) >= 43
    assert asked["scope"].split() == ["openid", "email", "phone"]
    assert asked["vtr"] == '["Cl.Cm"]'
    assert asked["state"] and asked["nonce"]
    # The client authenticated with a JWT signed by its private key (private_key_jwt).
    assertion = local_provider.seen_assertions[-1]
    assert assertion["iss"] == ONE_LOGIN_CLIENT
    assert assertion["aud"] == f"{local_provider.url}/token"


def test_first_one_login_sign_in_makes_an_account_that_sees_no_child(
    local_provider, sign_in_through, world
):
    local_provider.people["someone"] = {"sub": "urn:fdc:gov.uk:2022:someone",
                                        "email": "someone@example.org"}
    client = Client()
    sign_in_through(client, "someone")
    identity = SignInIdentity.objects.get(subject="urn:fdc:gov.uk:2022:someone")
    assert identity.user.email == "someone@example.org"  # from One Login's userinfo
    assert not identity.user.has_usable_password()
    home = client.get("/")
    assert home.status_code == 200
    for child in (world.kofi, world.esi, world.zara):
        assert child.given_name not in home.content.decode()
        assert client.get(f"/children/{child.pk}/").status_code == 404
    assert AuditEvent.objects.filter(user=identity.user, subject__startswith="Signed in").exists()


def test_the_same_one_login_identity_signs_in_to_the_same_account(local_provider, sign_in_through):
    local_provider.people["amara"] = {"sub": "urn:fdc:gov.uk:2022:amara", "email": "a@example.org"}
    sign_in_through(Client(), "amara")
    sign_in_through(Client(), "amara")
    assert SignInIdentity.objects.filter(subject="urn:fdc:gov.uk:2022:amara").count() == 1
    assert User.objects.filter(identities__subject="urn:fdc:gov.uk:2022:amara").count() == 1


def test_an_id_token_signed_with_an_unpublished_key_is_refused(local_provider, sign_in_through):
    local_provider.people["amara"] = {"sub": "urn:fdc:gov.uk:2022:amara", "email": "a@example.org"}
    local_provider.misbehave(rogue_key=True)
    client = Client()
    response = sign_in_through(client, "amara")
    assert response.status_code == 400
    assert b"problem signing you in" in response.content
    assert "_auth_user_id" not in client.session
    assert not SignInIdentity.objects.exists()


def test_an_id_token_with_another_nonce_is_refused(local_provider, sign_in_through):
    local_provider.people["amara"] = {"sub": "urn:fdc:gov.uk:2022:amara", "email": "a@example.org"}
    local_provider.misbehave(wrong_nonce="not-the-one-we-sent")
    client = Client()
    assert sign_in_through(client, "amara").status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_lower_level_of_authentication_than_asked_is_refused(local_provider, sign_in_through):
    local_provider.people["amara"] = {"sub": "urn:fdc:gov.uk:2022:amara", "email": "a@example.org"}
    local_provider.misbehave(vot="Cl")
    assert sign_in_through(Client(), "amara").status_code == 400


def test_a_callback_with_a_state_this_session_did_not_start_is_refused(
    local_provider, sign_in_through
):
    local_provider.people["amara"] = {"sub": "urn:fdc:gov.uk:2022:amara", "email": "a@example.org"}
    response = Client().get("/sign-in/one-login/callback/?code=abc&state=forged")
    assert response.status_code == 400
    assert not SignInIdentity.objects.exists()


def test_signing_out_of_a_one_login_session_ends_it_at_one_login(local_provider, sign_in_through):
    local_provider.people["amara"] = {"sub": "urn:fdc:gov.uk:2022:amara", "email": "a@example.org"}
    client = Client()
    sign_in_through(client, "amara")
    response = client.post("/sign-out/")
    assert response.status_code == 302
    end = urlsplit(response["Location"])
    assert f"{end.scheme}://{end.netloc}{end.path}" == f"{local_provider.url}/logout"
    query = parse_qs(end.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/signed-out/"]
    assert query["id_token_hint"][0].count(".") == 2
    assert "_auth_user_id" not in client.session


def test_staff_identity_is_linked_by_email_and_lands_on_their_worklist(
    local_provider, sign_in_through, world, settings
):
    settings.AXES_ENABLED = True  # the suite switches axes off; this test looks at its log
    caseworker = world.users["caseworker"]
    caseworker.email = "jack.turner@council.example"
    caseworker.save()
    local_provider.people["jack"] = {"sub": "entra-oid-jack",
                                     "email": "Jack.Turner@council.example"}
    client = Client()
    response = sign_in_through(client, "jack", "organisation")
    assert response.status_code == 302 and response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == caseworker.pk
    assert SignInIdentity.objects.get(subject="entra-oid-jack").user == caseworker
    home = client.get("/")
    assert "EHC worklist" in home.content.decode()
    assert client.get("/ehc/worklist/").status_code == 200
    assert AuditEvent.objects.filter(user=caseworker, subject__startswith="Signed in").exists()
    # django-axes logs it as it logs a password sign-in (who, from where, when).
    assert AccessLog.objects.filter(username=caseworker.username).exists()


def test_unknown_staff_identity_gets_ask_your_administrator_and_no_account(
    local_provider, sign_in_through, world
):
    local_provider.people["nobody"] = {"sub": "entra-oid-nobody", "email": "nobody@trust.example"}
    users_before = User.objects.count()
    client = Client()
    response = sign_in_through(client, "nobody", "organisation")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Ask your organisation’s administrator" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users_before
    assert not SignInIdentity.objects.exists()


def test_a_family_account_email_does_not_make_a_staff_sign_in(
    local_provider, sign_in_through, world
):
    parent = world.users["parent"]
    parent.email = "amara@example.org"
    parent.save()
    local_provider.people["amara"] = {"sub": "entra-amara", "email": "amara@example.org"}
    client = Client()
    sign_in_through(client, "amara", "organisation")
    assert "_auth_user_id" not in client.session


@override_settings(STAFF_SSO_REQUIRED=True)
def test_sso_required_refuses_staff_passwords_but_not_families(world):
    for name in ("senco", "parent"):
        user = world.users[name]
        user.set_password("a-long-test-password-1")
        user.save()
    staff = Client().post("/sign-in/", {"username": "senco", "password": "a-long-test-password-1"})
    assert staff.status_code == 200
    assert "organisation’s account" in staff.content.decode()
    family = Client().post("/sign-in/", {"username": "parent",
                                         "password": "a-long-test-password-1"})
    assert family.status_code == 302


def test_sign_in_page_offers_both_ways_when_set_up(local_provider):
    page = Client().get("/sign-in/").content.decode()
    assert "Sign in with GOV.UK One Login" in page
    assert "Sign in with your organisation’s account" in page


def test_provider_pages_are_not_found_when_not_set_up():
    assert Client().get("/sign-in/one-login/").status_code == 404
    assert Client().get("/sign-in/organisation/callback/").status_code == 404


def test_a_closed_account_is_not_signed_in_through_one_login(local_provider, sign_in_through):
    local_provider.people["amara"] = {"sub": "urn:fdc:gov.uk:2022:amara", "email": "a@example.org"}
    sign_in_through(Client(), "amara")
    User.objects.filter(identities__subject="urn:fdc:gov.uk:2022:amara").update(is_active=False)
    client = Client()
    response = sign_in_through(client, "amara")
    assert response.status_code == 403 and b"has been closed" in response.content
    assert "_auth_user_id" not in client.session
