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

Each service also records which version of the code wrote its copies (`copies_version`: a
hash of this module, the ORUK serialiser and the card's template, COPIES_VERSION). A copy
written by other code is never served: readers treat it as missing and build it live, and
`migrate` (post_migrate, so every deployment) rewrites them, as `refresh_stored_copies` does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string

from tellonce.directory import oruk
from tellonce.directory.models import Organization, Service

CARD_TEMPLATE = "directory/includes/result_card.html"
# Where the search page puts a result's distance from the family's postcode, inside the
# card's facts list (the card itself is whole: it opens and closes its own elements).
DISTANCE_SLOT = "<!-- distance -->"


def _code_version() -> str:
    here = Path(__file__).resolve().parent
    sources = [here / "stored.py", here / "oruk.py",
               here.parent / "templates" / CARD_TEMPLATE]
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


COPIES_VERSION = _code_version()


def oruk_item(service: Service) -> str:
    """The service as a /services list item, serialised exactly as the API's JsonResponse
    would serialise it (DjangoJSONEncoder, non-ASCII kept)."""
    return json.dumps(oruk.service_basic(service), cls=DjangoJSONEncoder, ensure_ascii=False)


def result_card(service: Service) -> str:
    """The search result card, whole; the page puts the distance from the family's postcode
    at DISTANCE_SLOT."""
    return render_to_string(CARD_TEMPLATE, {"service": service}).strip()


def is_current(version: str) -> bool:
    return version == COPIES_VERSION


def fill(service: Service) -> None:
    """Set the copies on the instance (its organisation must be loaded); does not save."""
    service.oruk_item = oruk_item(service)
    service.result_card = result_card(service)
    service.copies_version = COPIES_VERSION


FIELDS = ["oruk_item", "result_card", "copies_version"]


def refresh(services: Iterable[Service]) -> None:
    """Rewrite the copies of these services from the database as it is now."""
    pks = [s.pk for s in services]
    fresh = list(Service.objects.filter(pk__in=pks).select_related("organization"))
    for service in fresh:
        fill(service)
    Service.objects.bulk_update(fresh, FIELDS, batch_size=500)
    by_pk = {s.pk: s for s in fresh}
    for service in services:  # keep callers' instances in step with the database
        if service.pk in by_pk:
            for field in FIELDS:
                setattr(service, field, getattr(by_pk[service.pk], field))


def refresh_organization(organization: Organization) -> None:
    """Every service of an organisation: list items and cards show its name."""
    refresh(list(Service.objects.filter(organization=organization).only("pk")))


def outdated() -> QuerySet[Service]:
    """Services whose copies are missing or were written by other code than this."""
    return Service.objects.filter(
        Q(oruk_item="") | Q(result_card="") | ~Q(copies_version=COPIES_VERSION))


def refresh_outdated(batch: int = 500, progress: Callable[[int, int], None] | None = None) -> int:
    """Rewrite every outdated copy, a batch per transaction; how many were rewritten."""
    pks = list(outdated().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), batch):
        with transaction.atomic():
            refresh([Service(pk=pk) for pk in pks[start:start + batch]])
        if progress is not None:
            progress(min(start + batch, len(pks)), len(pks))
    return len(pks)
