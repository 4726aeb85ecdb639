"""Finding services: the one search used by the public pages, the ORUK API and other apps.

Everything in the local offer is public, so there is no per-user scoping here; what the public
may see is decided by status (`PUBLIC_STATUSES`). Editing rights are in access/policy.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL

from tellonce.directory import taxonomy
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
MAX_SEARCH_WORDS = 8
# The circles nearest_first looks in before ordering every match by distance.
NEAREST_RADII_KM = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0)


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


def search_count(text: str) -> int:
    """How many services `search(Service.objects.all(), text)` finds; for one word (the usual
    search) counted from the word index alone (every word belongs to a service)."""
    words = search_words(text)
    if len(words) != 1:  # intersecting words' ranges in the index was slower than this
        return search(Service.objects.all(), text).count()
    # COUNT(DISTINCT) over the word range: SQLite plans a DISTINCT subquery as a walk of
    # every service's words instead.
    n = _starting_with(words[0]).aggregate(n=Count("service_id", distinct=True))["n"]
    return int(n)


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


def nearest_first(
    services: QuerySet[Service],
    latitude: float,
    longitude: float,
    ordering: Sequence[Any],
    start: int,
    stop: int,
) -> list[Service]:
    """Rows start:stop of `services` (after with_distance) in `ordering`, nearest first.

    Ordering every match by distance costs a distance per match (a search can match
    thousands), so look in growing circles: the services within r km are exactly the first
    ones nearest first, so once there are `stop` of them, the rows wanted are among them.
    A box around the circle lets the location index find the few places inside it."""
    kx = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(latitude))
    for km in NEAREST_RADII_KM:
        box = km * 1.01  # a margin, so rounding cannot leave out a place on the circle
        places = ServiceAtLocation.objects.filter(
            location__latitude__range=(latitude - box / KM_PER_DEGREE_LATITUDE,
                                       latitude + box / KM_PER_DEGREE_LATITUDE),
            location__longitude__range=(longitude - box / kx, longitude + box / kx),
        ).alias(
            distance_sq_km=squared_km(latitude, longitude, "location__"),
        ).filter(distance_sq_km__lte=km * km).values("service_id")
        # A service is within km when one of its places is: its nearest is no farther.
        near = services.filter(pk__in=places)
        rows = list(near.order_by(*ordering)[start:stop])
        if len(rows) == stop - start:
            return rows
    return list(services.order_by(*ordering)[start:stop])


def within(services: QuerySet[Service], km: float) -> QuerySet[Service]:
    """After with_distance: services within km, and those with no place to visit (online,
    by phone, or coming to you), which a family can use wherever they live."""
    return services.filter(Q(distance_sq_km__lte=km * km) | Q(distance_sq_km__isnull=True))


def support_while_you_wait(pathway_keyword: str | None = None) -> QuerySet[Service]:
    """Services tagged 'support while you wait', for the health team's waiting lists.

    `pathway_keyword` narrows to one wait: a term code ('wait-neurodevelopmental') or a word
    of a pathway's name ('autism', 'ADHD', 'speech', 'occupational therapy'...; see
    taxonomy.WAIT_KEYWORDS). A keyword that names no wait searches the services' own words.
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
    return services.select_related("organization").order_by("name", "pk")
