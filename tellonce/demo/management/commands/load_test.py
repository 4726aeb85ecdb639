"""A bounded load test: signed-in users of every kind, for a fixed time, against a running
server (gunicorn, say), with the figures people compare and a check of the audit log.

Each simulated user signs in as one of the demo accounts (a mix weighted like a real area:
caseworkers and practitioners most, families and the public too), then repeats: open a page
of the kind that account uses, wait a moment (think time), open another. At the end it
prints, per kind of page, how many requests, errors, and the 50th/95th/99th percentile time;
and it checks that the audit log grew by exactly what the audited requests should have
written (each kind's rows are measured once, alone, before the run).

It reads the database (the same DATABASE_URL as the server) only to choose real ids and to
count audit rows. It is a benchmark, not a test: run it by hand (`make load`).
"""

from __future__ import annotations

import os
import random
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tellonce.access.models import AuditEvent
from tellonce.access.policy import visible_children
from tellonce.demo.area import DEMO_PASSWORD
from tellonce.demo.bench import percentile
from tellonce.people.models import User

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Page:
    kind: str
    path: Callable[[random.Random], str]


def _pages_for(username: str) -> tuple[list[Page], float]:
    """The pages one demo account uses, built from the ids it may see; and its weight."""
    user = User.objects.get(username=username)
    visible = visible_children(user).order_by("pk").values_list("pk", flat=True)[:300]
    ids = [str(pk) for pk in visible]

    def child(suffix: str = "") -> Callable[[random.Random], str]:
        return lambda rnd: f"/children/{rnd.choice(ids)}/{suffix}"
    names = ["a", "b", "c", "m", "s", "j", "k"]
    pages: dict[str, tuple[list[Page], float]] = {
        "caseworker": ([Page("child record", child()), Page("EHC timeline", child("ehc/")),
                        Page("EHC worklist", lambda rnd: "/ehc/worklist/"),
                        Page("children search",
                             lambda rnd: f"/children/?name={rnd.choice(names)}")], 12),
        "manager": ([Page("EHC worklist", lambda rnd: "/ehc/worklist/"),
                     Page("child record", child())], 3),
        "slt": ([Page("referrals worklist", lambda rnd: "/referrals/"),
                 Page("child record", child())], 8),
        "senco": ([Page("children list", lambda rnd: "/children/"), Page("child record", child()),
                   Page("About me", child("about-me/"))], 8),
        "dco": ([Page("asked of me", lambda rnd: "/ehc/asked-of-me/"),
                 Page("child record", child())], 3),
        "ep": ([Page("asked of me", lambda rnd: "/ehc/asked-of-me/"),
                Page("child record", child())], 3),
        "parent": ([Page("home", lambda rnd: "/"), Page("child record", child()),
                    Page("family referrals", child("referrals/")),
                    Page("EHC timeline", child("ehc/"))], 6),
        "leader": ([Page("waiting times", lambda rnd: "/waiting-times/")], 2),
        "editor": ([Page("manage local offer", lambda rnd: "/manage-local-offer/")], 2),
    }
    if not ids and username not in ("leader", "editor"):
        raise CommandError(f"The demo account {username!r} sees no children: generate the area")
    return pages[username]


SEARCHES = ["speech", "autism", "play", "sleep", ""]
# The trivial view timed beside the run (no database, no session): the machine is shared, so
# a page's p95 as a ratio to this one's says more than the milliseconds alone.
TRIVIAL = "/healthz"
TRIVIAL_KIND = "trivial view (/healthz)"
PUBLIC = [Page("local offer search", lambda rnd: f"/local-offer/?q={rnd.choice(SEARCHES)}")]


def _load_average() -> str:
    """The machine's load (1, 5 and 15 minutes), printed beside the figures it inflates."""
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


class Command(BaseCommand):
    help = "Load test a running server with signed-in demo users (a benchmark, not a test)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--seconds", type=float, default=60.0)
        parser.add_argument("--think", type=float, default=1.0,
                            help="mean seconds a user waits between pages (0.5× to 1.5×)")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        base = options["url"].rstrip("/")
        accounts = {name: _pages_for(name) for name in
                    ("caseworker", "manager", "slt", "senco", "dco", "ep", "parent", "leader",
                     "editor")}
        mix = [name for name, (_, weight) in accounts.items() for _ in range(int(weight))]
        mix += ["public"] * 3
        self.stdout.write("calibrating: audit rows each kind of page writes, one request alone")
        per_kind = self._calibrate(base, accounts)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in sorted(per_kind.items())))

        results: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        lock = threading.Lock()
        before = AuditEvent.objects.count()
        deadline = time.monotonic() + options["seconds"]

        def user_loop(i: int) -> None:
            own = random.Random(options["seed"] * 1000 + i)
            name = own.choice(mix)
            session = requests.Session()
            pages = PUBLIC if name == "public" else accounts[name][0]
            if name != "public":
                self._sign_in(session, base, name)
            while time.monotonic() < deadline:
                page = own.choice(pages)
                started = time.perf_counter()
                try:
                    response = session.get(base + page.path(own), timeout=30,
                                           allow_redirects=False)
                    ok = response.status_code == 200
                except requests.RequestException:
                    ok = False
                elapsed = time.perf_counter() - started
                with lock:
                    results[page.kind].append(elapsed)
                    if not ok:
                        errors[page.kind] += 1
                time.sleep(options["think"] * own.uniform(0.5, 1.5))

        def trivial_loop() -> None:
            session = requests.Session()
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    ok = session.get(base + TRIVIAL, timeout=30).status_code == 200
                except requests.RequestException:
                    ok = False
                elapsed = time.perf_counter() - started
                with lock:
                    results[TRIVIAL_KIND].append(elapsed)
                    if not ok:
                        errors[TRIVIAL_KIND] += 1
                time.sleep(0.25)

        threads = [threading.Thread(target=user_loop, args=(i,)) for i in range(options["users"])]
        threads.append(threading.Thread(target=trivial_loop))
        self.stdout.write(f"load average at the start: {_load_average()}")
        self.stdout.write(f"{options['users']} users for {options['seconds']:.0f} s against {base}")
        for thread in threads:
            thread.start()
            time.sleep(0.02)  # a ramp of a second, not 50 sign-ins in the same instant
        for thread in threads:
            thread.join()
        written = AuditEvent.objects.count() - before
        self._report(results, errors, per_kind, written)

    def _sign_in(self, session: requests.Session, base: str, username: str) -> None:
        page = session.get(f"{base}/sign-in/", timeout=30)
        token = CSRF.search(page.text)
        if token is None:
            raise CommandError(f"No sign-in form at {base}/sign-in/")
        response = session.post(
            f"{base}/sign-in/",
            data={"username": username, "password": DEMO_PASSWORD,
                  "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": f"{base}/sign-in/"}, timeout=30, allow_redirects=False,
        )
        if response.status_code != 302:
            raise CommandError(f"Could not sign in as {username} ({response.status_code})")

    def _calibrate(
        self, base: str, accounts: dict[str, tuple[list[Page], float]]
    ) -> dict[str, int]:
        rnd = random.Random(1)
        per_kind: dict[str, int] = {}
        for name, (pages, _) in accounts.items():
            session = requests.Session()
            self._sign_in(session, base, name)
            for page in pages:
                before = AuditEvent.objects.count()
                response = session.get(base + page.path(rnd), timeout=30, allow_redirects=False)
                if response.status_code != 200:
                    raise CommandError(f"{page.kind} as {name}: {response.status_code}")
                per_kind.setdefault(page.kind, AuditEvent.objects.count() - before)
        for page in PUBLIC:
            before = AuditEvent.objects.count()
            requests.get(base + page.path(rnd), timeout=30)
            per_kind[page.kind] = AuditEvent.objects.count() - before
        return per_kind

    def _report(self, results: dict[str, list[float]], errors: dict[str, int],
                per_kind: dict[str, int], written: int) -> None:
        self.stdout.write(f"{'page':24} {'requests':>9} {'errors':>7} {'p50 ms':>8} "
                          f"{'p95 ms':>8} {'p99 ms':>8}")
        signed_in: list[float] = []
        for kind in sorted(results):
            times = sorted(results[kind])
            if kind not in ("local offer search", TRIVIAL_KIND):
                signed_in += times
            self.stdout.write(
                f"{kind:24} {len(times):9} {errors[kind]:7} {percentile(times, 0.50) * 1000:8.0f} "
                f"{percentile(times, 0.95) * 1000:8.0f} {percentile(times, 0.99) * 1000:8.0f}"
            )
        signed_in.sort()
        total_errors = sum(errors.values())
        # Only answered pages audit; an error (none, we hope) writes nothing.
        expected = sum((len(results[k]) - errors[k]) * per_kind.get(k, 0) for k in results)
        p95 = percentile(signed_in, 0.95)
        self.stdout.write(f"all signed-in pages: {len(signed_in)} requests, p95 "
                          f"{p95 * 1000:.0f} ms; errors: {total_errors}")
        trivial = results.get(TRIVIAL_KIND)
        if trivial:
            baseline = percentile(trivial, 0.95)
            self.stdout.write(f"trivial view p95 {baseline * 1000:.1f} ms; signed-in p95 is "
                              f"{p95 / baseline:.1f}x it")
        self.stdout.write(f"load average at the end: {_load_average()}")
        self.stdout.write(f"audit rows written: {written}; expected from the requests: {expected}"
                          f" ({'equal' if written == expected else 'NOT EQUAL'})")
