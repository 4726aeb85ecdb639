"""The family's referral page and the leaders' waiting-time analysis in a real browser, with
axe finding nothing."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tellonce.health.models import Referral
from tests.factories import make_child
from tests.health.helpers import kofi_referral, make_referral


def _a_list_with_history(world) -> Referral:  # type: ignore[no-untyped-def]
    today = date.today()
    for week in range(1, 27):
        make_referral(
            world,
            child=make_child(world.la),
            received_on=today - timedelta(weeks=30),
            status=Referral.Status.IN_ASSESSMENT,
            first_seen_on=today - timedelta(weeks=week),
            left_list_on=today - timedelta(weeks=week),
        )
    for weeks in (2, 8, 14, 25, 40, 60):
        make_referral(world, child=make_child(world.la), received_on=today - timedelta(weeks=weeks))
    return kofi_referral(world)


def test_family_reads_the_referral_page(
    page: Page, browser_world, sign_in, live_url, assert_accessible, no_console_errors
) -> None:
    referral = _a_list_with_history(browser_world)
    sign_in(page, "parent")
    page.goto(live_url(f"/children/{browser_world.kofi.pk}/referrals/"))
    assert_accessible(page)
    page.get_by_role("link", name="Speech and language therapy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Speech and language therapy")
    expect(page.get_by_text("Most likely wait from today to the first appointment")).to_be_visible()
    expect(page.get_by_role("heading", name="Support while you wait")).to_be_visible()
    assert referral.pk
    assert_accessible(page)


def test_leader_reads_the_waiting_time_analysis(
    page: Page, browser_world, sign_in, live_url, assert_accessible, no_console_errors
) -> None:
    _a_list_with_history(browser_world)
    sign_in(page, "leader")
    page.goto(live_url("/waiting-times/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Waiting times for children's health pathways"
    )
    expect(page.get_by_role("img", name="Children waiting now, by weeks waited")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Pathway", exact=True).select_option(label="Speech and language therapy")
    page.get_by_role("button", name="Show").click()
    assert_accessible(page)
