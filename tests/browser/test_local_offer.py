"""A family searches the local offer on a phone-sized screen, without signing in, opens a
service and leaves a comment; axe finds nothing on the pages they see."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.directory.helpers import make_full_service, make_service


def test_family_searches_the_local_offer_and_reads_a_service(
    page: Page, transactional_db, live_url, assert_accessible, no_console_errors,
) -> None:
    service = make_full_service(name="Autism family support group")
    make_service("Swimming for everyone", terms=("need-pd",), postcode="RV1 1AA")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_url("/local-offer/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Find support")
    assert_accessible(page)

    page.get_by_label("Search for").fill("autism")
    page.get_by_label("Postcode").fill("RV1 1AA")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 service found")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Age of child or young person").fill("seven")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Age must be a whole number")
    assert_accessible(page)

    page.goto(live_url(f"/local-offer/services/{service.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(service.name)
    expect(page.get_by_role("heading", name="How to get in touch")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Tell us what you think of this service").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your comments")
    page.get_by_label("Your comments").fill("Very helpful, thank you.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Thank you for your comments")).to_be_visible()
    assert_accessible(page)
