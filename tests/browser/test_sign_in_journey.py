"""Signing in through the local OpenID Connect provider, in the browser: a SENCO invites a
father, who signs in with "GOV.UK One Login" (the local provider), confirms and sees his
child; a caseworker signs in with their organisation's account and reaches their worklist;
a stranger's One Login identity sees no child."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect

from tellonce.accounts import oidc
from tellonce.people.models import Adult, FamilyLink
from tests.signin.conftest import start_provider


@pytest.fixture
def browser_provider(live_server):  # type: ignore[no-untyped-def]
    provider, overrides = start_provider([live_server.url])
    oidc._clients.clear()
    with override_settings(**overrides):
        yield provider
    oidc._clients.clear()
    provider.stop()


def _fresh(browser: Browser, live_server) -> Page:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _through_provider(page: Page, person: str) -> None:
    expect(page.get_by_role("heading", name="Local test provider")).to_be_visible()
    page.get_by_label("Username at the provider").fill(person)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_invited_father_signs_in_with_one_login_and_sees_his_child(
    page: Page, browser, browser_world, browser_provider, live_server, live_url, sign_in,
    sign_out, assert_accessible, no_console_errors,
) -> None:
    kofi = browser_world.kofi
    father = Adult.objects.create(given_name="Kwame", family_name="Mensah")
    FamilyLink.objects.create(adult=father, child=kofi, relationship="father",
                              parental_responsibility=True)
    browser_provider.people["kwame"] = {"sub": "urn:fdc:gov.uk:2022:kwame",
                                        "email": "kwame@example.org"}
    browser_provider.people["stranger"] = {"sub": "urn:fdc:gov.uk:2022:stranger",
                                           "email": "stranger@example.org"}
    caseworker = browser_world.users["caseworker"]
    caseworker.email = "jack.turner@council.example"
    caseworker.save(update_fields=["email"])
    browser_provider.people["jack"] = {"sub": "entra-jack", "email": "jack.turner@council.example"}

    # The sign-in page offers both ways, in the Design System's words.
    page.goto(live_url("/sign-in/"))
    expect(page.get_by_role("button", name="Sign in with GOV.UK One Login")).to_be_visible()
    staff_button = page.get_by_role("button", name="Sign in with your organisation’s account")
    expect(staff_button).to_be_visible()
    assert_accessible(page)

    # The SENCO invites Kofi's father.
    sign_in(page, "senco")
    page.goto(live_url(f"/children/{kofi.pk}/invitations/"))
    assert_accessible(page)
    page.get_by_label("Kwame Mensah (parental responsibility)").check()
    page.get_by_label("Their email address").fill("kwame@example.org")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("heading", name="Invitation sent")).to_be_visible()
    assert_accessible(page)
    secrets_text = page.locator(".govuk-inset-text").inner_text()
    link = re.search(r"(http\S+/invitations/\S+/)", secrets_text).group(1)  # type: ignore[union-attr]
    code = re.search(r"code (\d{6})", secrets_text).group(1)  # type: ignore[union-attr]
    sign_out(page)

    # The father opens the link, signs in through "One Login", confirms and sees Kofi.
    family = _fresh(browser, live_server)
    family.goto(link)
    assert_accessible(family)
    family.get_by_role("button", name="Sign in with GOV.UK One Login").click()
    _through_provider(family, "kwame")
    expect(family.get_by_role("heading", name="Confirm the invitation")).to_be_visible()
    assert_accessible(family)
    family.get_by_label("Day").fill(str(kofi.date_of_birth.day))
    family.get_by_label("Month").fill(str(kofi.date_of_birth.month))
    family.get_by_label("Year").fill(str(kofi.date_of_birth.year))
    family.get_by_label("Code from the invitation email").fill(code)
    family.get_by_role("button", name="Continue").click()
    expect(family.get_by_role("heading", level=1)).to_have_text(kofi.full_name)
    assert_accessible(family)
    family.context.close()

    # The link works once.
    again = _fresh(browser, live_server)
    again.goto(link)
    expect(again.get_by_role("heading", name="This invitation cannot be used")).to_be_visible()
    assert_accessible(again)
    again.context.close()

    # The caseworker signs in with their organisation's account and reaches the worklist.
    staff = _fresh(browser, live_server)
    staff.goto(live_url("/sign-in/"))
    staff.get_by_role("button", name="Sign in with your organisation’s account").click()
    _through_provider(staff, "jack")
    staff.get_by_role("link", name="EHC worklist").first.click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("worklist")
    staff.context.close()

    # A stranger's One Login identity sees no child.
    stranger = _fresh(browser, live_server)
    stranger.goto(live_url("/sign-in/"))
    stranger.get_by_role("button", name="Sign in with GOV.UK One Login").click()
    _through_provider(stranger, "stranger")
    body = stranger.locator("body").inner_text()
    for child in (kofi, browser_world.esi, browser_world.zara):
        assert child.given_name not in body
    stranger.goto(live_url(f"/children/{kofi.pk}/"))
    expect(stranger.get_by_role("heading", level=1)).to_contain_text("not")
    stranger.context.close()
