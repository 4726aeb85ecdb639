"""The phone check every browser test runs (tests/browser/phone.py) finds what runs off a
390 px screen, names the page and the element, and is not fooled by a table that scrolls in
its own container."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser import conftest
from tests.browser.phone import PhoneCheck, Served

WIDE = b"""<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width">
<style>.wide { width: 600px; }</style></head>
<body><p id="words" class="wide">A paragraph six hundred pixels wide</p></body></html>"""

SCROLLED = b"""<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width">
<link rel="stylesheet" href="/static/tellonce.css"></head><body>
<div class="tio-table-scroll"><table><tr><td><span style="display:block;width:900px">Wide
cell</span><span class="govuk-visually-hidden">hidden words</span></td></tr></table></div>
</body></html>"""


def _served(live_url, body: bytes, path: str) -> Served:  # type: ignore[no-untyped-def]
    return Served(live_url(path), 200, {"content-type": "text/html; charset=utf-8"}, body)


def test_the_phone_check_names_a_page_too_wide_and_passes_one_that_scrolls_inside(
    page: Page, transactional_db, live_url
) -> None:
    page.goto(live_url("/local-offer/"))  # the test's own page, checked after it
    check = PhoneCheck(documents=[
        _served(live_url, WIDE, "/too-wide/"),
        _served(live_url, SCROLLED, "/scrolls-inside/"),
    ])
    problems = check.problems(conftest._OPEN_CONTEXT[0])
    assert len(problems) == 1, problems
    assert "/too-wide/" in problems[0]
    assert 'p#words.wide "A paragraph six hundred pixels wide"' in problems[0]
    assert "on a 390 px screen" in problems[0]


def test_every_page_a_test_is_served_is_kept_for_the_check(
    page: Page, transactional_db, live_url, every_page_fits_a_phone
) -> None:
    page.goto(live_url("/local-offer/"))
    page.get_by_role("link", name="Recent changes").first.click()
    page.wait_for_load_state()
    kept = [document.url for document in every_page_fits_a_phone.documents]
    assert kept == [live_url("/local-offer/"), live_url("/local-offer/changes/")]
    assert all(b"</html>" in d.body for d in every_page_fits_a_phone.documents)
