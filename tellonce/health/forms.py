"""Forms for managing referrals, importing them, and asking questions of the waiting lists."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from tellonce import dates
from tellonce.dates import DateInput
from tellonce.health.actions import Decision
from tellonce.health.models import Pathway, PathwayKind, Referral, RiskReview
from tellonce.people.models import Locality, Organisation
from tellonce.people.validators import normalise_nhs_number, validate_nhs_number

YES_NO = [("no", "No"), ("yes", "Yes")]


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _text(label: str, required: bool = True, rows: int = 0, max_length: int = 2000,
          help_text: str = "") -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=widget,
        help_text=help_text,
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}",
                        "max_length": f"{label} must be {max_length:,} characters or fewer"},
    )


def _choice(label: str, choices: Any = (), required: bool = True, what: str = "") -> Any:
    """A choice whose errors name it: 'Select the decision', never 'This field is required'."""
    what = what or f"the {label[0].lower()}{label[1:]}"
    return forms.ChoiceField(
        label=label, choices=choices, required=required,
        error_messages={"required": f"Select {what}",
                        "invalid_choice": f"Select {what} from the list"},
    )


def _whole_number(label: str, what: str, unit: str, low: int, high: int, help_text: str,
                  required_message: str, invalid_message: str) -> forms.IntegerField:
    """A number of `unit`s whose errors say which number is wrong and why."""
    one = unit.removesuffix("s")
    return forms.IntegerField(
        label=label, min_value=low, max_value=high, help_text=help_text,
        error_messages={
            "required": required_message, "invalid": invalid_message,
            "min_value": f"{what} must be at least {low} {one if low == 1 else unit}",
            "max_value": f"{what} must be {high} {unit} or fewer",
        },
    )


def _date(label: str, kind: dates.Kind, required: bool = True, help_text: str = "") -> DateInput:
    field = DateInput(kind=kind, label=label, required=required, help_text=help_text)
    field.error_messages["required"] = f"Enter {label[0].lower()}{label[1:]}"
    return field


class ReferralForm(forms.Form):
    """A change to one referral: dates are checked against the referral and today."""

    def __init__(self, *args: Any, referral: Referral, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referral, self.today = referral, today

    def _past(self, name: str, not_before: date | None = None, what: str = "") -> date | None:
        value: date | None = self.cleaned_data.get(name)
        if value is None:
            return None
        # Today or earlier is the field's own check (its kind, tellonce.dates).
        floor = not_before or self.referral.received_on
        if value < floor:
            self.add_error(
                name, f"Date must be on or after {what or 'the day the referral was received'}"
                f" ({floor:%-d %B %Y})",
            )
        return value


class TriageForm(ReferralForm):
    decision = _choice("Decision", Decision.CHOICES)
    decided_on = _date("Date of the decision", dates.PAST_EVENT)
    reason = _text("Reason", required=False, rows=3,
                   help_text="Needed to decline: the family will read it, so use plain English")
    redirected_to = _text("Service the referral was sent to", required=False, max_length=200,
                          help_text="Needed to redirect")
    family_told_on = _date("Date the family was told", dates.PAST_EVENT, required=False,
                           help_text="Leave empty if they have not been told yet")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decided = self._past("decided_on")
        if decided:
            self._past("family_told_on", decided, "the decision")
        if data.get("decision") == Decision.DECLINED and not data.get("reason", "").strip():
            self.add_error("reason", "Enter the reason the referral was declined")
        if data.get("decision") == Decision.REDIRECTED and not data.get(
            "redirected_to", ""
        ).strip():
            self.add_error("redirected_to", "Enter the service the referral was sent to")
        return data


class ContactForm(ReferralForm):
    on = _date("Date of the contact", dates.PAST_EVENT)
    summary = _text("What was said", max_length=300, rows=3)
    told_decision = _choice("Did you tell the family the decision on the referral?", YES_NO,
                            what="whether you told the family the decision")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._past("on")
        if data.get("told_decision") == "yes" and self.referral.triage_decision_on is None:
            self.add_error("told_decision", "There is no decision on the referral to tell yet")
        return data


class RiskReviewForm(ReferralForm):
    reviewed_on = _date("Date of the review", dates.PAST_EVENT)
    outcome = _choice("Outcome", RiskReview.Outcome.choices)
    notes = _text("Notes", required=False, rows=3)
    next_review_on = _date("Next review due", dates.NEXT_REVIEW, required=False,
                           help_text="Leave empty if no further review is planned")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reviewed = self._past("reviewed_on")
        after = data.get("next_review_on")
        if reviewed and after and after <= reviewed:
            self.add_error("next_review_on", "The next review must be after this one")
        return data


class InterimSupportForm(ReferralForm):
    support = _text("Support offered", rows=4,
                    help_text="For example: a place on the parents' communication workshop")
    offered_on = _date("Date offered", dates.PAST_EVENT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._past("offered_on")
        return data


class AppointmentForm(ReferralForm):
    on = _date("Date of the first appointment", dates.APPOINTMENT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value = data.get("on")
        if value and value < self.referral.received_on:
            self.add_error("on", "The appointment cannot be before the referral was received")
        return data


class FirstSeenForm(ReferralForm):
    seen_on = _date("Date the child was seen", dates.PAST_EVENT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._past("seen_on")
        return data


class AssessmentForm(ReferralForm):
    completed_on = _date("Date the assessment was completed", dates.PAST_EVENT)
    outcome = _text("Outcome", rows=4, help_text="The family will read this: use plain English")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._past("completed_on", self.referral.first_seen_on, "the first appointment")
        return data


class DischargeForm(ReferralForm):
    discharged_on = _date("Date of discharge", dates.PAST_EVENT)
    reason = _choice("Reason", Referral.DischargeReason.choices)
    note = _text("Note for the family", required=False, rows=3)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._past("discharged_on", self.referral.first_seen_on or self.referral.received_on)
        return data


class NewReferralForm(forms.Form):
    """Records a referral received by letter or email; the child is found by NHS number and
    date of birth together."""

    nhs_number = forms.CharField(
        label="Child's NHS number", max_length=14,
        error_messages={"required": "Enter the child's NHS number",
                        "max_length": "NHS number must be 10 numbers, like 999 123 4567"})
    date_of_birth = _date("Child's date of birth", dates.DATE_OF_BIRTH)
    pathway = _choice("Pathway")
    received_on = _date("Date the referral was received", dates.PAST_EVENT)
    referrer_name = _text("Name of the person who referred", max_length=150)
    referrer_role = _text("Their role", required=False, max_length=100,
                          help_text="For example: GP, SENCO, health visitor")
    priority = _choice("Priority", Referral.Priority.choices)
    family_agreed = _choice(
        "Does the referral say the family agreed to it?",
        [("", "It does not say"), ("yes", "Yes, the family agreed"),
         ("no", "No, the family did not agree")],
        required=False, what="whether the referral says the family agreed",
    )

    def __init__(self, *args: Any, pathways: list[Pathway], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.pathways = {str(p.pk): p for p in pathways}
        _choices(self, "pathway").choices = [
            (str(p.pk), f"{p} – {p.provider}") for p in pathways
        ]

    def clean_nhs_number(self) -> str:
        value = self.cleaned_data["nhs_number"]
        validate_nhs_number(value)
        return normalise_nhs_number(value)

    def clean_pathway(self) -> Pathway:
        return self.pathways[self.cleaned_data["pathway"]]

    def clean_family_agreed(self) -> bool | None:
        answer = self.cleaned_data["family_agreed"]
        return None if not answer else answer == "yes"


class ReferChildForm(forms.Form):
    """A referral made here by the child's school, family or a health practitioner."""

    pathway = _choice("Service to refer to", what="the service to refer to")
    reason = _text("Why are you referring?", rows=5, max_length=2000,
                   help_text="What you have noticed, what has been tried, and what you hope "
                   "the service can do")
    family_agreed = _choice(
        "Has the family agreed to this referral?",
        [("", "Choose an answer"), ("yes", "Yes, the family agrees"), ("no", "No, not yet")],
        what="whether the family has agreed to the referral",
    )

    def __init__(self, *args: Any, pathways: list[Pathway], professional: bool,
                 **kwargs: Any) -> None:
        """`professional`: the referrer is not the family, so the family must agree."""
        super().__init__(*args, **kwargs)
        self.pathways = {str(p.pk): p for p in pathways}
        _choices(self, "pathway").choices = [("", "Choose a service")] + [
            (str(p.pk), f"{p} – {p.provider}") for p in pathways
        ]
        if not professional:
            del self.fields["family_agreed"]

    def clean_pathway(self) -> Pathway:
        return self.pathways[self.cleaned_data["pathway"]]

    def clean_family_agreed(self) -> bool:
        if self.cleaned_data["family_agreed"] != "yes":
            raise ValidationError("Ask the family first: refer only once they agree")
        return True


class ImportForm(forms.Form):
    provider = _choice("Health service the referrals are for")
    file = forms.FileField(
        label="CSV file", error_messages={"required": "Choose a CSV file to upload"}
    )

    def __init__(self, *args: Any, providers: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.providers = {str(p.pk): p for p in providers}
        _choices(self, "provider").choices = [(str(p.pk), p.name) for p in providers]

    def clean_provider(self) -> Organisation:
        return self.providers[self.cleaned_data["provider"]]


class WorklistFilterForm(forms.Form):
    pathway = _choice("Pathway", required=False, what="a pathway")
    status = _choice(
        "Status", required=False, what="a status",
        choices=[("", "Open referrals"), ("waiting_list", "On the waiting list"),
                 ("review_due", "Risk review due"), *Referral.Status.choices, ("all", "All")],
    )

    def __init__(self, *args: Any, pathways: list[Pathway], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "pathway").choices = [("", "All pathways")] + [
            (str(p.pk), f"{p} – {p.provider}") for p in pathways
        ]


class AnalysisFilterForm(forms.Form):
    kind = _choice("Pathway", required=False, what="a pathway")
    provider = _choice("Provider", required=False, what="a provider")
    locality = _choice("Locality", required=False, what="a locality")

    def __init__(self, *args: Any, pathways: list[Pathway], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = sorted({p.kind for p in pathways})
        labels = dict(PathwayKind.choices)
        _choices(self, "kind").choices = [("", "All pathways")] + [(k, labels[k]) for k in kinds]
        providers = {p.provider_id: p.provider.name for p in pathways}
        _choices(self, "provider").choices = [("", "All providers")] + sorted(
            ((str(k), v) for k, v in providers.items()), key=lambda kv: kv[1]
        )
        localities: dict[int, Locality] = {
            p.locality_id: p.locality for p in pathways if p.locality_id and p.locality
        }
        _choices(self, "locality").choices = (
            [("", "All localities")]
            + [(str(k), v.name) for k, v in sorted(localities.items(), key=lambda kv: kv[1].name)]
            + [("area", "Area-wide lists only")]
        )


class CapacityForm(forms.Form):
    pathway = _choice("Waiting list", what="a waiting list")
    target_weeks = _whole_number(
        "Waiting-time standard, in weeks", "The waiting-time standard", "weeks", 1, 104,
        help_text="For example 18, or 13 for autism assessment (NICE QS51)",
        required_message="Enter the waiting-time standard in weeks",
        invalid_message="Enter the standard as a whole number of weeks",
    )
    target_percent = forms.DecimalField(
        label="Share of children to be seen within it, as a percentage", min_value=1,
        max_value=99, decimal_places=1, help_text="For example 92",
        error_messages={
            "required": "Enter the percentage to be seen within the standard",
            "invalid": "Enter the percentage as a number, like 92",
            "min_value": "The percentage to be seen within the standard must be at least 1",
            "max_value": "The percentage to be seen within the standard must be 99 or less",
            "max_decimal_places": "Enter the percentage with at most one decimal place, "
                                  "like 92.5",
            "max_digits": "Enter the percentage as a number, like 92",
            "max_whole_digits": "The percentage to be seen within the standard must be 99 "
                                "or less",
        },
    )
    weeks_to_target = _whole_number(
        "Weeks from now to reach the target", "The weeks to reach the target", "weeks", 1, 260,
        help_text="For example 26 for six months",
        required_message="Enter the number of weeks to reach the target",
        invalid_message="Enter the number of weeks as a whole number",
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "pathway").choices = choices
