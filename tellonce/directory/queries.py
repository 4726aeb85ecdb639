"""Finding services: the one search used by the public pages, the ORUK API and other apps.

Everything in the local offer is public, so there is no per-user scoping here; what the public
may see is decided by status (`PUBLIC_STATUSES`). Editing rights are in directory/policy.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import (
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL

from tellonce.directory import postcodes, taxonomy
from tellonce.directory.models import (
    Attribute,
    Location,
    SearchWord,
    Service,
    ServiceArea,
    ServiceAtLocation,
)

PUBLIC_STATUSES = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)
KM_PER_DEGREE_LATITUDE = 110.574
KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.320
KM_PER_MILE = 1.609344
MAX_SEARCH_WORDS = 8


@dataclass(frozen=True)
class PublicSearch:
    """What a family asked the public search for (its form, cleaned); empty finds everything."""

    text: str = ""
    need: str = ""  # a PrimaryNeed value, such as 'ASD'
    age: int | None = None
    locality: int | None = None  # a Locality id
    free_only: bool = False
    waiting: str = ""  # a 'wait-…' term code
    place: postcodes.Place | None = None  # the family's postcode: distances from it
    miles: float | None = None  # with a place: only services this near (or with no place)


def public_search(criteria: PublicSearch) -> QuerySet[Service]:
    """The public search in SQL, unordered; with a place, annotated with `distance_sq_km`.

    The public page answers from the search index (search_index.py), which must find exactly
    these services: tests compare the two on random searches."""
    services = search(public_services(), criteria.text)
    if criteria.need:
        services = for_need(services, criteria.need)
    if criteria.age is not None:
        services = for_age(services, criteria.age)
    if criteria.locality is not None:
        services = in_locality(services, criteria.locality)
    if criteria.free_only:
        services = services.filter(free=True)
    if criteria.waiting:
        services = with_term(services, [taxonomy.term_id(criteria.waiting)])
    if (place := criteria.place) is not None:
        services = with_distance(services, place.latitude, place.longitude)
        if criteria.miles:
            services = within(services, criteria.miles * KM_PER_MILE)
    return services


def oruk_services(
    text: str = "",
    term_id: UUID | None = None,
    taxonomy_id: UUID | None = None,
    organization_id: UUID | None = None,
    after: datetime | None = None,
) -> QuerySet[Service]:
    """The ORUK API's /services in SQL: every status (consumers need to see a service
    retire), by name. The API answers from the search index when it can (without `after`)."""
    services = search(Service.objects.all(), text)
    if term_id is not None:
        services = with_term(services, [term_id])
    if taxonomy_id is not None:
        services = with_taxonomy(services, taxonomy_id)
    if organization_id is not None:
        services = services.filter(organization_id=organization_id)
    if after is not None:
        services = modified_after(services, after)
    return services.order_by("name", "pk")


def public_services() -> QuerySet[Service]:
    """Services a family can use now (or soon: temporarily closed ones say so)."""
    return Service.objects.filter(status__in=PUBLIC_STATUSES)


def search_words(text: str) -> list[str]:
    """The words of a search, lower-cased, at most MAX_SEARCH_WORDS of them."""
    return [w for w in re.split(r"[^\w'-]+", text.lower()) if w][:MAX_SEARCH_WORDS]


def search(services: QuerySet[Service], text: str) -> QuerySet[Service]:
    """Services with a word starting with each word searched for, in their name, description,
    organisation or terms ('autis' finds 'autism' and 'autistic')."""
    for word in search_words(text):
        services = services.filter(pk__in=_starting_with(word).values("service_id"))
    return services


def _starting_with(word: str) -> QuerySet[SearchWord]:
    """Index entries for every word that starts with `word`: a range on the word column."""
    word = word[:40]
    after = word[:-1] + chr(ord(word[-1]) + 1)
    return SearchWord.objects.filter(word__gte=word, word__lt=after)


def index_words(search_text: str) -> set[str]:
    """The words SearchWord keeps for a service's search text."""
    return {w[:40] for w in search_words_all(search_text)}


def search_words_all(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w'-]+", text.lower()) if w]


def search_text_for(service: Service, organization_name: str, term_names: Iterable[str]) -> str:
    parts = [service.name, service.description, organization_name, service.fees,
             service.eligibility_description, *term_names]
    return " ".join(p for p in parts if p).lower()


def with_term(services: QuerySet[Service], term_ids: Iterable[UUID]) -> QuerySet[Service]:
    """Services tagged with any of these terms."""
    tagged = Attribute.objects.filter(taxonomy_term_id__in=list(term_ids)).values("service_id")
    return services.filter(pk__in=tagged)


def with_taxonomy(services: QuerySet[Service], taxonomy_id: UUID) -> QuerySet[Service]:
    tagged = Attribute.objects.filter(taxonomy_term__taxonomy_id=taxonomy_id).values("service_id")
    return services.filter(pk__in=tagged)


def for_need(services: QuerySet[Service], primary_need: str) -> QuerySet[Service]:
    """Services for a primary need (a PrimaryNeed value such as 'ASD')."""
    return with_term(services, [taxonomy.term_id(taxonomy.need_code(primary_need))])


def for_age(services: QuerySet[Service], age: int) -> QuerySet[Service]:
    return services.filter(
        Q(minimum_age__isnull=True) | Q(minimum_age__lte=age),
        Q(maximum_age__isnull=True) | Q(maximum_age__gte=age),
    )


def in_locality(services: QuerySet[Service], locality_id: int) -> QuerySet[Service]:
    """Services offered across the whole area, or in this locality, or at a place in it."""
    area = ServiceArea.objects.filter(
        Q(locality_id=locality_id) | Q(locality__isnull=True)
    ).values("service_id")
    located = ServiceAtLocation.objects.filter(location__locality_id=locality_id).values(
        "service_id"
    )
    return services.filter(Q(pk__in=area) | Q(pk__in=located))


def modified_after(services: QuerySet[Service], when: datetime) -> QuerySet[Service]:
    return services.filter(last_modified__gte=when)


def squared_km(latitude: float, longitude: float, prefix: str) -> ExpressionWrapper:
    """Squared distance in km² from a point, on a flat-earth approximation: exact enough
    within a local authority, and plain arithmetic, so SQLite and PostgreSQL both sort by it."""
    kx = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(latitude))
    dy = (F(f"{prefix}latitude") - Value(latitude)) * Value(KM_PER_DEGREE_LATITUDE)
    dx = (F(f"{prefix}longitude") - Value(longitude)) * Value(kx)
    return ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField())


def with_distance(
    services: QuerySet[Service], latitude: float, longitude: float
) -> QuerySet[Service]:
    """Annotate `distance_sq_km`: to the service's nearest place (None if it has none).

    The same flat-earth arithmetic as `squared_km`, written as one MIN over the service's
    places: no sort per service (a search may match thousands), and no expression tree for
    the ORM to build on every request."""
    kx = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(latitude))
    sal, loc, svc = (ServiceAtLocation._meta.db_table, Location._meta.db_table,
                     Service._meta.db_table)
    nearest = RawSQL(
        f"SELECT MIN(((l.longitude - %s) * %s) * ((l.longitude - %s) * %s)"
        f" + ((l.latitude - %s) * %s) * ((l.latitude - %s) * %s))"
        f' FROM "{sal}" s INNER JOIN "{loc}" l ON s.location_id = l.id'
        f' WHERE s.service_id = "{svc}"."id"',
        (longitude, kx, longitude, kx, latitude, KM_PER_DEGREE_LATITUDE, latitude,
         KM_PER_DEGREE_LATITUDE),
        output_field=FloatField(),
    )
    return services.annotate(distance_sq_km=nearest)


def within(services: QuerySet[Service], km: float) -> QuerySet[Service]:
    """After with_distance: services within km, and those with no place to visit (online,
    by phone, or coming to you), which a family can use wherever they live."""
    return services.filter(Q(distance_sq_km__lte=km * km) | Q(distance_sq_km__isnull=True))


def support_while_you_wait(
    pathway_keyword: str | None = None, locality_id: int | None = None
) -> QuerySet[Service]:
    """Services tagged 'support while you wait', for the health team's waiting lists.

    `pathway_keyword` narrows to one wait: a term code ('wait-neurodevelopmental') or a word
    of a pathway's name ('autism', 'ADHD', 'speech', 'occupational therapy'...; see
    taxonomy.WAIT_KEYWORDS). A keyword that names no wait searches the services' own words.
    `locality_id` narrows to services offered in the family's locality (or the whole area).
    Only services a family can use now are returned, by name.
    """
    wait_terms = [t.code for t in taxonomy.WHILE_YOU_WAIT_TERMS]
    codes = list(wait_terms)
    words: list[str] = []
    if pathway_keyword and pathway_keyword.strip():
        keyword = pathway_keyword.strip().lower()
        tokens = set(search_words(keyword))
        codes = [keyword] if keyword in wait_terms else [
            code for code, names in taxonomy.WAIT_KEYWORDS.items() if tokens & set(names)
        ]
        if not codes:
            codes, words = wait_terms, search_words(keyword)
    services = with_term(public_services(), [taxonomy.term_id(c) for c in codes])
    services = search(services, " ".join(words))
    if locality_id is not None:
        services = in_locality(services, locality_id)
    return services.select_related("organization").order_by("name", "pk")
