"""Stored copies of each service's ORUK list item (JSON) and public result card (HTML).

The ORUK `/services` list and the public search are the local offer's busiest reads; building
50 JSON items or 20 cards per request from the ORM and templates cost far more than finding
them. So each service keeps both ready-made, written by `refresh` whenever an action changes
the service or a row they show (its organisation), and a page is joined from stored strings.
Nothing here is a cache: the copies are written in the same transaction as the change, so a
family never sees an older version than the service page would show. An empty copy (a row
written before the columns existed, or by a bulk loader that has not refreshed it yet) is
built live instead. The search index (search_index.py) keeps the copies in memory; writing
them changes the search stamp, so every process reads the new ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string

from tellonce.directory import oruk
from tellonce.directory.models import Organization, Service

CARD_TEMPLATE = "directory/includes/result_card.html"


def oruk_item(service: Service) -> str:
    """The service as a /services list item, serialised exactly as the API's JsonResponse
    would serialise it (DjangoJSONEncoder, non-ASCII kept)."""
    return json.dumps(oruk.service_basic(service), cls=DjangoJSONEncoder, ensure_ascii=False)


def result_card(service: Service) -> str:
    """The search result card, up to and including its Ages and Cost facts: the page adds
    the distance from the family's postcode, then closes the facts list and the card."""
    return render_to_string(CARD_TEMPLATE, {"service": service}).strip()


def fill(service: Service) -> None:
    """Set the copies on the instance (its organisation must be loaded); does not save."""
    service.oruk_item = oruk_item(service)
    service.result_card = result_card(service)


def refresh(services: Iterable[Service]) -> None:
    """Rewrite the copies of these services from the database as it is now."""
    pks = [s.pk for s in services]
    fresh = list(Service.objects.filter(pk__in=pks).select_related("organization"))
    for service in fresh:
        fill(service)
    Service.objects.bulk_update(fresh, ["oruk_item", "result_card"], batch_size=500)
    by_pk = {s.pk: s for s in fresh}
    for service in services:  # keep callers' instances in step with the database
        if service.pk in by_pk:
            service.oruk_item = by_pk[service.pk].oruk_item
            service.result_card = by_pk[service.pk].result_card


def refresh_organization(organization: Organization) -> None:
    """Every service of an organisation: list items and cards show its name."""
    refresh(list(Service.objects.filter(organization=organization).only("pk")))
