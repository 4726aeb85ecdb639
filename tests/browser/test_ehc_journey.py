"""The EHC process in a real browser: a parent asks for an assessment, the caseworker agrees,
health gives advice, the draft is commented on and the final plan is issued; the parent's
timeline is checked at each step, and axe checks every page on the way."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tellonce.ehc import actions
from tellonce.ehc.models import AssessmentRequest, Plan


def test_parent_requests_and_the_final_plan_is_issued(
    page: Page, browser_world, sign_in, sign_out, live_url, assert_accessible,
    no_console_errors,
) -> None:
    w = browser_world
    esi = w.esi
    timeline = live_url(f"/children/{esi.pk}/ehc/")

    def parent_timeline_says(*texts: str) -> None:
        sign_in(page, "parent")
        page.goto(timeline)
        for text in texts:
            expect(page.locator("main")).to_contain_text(text)
        assert_accessible(page)
        sign_out(page)

    # 1. The parent asks, from Esi's record.
    sign_in(page, "parent")
    page.goto(live_url(f"/children/{esi.pk}/"))
    page.get_by_role("link", name="See the EHC timeline").click()
    assert_accessible(page)
    page.get_by_role("link", name="Ask for an EHC needs assessment").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send the request").click()  # empty: an error
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why")
    assert_accessible(page)
    page.get_by_label("Why are you asking for an EHC needs assessment?").fill(
        "Esi is not talking with other children and SEN support has not helped.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request received")
    assert_accessible(page)
    sign_out(page)
    request = AssessmentRequest.objects.get(child=esi)
    parent_timeline_says("must decide whether to carry out an EHC needs assessment")

    # 2. The caseworker agrees, from the worklist.
    sign_in(page, "caseworker")
    page.goto(live_url("/ehc/worklist/"))
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Mensah, Esi")).first.click()
    page.get_by_role("link", name="Decide whether to assess").click()
    assert_accessible(page)
    page.get_by_label("Decision").select_option("agree")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("main")).to_contain_text("The council agreed")
    assert_accessible(page)
    sign_out(page)
    parent_timeline_says("The council agreed", "Give health advice")

    # 3. Health gives advice, through the designated clinical officer's own page.
    sign_in(page, "dco")
    page.goto(timeline)
    page.get_by_role("link", name="Give health advice").click()
    assert_accessible(page)
    page.get_by_label("Needs").fill("Speech sound disorder; poor sleep.")
    page.get_by_label("Outcomes").fill("Esi will be understood by her classmates.")
    page.get_by_label("Provision").fill("Speech and language therapy, 6 sessions a term.")
    page.get_by_role("button", name="Send the advice").click()
    expect(page.locator("main")).to_contain_text("gave health advice")
    sign_out(page)
    for advice in request.advice_requests.exclude(kind="health"):
        user = w.users[{"ep": "ep", "social_care": "socialworker", "education": "senco"}[
            advice.kind]]
        actions.do_give_advice(user, advice, nil_reason="Nothing to add (test)")
    parent_timeline_says("gave health advice")

    # 4. The caseworker decides to issue and sends the draft.
    sign_in(page, "caseworker")
    page.goto(timeline)
    page.get_by_role("link", name="Decide whether to issue a plan").click()
    page.get_by_label("Decision").select_option("issue")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("link", name="Write and send the draft plan").click()
    assert_accessible(page)
    expect(page.get_by_label(re.compile("Section G"))).to_have_value(re.compile("6 sessions"))
    # Every section is written (reg 12(1)): the caseworker says so where nothing was found.
    boxes = page.locator("textarea[name^='section_']")
    for index in range(boxes.count()):
        if not boxes.nth(index).input_value().strip():
            boxes.nth(index).fill("Nothing was identified for this section.")
    page.get_by_role("button", name="Send the draft plan").click()
    expect(page.locator("main")).to_contain_text("The council sent the draft EHC plan")
    sign_out(page)
    parent_timeline_says("It is your turn")

    # 5. The parent comments on the draft.
    sign_in(page, "parent")
    page.goto(timeline)
    page.get_by_role("link", name="Comment on the draft plan").click()
    assert_accessible(page)
    page.get_by_label("Your comments on the whole draft").fill("Please add help at lunchtime.")
    page.get_by_label(re.compile("School or college you would like")).fill("Alpha Primary")
    page.get_by_role("button", name="Send your comments").click()
    expect(page.locator("main")).to_contain_text("The family commented on the draft plan")
    assert_accessible(page)
    sign_out(page)

    # 6. Health signs off its sections; social care too; the caseworker issues the final.
    sign_in(page, "dco")
    page.goto(timeline)
    page.get_by_role("link", name=re.compile("Sign off Health")).click()
    assert_accessible(page)
    page.get_by_label("Your decision").select_option("approve")
    page.get_by_role("button", name="Send").click()
    sign_out(page)
    plan = Plan.objects.get(request=request)
    social = plan.versions.get().sign_offs.get(area="social_care")
    actions.do_sign_off(w.users["socialworker"], social, approve=True)
    sign_in(page, "caseworker")
    page.goto(timeline)
    # The school is consulted before it is named (CFA s.39); the final names it and its type.
    page.get_by_role("link", name="Consult a school or college").click()
    page.get_by_label("School, college or setting to consult").select_option(
        label="Alpha Primary")
    page.get_by_role("button", name="Send the consultation").click()
    page.get_by_role("link", name="Issue the final plan").click()
    assert_accessible(page)
    page.get_by_label("School, college or setting to name in section I").select_option(
        label="Alpha Primary")
    page.get_by_label("Type of school or other institution").select_option("mainstream")
    # The advice was brief, so quality findings are open: issuing asks why (ehc.quality).
    page.get_by_label(re.compile("Why issue the plan with quality findings")).fill(
        "Agreed with the family at the planning meeting")
    page.get_by_role("button", name="Issue the final plan").click()
    expect(page.locator("main")).to_contain_text("The council issued the final EHC plan")
    sign_out(page)
    parent_timeline_says("The council issued the final EHC plan", "Hold the annual review",
                         "Final plan, version 2")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
