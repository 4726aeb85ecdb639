"""Browser tests: Playwright for Python driving Debian's chromium against the live server.

Never a downloaded browser: chromium comes from Debian (`make chromium`). axe-core comes from
npm (node_modules/axe-core) and is evaluated inside each page checked, through the DevTools
protocol, so the page's own strict Content Security Policy stays on while it is checked.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.phone import PhoneCheck
from tests.world import World, build_world

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are ordinary synchronous calls, so Django's guard is lifted here only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TEST_PASSWORD = "browser-test-password-1"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


# The check of the test running now: every context the session's browser opens is watched
# by it. The check's own 390 px context is opened with chromium's unpatched new_context.
_PHONE_CHECKS: list[PhoneCheck] = []
_OPEN_CONTEXT: list[Callable[..., BrowserContext]] = []


@pytest.fixture(scope="session")
def browser(live_server) -> Iterator[Browser]:  # type: ignore[no-untyped-def]
    """One chromium for the session. It asks for the live server so that it closes first:
    chromium keeps connections to the server open between pages, each held by one of the
    server's threads with its own database connection, and a browser closed after the test
    database was dropped left PostgreSQL saying the database was still in use.

    Its new_context hands every context to the running test's phone check, and new_page
    (which would open a context of its own) is refused, so no page escapes the check."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        open_context = browser.new_context

        def new_context(**options: Any) -> BrowserContext:
            assert _PHONE_CHECKS, "a browser context opened outside a test's phone check"
            context = open_context(**options)
            _PHONE_CHECKS[-1].watch(context)
            return context

        def new_page(**options: Any) -> Page:
            raise AssertionError("open a page with browser.new_context().new_page()")

        browser.new_context = new_context  # type: ignore[method-assign]
        browser.new_page = new_page  # type: ignore[method-assign]
        _OPEN_CONTEXT.append(open_context)
        yield browser
        _OPEN_CONTEXT.clear()
        browser.close()


@pytest.fixture(autouse=True)
def every_page_fits_a_phone(browser: Browser) -> Iterator[PhoneCheck]:
    """Every page a browser test is served, laid out again at 390 px after the test: the
    test fails naming each page that does not fit and the element that runs furthest off
    the screen. Autouse, and the only way to a browser context, so no test can skip it."""
    check = PhoneCheck()
    _PHONE_CHECKS.append(check)
    try:
        yield check
    finally:
        _PHONE_CHECKS.remove(check)
    assert check.documents, "the test was served no page to check on a phone's screen"
    problems = check.problems(_OPEN_CONTEXT[0])
    assert not problems, "pages that do not fit a phone's screen:\n" + "\n".join(problems)


@pytest.fixture
def page(browser: Browser, live_server, transactional_db) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def live_url(live_server) -> Callable[[str], str]:  # type: ignore[no-untyped-def]
    return lambda path: f"{live_server.url}{path}"


@pytest.fixture
def browser_world(transactional_db) -> World:  # type: ignore[no-untyped-def]
    """The test world, committed so the live server's thread sees it."""
    world = build_world()
    for user in world.users.values():
        user.set_password(TEST_PASSWORD)
        user.save(update_fields=["password"])
    return world


@pytest.fixture
def sign_in(live_server) -> Callable[[Page, str], None]:  # type: ignore[no-untyped-def]
    def do_sign_in(page: Page, username: str) -> None:
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_load_state()
        assert "/sign-in/" not in page.url, f"signing in as {username} failed"

    return do_sign_in


@pytest.fixture
def sign_out() -> Callable[[Page], None]:
    def do_sign_out(page: Page) -> None:
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_load_state()

    return do_sign_out


def _axe_violations(page: Page) -> list[dict[str, object]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return list(result["violations"])


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    """Fails with axe-core's WCAG 2.2 AA violations on the current page, if any."""

    def check(page: Page) -> None:
        violations = _axe_violations(page)
        if violations:
            ARTIFACTS.mkdir(exist_ok=True)
            name = page.url.split("//", 1)[-1].replace("/", "_")[:80]
            page.screenshot(path=str(ARTIFACTS / f"axe-{name}.png"), full_page=True)
        summary = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["html"][:160] for n in v["nodes"][:3]],
            }  # type: ignore[index]
            for v in violations
        ]
        assert not violations, f"axe found on {page.url}:\n{json.dumps(summary, indent=1)}"

    return check


@pytest.fixture
def no_console_errors(page: Page) -> Iterator[list[str]]:
    """Collects CSP violations, script errors and failed assets (not pages: a 404 page can be
    the point of a test); the test fails at teardown if there are any."""
    errors: list[str] = []

    def on_console(msg) -> None:  # type: ignore[no-untyped-def]
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            errors.append(msg.text)

    def on_response(response) -> None:  # type: ignore[no-untyped-def]
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield errors
    assert not errors, f"browser console errors: {errors}"
