"""The scorecard, a breakdown and the priority action plan in a real browser, axe finding
nothing (every page is also laid out on a 390 px phone by the browser conftest)."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from tellonce.insight.scorecard import add_months
from tests.insight.helpers import children_in, final_plan_step, make_plan


def _history(world) -> None:  # type: ignore[no-untyped-def]
    on = add_months(date.today().replace(day=1), -2)
    for i, child in enumerate(children_in(world.la, "Big town", 12)
                              + children_in(world.la, "Hamlet", 2)):
        final_plan_step(child, on if i % 3 else add_months(on, -7), on)


def test_leader_reads_the_scorecard_and_a_breakdown(
    page: Page, browser_world, sign_in, live_url, assert_accessible, no_console_errors
) -> None:
    _history(browser_world)
    sign_in(page, "leader")
    page.goto(live_url("/scorecard/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership scorecard")
    assert_accessible(page)
    page.get_by_role("link", name="New EHC plans issued within 20 weeks, excluding exceptions"
                     ).click()
    expect(page.get_by_role("heading", name="By locality")).to_be_visible()
    expect(page.get_by_role("img", name="New EHC plans issued within 20 weeks, excluding "
                            "exceptions, by locality")).to_be_visible()
    assert_accessible(page)


def test_owner_reads_the_plan_and_updates_an_action(
    page: Page, browser_world, sign_in, live_url, assert_accessible, no_console_errors
) -> None:
    make_plan(browser_world)
    sign_in(page, "slt")
    page.goto(live_url("/action-plan/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Priority action plan (area SEND)")
    assert_accessible(page)
    page.get_by_role("link", name="Send speech and language advice within 6 weeks").click()
    page.get_by_label("Status").select_option(label="In progress")
    page.get_by_label("Evidence").fill("Drop-ins running in two localities")
    page.get_by_role("button", name="Save the change").click()
    expect(page.get_by_text("Changed the status, evidence of")).to_be_visible()
    assert_accessible(page)
