"""Every change to the local offer: guarded, recorded in the change history and the audit log.

Each `do_…` function runs in one transaction: it checks the user may make the change, writes
it, adds a ServiceChange row (the public 'recent changes' page) and an audit event with no
child (the platform's one audit log), so a change is never saved without its record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from tellonce.access import audit
from tellonce.directory import postcodes, search_index, stored, taxonomy
from tellonce.directory.models import (
    Address,
    Attribute,
    Feedback,
    Location,
    Organization,
    Phone,
    Schedule,
    SearchWord,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceChange,
    TaxonomyTerm,
)
from tellonce.directory.policy import (
    editable_organizations,
    is_local_offer_editor,
    may_edit_service,
)
from tellonce.directory.queries import index_words, search_text_for
from tellonce.people.models import Locality, User

AUDIT_BASIS = "Local offer: editor or provider of the service (SEND Regulations 2014 reg 53)"
FEEDBACK_LIMIT_PER_HOUR = 5
SEND_TERM_PREFIXES = ("need-", "age-", "wait-")
SEND_SUPPORT_CODES = {t.code for t in taxonomy.SUPPORT_TYPES}


class EditConflict(Exception):
    """Someone saved the service after this edit began."""

    def __init__(self, service: Service) -> None:
        super().__init__(f"{service.name} was changed (version {service.version}) while you "
                         "were editing")
        self.service = service


class TooManyComments(Exception):
    """The same sender left too many comments in the last hour."""


@dataclass
class ServiceDetails:
    """What an editor or provider says about a service (the edit form, cleaned)."""

    organization: Organization
    name: str
    description: str = ""
    status: str = Service.Status.ACTIVE
    url: str = ""
    email: str = ""
    phone: str = ""
    fees: str = ""
    free: bool = True
    minimum_age: int | None = None
    maximum_age: int | None = None
    eligibility_description: str = ""
    application_process: str = ""
    alert: str = ""
    opening_hours: str = ""
    needs: list[str] = field(default_factory=list)  # PrimaryNeed values
    support_types: list[str] = field(default_factory=list)  # taxonomy codes
    waits: list[str] = field(default_factory=list)  # 'wait-…' codes
    locality: Locality | None = None  # None: the whole area
    location_name: str = ""
    address_1: str = ""
    city: str = ""
    postcode: str = ""

    SIMPLE_FIELDS = (
        "name", "description", "status", "url", "email", "fees", "free", "minimum_age",
        "maximum_age", "eligibility_description", "application_process", "alert",
    )


def _snapshot(service: Service) -> dict[str, Any]:
    """What a change is compared on: the service's fields and its main related rows."""
    phone = service.phones.order_by("pk").first()
    schedule = service.schedules.order_by("pk").first()
    area = service.service_areas.order_by("pk").first()
    sal = service.service_at_locations.select_related("location").order_by("pk").first()
    address = sal.location.addresses.order_by("pk").first() if sal else None
    snapshot = {name: getattr(service, name) for name in ServiceDetails.SIMPLE_FIELDS}
    snapshot.update({
        "organization": str(service.organization_id),
        "phone": phone.number if phone else "",
        "opening_hours": schedule.description if schedule else "",
        "locality": area.locality_id if area else None,
        "location": (address.address_1, address.city, address.postal_code) if address else None,
        "terms": sorted(
            service.attributes.values_list("taxonomy_term__code", flat=True)
        ),
    })
    return snapshot


def _term_codes(details: ServiceDetails) -> list[str]:
    codes = [taxonomy.need_code(n) for n in details.needs]
    codes += [c for c in details.support_types if c in SEND_SUPPORT_CODES]
    codes += [c for c in details.waits if c.startswith("wait-")]
    codes += taxonomy.age_band_codes(details.minimum_age, details.maximum_age)
    return codes


def refresh_service(service: Service) -> None:
    """Rewrite what is derived from a service and its related rows: its search text and
    words, and its stored ORUK list item and result card. Every action that writes a service
    or a row hanging off it calls this before it returns, in the same transaction."""
    names = TaxonomyTerm.objects.filter(attributes__service=service).values_list(
        "name", flat=True
    )
    text = search_text_for(service, service.organization.name, names)
    Service.objects.filter(pk=service.pk).update(search_text=text)
    service.search_text = text
    SearchWord.objects.filter(service=service).delete()
    SearchWord.objects.bulk_create(
        [SearchWord(service=service, word=w) for w in sorted(index_words(text))]
    )
    stored.refresh([service])


def _write_related(service: Service, details: ServiceDetails) -> None:
    """The rows the edit form owns: first phone, first schedule, the area, the SEND terms,
    and the first place. Rows it does not show (imported extras, other taxonomies) stay."""
    phone = service.phones.order_by("pk").first()
    if details.phone:
        if phone:
            Phone.objects.filter(pk=phone.pk).update(number=details.phone)
        else:
            Phone.objects.create(service=service, number=details.phone)
    elif phone:
        phone.delete()

    schedule = service.schedules.order_by("pk").first()
    if details.opening_hours:
        if schedule:
            Schedule.objects.filter(pk=schedule.pk).update(description=details.opening_hours)
        else:
            Schedule.objects.create(service=service, description=details.opening_hours)
    elif schedule:
        schedule.delete()

    area_name = details.locality.name if details.locality else "The whole local authority area"
    area = service.service_areas.order_by("pk").first()
    if area:
        ServiceArea.objects.filter(pk=area.pk).update(
            locality=details.locality, name=area_name, service_area=area_name
        )
    else:
        ServiceArea.objects.create(
            service=service, locality=details.locality, name=area_name, service_area=area_name
        )

    wanted = set(_term_codes(details))
    send_terms = {
        t.code: t for t in TaxonomyTerm.objects.filter(taxonomy_id=taxonomy.TAXONOMY_ID)
    }
    current = {a.taxonomy_term.code: a for a in service.attributes.select_related("taxonomy_term")
               if a.taxonomy_term.taxonomy_id == taxonomy.TAXONOMY_ID}
    for code, attribute in current.items():
        if code not in wanted:
            attribute.delete()
    Attribute.objects.bulk_create([
        Attribute(service=service, taxonomy_term=send_terms[code], link_type="service")
        for code in sorted(wanted - set(current)) if code in send_terms
    ])

    sal = service.service_at_locations.select_related("location").order_by("pk").first()
    if details.address_1 and details.postcode:
        place = postcodes.lookup(details.postcode)
        code = postcodes.normalise(details.postcode) or details.postcode
        locality = (
            Locality.objects.filter(name=place.locality).first() if place else details.locality
        )
        if sal is None:
            location = Location.objects.create(location_type=Location.LocationType.PHYSICAL)
            sal = ServiceAtLocation.objects.create(service=service, location=location)
        location = sal.location
        location.name = details.location_name or details.address_1
        location.latitude = place.latitude if place else None
        location.longitude = place.longitude if place else None
        location.locality = locality
        location.save()
        address = location.addresses.order_by("pk").first() or Address(location=location)
        address.address_1, address.city, address.postal_code = (
            details.address_1, details.city, code
        )
        address.state_province = address.state_province or "England"
        address.save()
    elif sal is not None and not details.address_1:
        sal.delete()


def record_change(
    user: User | None, service: Service, kind: str, fields: list[str], summary: str = ""
) -> ServiceChange:
    """Every change to a service comes here (each action, each imported record): record it,
    and have this process's next search look for it at once rather than trusting the search
    index for the rest of its check interval (search_index.changed)."""
    search_index.changed()
    change = ServiceChange.objects.create(
        at=timezone.now(), service=service, service_name=service.name, kind=kind, user=user,
        actor_description=audit.describe_actor(user), fields=fields, summary=summary[:300],
    )
    action = audit.Action.CREATE if kind == ServiceChange.Kind.CREATED else audit.Action.UPDATE
    audit.record(
        user, None, action, f"Local offer: {service.name}"[:100], AUDIT_BASIS,
        service_id=str(service.pk), change=kind, fields=fields,
    )
    return change


def do_create_service(user: User, details: ServiceDetails, today: date | None = None) -> Service:
    with transaction.atomic():
        if not editable_organizations(user).filter(pk=details.organization.pk).exists():
            raise Http404("No such organisation")
        service = Service(
            organization=details.organization, last_modified=timezone.now(),
            reviewed_on=today or date.today(),
            **{name: getattr(details, name) for name in ServiceDetails.SIMPLE_FIELDS},
        )
        service.save()
        _write_related(service, details)
        refresh_service(service)
        record_change(user, service, ServiceChange.Kind.CREATED, [], "Added to the local offer")
        return service


def do_update_service(
    user: User, service: Service, details: ServiceDetails, base_version: int,
    today: date | None = None,
) -> list[str]:
    """Save an edit made from `base_version`; EditConflict if someone saved since. Saving
    counts as a review: the editor has just read the whole entry. Returns the changed fields."""
    with transaction.atomic():
        if not may_edit_service(user, service):
            raise Http404("No such service")
        if not editable_organizations(user).filter(pk=details.organization.pk).exists():
            raise Http404("No such organisation")
        claimed = Service.objects.filter(pk=service.pk, version=base_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise EditConflict(Service.objects.get(pk=service.pk))
        before = _snapshot(service)
        for name in ServiceDetails.SIMPLE_FIELDS:
            setattr(service, name, getattr(details, name))
        service.organization = details.organization
        service.last_modified = timezone.now()
        service.reviewed_on = today or date.today()
        service.version = base_version + 1
        service.save()
        _write_related(service, details)
        refresh_service(service)
        after = _snapshot(service)
        changed = sorted(k for k in after if after[k] != before[k])
        record_change(user, service, ServiceChange.Kind.UPDATED, changed,
                "Changed: " + ", ".join(changed) if changed else "Saved with no changes")
        return changed


def do_mark_reviewed(user: User, service: Service, today: date | None = None) -> None:
    with transaction.atomic():
        if not may_edit_service(user, service):
            raise Http404("No such service")
        service.reviewed_on = today or date.today()
        service.assured_date = service.reviewed_on
        service.last_modified = timezone.now()
        service.save(update_fields=["reviewed_on", "assured_date", "last_modified"])
        stored.refresh([service])
        record_change(user, service, ServiceChange.Kind.REVIEWED, ["reviewed_on"],
                "Checked and still correct")


def do_retire_service(user: User, service: Service, reason: str) -> None:
    """Retire a service: it stays in the feed as 'defunct' so consumers remove it too."""
    with transaction.atomic():
        if not may_edit_service(user, service):
            raise Http404("No such service")
        service.status = Service.Status.DEFUNCT
        service.last_modified = timezone.now()
        service.version = F("version") + 1
        service.save(update_fields=["status", "last_modified", "version"])
        service.refresh_from_db(fields=["version"])
        stored.refresh([service])
        record_change(user, service, ServiceChange.Kind.RETIRED, ["status"], f"Retired: {reason}")


def sender_hash(address: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def do_submit_feedback(
    sender_address: str, comment: str, service: Service | None, name: str = "",
    email: str = "",
) -> Feedback:
    """Anyone may comment; the same sender at most FEEDBACK_LIMIT_PER_HOUR times an hour."""
    with transaction.atomic():
        key = sender_hash(sender_address)
        since = timezone.now() - timedelta(hours=1)
        if Feedback.objects.filter(sender_hash=key, received_at__gte=since).count() >= (
            FEEDBACK_LIMIT_PER_HOUR
        ):
            raise TooManyComments()
        return Feedback.objects.create(
            received_at=timezone.now(), service=service, comment=comment, name=name,
            email=email, sender_hash=key, published_comment=comment,
        )


def do_respond_to_feedback(
    user: User, feedback: Feedback, published_comment: str, response: str
) -> None:
    """An editor's response, published on 'You said, we did' with their summary of the comment."""
    with transaction.atomic():
        if not is_local_offer_editor(user):
            raise Http404("No such feedback")
        feedback.published_comment = published_comment
        feedback.response = response
        feedback.status = Feedback.Status.RESPONDED
        feedback.responded_at = timezone.now()
        feedback.responded_by = user
        feedback.save()
        audit.record(
            user, None, audit.Action.UPDATE, "Local offer feedback response", AUDIT_BASIS,
            feedback_id=feedback.pk,
        )
