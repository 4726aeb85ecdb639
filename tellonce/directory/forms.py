"""Forms for the local offer: public search and feedback, editing, responding, importing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from tellonce.directory import postcodes, taxonomy
from tellonce.directory.actions import ServiceDetails
from tellonce.directory.models import Organization, Service
from tellonce.people.models import Locality, PrimaryNeed
from tellonce.people.validators import clean_phone_number

DISTANCES = [("", "Any distance"), ("1", "Within 1 mile"), ("3", "Within 3 miles"),
             ("5", "Within 5 miles"), ("10", "Within 10 miles")]
MAX_AGE = 99


def _shallow(thing: Any) -> Any:
    """copy.copy for a plain object, without the pickle protocol copy.copy goes through."""
    result = object.__new__(type(thing))
    result.__dict__.update(thing.__dict__)
    return result


class _CopiedShallow:
    """A form field copied for each form without deep-copying its choices and widget: every
    form deep-copies its fields, which was most of the cost of the busiest form (the public
    search). What Field.__deepcopy__ copies (widget, its attrs, error messages, validators)
    is still copied; the choices are shared, and a form changing them assigns new ones."""

    widget: forms.Widget
    error_messages: dict[str, Any]
    validators: list[Any]

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        result = _shallow(self)
        memo[id(self)] = result
        result.widget = _shallow(self.widget)
        result.widget.attrs = dict(self.widget.attrs)
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


class _SearchCharField(_CopiedShallow, forms.CharField):
    pass


class _SearchChoiceField(_CopiedShallow, forms.ChoiceField):
    pass


class SearchForm(forms.Form):
    """Every field optional: an empty search shows the whole local offer."""

    q = _SearchCharField(label="Search for", required=False, max_length=100,
                         help_text="For example 'autism', 'short breaks' or 'speech'")
    need = _SearchChoiceField(label="Need", required=False,
                              choices=[("", "Any need"), *PrimaryNeed.choices])
    age = _SearchCharField(label="Age of child or young person", required=False, max_length=3,
                           help_text="In years, for example 7", error_messages={
                               "max_length": "Age must be a whole number of years, like 7"})
    locality = _SearchChoiceField(label="Area", required=False)
    cost = _SearchChoiceField(label="Cost", required=False,
                              choices=[("", "Free or paid"), ("free", "Free only")])
    waiting = _SearchChoiceField(
        label="Waiting for an assessment", required=False,
        choices=[("", "Show all support"), *[(t.code, t.name) for t in
                                             taxonomy.WHILE_YOU_WAIT_TERMS]],
    )
    postcode = _SearchCharField(label="Postcode", required=False, max_length=10,
                                help_text="To see the nearest first, for example RV1 1AA")
    distance = _SearchChoiceField(label="Distance", required=False, choices=DISTANCES)

    def __init__(self, *args: Any, localities: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        """`localities`: (id, name) of each locality, in the order to list them."""
        super().__init__(*args, **kwargs)
        choices = [("", "All areas")] + [(str(pk), name) for pk, name in localities]
        self.fields["locality"].choices = choices  # type: ignore[attr-defined]

    def clean_age(self) -> int | None:
        raw = self.cleaned_data["age"].strip()
        if not raw:
            return None
        if not raw.isdigit() or int(raw) > MAX_AGE:
            raise ValidationError("Age must be a whole number of years, like 7")
        return int(raw)

    def clean_postcode(self) -> postcodes.Place | None:
        raw = self.cleaned_data["postcode"].strip()
        if not raw:
            return None
        if postcodes.normalise(raw) is None:
            raise ValidationError("Enter a real postcode, like RV1 1AA")
        place = postcodes.lookup(raw)
        if place is None:
            raise ValidationError("We do not know that postcode. Enter a postcode in the area, "
                                  "like RV1 1AA")
        return place

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("distance") and not data.get("postcode") and "postcode" not in self.errors:
            self.add_error("postcode", "Enter a postcode to search within a distance")
        return data


class FeedbackForm(forms.Form):
    comment = forms.CharField(
        label="Your comments", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What is good, what is missing, what is wrong. Do not include details of a "
        "child, such as their name or date of birth.",
        error_messages={"required": "Enter your comments",
                        "max_length": "Comments must be 2,000 characters or fewer"},
    )
    name = forms.CharField(label="Your name (optional)", required=False, max_length=100)
    email = forms.EmailField(
        label="Email address (optional)", required=False, max_length=254,
        help_text="Only if you would like a reply. We will not publish it.",
        error_messages={"invalid": "Enter an email address in the correct format, like "
                        "name@example.com"},
    )

    def clean_comment(self) -> str:
        comment: str = self.cleaned_data["comment"].replace("\x00", "").strip()
        if not comment:
            raise ValidationError("Enter your comments")
        return comment


class ServiceForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="Organisation that provides it", queryset=Organization.objects.none(),
        empty_label=None, error_messages={"invalid_choice": "Choose an organisation"},
    )
    name = forms.CharField(label="Name of the service", max_length=200,
                           error_messages={"required": "Enter the name of the service"})
    description = forms.CharField(label="What it does", max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 6}),
                                  error_messages={"required": "Say what the service does"})
    status = forms.ChoiceField(label="Status", choices=[
        (Service.Status.ACTIVE, "Open"),
        (Service.Status.TEMPORARILY_CLOSED, "Temporarily closed"),
        (Service.Status.INACTIVE, "Not taking new families"),
    ])
    minimum_age = forms.IntegerField(label="Youngest age (years)", required=False, min_value=0,
                                     max_value=MAX_AGE,
                                     error_messages={"invalid": "Youngest age must be a number"})
    maximum_age = forms.IntegerField(label="Oldest age (years)", required=False, min_value=0,
                                     max_value=MAX_AGE,
                                     error_messages={"invalid": "Oldest age must be a number"})
    eligibility_description = forms.CharField(
        label="Who it is for", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}))
    needs = forms.MultipleChoiceField(label="Needs it supports", required=False,
                                      choices=PrimaryNeed.choices,
                                      widget=forms.CheckboxSelectMultiple)
    support_types = forms.MultipleChoiceField(
        label="Kind of support", required=False,
        choices=[(t.code, t.name) for t in taxonomy.SUPPORT_TYPES],
        widget=forms.CheckboxSelectMultiple)
    waits = forms.MultipleChoiceField(
        label="Support while you wait", required=False,
        help_text="Tick if the service helps families waiting for an assessment",
        choices=[(t.code, t.name) for t in taxonomy.WHILE_YOU_WAIT_TERMS],
        widget=forms.CheckboxSelectMultiple)
    application_process = forms.CharField(
        label="How to get in touch or be referred", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}))
    phone = forms.CharField(label="Phone number", required=False, max_length=40,
                            help_text="For example 0191 498 0123",
                            error_messages={"max_length": "Phone number must be 40 characters "
                                            "or fewer"})
    email = forms.EmailField(label="Email address", required=False,
                             error_messages={"invalid": "Enter an email address in the correct "
                                             "format, like name@example.com"})
    url = forms.URLField(label="Website", required=False, max_length=200, assume_scheme="https",
                         error_messages={"invalid": "Enter a full web address, like "
                                         "https://www.example.org"})
    opening_hours = forms.CharField(label="When it is open", required=False, max_length=1000,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    free = forms.ChoiceField(label="Cost", choices=[("yes", "Free"), ("no", "There is a cost")])
    fees = forms.CharField(label="What it costs (if there is a cost)", required=False,
                           max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    locality = forms.ModelChoiceField(label="Area served", required=False,
                                      queryset=Locality.objects.all(),
                                      empty_label="The whole local authority area")
    location_name = forms.CharField(label="Name of the place (optional)", required=False,
                                    max_length=200)
    address_1 = forms.CharField(label="Address line 1", required=False, max_length=200,
                                help_text="Leave the address empty for services online, by "
                                "phone or that come to you")
    city = forms.CharField(label="Town or city", required=False, max_length=100)
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    alert = forms.CharField(label="Notice to show families (optional)", required=False,
                            max_length=500, help_text="For example a change of opening times")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data["phone"])

    def clean_postcode(self) -> str:
        raw = self.cleaned_data["postcode"].strip()
        if raw and postcodes.lookup(raw) is None:
            raise ValidationError("Enter a postcode in the area, like RV1 1AA")
        return postcodes.normalise(raw) or "" if raw else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", "Oldest age must be the same as or older than the "
                           "youngest age")
        if data.get("free") == "no" and not data.get("fees"):
            self.add_error("fees", "Say what it costs")
        if data.get("address_1") and not data.get("postcode") and "postcode" not in self.errors:
            self.add_error("postcode", "Enter the postcode of the address")
        if data.get("address_1") and not data.get("city"):
            self.add_error("city", "Enter the town or city")
        # A postcode or town with no address would be dropped (a place needs its first line):
        # say so rather than lose it.
        if not data.get("address_1", "").strip() and "address_1" not in self.errors:
            if data.get("postcode") or "postcode" in self.errors:
                self.add_error("address_1", "Enter the first line of the address, or leave the "
                               "postcode empty")
            elif data.get("city", "").strip():
                self.add_error("address_1", "Enter the first line of the address, or leave the "
                               "town or city empty")
        return data

    def details(self) -> ServiceDetails:
        d = self.cleaned_data
        return ServiceDetails(
            organization=d["organization"], name=d["name"].strip(),
            description=d["description"].strip(), status=d["status"], url=d["url"],
            email=d["email"], phone=d["phone"].strip(), fees=d["fees"].strip(),
            free=d["free"] == "yes", minimum_age=d["minimum_age"], maximum_age=d["maximum_age"],
            eligibility_description=d["eligibility_description"].strip(),
            application_process=d["application_process"].strip(), alert=d["alert"].strip(),
            opening_hours=d["opening_hours"].strip(), needs=d["needs"],
            support_types=d["support_types"], waits=d["waits"], locality=d["locality"],
            location_name=d["location_name"].strip(), address_1=d["address_1"].strip(),
            city=d["city"].strip(), postcode=d["postcode"],
        )


def initial_for(service: Service) -> dict[str, Any]:
    """The edit form's starting values, from the service as saved."""
    phone = service.phones.order_by("pk").first()
    schedule = service.schedules.order_by("pk").first()
    area = service.service_areas.order_by("pk").first()
    sal = service.service_at_locations.select_related("location").order_by("pk").first()
    address = sal.location.addresses.order_by("pk").first() if sal else None
    codes = set(service.attributes.values_list("taxonomy_term__code", flat=True))
    return {
        "organization": service.organization_id, "name": service.name,
        "description": service.description, "status": service.status,
        "minimum_age": service.minimum_age, "maximum_age": service.maximum_age,
        "eligibility_description": service.eligibility_description,
        "needs": [c for c, _ in PrimaryNeed.choices if taxonomy.need_code(c) in codes],
        "support_types": [t.code for t in taxonomy.SUPPORT_TYPES if t.code in codes],
        "waits": [t.code for t in taxonomy.WHILE_YOU_WAIT_TERMS if t.code in codes],
        "application_process": service.application_process,
        "phone": phone.number if phone else "", "email": service.email, "url": service.url,
        "opening_hours": schedule.description if schedule else "",
        "free": "yes" if service.free else "no", "fees": service.fees,
        "locality": area.locality_id if area else None,
        "location_name": sal.location.name if sal else "",
        "address_1": address.address_1 if address else "",
        "city": address.city if address else "",
        "postcode": address.postal_code if address else "",
        "alert": service.alert, "version": service.version,
    }


class RetireForm(forms.Form):
    reason = forms.CharField(label="Why is it being retired?", max_length=200,
                             error_messages={"required": "Say why the service is being retired"})


class ResponseForm(forms.Form):
    published_comment = forms.CharField(
        label="The comment, as it will be published", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Take out anything that could identify a child or family",
        error_messages={"required": "Enter the comment as it will be published"})
    response = forms.CharField(
        label="What we did", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what was done in response"})


class ImportForm(forms.Form):
    file = forms.FileField(label="An ORUK 3.0 JSON file", required=False,
                           help_text="A list of services, one service, or a page of /services")
    url = forms.URLField(label="Or the address of another publisher's ORUK 3.0 API",
                         required=False, max_length=500, assume_scheme="https",
                         help_text="For example https://example.org/api/oruk/services?full=true",
                         error_messages={"invalid": "Enter a full web address, starting https://"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not data.get("url") and not self.errors:
            raise ValidationError("Choose a file or enter an address")
        if data.get("file") and data.get("url"):
            raise ValidationError("Choose a file or enter an address, not both")
        return data
