"""The search index (search_index.py) finds exactly what the SQL in queries.py finds, in the
same order, and sees a change made elsewhere within its check interval, and one made
through this process's actions on the next search."""

from __future__ import annotations

import math
import random
import threading
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tellonce.directory import postcodes, queries, search_index, stored, taxonomy
from tellonce.directory.actions import ServiceDetails, do_retire_service, do_update_service
from tellonce.directory.models import Location, SearchWord, Service, ServiceArea, TaxonomyTerm
from tellonce.directory.views import NEAREST, SEARCH_SORTS
from tellonce.people.models import Locality, Organisation, PrimaryNeed
from tests.directory.helpers import make_organization, make_service

pytestmark = pytest.mark.django_db

WORDS = ["speech", "speeches", "special", "short", "shorts", "breaks", "break-time", "parent",
         "parent's", "autism", "autistic", "café", "ça", "über", "sleep", "swim", "1st", "a",
         "zzz"]
WAITS = [t.code for t in taxonomy.WHILE_YOU_WAIT_TERMS]
NEEDS = [n.value for n in PrimaryNeed]
ORDERINGS = {option.key: option.ordering for option in [NEAREST, *SEARCH_SORTS]}
PLACES = postcodes.all_places()


def _area() -> tuple[list[int], list[Organisation]]:
    """Services of every shape the search distinguishes: ties in name and date, unicode and
    punctuation in words, every status, ages open at either end, areas, and none, one or two
    places (one without coordinates)."""
    rng = random.Random(56)
    la = Organisation.objects.create(name="Rivermouth Council",
                                     kind=Organisation.Kind.LOCAL_AUTHORITY)
    localities = [Locality.objects.create(local_authority=la, name=n).pk
                  for n in ("North", "South", "East")]
    orgs = [make_organization(f"Provider {i}") for i in range(3)]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(48):
        words = " ".join(rng.sample(WORDS, rng.randint(1, 4)))
        name = rng.choice([f"Group {i}", "Same name", f"{words.title()} {i % 7}", "Ábaco"])
        low = rng.choice([None, 0, 3, 5, 11, 16])
        high = rng.choice([None, 4, 10, 18, 25])
        terms = tuple(rng.sample(WAITS, rng.randint(0, 2))) + tuple(
            taxonomy.need_code(n) for n in rng.sample(NEEDS[:3], rng.randint(0, 3)))
        postcode = rng.choice([None, *[p.postcode for p in PLACES[::9]], "RV1 1AA"])
        service = make_service(
            name, organization=rng.choice(orgs), terms=terms, postcode=postcode,
            description=f"{words} support", free=rng.random() < 0.6, minimum_age=low,
            maximum_age=high, status=rng.choice(
                [Service.Status.ACTIVE] * 4 + [Service.Status.TEMPORARILY_CLOSED,
                                               Service.Status.INACTIVE, Service.Status.DEFUNCT]),
            last_modified=start + timedelta(days=rng.randint(0, 5)),
        )
        area = rng.choice([None, "whole", *localities])
        if area is not None:
            ServiceArea.objects.create(service=service, name="Area",
                                       locality_id=None if area == "whole" else area)
        if postcode and rng.random() < 0.3:  # its place is in a locality too
            Location.objects.filter(service_at_locations__service=service).update(
                locality_id=rng.choice(localities))
        if rng.random() < 0.15:  # a second place, or one with no coordinates
            second = make_service("unused", postcode=rng.choice(PLACES).postcode)
            sal = second.service_at_locations.get()
            sal.service = service
            sal.save()
            if rng.random() < 0.5:
                Location.objects.filter(pk=sal.location_id).update(latitude=None)
            second.delete()
    return localities, orgs


@pytest.fixture
def area(db):  # type: ignore[no-untyped-def]
    return _area()


text = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS).map(lambda w: w[:2]),
              st.sampled_from(WORDS).map(lambda w: w[:4].upper()),
              st.text(alphabet="abcs'-é ", max_size=4)),
    max_size=2,
).map(" ".join)


def _sql_rows(criteria: queries.PublicSearch, sort: str) -> list[tuple]:
    services = queries.public_search(criteria).order_by(*ORDERINGS[sort])
    if criteria.place is None:
        return [(pk, name, None) for pk, name in services.values_list("pk", "name")]
    return list(services.values_list("pk", "name", "distance_sq_km"))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_index_finds_what_the_sql_finds_in_the_same_order(area, data) -> None:  # type: ignore[no-untyped-def]
    localities, _ = area
    place = data.draw(st.sampled_from([None, PLACES[0], PLACES[17], PLACES[-1]]))
    # Each filter left out as often as not, so that searches find something.
    criteria = queries.PublicSearch(
        text=data.draw(st.one_of(st.just(""), text)),
        need=data.draw(st.sampled_from([""] * 3 + NEEDS[:3])),
        age=data.draw(st.one_of(st.none(), st.none(), st.integers(0, 30))),
        locality=data.draw(st.sampled_from([None] * 4 + [*localities, 999_999])),
        free_only=data.draw(st.sampled_from([False, False, True])),
        waiting=data.draw(st.sampled_from([""] * 3 + WAITS)),
        place=place,
        miles=data.draw(st.sampled_from([None, 1.0, 3.0, 5.0, 10.0])) if place else None,
    )
    sort = data.draw(st.sampled_from(["name", "updated", *(["nearest"] if place else [])]))
    expected = _sql_rows(criteria, sort)
    index = search_index.current()
    found = index.public_search(criteria)
    assert found.bit_count() == len(expected)
    rows = [(f.id, f.name, f.distance_sq_km) for f in index.page(found, sort, 0, 10_000, place)]
    assert rows == expected
    start = data.draw(st.integers(0, len(expected) + 2))
    stop = start + data.draw(st.integers(1, 25))
    assert [f.id for f in index.page(found, sort, start, stop, place)] == [
        row[0] for row in expected[start:stop]]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_index_finds_what_the_oruk_sql_finds(area, data) -> None:  # type: ignore[no-untyped-def]
    _, orgs = area
    terms = list(TaxonomyTerm.objects.values_list("pk", flat=True)[:40])
    words = data.draw(text)
    term_id = data.draw(st.sampled_from([None, *terms]))
    taxonomy_id = data.draw(st.sampled_from([None, taxonomy.TAXONOMY_ID, orgs[0].pk]))
    organization_id = data.draw(st.sampled_from([None, *[o.pk for o in orgs]]))
    expected = list(queries.oruk_services(words, term_id, taxonomy_id, organization_id)
                    .values_list("pk", flat=True))
    index = search_index.current()
    found = index.oruk_services(words, term_id, taxonomy_id, organization_id)
    assert [f.id for f in index.page(found, search_index.NAME, 0, 10_000)] == expected


def _editor_details(service: Service, **changes: object) -> ServiceDetails:
    details = ServiceDetails(organization=service.organization, name=service.name,
                             description=service.description, status=service.status)
    for key, value in changes.items():
        setattr(details, key, value)
    return details


@pytest.fixture
def clock(monkeypatch):  # type: ignore[no-untyped-def]
    """The search index's clock, moved by hand: now[0] is the time in seconds."""
    now = [1000.0]
    monkeypatch.setattr(search_index, "monotonic", lambda: now[0])
    return now


def test_a_change_through_an_action_shows_on_the_next_search(  # type: ignore[no-untyped-def]
    client, world, clock, settings
) -> None:
    # The action's own process sees it at once, without waiting out the check interval.
    settings.LOCAL_OFFER_STAMP_CHECK_SECONDS = 3600
    user = world.users["editor"]
    service = make_service("Kayaking club")
    other = make_service("Chess club")
    assert "Kayaking club" in client.get("/local-offer/?q=kayak").content.decode()
    do_update_service(user, service, _editor_details(service, name="Canoe club"),
                      service.version)
    page = client.get("/local-offer/?q=canoe").content.decode()
    assert "Canoe club" in page and "1 service found" in page
    assert "No services match" in client.get("/local-offer/?q=kayak").content.decode()
    do_retire_service(user, other, "Closed")
    assert "No services match" in client.get("/local-offer/?q=chess").content.decode()
    api = client.get("/api/oruk/services?search=chess").json()  # the API still lists it
    assert [item["status"] for item in api["contents"]] == ["defunct"]


def test_any_write_to_what_the_index_reads_changes_the_stamp() -> None:
    from django.db import connection

    from tellonce.directory import search_stamp

    service = make_service("Stamp test", postcode="RV1 1AA")
    stamps = [search_stamp.read(connection)]
    SearchWord.objects.create(service=service, word="stampword")
    stamps.append(search_stamp.read(connection))
    Location.objects.filter(service_at_locations__service=service).update(latitude=50.0)
    stamps.append(search_stamp.read(connection))
    Service.objects.filter(pk=service.pk).update(free=False)
    stamps.append(search_stamp.read(connection))
    la = Organisation.objects.create(name="Council", kind=Organisation.Kind.LOCAL_AUTHORITY)
    Locality.objects.create(local_authority=la, name="Westhaven")  # the form lists areas
    stamps.append(search_stamp.read(connection))
    assert len(set(stamps)) == len(stamps)
    assert [name for _, name in search_index.current().locality_names] == ["Westhaven"]
    # Columns the index does not keep leave it be; the stored copies, which it keeps, do not.
    Service.objects.filter(pk=service.pk).update(search_text="x", version=7)
    assert search_stamp.read(connection) == stamps[-1]
    Service.objects.filter(pk=service.pk).update(result_card="<li>")
    assert search_stamp.read(connection) != stamps[-1]
    assert search_index.current().matching("stampword", search_index.current().everything)


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_another_connection_shows_within_the_check_interval(  # type: ignore[no-untyped-def]
    client, clock, settings
) -> None:
    settings.LOCAL_OFFER_STAMP_CHECK_SECONDS = 1.0
    service = make_service("Trampolining")
    second = make_service("Trampolining for beginners")
    assert "2 services found" in client.get("/local-offer/?q=trampo").content.decode()
    assert client.get("/api/oruk/services?search=trampo").json()["total_items"] == 2
    index = search_index.current()
    assert index.matching("trampolining", index.public).bit_count() == 2

    def elsewhere(target: Service) -> None:  # a thread has its own database connection
        from django.db import connection, transaction

        try:
            with transaction.atomic():  # as do_retire_service writes it
                Service.objects.filter(pk=target.pk).update(status=Service.Status.DEFUNCT)
                stored.refresh([target])
        finally:
            connection.close()

    thread = threading.Thread(target=elsewhere, args=(service,))
    thread.start()
    thread.join()
    # Checked less than a second ago: this process still trusts its index.
    clock[0] += 0.9
    assert "2 services found" in client.get("/local-offer/?q=trampo").content.decode()
    # A second after the last check the page and the API read the stamp again, find the
    # index out of date, and answer from a new one.
    clock[0] += 0.1
    assert "1 service found" in client.get("/local-offer/?q=trampo").content.decode()
    assert client.get("/api/oruk/services?search=trampo&per_page=1&page=1").json()[
        "contents"][0]["status"] == "defunct"
    index = search_index.current()
    assert index.matching("trampolining", index.public).bit_count() == 1
    assert index.matching("trampolining", index.everything).bit_count() == 2
    # With no interval, every search asks: the next change shows at once.
    settings.LOCAL_OFFER_STAMP_CHECK_SECONDS = 0
    thread = threading.Thread(target=elsewhere, args=(second,))
    thread.start()
    thread.join()
    assert "No services match" in client.get("/local-offer/?q=trampo").content.decode()


def test_a_search_asks_for_the_stamp_once_a_check_interval(  # type: ignore[no-untyped-def]
    client, django_assert_num_queries, clock, settings
) -> None:
    settings.LOCAL_OFFER_STAMP_CHECK_SECONDS = 1.0
    for i in range(25):
        make_service(f"Music group {i}", postcode="RV1 1AA")
    page = "/local-offer/?q=music&postcode=RV1+1AA&sort=nearest&page=2"
    api = "/api/oruk/services?search=music&per_page=10"
    client.get(page)  # builds the index, having read the stamp
    # Within the interval nothing is asked of the database: no stamp, no transaction.
    with django_assert_num_queries(0):
        assert "Music group" in client.get(page).content.decode()
    with django_assert_num_queries(0):
        assert len(client.get(api).json()["contents"]) == 10
    # After it, one query reads the stamp (no savepoint here, no BEGIN and COMMIT in a live
    # request), and the next search trusts that check.
    clock[0] += 1.0
    with django_assert_num_queries(1):
        assert "Music group" in client.get(page).content.decode()
    with django_assert_num_queries(0):
        assert len(client.get(api).json()["contents"]) == 10
    clock[0] += 1.5
    with django_assert_num_queries(1):
        assert len(client.get(api).json()["contents"]) == 10


@given(st.floats(0, 40_000, allow_nan=False))
def test_miles_are_written_as_floatformat_writes_them(distance_sq_km: float) -> None:
    from django.template.defaultfilters import floatformat

    from tellonce.directory.views import KM_PER_MILE, miles

    assert miles(distance_sq_km) == floatformat(math.sqrt(distance_sq_km) / KM_PER_MILE, 1)
