"""Importing another ORUK 3.0 publisher's services: check every record, then all or nothing.

`parse_*` reads a file or fetches a URL and checks each service against the ORUK 3.0 schema
(the copy in schema/) and against what this directory can hold, giving a Report with one line
per record that has a problem. Only a Report with no problems can be imported (`do_import`,
one transaction). Services, organisations, places and terms keep their ids, so importing the
same feed again updates rather than duplicates.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tellonce import safeinput
from tellonce.directory import actions, oruk, stored
from tellonce.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceChange,
    Taxonomy,
    TaxonomyTerm,
)
from tellonce.directory.policy import is_local_offer_editor
from tellonce.people.models import User

MAX_BYTES = 20 * 1024 * 1024
MAX_RECORDS = 10_000
MAX_PAGES = 200
FETCH_TIMEOUT_SECONDS = 10
FETCH_CHUNK = 64 * 1024
USER_AGENT = "TellItOnce-LocalOffer-Import/1.0"


@dataclass
class Problem:
    record: str  # "Record 3 (Parent carer forum)"
    message: str


@dataclass
class Report:
    records: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.records)


@dataclass
class Result:
    created: int
    updated: int


def _validator() -> Draft202012Validator:
    registry: Registry = Registry()
    for path in oruk.SCHEMA_DIR.glob("*.json"):
        resource = Resource.from_contents(json.loads(path.read_text()),
                                          default_specification=DRAFT202012)
        registry = registry.with_resource(oruk.SCHEMA_BASE + path.name, resource)
    return Draft202012Validator(oruk.schema_file("service.json"), registry=registry,
                                format_checker=FormatChecker())


def _records_in(data: Any) -> list[Any] | None:
    """The services in a list, a page of /services, or one service."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if isinstance(data.get("contents"), list):
            return list(data["contents"])
        if "id" in data and "name" in data:
            return [data]
    return None


def _label(index: int, record: Any) -> str:
    name = record.get("name") if isinstance(record, dict) else None
    return f"Record {index}" + (f" ({str(name)[:60]})" if name else "")


def _limits(record: dict[str, Any]) -> list[str]:
    """What the schema allows but this directory cannot hold."""
    problems = []
    if not str(record.get("name", "")).strip():
        problems.append("name is empty")
    if len(str(record.get("name", ""))) > 200:
        problems.append("name is longer than 200 characters")
    for key in ("minimum_age", "maximum_age"):
        value = record.get(key)
        if isinstance(value, (int, float)) and not 0 <= value <= 150:
            problems.append(f"{key} must be between 0 and 150")
    org = record.get("organization")
    if not isinstance(org, dict) and not record.get("organization_id"):
        problems.append("organization_id is missing (every service needs its organisation)")
    if isinstance(org, dict) and len(str(org.get("name", ""))) > 200:
        problems.append("organization name is longer than 200 characters")
    if record.get("organization_id") and not isinstance(org, dict):
        try:
            known = Organization.objects.filter(pk=UUID(str(record["organization_id"]))).exists()
        except ValueError:
            known = True  # the schema check reports the malformed id
        if not known:
            problems.append("organization_id names an organisation that is not in this "
                            "directory and the record does not include it")
    return problems


def check(data: Any, source: str) -> Report:
    report = Report(source=source)
    records = _records_in(data)
    if records is None:
        report.problems.append(Problem("The file", "is not an ORUK 3.0 service, list of "
                                       "services or page of /services"))
        return report
    if len(records) > MAX_RECORDS:
        report.problems.append(Problem("The file", f"has more than {MAX_RECORDS:,} services"))
        return report
    validator = _validator()
    seen: set[str] = set()
    for index, record in enumerate(records, start=1):
        label = _label(index, record)
        if not isinstance(record, dict):
            report.problems.append(Problem(label, "is not a JSON object"))
            continue
        errors = sorted(validator.iter_errors(record), key=lambda e: list(e.path))
        for error in errors[:5]:
            where = "/".join(str(p) for p in error.path) or "the service"
            report.problems.append(Problem(label, f"{where}: {error.message[:200]}"))
        if not errors:
            for message in _limits(record):
                report.problems.append(Problem(label, message))
        key = str(record.get("id"))
        if key in seen:
            report.problems.append(Problem(label, "has the same id as an earlier record"))
        seen.add(key)
        report.records.append(record)
    if not records:
        report.problems.append(Problem("The file", "has no services in it"))
    return report


def parse_bytes(content: bytes, source: str) -> Report:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Report(source=source, problems=[Problem("The file", "is not UTF-8 text")])
    try:
        try:
            data = safeinput.loads_json(text, "The file")
        except json.JSONDecodeError as error:
            lines = [line for line in text.splitlines() if line.strip()]
            try:  # newline-delimited JSON, as ORUK's format=ndjson gives
                data = [safeinput.loads_json(line, "The file") for line in lines]
            except json.JSONDecodeError:
                return Report(source=source, problems=[Problem(
                    "The file", f"is not valid JSON (line {error.lineno}, column {error.colno})")])
    except safeinput.BadInput as problem:
        return Report(source=source, problems=[Problem("The file", _lower_first(str(problem)))])
    return check(data, source)


def _lower_first(message: str) -> str:
    """"The file contains …" as "contains …", after the report's "The file"."""
    return message.removeprefix("The file ")


def parse_upload(upload: UploadedFile) -> Report:
    name = upload.name or "the file"
    if upload.size is not None and upload.size > MAX_BYTES:
        return Report(source=name, problems=[Problem("The file", "is larger than 20 MB")])
    return parse_bytes(upload.read(MAX_BYTES + 1)[:MAX_BYTES + 1], name)


# ----- fetching a feed: every connection goes to the address that was checked -----


class Refused(OSError):
    """An address that may not be fetched (urllib reports it as a URLError's reason)."""


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                or ip.is_multicast or ip.is_unspecified)


def checked_address(host: str, port: int) -> str:
    """Resolve `host` once and return the address to connect to. Every address it resolves
    to must be public (unless settings.DIRECTORY_IMPORT_ALLOW_PRIVATE_HOSTS, which tests use
    for a local server): the connection is then made to that address, never to a second
    resolution (which a hostile name server could point somewhere private)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise Refused(f"{host} could not be found") from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise Refused(f"{host} could not be found")
    allow_private = getattr(settings, "DIRECTORY_IMPORT_ALLOW_PRIVATE_HOSTS", False)
    if not allow_private and not all(_is_public(address) for address in addresses):
        raise Refused(f"{host} is a private or local address")
    return addresses[0]


class _PinnedConnection:
    """An http.client connection whose socket goes to `checked_address`'s answer (TLS still
    checks the certificate against the host name)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = self._connect_checked

    @staticmethod
    def _connect_checked(address: tuple[str, int], timeout: Any = None,
                         source_address: Any = None) -> socket.socket:
        host, port = address
        return socket.create_connection((checked_address(host, port), port), timeout,
                                        source_address)


class _PinnedHTTPConnection(_PinnedConnection, http.client.HTTPConnection):
    pass


class _PinnedHTTPSConnection(_PinnedConnection, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_PinnedHTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_PinnedHTTPSConnection, req,
                            context=self._context)  # type: ignore[attr-defined]


class _Redirects(urllib.request.HTTPRedirectHandler):
    """At most 5 redirects, to http or https only; each is then connected through the
    pinned handlers above, so a redirect to a private address is refused too."""

    max_redirections = 5

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise Refused(f"redirects to {newurl[:100]}, which is not http or https")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


# No proxy from the environment: the connection must go where the address check says.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _HTTPHandler,
                                      _HTTPSHandler, _Redirects)


def _host_allowed(url: str) -> str | None:
    """Why the address may not be fetched, or None (the host is checked as it is
    connected to: checked_address)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must start with https:// or http://"
    return None


def _fetch(url: str) -> Any:
    """GET one page of a feed: no more than MAX_BYTES read, however the server answers, and
    no more than FETCH_TIMEOUT_SECONDS in all, however slowly it sends."""
    request = urllib.request.Request(url, headers={"Accept": "application/json",
                                                   "User-Agent": USER_AGENT})
    deadline = time.monotonic() + FETCH_TIMEOUT_SECONDS
    with _opener.open(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_BYTES:
            raise ValueError("the response is larger than 20 MB")
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read(FETCH_CHUNK):
            size += len(chunk)
            if size > MAX_BYTES:
                raise ValueError("the response is larger than 20 MB")
            if time.monotonic() > deadline:
                raise TimeoutError(f"it took longer than {FETCH_TIMEOUT_SECONDS} seconds")
            chunks.append(chunk)
    return safeinput.loads_json(b"".join(chunks).decode("utf-8-sig"), "The response")


def _with_page(url: str, page: int) -> str:
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    query["page"] = str(page)
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def fetch_and_parse(url: str) -> Report:
    """Fetch a feed (following its pages) and check it. Only editors reach this (the view
    checks), with a timeout on every request and a cap on size and pages."""
    refused = _host_allowed(url)
    if refused:
        return Report(source=url, problems=[Problem("The address", refused)])
    try:
        data = _fetch(url)
        if isinstance(data, dict) and isinstance(data.get("contents"), list):
            contents = list(data["contents"])
            total_pages = data.get("total_pages")
            number = data.get("page_number")
            page: int = number if isinstance(number, int) else 1
            while isinstance(total_pages, int) and page < min(total_pages, MAX_PAGES):
                page += 1
                more = _fetch(_with_page(url, page))
                if not isinstance(more, dict) or not isinstance(more.get("contents"), list):
                    break
                contents.extend(more["contents"])
                if len(contents) > MAX_RECORDS:
                    break
            data = contents
    except (Refused, safeinput.BadInput) as error:
        return Report(source=url, problems=[Problem("The address", str(error))])
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, Refused):
            return Report(source=url, problems=[Problem("The address", str(reason))])
        return Report(source=url, problems=[Problem("The address", f"could not be read: "
                                                                   f"{reason}")])
    except (ValueError, UnicodeDecodeError) as error:
        return Report(source=url, problems=[Problem("The address", f"did not return ORUK "
                                                                   f"JSON: {error}")])
    return check(data, url)


# ----- writing -----


def _text(value: Any, limit: int | None = None) -> str:
    text = "" if value is None else str(value)
    return text[:limit] if limit else text


def _date(value: Any) -> date | None:
    try:
        return parse_date(str(value)) if value else None
    except ValueError:
        return None


def _time(value: Any) -> Any:
    try:
        return parse_time(str(value)) if value else None
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _organization(record: dict[str, Any]) -> Organization:
    data = record.get("organization")
    if isinstance(data, dict):
        org, created = Organization.objects.update_or_create(
            id=UUID(str(data["id"])),
            defaults={
                "name": _text(data.get("name"), 200), "description": _text(data.get("description")),
                "email": _text(data.get("email"), 254), "website": _text(data.get("website"), 200),
                "logo": _text(data.get("logo"), 200), "uri": _text(data.get("uri"), 200),
            },
        )
        if not created:  # its name shows in the stored copies of all its services
            stored.refresh_organization(org)
        return org
    return Organization.objects.get(pk=UUID(str(record["organization_id"])))


def _term(data: dict[str, Any], fallback_id: Any) -> TaxonomyTerm:
    term_id = UUID(str(data.get("id") or fallback_id))
    existing = TaxonomyTerm.objects.filter(pk=term_id).first()
    if existing:
        return existing
    taxonomy = None
    if data.get("taxonomy_id"):
        taxonomy, _ = Taxonomy.objects.get_or_create(
            id=UUID(str(data["taxonomy_id"])),
            defaults={"name": _text(data.get("taxonomy") or "Imported", 200),
                      "description": "Imported with services"},
        )
    return TaxonomyTerm.objects.create(
        id=term_id, taxonomy=taxonomy, name=_text(data.get("name") or data.get("term"), 200),
        description=_text(data.get("description")), code=_text(data.get("code"), 50),
        term_uri=_text(data.get("term_uri"), 200),
    )


def _write(record: dict[str, Any], user: User) -> bool:
    """Create or replace one service and what hangs off it. True if it was new."""
    service_id = UUID(str(record["id"]))
    existing = Service.objects.filter(pk=service_id).first()
    org = _organization(record)
    last_modified = parse_datetime(str(record.get("last_modified", ""))) or timezone.now()
    if timezone.is_naive(last_modified):
        last_modified = timezone.make_aware(last_modified)
    assured = _date(record.get("assured_date"))
    values = {
        "organization": org, "name": _text(record["name"], 200),
        "description": _text(record.get("description")), "url": _text(record.get("url"), 200),
        "email": _text(record.get("email"), 254), "status": record["status"],
        "fees": _text(record.get("fees")), "accreditations": _text(record.get("accreditations")),
        "minimum_age": _int(record.get("minimum_age")),
        "maximum_age": _int(record.get("maximum_age")),
        "eligibility_description": _text(record.get("eligibility_description")),
        "application_process": _text(record.get("application_process")),
        "assured_date": assured, "assurer_email": _text(record.get("assurer_email"), 254),
        "alert": _text(record.get("alert")), "last_modified": last_modified,
        "reviewed_on": assured or timezone.localdate(),
    }
    cost_options = record.get("cost_options") or []
    values["free"] = not record.get("fees") and not any(
        isinstance(c, dict) and c.get("amount") for c in cost_options
    )
    if existing:
        for key, value in values.items():
            setattr(existing, key, value)
        existing.version += 1
        existing.save()
        service = existing
        for related in (service.phones, service.schedules, service.service_areas,
                        service.service_at_locations, service.languages, service.cost_options,
                        service.funding, service.contacts, service.attributes):
            related.all().delete()
    else:
        service = Service.objects.create(id=service_id, **values)

    for phone in record.get("phones") or []:
        if isinstance(phone, dict) and phone.get("number"):
            Phone.objects.create(service=service, number=_text(phone["number"], 40),
                                 description=_text(phone.get("description"), 200))
    for s in record.get("schedules") or []:
        freq = s.get("freq") if s.get("freq") in ("WEEKLY", "MONTHLY") else ""
        Schedule.objects.create(
            service=service, valid_from=_date(s.get("valid_from")),
            valid_to=_date(s.get("valid_to")), dtstart=_date(s.get("dtstart")), freq=freq,
            interval=_int(s.get("interval")), byday=_text(s.get("byday"), 40),
            bymonthday=_text(s.get("bymonthday"), 40), description=_text(s.get("description")),
            opens_at=_time(s.get("opens_at")), closes_at=_time(s.get("closes_at")),
            schedule_link=_text(s.get("schedule_link"), 200),
            attending_type=_text(s.get("attending_type"), 200), notes=_text(s.get("notes")),
        )
    for a in record.get("service_areas") or []:
        ServiceArea.objects.create(
            service=service, name=_text(a.get("name"), 200), extent=_text(a.get("extent")),
            extent_type=_text(a.get("extent_type"), 20), uri=_text(a.get("uri"), 300),
            service_area=_text(a.get("service_area")),
        )
    for sal in record.get("service_at_locations") or []:
        loc = sal.get("location")
        if not isinstance(loc, dict):
            continue
        location, _ = Location.objects.update_or_create(
            id=UUID(str(loc["id"])),
            defaults={
                "location_type": loc.get("location_type", "physical"),
                "name": _text(loc.get("name"), 200), "description": _text(loc.get("description")),
                "latitude": loc.get("latitude"), "longitude": loc.get("longitude"),
                "external_identifier": _text(loc.get("external_identifier"), 100),
                "external_identifier_type": _text(loc.get("external_identifier_type"), 50),
            },
        )
        location.addresses.all().delete()
        location.accessibility.all().delete()
        for ad in loc.get("addresses") or []:
            Address.objects.create(
                location=location, attention=_text(ad.get("attention"), 200),
                address_1=_text(ad.get("address_1"), 200), city=_text(ad.get("city"), 100),
                region=_text(ad.get("region"), 100),
                state_province=_text(ad.get("state_province"), 100),
                postal_code=_text(ad.get("postal_code"), 10), country=_text(ad.get("country"), 2),
                address_type=ad.get("address_type", "physical"),
            )
        for ac in loc.get("accessibility") or []:
            Accessibility.objects.create(
                location=location, description=_text(ac.get("description")),
                details=_text(ac.get("details")), url=_text(ac.get("url"), 200),
            )
        ServiceAtLocation.objects.get_or_create(service=service, location=location)
    for lang in record.get("languages") or []:
        if isinstance(lang, dict) and (lang.get("name") or lang.get("code")):
            Language.objects.create(service=service, name=_text(lang.get("name"), 100),
                                    code=_text(lang.get("code"), 10))
    for c in cost_options:
        try:
            amount = Decimal(str(c["amount"])) if c.get("amount") is not None else None
        except (InvalidOperation, ValueError):
            amount = None
        CostOption.objects.create(
            service=service, valid_from=_date(c.get("valid_from")),
            valid_to=_date(c.get("valid_to")), option=_text(c.get("option"), 200),
            amount=amount if amount is None or abs(amount) < 10**6 else None,
            amount_description=_text(c.get("amount_description"), 200),
        )
    for f in record.get("funding") or []:
        if f.get("source"):
            Funding.objects.create(service=service, source=_text(f["source"]))
    for c in record.get("contacts") or []:
        contact = Contact.objects.create(
            service=service, name=_text(c.get("name"), 200), title=_text(c.get("title"), 200),
            email=_text(c.get("email"), 254),
        )
        for phone in c.get("phones") or []:
            if isinstance(phone, dict) and phone.get("number"):
                Phone.objects.create(contact=contact, number=_text(phone["number"], 40))
    for attr in record.get("attributes") or []:
        data = attr.get("taxonomy_term")
        if isinstance(data, dict) or attr.get("taxonomy_term_id"):
            term = _term(data if isinstance(data, dict) else {}, attr.get("taxonomy_term_id"))
            Attribute.objects.get_or_create(
                service=service, taxonomy_term=term,
                defaults={"link_type": _text(attr.get("link_type"), 50)},
            )
    actions.refresh_service(service)
    actions.record_change(user, service, ServiceChange.Kind.IMPORTED, [],
                    "Imported" + (" (replacing the earlier entry)" if existing else ""))
    return existing is None


def do_import(user: User, report: Report) -> Result:
    """Write every record of a clean report in one transaction: all of them or none."""
    if not is_local_offer_editor(user):
        raise Http404("Not a local offer editor")
    if not report.ok:
        raise ValueError("Only a report with no problems can be imported")
    created = updated = 0
    with transaction.atomic():
        for record in report.records:
            if _write(record, user):
                created += 1
            else:
                updated += 1
    return Result(created=created, updated=updated)
