"""A parent signs in, reads the record, edits About me, withdraws consent; then the
professional whose consent was withdrawn can no longer see the record."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tellonce.access.models import AuditEvent
from tellonce.profile.models import AboutMeVersion


def test_parent_tells_it_once_and_withdraws_consent(
    page: Page,
    browser_world,
    sign_in,
    sign_out,
    live_url,
    assert_accessible,
    no_console_errors,
) -> None:
    kofi = browser_world.kofi
    # The professional can see Kofi's record before consent is withdrawn.
    sign_in(page, "slt")
    page.goto(live_url(f"/children/{kofi.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(kofi.full_name)
    sign_out(page)

    sign_in(page, "parent")
    assert_accessible(page)
    page.get_by_role("link", name=kofi.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(kofi.full_name)
    assert_accessible(page)

    # About me, written for the first time, then changed: the change is shown.
    page.get_by_role("link", name="Write About me").click()
    assert_accessible(page)
    page.get_by_label("What people like and admire about me").fill("Kofi is kind and funny.")
    page.get_by_label("How best to support me").fill("Tell me about changes early.")
    page.get_by_role("button", name="Save About me").click()
    expect(page.get_by_text("About me was saved (version 1).")).to_be_visible()
    assert_accessible(page)
    page.goto(live_url(f"/children/{kofi.pk}/about-me/edit/"))
    page.get_by_label("How best to support me").fill("Tell me about changes early. Use pictures.")
    page.get_by_role("button", name="Save About me").click()
    expect(page.get_by_text("About me was saved (version 2).")).to_be_visible()
    expect(page.locator("ins.tio-diff-added", has_text="Use pictures.")).to_have_count(1)
    assert_accessible(page)
    assert AboutMeVersion.objects.filter(child=kofi).count() == 2

    # Withdraw consent for the speech and language therapy service.
    page.goto(live_url(f"/children/{kofi.pk}/consent/"))
    assert_accessible(page)
    row = page.get_by_role("row", name=re.compile(browser_world.slt.name))
    row.get_by_role("button", name=re.compile("Withdraw consent")).click()
    expect(page.get_by_text("You withdrew consent.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(browser_world.slt.name))).to_contain_text("No")
    assert_accessible(page)

    # The parent can see who looked, including the therapist's earlier visit.
    page.goto(live_url(f"/children/{kofi.pk}/who-has-looked/"))
    expect(page.get_by_role("cell", name=re.compile("^Slt"))).not_to_have_count(0)
    assert_accessible(page)
    sign_out(page)

    # The therapist no longer sees the record: a 404, not a "forbidden".
    sign_in(page, "slt")
    response = page.goto(live_url(f"/children/{kofi.pk}/"))
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)
    page.goto(live_url("/children/"))
    expect(page.get_by_text(kofi.family_name + ", " + kofi.given_name)).to_have_count(0)
    assert AuditEvent.objects.filter(child=kofi, action="consent_withdrawn").count() == 1
