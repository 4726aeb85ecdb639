"""The data officer's review queue in a real browser: axe finds nothing, and a decision
links the row (every page is also laid out on a 390 px phone by the browser fixtures)."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from tellonce.feeds.actions import do_save_delivery
from tellonce.feeds.formats import FORMATS
from tellonce.feeds.imports import Row
from tellonce.matching.models import Candidate, Link, Review


def _a_review(world) -> Review:  # type: ignore[no-untyped-def]
    delivery = do_save_delivery(
        world.users["dataofficer"], FORMATS["health_caseload"], world.slt, "Trust system",
        world.la, "caseload.csv",
        [Row(2, "Bea", "Jones", date(2016, 5, 1), postcode="RV1 2AB",
             facts={"service": "Paediatrics"})])
    review = Review.objects.create(record=delivery.records.get(), best_probability=0.93,
                                   reason="The day and month of birth are swapped")
    Candidate.objects.create(review=review, child=world.bea, probability=0.93, weight=3.7,
                             evidence={
                                 "name": {"level": 7, "label": "Same given and family name",
                                          "weight": 9.6},
                                 "dob": {"level": 4, "label": "Day and month swapped",
                                         "weight": 4.1},
                                 "postcode": {"level": -1, "label": "Missing on one side",
                                              "weight": 0},
                                 "sex": {"level": 0, "label": "Different sex", "weight": -5.1},
                             })
    return review


def test_data_officer_reviews_a_match_side_by_side_and_links_it(
    page: Page, browser_world, sign_in, live_url, assert_accessible, no_console_errors
) -> None:
    review = _a_review(browser_world)
    sign_in(page, "dataofficer")
    page.goto(live_url("/matching/reviews/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Matches to review")
    assert_accessible(page)
    page.get_by_role("link", name="Bea Jones").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Is this row one of these children?")
    expect(page.get_by_text("Day and month swapped")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save the decision").click()  # nothing chosen
    expect(page.get_by_text("Select a child, none of them, or decide later").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Link to Bea Jones").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("Linked to Bea Jones")).to_be_visible()
    expect(page.get_by_role("heading", name="Nothing to review")).to_be_visible()
    assert_accessible(page)
    assert Link.objects.get(record=review.record).child == browser_world.bea
