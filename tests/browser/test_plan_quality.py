"""Plan quality in a real browser: the caseworker sees the findings beside the draft, fixes one,
sends the draft, and issues the final plan with a reason for the findings left open; axe
checks each page (and every page is laid out again at 390 px by the phone check)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tellonce.access.policy import get_child_or_404
from tellonce.ehc import actions
from tellonce.ehc.models import ConsideredFinding, Plan
from tests.ehc.cases import esi_case

VAGUE = "Access to regular speech therapy as required."
SPECIFIC = ("A speech and language therapist will work with Esi for 30 minutes twice a week "
            "until the annual review.")


def test_caseworker_fixes_one_finding_and_issues_with_a_reason_for_another(
    page: Page, browser_world, sign_in, live_url, assert_accessible, no_console_errors,
) -> None:
    w = browser_world
    request = esi_case(w, "drafting")
    sign_in(page, "caseworker")
    page.goto(live_url(f"/ehc/requests/{request.pk}/draft/"))
    boxes = page.locator("textarea[name^='section_']")
    for index in range(boxes.count()):
        if not boxes.nth(index).input_value().strip():
            boxes.nth(index).fill("None.")
    page.get_by_label(re.compile("Section F")).fill(VAGUE)
    page.get_by_label(re.compile("Section J")).fill("The family did not ask for a personal "
                                                    "budget.")
    page.get_by_role("button", name="Check the draft again").click()
    findings_f = page.locator("#quality-F")
    expect(findings_f).to_contain_text("as required")
    expect(page.locator("#quality-counts")).to_be_visible()
    assert_accessible(page)

    # Fixing the provision's wording removes its findings, and nothing typed is lost.
    page.get_by_label(re.compile("Section F")).fill(SPECIFIC)
    page.get_by_role("button", name="Check the draft again").click()
    expect(page.locator("#quality-F")).to_have_count(0)
    expect(page.get_by_label(re.compile("Section J"))).to_have_value(re.compile("did not ask"))
    assert_accessible(page)
    page.get_by_role("button", name="Send the draft plan").click()
    expect(page.locator("main")).to_contain_text("The council sent the draft EHC plan")

    # The family comments, the owners sign off and the school is consulted (not under test).
    plan = Plan.objects.get(request=request)
    version = plan.versions.get()
    child, access = get_child_or_404(w.users["parent"], w.esi.pk)
    actions.do_comment_on_draft(w.users["parent"], version, access, comments="Fine")
    for item in version.sign_offs.all():
        actions.do_sign_off(w.users["dco" if item.area == "health" else "socialworker"], item,
                            approve=True)
    consultation = actions.do_consult_setting(w.users["caseworker"], plan, w.school_a)
    actions.do_reply_to_consultation(w.users["caseworker"], consultation, can_meet=True)

    # Other findings are still open (the brief advice): the final plan asks for a reason.
    page.goto(live_url(f"/ehc/requests/{request.pk}/final/"))
    expect(page.locator("#quality-open")).to_contain_text("still open")
    assert_accessible(page)
    page.get_by_label("School, college or setting to name in section I").select_option(
        label="Alpha Primary")
    page.get_by_label("Type of school or other institution").select_option("mainstream")
    page.get_by_role("button", name="Issue the final plan").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("still open")
    assert_accessible(page)
    page.get_by_label(re.compile("Why issue the plan with quality findings")).fill(
        "Outcomes agreed with the family; to be revisited at the first review")
    page.get_by_role("button", name="Issue the final plan").click()
    expect(page.locator("main")).to_contain_text("The council issued the final EHC plan")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
    assert ConsideredFinding.objects.filter(plan=plan, at_issue=True).exists()
    assert not ConsideredFinding.objects.filter(plan=plan, code="provision_vague").exists()
