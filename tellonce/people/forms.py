"""Forms for searching children and for organisation administrators.

`DateInput` lives in `tellonce.dates` (every date field declares its kind); it is imported
here too, where the other forms have always found it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tellonce import dates
from tellonce.access.roles import roles_for
from tellonce.dates import DateInput
from tellonce.people.models import Organisation, StaffMembership, User
from tellonce.people.validators import (
    normalise_nhs_number,
    normalise_upn,
    validate_nhs_number,
    validate_upn,
)


class ChildSearchForm(forms.Form):
    name = forms.CharField(label="Name", required=False, max_length=100)
    date_of_birth = DateInput(kind=dates.DATE_OF_BIRTH, label="Date of birth", required=False)
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=14)
    upn = forms.CharField(label="UPN (unique pupil number)", required=False, max_length=15)

    def clean_nhs_number(self) -> str:
        value = self.cleaned_data["nhs_number"]
        if value:
            validate_nhs_number(value)
        return normalise_nhs_number(value)

    def clean_upn(self) -> str:
        value = self.cleaned_data["upn"]
        if value:
            validate_upn(value)
        return normalise_upn(value)

    @property
    def has_criteria(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


class RoleField(forms.ChoiceField):
    """Offers the roles of one kind of organisation, but accepts any real role: whether it
    may be given here is the policy's to say (policy.grant_refusal), with a message naming
    the role and where it exists, rather than "not one of the available choices"."""

    def valid_value(self, value: Any) -> bool:
        return str(value) in StaffMembership.Role.values


class AddStaffForm(forms.Form):
    username = forms.CharField(label="Username of the person's account", max_length=150)
    role = RoleField(
        label="Role",
        choices=StaffMembership.Role.choices,
        error_messages={
            "required": "Select a role",
            "invalid_choice": "Select a role from the list",
        },
    )
    job_title = forms.CharField(label="Job title", required=False, max_length=100)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles_for(organisation.kind)  # type: ignore[attr-defined]

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise ValidationError(f"There is no active account with the username '{username}'")
        return user


class AddInvolvementForm(forms.Form):
    """Finds the child by NHS number and date of birth together: an administrator cannot
    browse children, only add one they already know."""

    nhs_number = forms.CharField(label="Child's NHS number", max_length=14)
    date_of_birth = DateInput(kind=dates.DATE_OF_BIRTH, label="Child's date of birth")
    role = forms.CharField(
        label="Role with the child",
        max_length=100,
        help_text="For example 'Speech and language therapist'",
    )
    staff_username = forms.CharField(
        label="Practitioner's username (leave empty for the whole team)",
        required=False,
        max_length=150,
    )
    start = DateInput(kind=dates.START, label="Start date")

    def clean_nhs_number(self) -> str:
        validate_nhs_number(self.cleaned_data["nhs_number"])
        return normalise_nhs_number(self.cleaned_data["nhs_number"])
