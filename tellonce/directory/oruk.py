"""Models to Open Referral UK 3.0 JSON, and the schema documents the API declares.

ORUK's compliance rule is that optional fields without a value are omitted, never null or
empty (ORUK's developer guidance on compliance, `content/developers/compliance/` in the
standard's repository), so every object goes
through `_present`. Beyond the ORUK fields, a few HSDS 3.0 fields a family needs are added
where ORUK's schemas leave them out but allow extra properties: `phones` on services and
contacts, a contact's `email`, a language's `name` and `code`, a term's `code`, and a
service's `eligibility_description` and `application_process`.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Prefetch, QuerySet

from tellonce.directory.models import (
    Attribute,
    Location,
    Organization,
    Phone,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

VERSION = "HSDS-UK-3.0"
PROFILE = "https://openreferraluk.org/specifications/3.0/openapi.json"
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SCHEMA_BASE = "https://openreferraluk.org/specifications/3.0/schema/"


def _present(values: dict[str, Any]) -> dict[str, Any]:
    """Only the fields that have a value, in the JSON types ORUK wants."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None or value == "" or value == [] or value == {}:
            continue
        if isinstance(value, datetime):
            value = timestamp(value)
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, time):
            value = value.strftime("%H:%M:%S")
        elif isinstance(value, Decimal):
            value = float(value)
        elif not isinstance(value, (str, int, float, bool, list, dict)):
            value = str(value)
        out[key] = value
    return out


def timestamp(value: datetime) -> str:
    """ISO 8601 in UTC with millisecond accuracy, as service.json asks of last_modified."""
    utc = value.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


# ----- organisations -----


def organization(org: Organization, full: bool = False) -> dict[str, Any]:
    values = {
        "id": org.id, "name": org.name, "description": org.description or org.name,
        "email": org.email, "website": org.website, "logo": org.logo, "uri": org.uri,
        "parent_organization_id": org.parent_id,
    }
    if full:
        values["organization_identifiers"] = [
            _present({"id": i.id, "organization_id": org.id,
                      "identifier_scheme": i.identifier_scheme,
                      "identifier_type": i.identifier_type, "identifier": i.identifier})
            for i in org.organization_identifiers.all()
        ]
    return _present(values)


# ----- taxonomy -----


def taxonomy_term(term: TaxonomyTerm) -> dict[str, Any]:
    return _present({
        "id": term.id, "name": term.name, "description": term.description,
        "parent_id": term.parent_id, "taxonomy": term.taxonomy.name if term.taxonomy else "",
        "taxonomy_id": term.taxonomy_id, "term_uri": term.term_uri, "term": term.name,
        "code": term.code,
    })


def taxonomy(tax: Taxonomy, terms: list[TaxonomyTerm] | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": tax.id, "name": tax.name, "description": tax.description, "uri": tax.uri,
        "version": tax.version,
    }
    if terms is not None:
        values["taxonomy_terms"] = [taxonomy_term(t) for t in terms]
    return _present(values)


# ----- places -----


def location(loc: Location, full: bool = True) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": loc.id, "location_type": loc.location_type, "name": loc.name,
        "description": loc.description, "latitude": loc.latitude, "longitude": loc.longitude,
        "external_identifier": loc.external_identifier,
        "external_identifier_type": loc.external_identifier_type,
    }
    if full:
        values["addresses"] = [
            _present({
                "id": a.id, "location_id": loc.id, "attention": a.attention,
                "address_1": a.address_1, "city": a.city, "region": a.region,
                "state_province": a.state_province, "postal_code": a.postal_code,
                "country": a.country, "address_type": a.address_type,
            })
            for a in loc.addresses.all()
        ]
        values["accessibility"] = [
            _present({"id": a.id, "location_id": loc.id, "description": a.description,
                      "details": a.details, "url": a.url})
            for a in loc.accessibility.all()
        ]
    return _present(values)


def _phone(phone: Phone) -> dict[str, Any]:
    return _present({"id": phone.id, "number": phone.number, "description": phone.description,
                     "contact_id": phone.contact_id})


# ----- services -----

SERVICE_SCALARS = (
    "name", "description", "url", "email", "status", "fees", "accreditations", "minimum_age",
    "maximum_age", "assured_date", "assurer_email", "alert", "last_modified",
)


def service_basic(service: Service) -> dict[str, Any]:
    """A /services list item: one-to-one fields and the organisation."""
    values: dict[str, Any] = {"id": service.id, "organization_id": service.organization_id}
    values.update({name: getattr(service, name) for name in SERVICE_SCALARS})
    values["organization"] = organization(service.organization)
    return _present(values)


def service_minimal(service: Service) -> dict[str, Any]:
    """`minimal=true`: the id and when it last changed (and the required name and status)."""
    return _present({"id": service.id, "name": service.name, "status": service.status,
                     "last_modified": service.last_modified})


def service_full(service: Service) -> dict[str, Any]:
    """/services/{id}: the service with everything related, nested."""
    values = service_basic(service)
    values["organization"] = organization(service.organization, full=True)
    values.update(_present({
        "eligibility_description": service.eligibility_description,
        "application_process": service.application_process,
        "phones": [_phone(p) for p in service.phones.all()],
        "schedules": [
            _present({
                "id": s.id, "service_id": service.id,
                "service_at_location_id": s.service_at_location_id,
                "valid_from": s.valid_from, "valid_to": s.valid_to, "dtstart": s.dtstart,
                "freq": s.freq, "interval": s.interval, "byday": s.byday,
                "bymonthday": s.bymonthday, "description": s.description,
                "opens_at": s.opens_at, "closes_at": s.closes_at,
                "schedule_link": s.schedule_link, "attending_type": s.attending_type,
                "notes": s.notes,
            })
            for s in service.schedules.all()
        ],
        "service_areas": [
            _present({"id": a.id, "service_id": service.id, "name": a.name, "extent": a.extent,
                      "extent_type": a.extent_type, "uri": a.uri,
                      "service_area": a.service_area})
            for a in service.service_areas.all()
        ],
        "service_at_locations": [
            _present({"id": sal.id, "service_id": service.id, "location_id": sal.location_id,
                      "location": location(sal.location)})
            for sal in service.service_at_locations.all()
        ],
        "languages": [
            _present({"id": lang.id, "service_id": service.id, "name": lang.name,
                      "code": lang.code})
            for lang in service.languages.all()
        ],
        "funding": [
            _present({"id": f.id, "service_id": service.id, "source": f.source})
            for f in service.funding.all()
        ],
        "cost_options": [
            _present({"id": c.id, "service_id": service.id, "valid_from": c.valid_from,
                      "valid_to": c.valid_to, "option": c.option, "amount": c.amount,
                      "amount_description": c.amount_description})
            for c in service.cost_options.all()
        ],
        "contacts": [
            _present({"id": c.id, "service_id": service.id, "name": c.name, "title": c.title,
                      "email": c.email, "phones": [_phone(p) for p in c.phones.all()]})
            for c in service.contacts.all()
        ],
        "attributes": [attribute(a, service) for a in service.attributes.all()],
    }))
    return values


def attribute(attr: Attribute, service: Service) -> dict[str, Any]:
    return _present({
        "id": attr.id, "link_id": service.id, "link_type": attr.link_type,
        "link_entity": "service", "taxonomy_term_id": attr.taxonomy_term_id,
        "taxonomy_term": taxonomy_term(attr.taxonomy_term),
    })


def with_everything(services: QuerySet[Service]) -> QuerySet[Service]:
    """Prefetch what service_full reads, so a page's queries do not grow with its rows."""
    return services.select_related("organization").prefetch_related(
        "organization__organization_identifiers", "phones", "schedules", "service_areas",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                "location__addresses", "location__accessibility"
            ),
        ),
        "languages", "funding", "cost_options", "contacts__phones",
        Prefetch(
            "attributes",
            queryset=Attribute.objects.select_related("taxonomy_term__taxonomy").order_by(
                "taxonomy_term__position"
            ),
        ),
    )


def service_at_location_basic(sal: ServiceAtLocation) -> dict[str, Any]:
    return _present({
        "id": sal.id, "service_id": sal.service_id, "location_id": sal.location_id,
        "location": location(sal.location, full=False), "service": service_basic(sal.service),
    })


def service_at_location_full(sal: ServiceAtLocation) -> dict[str, Any]:
    return _present({
        "id": sal.id, "service_id": sal.service_id, "location_id": sal.location_id,
        "location": location(sal.location), "service": service_full(sal.service),
    })


def page_envelope(
    contents: list[dict[str, Any]], total: int, page: int, per_page: int
) -> dict[str, Any]:
    """The ORUK paging envelope; pages are numbered from 1."""
    total_pages = max(1, -(-total // per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


# ----- the schemas, for the OpenAPI document and for checking imports -----

# Keys of the ORUK schema files that are metadata for their CSV tooling, not JSON Schema.
_METADATA_KEYS = {"datapackage_metadata", "datapackage_type", "core", "constraints",
                  "tabular_required", "name", "title", "path"}


@cache
def schema_file(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text())
    return data


def inline_schema(name: str) -> dict[str, Any]:
    """An ORUK schema with its references inlined and its tabular metadata removed: what
    the OpenAPI document embeds, so a client needs nothing from openreferraluk.org."""

    def walk(node: Any, in_properties: bool = False) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node and isinstance(node["$ref"], str) and node["$ref"].startswith(
            SCHEMA_BASE
        ):
            return walk(schema_file(node["$ref"][len(SCHEMA_BASE):]))
        out = {}
        for key, value in node.items():
            if in_properties:
                out[key] = walk(value)
            elif key in _METADATA_KEYS:
                continue
            elif key == "properties":
                out[key] = walk(value, in_properties=True)
            elif key == "example":
                continue
            else:
                out[key] = walk(value)
        return out

    result: dict[str, Any] = walk(schema_file(name))
    return result
