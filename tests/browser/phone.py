"""Every page a browser test is served is laid out again on a phone's screen, 390 px wide.

Each browser context the tests open (tests/browser/conftest.py patches the session's
browser so there is no other way to open one) keeps the HTML documents its pages were
served: every navigation is fetched through a route, so the document is in hand before the
page shows it and a quick next click cannot lose it. After the test, each document is served
again, from memory, to a page 390 px wide (its styles, scripts and fonts come from the live
server) and measured. Serving the kept bytes rather than asking the server again means a
form's error page or a page after a POST is checked as the user saw it, and nothing the
test did (a session's messages, the audit log) is disturbed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import BrowserContext, Page, Request, Route

PHONE_WIDTH = 390
SMALLEST_PHONE_WIDTH = 320

# The page's own width against the screen's, and the element reaching furthest right that
# no scrolling container clips. An absolutely positioned element (GOV.UK's visually hidden
# text is one) escapes the overflow of every ancestor up to its containing block, so a
# scrolling container that is not positioned does not clip it.
MEASURE = """async () => {
  await document.fonts.ready;
  const limit = document.documentElement.clientWidth;
  const clipped = (el) => {
    let escaping = getComputedStyle(el).position;
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (escaping === 'fixed') return false;
      if (escaping === 'absolute') {
        if (style.position === 'static') continue;
        escaping = '';
      }
      if (style.overflowX !== 'visible') return a.getBoundingClientRect().right <= limit + 0.5;
      if (style.position === 'absolute' || style.position === 'fixed') escaping = style.position;
    }
    return false;
  };
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    if (el.classList.length) name += '.' + [...el.classList].join('.');
    const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 80);
    return text ? `${name} "${text}"` : name;
  };
  let widest = null;
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= limit + 0.5 || clipped(el)) continue;
    if (!widest || box.right > widest.right) {
      widest = {right: Math.round(box.right), element: describe(el)};
    }
  }
  // Content no element's box shows (a file input's own button and text): the deepest
  // element whose content reaches past the screen.
  if (!widest && document.documentElement.scrollWidth > limit) {
    for (const el of document.body.querySelectorAll('*')) {
      const reach = el.getBoundingClientRect().left + el.scrollWidth;
      if (reach > limit + 0.5 && !clipped(el)) {
        widest = {right: Math.round(reach), element: 'the content of ' + describe(el)};
      }
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth, widest};
}"""


def overflow(page: Page) -> str | None:
    """What runs off the side of the page's screen at its current size, or None if it fits."""
    found: dict[str, Any] = page.evaluate(MEASURE)
    if found["scrollWidth"] <= found["width"] and not found["widest"]:
        return None
    widest = found["widest"]
    culprit = (
        f"widest: {widest['element']} reaching {widest['right']} px" if widest else "no element"
    )
    return (
        f"{page.url} is {found['scrollWidth']} px wide on a {found['width']} px screen; "
        f"{culprit}"
    )


@dataclass
class Served:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class PhoneCheck:
    """The HTML documents served to the contexts it watches, to be laid out at 390 px."""

    documents: list[Served] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        context.route("**/*", self._keep_document)

    def _keep_document(self, route: Route, request: Request) -> None:
        if request.resource_type != "document" or request.frame.parent_frame is not None:
            route.fallback()
            return
        # Redirects are not followed here, so the browser follows them itself and each
        # page in the chain comes through this route (and page.url stays true).
        response = route.fetch(max_redirects=0)
        body = response.body()
        headers = response.headers
        if "text/html" in headers.get("content-type", "") and not 300 <= response.status < 400:
            self.documents.append(Served(request.url, response.status, headers, body))
        route.fulfill(response=response, body=body)

    def problems(self, open_context: Callable[..., BrowserContext]) -> list[str]:
        """Each kept document that does not fit a 390 px screen, named by URL and the
        element that runs furthest off it. open_context: the browser's new_context."""
        context = open_context(viewport={"width": PHONE_WIDTH, "height": 800})
        serving: list[Served] = []

        def serve(route: Route, request: Request) -> None:
            if request.resource_type == "document" and serving:
                document = serving[-1]
                headers = {
                    name: value
                    for name, value in document.headers.items()
                    if name not in ("content-encoding", "content-length")
                }
                route.fulfill(status=document.status, headers=headers, body=document.body)
            else:
                route.fallback()

        context.route("**/*", serve)
        page = context.new_page()
        found = []
        try:
            for document in self.documents:
                serving.append(document)
                page.goto(document.url)
                problem = overflow(page)
                if problem:
                    found.append(problem)
        finally:
            context.close()
        return found
