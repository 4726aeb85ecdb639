"""What an invitation and its confirmation take, and their error messages."""

from __future__ import annotations

from typing import Any

from django import forms

from tellonce import dates
from tellonce.dates import DateInput
from tellonce.people.models import Adult


class InviteForm(forms.Form):
    person = forms.ChoiceField(
        label="Who do you want to invite?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who to invite",
                        "invalid_choice": "Select who to invite from the list"},
    )
    email = forms.EmailField(
        label="Their email address",
        help_text="The invitation, with its code, is sent here",
        max_length=254,
        error_messages={"required": "Enter their email address",
                        "invalid": "Enter an email address in the right format, "
                                   "like name@example.com"},
    )

    def __init__(self, *args: Any, adults: list[Adult], young_person: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(f"adult-{a.pk}", f"{a} (parental responsibility)") for a in adults]
        if young_person:
            choices.append(("young_person", f"{young_person} (the young person, 16 or over)"))
        self.fields["person"].choices = choices  # type: ignore[attr-defined]
        self.adults = {f"adult-{a.pk}": a for a in adults}


class ConfirmForm(forms.Form):
    date_of_birth = DateInput(
        kind=dates.DATE_OF_BIRTH,
        label="Child’s date of birth",
        help_text="If you are the young person, your date of birth. For example, 27 3 2012",
    )
    code = forms.CharField(
        label="Code from the invitation email",
        help_text="6 numbers",
        max_length=12,
        error_messages={"required": "Enter the code from the invitation email"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].error_messages["required"] = "Enter the child’s date of birth"

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).replace(" ", "")
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6 numbers of the code, like 123456")
        return code
