"""Benchmark the local offer: 5,000 services in a throwaway database, then the p50/p95 server
time of the ORUK /services search and the public search page, as ratios to /healthz.

    .venv/bin/python manage.py bench_directory [--services 5000] [--requests 1000]

The throwaway database is the test database Django would make (SQLite in memory, or
test_<name> on PostgreSQL), destroyed afterwards. Times are wall-clock around Django's test
client, so each includes the same request overhead as the trivial view it is compared with.
As in the foundation bench (tellonce/demo/bench.py) Django's test instrumentation is not
switched on: it copies every rendered template's context for the test client, which no
server does.

Both searches answer from the per-process search index (directory/search_index.py): the
time to build it is printed first. A server trusts the index for
LOCAL_OFFER_STAMP_CHECK_SECONDS after reading the search stamp, so most measured requests
ask the database nothing; the last row times the page with the stamp read on every search
(the interval at 0), as a server configured so would. The SQL search in queries.py is the
definition the index is tested against, not what is timed here.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client

from tellonce.demo.bench import percentile

SEARCHES = ["autism", "speech", "short breaks", "swimming", "sleep", "parent support",
            "dyslexia", "travel"]


def build(n_services: int, seed: int = 5) -> None:
    from tellonce.demo.directory import TEMPLATES
    from tellonce.directory import postcodes, stored, taxonomy
    from tellonce.directory.models import (
        Address,
        Attribute,
        Location,
        Organization,
        SearchWord,
        Service,
        ServiceAtLocation,
        TaxonomyTerm,
    )
    from tellonce.directory.queries import index_words, search_text_for

    rng = random.Random(seed)
    taxonomy.ensure_send_taxonomy()
    terms = {t.code: t for t in TaxonomyTerm.objects.all()}
    needs = [t.code for t in taxonomy.NEED_TERMS]
    orgs = Organization.objects.bulk_create([
        Organization(name=f"Provider {i}", description="Bench provider") for i in range(50)
    ])
    places = postcodes.all_places()
    services, locations, addresses, sals, attributes = [], [], [], [], []
    today = date.today()
    for i in range(n_services):
        name, description, kinds, _needs, ages, free, waits, _online = TEMPLATES[
            i % len(TEMPLATES)]
        org = rng.choice(orgs)
        reviewed = today - timedelta(days=rng.randrange(0, 500))
        service = Service(
            name=f"{name} {i}", description=description, organization=org, free=free,
            minimum_age=ages[0], maximum_age=ages[1], reviewed_on=reviewed,
            last_modified=datetime.combine(reviewed, datetime.min.time(), tzinfo=UTC),
        )
        codes = list(kinds) + list(waits) + rng.sample(needs, 3)
        codes += taxonomy.age_band_codes(*ages)
        service.search_text = search_text_for(service, org.name,
                                              [terms[c].name for c in codes])
        service.organization = org
        stored.fill(service)
        services.append(service)
        attributes += [Attribute(service=service, taxonomy_term=terms[c]) for c in set(codes)]
        place = rng.choice(places)
        location = Location(name=f"Venue {i}", latitude=place.latitude,
                            longitude=place.longitude)
        locations.append(location)
        addresses.append(Address(location=location, address_1="1 High Street",
                                 city="Rivermouth", state_province="England",
                                 postal_code=place.postcode))
        sals.append(ServiceAtLocation(service=service, location=location))
    Service.objects.bulk_create(services, batch_size=1000)
    Location.objects.bulk_create(locations, batch_size=1000)
    Address.objects.bulk_create(addresses, batch_size=1000)
    ServiceAtLocation.objects.bulk_create(sals, batch_size=1000)
    Attribute.objects.bulk_create(attributes, batch_size=2000)
    SearchWord.objects.bulk_create(
        [SearchWord(service=s, word=w) for s in services for w in index_words(s.search_text)],
        batch_size=5000,
    )


class Command(BaseCommand):
    help = "Time the local offer search (ORUK API and public page) against /healthz."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--services", type=int, default=5000)
        parser.add_argument("--requests", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        n, requests = options["services"], options["requests"]
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            started = time.monotonic()
            build(n)
            with connection.cursor() as cursor:
                # Statistics, as a live database would have; on PostgreSQL also the visibility
                # map autovacuum keeps, without which no index-only scan skips the table.
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql"
                               else "ANALYZE")
            self.stdout.write(f"built {n:,} services in {time.monotonic() - started:.1f}s "
                              f"in {connection.vendor} database "
                              f"{connection.settings_dict['NAME']}")
            from tellonce.directory import search_index

            started = time.monotonic()
            search_index.current()
            self.stdout.write(f"built the search index in {time.monotonic() - started:.2f}s")
            self._measure(requests)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    def _measure(self, requests: int) -> None:
        client = Client()
        page = "/local-offer/?q={}&postcode=RV1+1AA&sort=nearest"
        # Each target: its URL for request i, and the stamp check interval it runs with.
        interval = settings.LOCAL_OFFER_STAMP_CHECK_SECONDS
        targets: dict[str, tuple[Callable[[int], str], float]] = {
            "/healthz": (lambda i: "/healthz", interval),
            "/api/oruk/services?search=…": (
                lambda i: f"/api/oruk/services?search={SEARCHES[i % len(SEARCHES)]}", interval),
            "/local-offer/?q=…": (lambda i: page.format(SEARCHES[i % len(SEARCHES)]), interval),
            "  …stamp read every search": (
                lambda i: page.format(SEARCHES[i % len(SEARCHES)]), 0.0),
        }
        times: dict[str, list[float]] = {name: [] for name in targets}
        try:
            for i in range(requests + 10):  # interleaved, so drift affects all alike
                for name, (url, check_seconds) in targets.items():
                    settings.LOCAL_OFFER_STAMP_CHECK_SECONDS = check_seconds
                    begin = time.perf_counter()
                    response = client.get(url(i))
                    elapsed = time.perf_counter() - begin
                    assert response.status_code == 200, (url(i), response.status_code)
                    if i >= 10:  # warm-up
                        times[name].append(elapsed * 1000)
        finally:
            settings.LOCAL_OFFER_STAMP_CHECK_SECONDS = interval
        base50 = statistics.median(times["/healthz"])
        base95 = percentile(times["/healthz"], 0.95)
        self.stdout.write(f"{requests:,} requests each, interleaved; stamp check interval "
                          f"{interval:g} s")
        self.stdout.write(f"{'view':32} {'p50 ms':>8} {'p95 ms':>8} {'p50 ×':>7} {'p95 ×':>7}")
        for name, values in times.items():
            p50, p95 = statistics.median(values), percentile(values, 0.95)
            self.stdout.write(f"{name:32} {p50:8.2f} {p95:8.2f} {p50 / base50:7.1f} "
                              f"{p95 / base95:7.1f}")
        self.stdout.write("target: p95 within 5× /healthz (ratio of p95 to /healthz's p95)")
