"""The Open Referral UK 3.0 API of the local offer, at /api/oruk/.

Served as ORUK 3.0's `openapi.json` says (`public/specifications/3.0/` of the standard's
repository, tpximpact/oruk-standard-and-website): the version
document at `/`, the required `/services` and `/services/{id}`, and every optional endpoint.
Public and anonymous; every response (errors too) carries `Access-Control-Allow-Origin: *`.
Query parameters are read here rather than by django-ninja so that a bad one is a JSON 400
(ORUK consumers expect 400, not ninja's 422), and the OpenAPI document lists exactly ORUK's
parameters (copied from the spec) with ORUK's schemas inlined as the response schemas.

Paging: `page` counts from 1 (the validator asks for page=1 first); `per_page` defaults to
50 and is capped at 100 (1,000 with `minimal=true`, which ORUK asks to fit in one page; above
1,000 is a 400); a page past the end is an empty page, not an error. `format=ndjson` streams
every matching item, one JSON object per line, without paging. On /service_at_locations a
postcode outside the area's list matches nothing (no service covers it), and `proximity`
without a postcode is ignored; a string that is not a postcode at all is a 400.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import wraps
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import Router

from tellonce.directory import oruk, postcodes, queries, search_index, stored
from tellonce.directory.models import (
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

router = Router(tags=["Open Referral UK 3.0 (local offer)"])

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_PER_PAGE_MINIMAL = 1000
MAX_PAGE = 10**6
NDJSON_CHUNK = 500
CORS = {"Access-Control-Allow-Origin": "*"}


class BadParameter(Exception):
    pass


def _json(data: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    for key, value in CORS.items():
        response[key] = value
    return response


def _not_found(what: str) -> JsonResponse:
    return _json({"error": "not_found", "message": f"No {what} with that id"}, status=404)


def oruk_view(func: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Turns a BadParameter into a JSON 400, and adds CORS to whatever the view returns.

    Outside ATOMIC_REQUESTS (`transaction.non_atomic_requests`, honoured by the API's
    tellonce/api/api.py `TellOnceAPI`): the ORUK API only reads (a search is one query, for
    the search stamp), and on PostgreSQL a transaction around it costs two round trips more
    (BEGIN, COMMIT) than the search itself."""

    @transaction.non_atomic_requests
    @wraps(func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = func(request, *args, **kwargs)
        except BadParameter as problem:
            return _json({"error": "bad_request", "message": str(problem)}, status=400)
        for key, value in CORS.items():
            response[key] = value
        return response

    return wrapper


# ----- parameters -----


def _text(request: HttpRequest, name: str, limit: int = 200) -> str:
    value = request.GET.get(name, "")
    if len(value) > limit:
        raise BadParameter(f"'{name}' must be {limit} characters or fewer")
    return value.replace("\x00", "").strip()  # a NUL can match nothing; databases refuse it


def _int(
    request: HttpRequest, name: str, default: int, minimum: int = 1, maximum: int = 10**6
) -> int:
    raw = _text(request, name, 20)
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(f"'{name}' must be a whole number") from None
    if not minimum <= value <= maximum:
        raise BadParameter(f"'{name}' must be from {minimum} to {maximum}")
    return value


def _bool(request: HttpRequest, name: str) -> bool:
    raw = _text(request, name, 10).lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise BadParameter(f"'{name}' must be true or false")


def _uuid(request: HttpRequest, name: str) -> UUID | None:
    raw = _text(request, name, 60)
    if raw == "":
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise BadParameter(f"'{name}' must be a UUID") from None


def _datetime(request: HttpRequest, name: str) -> datetime | None:
    raw = _text(request, name, 40)
    if raw == "":
        return None
    try:
        value = parse_datetime(raw.replace(" ", "+")) or (
            datetime.combine(d, datetime.min.time()) if (d := parse_date(raw)) else None
        )
    except ValueError:
        value = None
    if value is None:
        raise BadParameter(f"'{name}' must be a date-time such as 2026-01-31T09:00:00Z")
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    try:  # in UTC: PostgreSQL refuses unusual offsets such as -23:37
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise BadParameter(f"'{name}' is out of range") from None


def _format(request: HttpRequest) -> str:
    value = _text(request, "format", 10).lower() or "json"
    if value not in ("json", "ndjson"):
        raise BadParameter("'format' must be json or ndjson")
    return value


def _path_uuid(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


# ----- paging -----


def _listing(
    request: HttpRequest,
    queryset: QuerySet[Any],
    item: Callable[[Any], dict[str, Any]],
    max_per_page: int = MAX_PER_PAGE,
) -> HttpResponseBase:
    fmt = _format(request)
    page = _int(request, "page", 1, maximum=MAX_PAGE)
    per_page = min(_int(request, "per_page", DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE_MINIMAL),
                   max_per_page)
    if fmt == "ndjson":
        return StreamingHttpResponse(_ndjson(queryset, item), content_type="application/x-ndjson")
    total = queryset.count()
    start = (page - 1) * per_page
    rows = list(queryset[start:start + per_page]) if start < total else []
    return _json(oruk.page_envelope([item(row) for row in rows], total, page, per_page))


def _ndjson(queryset: QuerySet[Any], item: Callable[[Any], dict[str, Any]]) -> Iterator[str]:
    offset = 0
    while True:
        rows = list(queryset[offset:offset + NDJSON_CHUNK])
        for row in rows:
            yield json.dumps(item(row), ensure_ascii=False) + "\n"
        if len(rows) < NDJSON_CHUNK:
            return
        offset += NDJSON_CHUNK


# ----- the OpenAPI description: ORUK's own parameters and schemas -----


def _param(
    name: str, description: str, kind: str = "string", fmt: str | None = None
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": kind}
    if fmt:
        schema["format"] = fmt
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


P = {
    "search": _param("search", "Full text search."),
    "page": _param("page", "Page number of paginated result.", "integer"),
    "per_page": _param("per_page", "Number of results requested in a single page.", "integer"),
    "format": _param("format", "Return results in the specified format. Default is `json`. "
                     "Could be `ndjson` which should stream all the results without "
                     "pagination."),
    "taxonomy_term_id": _param("taxonomy_term_id",
                               "Search for records with particular taxonomy_term."),
    "taxonomy_id": _param("taxonomy_id",
                          "Search for records which contain any term with this taxonomy."),
    "organization_id": _param("organization_id", "Search for services which contain services "
                              "that that this organization provides."),
    "modified_after": _param("modified_after", "Return all results modified on or after this "
                             "datetime.", fmt="datetime"),
    "minimal": _param("minimal", "Return array of just service 'id' and 'modified_date'.  "
                      "When using this parameter aim to return all services within one call.",
                      "boolean"),
    "full": _param("full", "Return a fully nested service, service_at_location, or "
                   "organization based on the request.", "boolean"),
    "full_service": _param("full_service", "Fully nested organization with service array that "
                           "contains full service information.", "boolean"),
    "top_only": _param("top_only", "Only retrieve taxonomy terms that have not child terms.",
                       "boolean"),
    "parent_id": _param("parent_id", "Recieve taxonomy terms that have a parent with this id."),
    "postcode": _param("postcode", "The postcode or zip code of a point used to check service "
                       "coverage. If `service_area` is available, only return results where the "
                       "postcode exists within the `service_area`.  If `proximity` is provided, "
                       "only show results within the proximity from the centroid of the "
                       "postcode."),
    "proximity": _param("proximity", "Return services that exist within meters from the "
                        "centroid of the provided postcode"),
}
# ORUK's parameters, with the constraints this server enforces added to their schemas (so a
# client, and the fuzz test, know that page 0 or a malformed id is a 400).
P["page"]["schema"].update(minimum=1, maximum=MAX_PAGE)
P["per_page"]["schema"].update(minimum=1, maximum=MAX_PER_PAGE_MINIMAL)
P["search"]["schema"]["maxLength"] = 200
P["format"]["schema"]["enum"] = ["json", "ndjson"]
P["modified_after"]["schema"]["format"] = "date-time"
for _name in ("taxonomy_term_id", "taxonomy_id", "organization_id", "parent_id"):
    P[_name]["schema"]["format"] = "uuid"
P["postcode"]["schema"]["pattern"] = r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$"
P["proximity"]["schema"]["pattern"] = r"^[0-9]{1,6}(\.[0-9]+)?$"


ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
    "required": ["error", "message"],
}


def _doc(schema_name: str, description: str, params: list[str], has_id: bool = False,
         operation_id: str = "") -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": oruk.inline_schema(schema_name)}}
    if "format" in params:
        content["application/x-ndjson"] = {"schema": {
            "type": "string", "description": "format=ndjson: one item per line, every page"}}
    responses: dict[str, Any] = {
        "200": {"description": description, "content": content},
        "400": {"description": "A query parameter is not valid",
                "content": {"application/json": {"schema": ERROR_SCHEMA}}},
    }
    if has_id:
        responses["404"] = {"description": "No record with that id",
                            "content": {"application/json": {"schema": ERROR_SCHEMA}}}
    extra: dict[str, Any] = {"parameters": [P[p] for p in params], "responses": responses}
    if operation_id:
        extra["operationId"] = operation_id
    return extra


LIST = ["search", "page", "per_page", "format"]


# ----- endpoints -----


@router.get("/", summary="API meta information", openapi_extra=_doc(
    "api_details.json", "Information about this API and its relationship with HSDS.", [],
    operation_id="getAPIMetaInformation"))
@oruk_view
def api_details(request: HttpRequest) -> HttpResponseBase:
    return _json({
        "version": oruk.VERSION,
        "profile": oruk.PROFILE,
        "openapi_url": request.build_absolute_uri("/api/openapi.json"),
    })


def _services(request: HttpRequest) -> QuerySet[Service]:
    return queries.oruk_services(
        _text(request, "search"), _uuid(request, "taxonomy_term_id"),
        _uuid(request, "taxonomy_id"), _uuid(request, "organization_id"),
        _datetime(request, "modified_after"))


@router.get("/services", summary="Services (paginated)", openapi_extra=_doc(
    "service_list.json", "A paginated list of services that only have one-to-one fields in "
    "them.", [*LIST, "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after",
              "minimal", "full"], operation_id="getPaginatedListOfServices"))
@oruk_view
def list_services(request: HttpRequest) -> HttpResponseBase:
    minimal, full = _bool(request, "minimal"), _bool(request, "full")
    if not minimal and not full and _format(request) == "json":
        return _stored_listing(request)
    services = _services(request)
    if minimal:
        return _listing(request, services.only("id", "name", "status", "last_modified"),
                        oruk.service_minimal, MAX_PER_PAGE_MINIMAL)
    if full:
        return _listing(request, oruk.with_everything(services), oruk.service_full)
    return _listing(request, services.select_related("organization"), oruk.service_basic)


def _stored_listing(request: HttpRequest) -> HttpResponse:
    """A page of /services joined from the services' stored list items (stored.py). Which
    services, how many and their items come from the search index (search_index.py), or
    from SQL for `modified_after`, which the index does not keep (then only the page's rows
    are read). A service whose copy is not written yet is serialised live."""
    page = _int(request, "page", 1, maximum=MAX_PAGE)
    per_page = min(_int(request, "per_page", DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE_MINIMAL),
                   MAX_PER_PAGE)
    start = (page - 1) * per_page
    if _datetime(request, "modified_after") is not None:
        services = _services(request)
        total = services.count()
        ids = list(services.values_list("pk", flat=True)[start:start + per_page]
                   ) if start < total else []
        items = {pk: item if stored.is_current(version) else "" for pk, item, version in
                 Service.objects.filter(pk__in=ids).values_list("pk", "oruk_item",
                                                               "copies_version")} if ids else {}
        return _services_page(ids, items, total, page, per_page)
    return search_index.answer(
        lambda index: _indexed_page(request, index, start, page, per_page))


def _indexed_page(request: HttpRequest, index: search_index.SearchIndex, start: int,
                  page: int, per_page: int) -> HttpResponse:
    found = index.oruk_services(
        _text(request, "search"), _uuid(request, "taxonomy_term_id"),
        _uuid(request, "taxonomy_id"), _uuid(request, "organization_id"))
    page_found = index.page(found, search_index.NAME, start, start + per_page)
    items = {index.ids[p]: item for p, item in index.stored("oruk_item", page_found).items()}
    return _services_page([f.id for f in page_found], items, found.bit_count(), page, per_page)


def _services_page(ids: list[UUID], items: dict[UUID, str], total: int, page: int,
                   per_page: int) -> HttpResponse:
    missing = [pk for pk, item in items.items() if not item]
    if missing:
        items.update({s.pk: stored.oruk_item(s) for s in
                      Service.objects.filter(pk__in=missing).select_related("organization")})
    rows = [items[pk] for pk in ids if pk in items]
    envelope = oruk.page_envelope([], total, page, per_page)
    del envelope["contents"]
    envelope.update(size=len(rows), empty=not rows)
    head = json.dumps(envelope, ensure_ascii=False)
    body = head[:-1] + ', "contents": [' + ", ".join(rows) + "]}"
    response = HttpResponse(body.encode(), content_type="application/json")
    for key, value in CORS.items():
        response[key] = value
    return response


@router.get("/services/{id}", summary="One service, fully nested", openapi_extra=_doc(
    "service.json", "A service with all related data.", [], has_id=True,
    operation_id="getFullyNestedServiceById"))
@oruk_view
def get_service(request: HttpRequest, id: str) -> HttpResponseBase:
    pk = _path_uuid(id)
    service = oruk.with_everything(Service.objects.filter(pk=pk)).first() if pk else None
    if service is None:
        return _not_found("service")
    return _json(oruk.service_full(service))


@router.get("/organizations", summary="Organisations (paginated)", openapi_extra=_doc(
    "organization_list.json", "Paginated list of basic Organization information.",
    ["search", "full_service", "full", *LIST[1:]],
    operation_id="getPaginatedListOfOrganizations"))
@oruk_view
def list_organizations(request: HttpRequest) -> HttpResponseBase:
    orgs = Organization.objects.order_by("name", "pk")
    for word in queries.search_words(_text(request, "search")):
        orgs = orgs.filter(Q(name__icontains=word) | Q(description__icontains=word))
    full = _bool(request, "full")
    full_service = _bool(request, "full_service")
    if full or full_service:
        orgs = orgs.prefetch_related("organization_identifiers")
    return _listing(request, orgs, lambda o: _organization(o, full, full_service))


def _organization(org: Organization, full: bool, full_service: bool) -> dict[str, Any]:
    values = oruk.organization(org, full=full or full_service)
    if full or full_service:
        services = Service.objects.filter(organization=org).order_by("name", "pk")
        if full_service:
            values["services"] = [oruk.service_full(s) for s in oruk.with_everything(services)]
        else:
            items = [{"id": str(s.id), "name": s.name, "status": s.status}
                     for s in services.only("id", "name", "status")]
            if items:
                values["services"] = items
    return values


@router.get("/organizations/{id}", summary="One organisation", openapi_extra=_doc(
    "organization.json", "Fully nested organization with service array that contains simple "
    "information which could only contain the service.id.", ["full_service"], has_id=True,
    operation_id="getOrganizationById"))
@oruk_view
def get_organization(request: HttpRequest, id: str) -> HttpResponseBase:
    full_service = _bool(request, "full_service")
    pk = _path_uuid(id)
    org = Organization.objects.filter(pk=pk).first() if pk else None
    if org is None:
        return _not_found("organization")
    return _json(_organization(org, True, full_service))


@router.get("/taxonomies", summary="Taxonomies (paginated)", openapi_extra=_doc(
    "taxonomy_list.json", "Paginated listing of taxonomies.", LIST,
    operation_id="getPaginatedListOfTaxonomies"))
@oruk_view
def list_taxonomies(request: HttpRequest) -> HttpResponseBase:
    taxonomies = Taxonomy.objects.order_by("name", "pk")
    for word in queries.search_words(_text(request, "search")):
        taxonomies = taxonomies.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return _listing(request, taxonomies, oruk.taxonomy)


@router.get("/taxonomies/{id}", summary="One taxonomy", openapi_extra=_doc(
    "taxonomy.json", "Full information on taxonomy.", [], has_id=True,
    operation_id="getTaxonomyById"))
@oruk_view
def get_taxonomy(request: HttpRequest, id: str) -> HttpResponseBase:
    pk = _path_uuid(id)
    tax = Taxonomy.objects.filter(pk=pk).first() if pk else None
    if tax is None:
        return _not_found("taxonomy")
    terms = list(tax.terms.select_related("taxonomy").order_by("position", "name"))
    return _json(oruk.taxonomy(tax, terms))


@router.get("/taxonomy_terms", summary="Taxonomy terms (paginated)", openapi_extra=_doc(
    "taxonomy_term_list.json", "Paginated listing of taxonomy terms",
    [*LIST, "taxonomy_id", "top_only", "parent_id"],
    operation_id="getPaginatedListOfTaxonomyTerms"))
@oruk_view
def list_taxonomy_terms(request: HttpRequest) -> HttpResponseBase:
    terms = TaxonomyTerm.objects.select_related("taxonomy").order_by("position", "name", "pk")
    for word in queries.search_words(_text(request, "search")):
        terms = terms.filter(Q(name__icontains=word) | Q(description__icontains=word))
    if (taxonomy_id := _uuid(request, "taxonomy_id")) is not None:
        terms = terms.filter(taxonomy_id=taxonomy_id)
    if _bool(request, "top_only"):
        terms = terms.filter(parent__isnull=True)
    if (parent_id := _uuid(request, "parent_id")) is not None:
        terms = terms.filter(parent_id=parent_id)
    return _listing(request, terms, oruk.taxonomy_term)


@router.get("/taxonomy_terms/{id}", summary="One taxonomy term", openapi_extra=_doc(
    "taxonomy_term.json", "Full information on a taxonomy term.", [], has_id=True,
    operation_id="getTaxonomyTermById"))
@oruk_view
def get_taxonomy_term(request: HttpRequest, id: str) -> HttpResponseBase:
    pk = _path_uuid(id)
    term = TaxonomyTerm.objects.select_related("taxonomy").filter(pk=pk).first() if pk else None
    if term is None:
        return _not_found("taxonomy term")
    return _json(oruk.taxonomy_term(term))


@router.get("/service_at_locations", summary="Services at locations (paginated)",
            openapi_extra=_doc(
                "service_at_location_list.json", "Paginated listings of service_at_location "
                "that only have one-to-one fields in them.",
                ["search", "taxonomy_term_id", "taxonomy_id", "organization_id",
                 "modified_after", "full", "page", "per_page", "format", "postcode",
                 "proximity"], operation_id="getPaginatedListOfServiceAtLocation"))
@oruk_view
def list_service_at_locations(request: HttpRequest) -> HttpResponseBase:
    services = _services(request)
    sals = ServiceAtLocation.objects.filter(service__in=services.values("pk"))
    postcode = _text(request, "postcode", 20)
    proximity_raw = _text(request, "proximity", 20)
    if postcode:
        if postcodes.normalise(postcode) is None:
            raise BadParameter("'postcode' must be a UK postcode, like RV1 1AA")
        place = postcodes.lookup(postcode)
        if place is None:  # a postcode outside the area: no service here covers it
            return _listing(request, sals.none(), oruk.service_at_location_basic)
        if proximity_raw:
            try:
                metres = float(proximity_raw)
            except ValueError:
                raise BadParameter("'proximity' must be a number of metres") from None
            if not 0 <= metres < 1_000_000:
                raise BadParameter("'proximity' must be between 0 and 1,000,000 metres")
            km = metres / 1000
            sals = sals.annotate(
                d2=queries.squared_km(place.latitude, place.longitude, "location__")
            ).filter(d2__lte=km * km)
        else:
            # Coverage: services offered across the area, or in the postcode's locality.
            sals = sals.filter(
                Q(service__service_areas__locality__isnull=True)
                | Q(service__service_areas__locality__name=place.locality)
            ).distinct()
    sals = sals.order_by("service__name", "pk")
    if _bool(request, "full"):
        full = sals.select_related("location").prefetch_related(
            "location__addresses", "location__accessibility",
            Prefetch("service", queryset=oruk.with_everything(Service.objects.all())),
        )
        return _listing(request, full, oruk.service_at_location_full)
    return _listing(request, sals.select_related("location", "service__organization"),
                    oruk.service_at_location_basic)


def _sal_full(sal: ServiceAtLocation) -> dict[str, Any]:
    service = oruk.with_everything(Service.objects.filter(pk=sal.service_id)).get()
    sal.service = service
    return oruk.service_at_location_full(sal)


@router.get("/service_at_locations/{id}", summary="One service at a location",
            openapi_extra=_doc("service_at_location.json", "A service at a location, with all "
                               "related data.", [], has_id=True,
                               operation_id="getServiceAtLocationWithNestedDataById"))
@oruk_view
def get_service_at_location(request: HttpRequest, id: str) -> HttpResponseBase:
    pk = _path_uuid(id)
    sal = (
        ServiceAtLocation.objects.select_related("location").prefetch_related(
            "location__addresses", "location__accessibility"
        ).filter(pk=pk).first() if pk else None
    )
    if sal is None:
        return _not_found("service at location")
    return _json(_sal_full(sal))


@router.get("/{path:rest}", include_in_schema=False)
@oruk_view
def unknown(request: HttpRequest, rest: str) -> HttpResponseBase:
    return _json({"error": "not_found", "message": "No such ORUK endpoint"}, status=404)


@transaction.non_atomic_requests  # like every ORUK route (oruk_view): it writes nothing
def _other_methods(request: HttpRequest) -> HttpResponseBase:
    """Only GET is served. OPTIONS answers a CORS preflight; anything else is a JSON 405,
    with CORS like every other answer here."""
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Methods"] = "GET, OPTIONS"
        response["Access-Control-Allow-Headers"] = "*"
        response["Access-Control-Max-Age"] = "86400"
    else:
        response = _json({"error": "method_not_allowed", "message": "Only GET is served"},
                         status=405)
    response["Allow"] = "GET, OPTIONS"
    for key, value in CORS.items():
        response[key] = value
    return response


@transaction.non_atomic_requests
def _other_methods_by_id(request: HttpRequest, id: str) -> HttpResponseBase:
    return _other_methods(request)


@transaction.non_atomic_requests
def _other_methods_elsewhere(request: HttpRequest, rest: str) -> HttpResponseBase:
    return _other_methods(request)


OTHER_METHODS = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE"]
for _path in ["/", "/services", "/organizations", "/taxonomies", "/taxonomy_terms",
              "/service_at_locations"]:
    router.add_api_operation(_path, OTHER_METHODS, _other_methods, include_in_schema=False)
    if _path != "/":
        router.add_api_operation(_path + "/{id}", OTHER_METHODS, _other_methods_by_id,
                                 include_in_schema=False)
router.add_api_operation("/{path:rest}", OTHER_METHODS, _other_methods_elsewhere,
                         include_in_schema=False)
