"""The local offer, shaped as Open Referral UK 3.0: organisations, services, where and when.

Each model is one ORUK 3.0 entity with the same field names and UUID ids (the schema files are
in `tellonce/directory/schema/`, copied unchanged from ORUK's repository). Additions for the
SEND local offer are few and named for what they are: `Service.free` (the cost filter),
`Service.reviewed_on` and `version` (keeping it true), `Service.search_text` (one column to
search), `oruk_item` and `result_card` (stored copies for the busiest reads, stored.py), a
locality on service areas and locations (the locality filter), `Organization.provider` (the platform
organisation whose staff may edit its services), and `SearchStamp` (when each process's
search index, search_index.py, is out of date). The feed leaves them out except where ORUK has
a place for them.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models

from tellonce.people.models import Locality
from tellonce.people.models import Organisation as PlatformOrganisation

REVIEW_AFTER = timedelta(days=365)


class Organization(models.Model):
    """ORUK organization: who provides services (a charity, an NHS trust, the council)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField()
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    logo = models.URLField(blank=True)
    uri = models.URLField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Staff of this platform organisation may keep its services up to date (policy.py).
    provider = models.ForeignKey(
        PlatformOrganisation, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="directory_organizations",
    )
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="organization_identifiers"
    )
    identifier_scheme = models.CharField(max_length=50, blank=True)
    identifier_type = models.CharField(max_length=100)
    identifier = models.CharField(max_length=100)

    def __str__(self) -> str:
        return f"{self.identifier_type}: {self.identifier}"


class Service(models.Model):
    """ORUK service: one thing a family can use, from one organisation."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        DEFUNCT = "defunct", "Retired"
        TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    fees = models.TextField(blank=True, help_text="What it costs, in words")
    free = models.BooleanField(default=True)
    accreditations = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    eligibility_description = models.TextField(blank=True, help_text="Who it is for")
    application_process = models.TextField(blank=True, help_text="How to get in touch")
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = models.EmailField(blank=True)
    alert = models.TextField(blank=True)
    last_modified = models.DateTimeField()
    # Keeping it true: when an editor or the provider last checked it, and an edit counter
    # for optimistic concurrency (an edit based on an older version is refused).
    reviewed_on = models.DateField()
    version = models.PositiveIntegerField(default=1)
    # Lower-cased name, description, organisation and term names: what search looks in.
    search_text = models.TextField(blank=True, editable=False)
    # Ready-made copies for the busiest reads, rewritten by every action that changes what
    # they show (stored.py): the ORUK /services list item as JSON, and the search result card.
    oruk_item = models.TextField(blank=True, editable=False)
    result_card = models.TextField(blank=True, editable=False)
    # Which code wrote them (stored.COPIES_VERSION): others' copies are never served.
    copies_version = models.CharField(max_length=16, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "name"]),
            # Searches find ids, then order and count them by name and status: this index
            # answers that without reading the rows, which the stored copies make wide.
            models.Index(fields=["name", "id", "status"], name="service_order"),
            # The same columns for looking services up by id (SQLite reads the index alone).
            models.Index(fields=["id", "status", "name"], name="service_status_name"),
            models.Index(fields=["last_modified"]),
            models.Index(fields=["reviewed_on"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def review_due(self) -> date:
        return self.reviewed_on + REVIEW_AFTER

    def needs_review(self, today: date | None = None) -> bool:
        return self.review_due < (today or date.today())

    @property
    def ages_display(self) -> str:
        low, high = self.minimum_age, self.maximum_age
        if low is None and high is None:
            return "Any age"
        if high is None:
            return f"{low} and over"
        if low is None or low == 0:
            return f"Up to {high}"
        return f"{low} to {high}"


class Location(models.Model):
    class LocationType(models.TextChoices):
        PHYSICAL = "physical", "A place you can visit"
        POSTAL = "postal", "A postal address"
        VIRTUAL = "virtual", "Online or by phone"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.CharField(max_length=100, blank=True)
    external_identifier_type = models.CharField(max_length=50, blank=True)
    locality = models.ForeignKey(Locality, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self) -> str:
        return self.name or str(self.id)


class Address(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=10)
    country = models.CharField(max_length=2, default="GB")
    address_type = models.CharField(
        max_length=10, choices=Location.LocationType.choices, default="physical"
    )

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city} {self.postal_code}"


class Accessibility(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(blank=True)

    class Meta:
        verbose_name_plural = "accessibility"

    def __str__(self) -> str:
        return self.description[:80] or str(self.id)


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="unique_service_location")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} at {self.location_id}"


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)

    def __str__(self) -> str:
        return self.name or self.title or str(self.id)


class Phone(models.Model):
    """A number for a service or for one of its contacts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(max_length=40)
    description = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.number


class Schedule(models.Model):
    """When a service is open: RFC 5545-style fields as ORUK has them, and a description."""

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", "Weekly"
        MONTHLY = "MONTHLY", "Monthly"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    freq = models.CharField(max_length=10, choices=Freq.choices, blank=True)
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=40, blank=True)
    bymonthday = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    schedule_link = models.URLField(blank=True)
    attending_type = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.description[:80] or str(self.id)


class ServiceArea(models.Model):
    """Where a service is offered. No locality means the whole local authority area."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=200, blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=20, blank=True)
    uri = models.CharField(max_length=300, blank=True)
    service_area = models.TextField(blank=True)
    locality = models.ForeignKey(Locality, null=True, blank=True, on_delete=models.SET_NULL)

    def __str__(self) -> str:
        return self.name or str(self.id)


class Language(models.Model):
    """A language the service is offered in (HSDS 3.0 name and ISO 639 code)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=10, blank=True)

    def __str__(self) -> str:
        return self.name or self.code


class CostOption(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    amount_description = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.option or str(self.amount)


class Funding(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="funding")
    source = models.TextField()

    def __str__(self) -> str:
        return self.source[:80]


class Taxonomy(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField()
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name_plural = "taxonomies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(
        Taxonomy, null=True, blank=True, on_delete=models.CASCADE, related_name="terms"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(max_length=50, blank=True)
    name = models.CharField(max_length=200)
    description = models.TextField()
    term_uri = models.URLField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        indexes = [models.Index(fields=["code"])]

    def __str__(self) -> str:
        return self.name


class Attribute(models.Model):
    """A taxonomy term attached to a service: its needs, ages, kind of support."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes"
    )
    link_type = models.CharField(max_length=50, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "taxonomy_term"], name="unique_attribute")
        ]

    def __str__(self) -> str:
        return f"{self.service_id}: {self.taxonomy_term_id}"


class ServiceChange(models.Model):
    """What changed in the local offer, when and by whom: the 'recent changes' page.

    Rows are only ever added (by the actions in actions.py); each change is also written to
    the platform's audit log with no child (access.audit), so one log holds every write.
    """

    class Kind(models.TextChoices):
        CREATED = "created", "Added"
        UPDATED = "updated", "Changed"
        REVIEWED = "reviewed", "Checked and still correct"
        RETIRED = "retired", "Retired"
        IMPORTED = "imported", "Imported"

    at = models.DateTimeField(db_index=True)
    service = models.ForeignKey(
        Service, null=True, on_delete=models.SET_NULL, related_name="changes"
    )
    service_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_description = models.CharField(max_length=300)
    fields = models.JSONField(default=list, blank=True, help_text="Names of changed fields")
    summary = models.CharField(max_length=300, blank=True)

    # What the public page calls each field an edit can change (actions._snapshot's names).
    FIELD_LABELS = {
        "name": "name", "description": "description", "status": "status",
        "url": "website", "email": "email", "fees": "cost", "free": "cost",
        "minimum_age": "ages", "maximum_age": "ages",
        "eligibility_description": "who can use it",
        "application_process": "how to apply", "alert": "notice",
        "organization": "organisation", "phone": "phone number",
        "opening_hours": "opening times", "locality": "area served", "location": "address",
        "terms": "needs and kinds of support",
    }

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.service_name}"

    @property
    def what_happened(self) -> str:
        """For the public 'recent changes' page: 'Changed opening times and phone number',
        'Checked and still correct', 'Retired: the group has closed'."""
        if self.kind == self.Kind.UPDATED:
            labels = list(dict.fromkeys(
                self.FIELD_LABELS.get(name, name.replace("_", " ")) for name in self.fields
            ))
            if not labels:
                return "Saved with no changes"
            listed = ", ".join(labels[:-1]) + " and " + labels[-1] if len(labels) > 1 else (
                labels[0])
            return f"Changed {listed}"
        if self.kind in (self.Kind.RETIRED, self.Kind.IMPORTED) and self.summary:
            return self.summary
        return self.get_kind_display()


class Feedback(models.Model):
    """A comment on the local offer or one service (SEND Regulations 2014 reg 56)."""

    class Status(models.TextChoices):
        NEW = "new", "Waiting for a response"
        RESPONDED = "responded", "Responded"

    received_at = models.DateTimeField(db_index=True)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    comment = models.TextField()
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    # A keyed hash of the sender's address: enough to slow a flood, not to identify anyone.
    sender_hash = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    # What is published: the editor's summary of the comment (personal details taken out).
    published_comment = models.TextField(blank=True)
    response = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"Feedback {self.pk} ({self.get_status_display()})"


class SearchWord(models.Model):
    """One word of a service's search text: an index the search reads by prefix range, so a
    search touches the few services with a word, not every service's text."""

    # Indexed by (service, word) below: a search checking one service's words reads the index.
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+",
                                db_index=False)
    word = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["word", "service"], name="unique_search_word")
        ]
        indexes = [models.Index(fields=["service", "word"], name="search_word_by_service")]

    def __str__(self) -> str:
        return self.word


class SearchStamp(models.Model):
    """One row whose `stamp` changes whenever a table the search index reads is written: the
    per-process search index (search_index.py) is rebuilt when the stamp it was built at is
    no longer the database's. Written only by database triggers (search_stamp.py), in the
    writing transaction, so every writer is seen: actions, the importer, bulk loaders, the
    admin, another process. The stamp is random, not a counter: a counter rolled back with
    its transaction would be reused for different data."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    stamp = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Search stamp {self.stamp}"
