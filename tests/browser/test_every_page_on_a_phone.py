"""Every page each role of the test world can reach, on a phone: at 320 px wide nothing
runs off the side of the screen and axe finds nothing; at 390 px, as every page of every
browser test, the conftest's phone check (tests/browser/phone.py) lays each page out again
after the test and fails it for any page that does not fit.

The pages are the access matrix's (tests/matrix): every GET pattern that serves pages, with
its arguments built from the world as tests/access/test_access_matrix.py builds them, for
each role the matrix allows. One browser, one context per role.
"""

from __future__ import annotations

from dataclasses import replace

from playwright.sync_api import Browser, Page

from tellonce.people.models import Child, FamilyLink
from tellonce.profile.models import AboutMeVersion
from tests.access.test_access_matrix import ROUTES, _url
from tests.browser.conftest import AXE_SOURCE, TEST_PASSWORD, _axe_violations
from tests.browser.phone import SMALLEST_PHONE_WIDTH, overflow
from tests.factories import involve, make_child
from tests.matrix import ROLES
from tests.world import World

HTML = "text/html"


def _sibling_of_esi(world: World) -> Child:
    """A child placed as Esi is (the same mother, school and SEN support): each EHC page's
    case is built on its own child, as the access matrix builds each on a fresh world, since
    a child has one request in progress at a time."""
    child = make_child(
        world.la,
        held_by=world.school_a,
        given_name="Esi",
        family_name="Mensah",
        setting=world.school_a,
        send_status=Child.SendStatus.SEN_SUPPORT,
        date_of_birth=world.esi.date_of_birth,
    )
    FamilyLink.objects.create(
        adult=world.esi.family.get().adult,
        child=child,
        relationship="mother",
        parental_responsibility=True,
    )
    involve(child, world.school_a, role="SEN support")
    return child


def _pages_by_role(world: World) -> dict[str, list[str]]:
    """Each role's pages. The public pages (the local offer, signing in) are the same for
    everyone but the header, which every role's other pages show too: they are visited
    signed out and as one signed-in role, not fifteen times."""
    # As the access matrix has it: Kofi's About me has a first version to show.
    AboutMeVersion.objects.create(child=world.kofi, number=1, written_by="family",
                                  author_description="Parent", people_like="Trains")
    pages: dict[str, list[str]] = {role: [] for role in ROLES}
    for pattern in sorted(ROUTES):
        route = ROUTES[pattern]
        if route.api or route.method != "GET" or route.everyone_status is not None:
            continue
        url = _url(route, replace(world, esi=_sibling_of_esi(world)))
        for role in route.allowed & ({"anonymous", "parent"} if route.public else set(ROLES)):
            pages[role].append(url)
    return pages


def _sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/sign-in/" not in page.url, f"signing in as {username} failed"


def _axe_summary(page: Page) -> list[str]:
    return [
        f"{page.url} at {SMALLEST_PHONE_WIDTH} px: axe {v['id']}: {v['help']} "
        f"{[n['html'][:120] for n in v['nodes'][:2]]}"  # type: ignore[index]
        for v in _axe_violations(page)
    ]


def test_every_page_of_every_role_fits_a_phone(
    browser: Browser, browser_world, live_server, every_page_fits_a_phone  # type: ignore[no-untyped-def]
) -> None:
    pages = _pages_by_role(browser_world)
    problems: list[str] = []
    checked = 0
    axed: set[str] = set()
    for role in ROLES:
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": SMALLEST_PHONE_WIDTH, "height": 800}
        )
        # axe-core in every page of the context from the start, not sent page by page.
        context.add_init_script(path=AXE_SOURCE)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if role != "anonymous":
            _sign_in(page, browser_world.users[role].username)
        for url in pages[role]:
            # Asked first without the page: a CSV or a PDF would be a download, not a page.
            answer = page.request.get(url)
            assert answer.ok, f"{role}: {url} answered {answer.status}"
            if HTML not in answer.headers.get("content-type", ""):
                continue  # a CSV, a PDF, the health check
            response = page.goto(url)
            assert response is not None and response.ok, f"{role}: {url} answered {response}"
            checked += 1
            problem = overflow(page)
            if problem:
                problems.append(f"{role}: {problem}")
            # axe once for each page, and on each role's first (its own header and menu): a
            # page differs between roles in little else, and axe is the slow part.
            if url not in axed or url == pages[role][0]:
                axed.add(url)
                problems += [f"{role}: {found}" for found in _axe_summary(page)]
        context.close()
    assert checked > 100, f"only {checked} pages were checked"
    # Each of them is laid out again at 390 px after the test.
    assert len(every_page_fits_a_phone.documents) >= checked
    assert not problems, f"{len(problems)} problems on a phone:\n" + "\n".join(problems)
