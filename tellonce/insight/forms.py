"""What the insight pages accept."""

from __future__ import annotations

from django import forms

from tellonce import dates
from tellonce.dates import DateInput
from tellonce.insight.imports import SOURCES
from tellonce.insight.models import PlanAction


class PublishForm(forms.Form):
    note = forms.CharField(
        label="A note for the parent carer forum (optional)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
        error_messages={"max_length": "The note must be 2,000 characters or fewer"},
    )


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=PlanAction.Status.choices,
                               error_messages={"required": "Choose the action's status",
                                               "invalid_choice": "Choose a status from the list"})
    due = DateInput(kind=dates.TARGET, label="Due date", help_text="For example, 31 3 2027",
                    error_messages={"required": "Enter the due date"})
    evidence = forms.CharField(label="Evidence", required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 5}),
                               error_messages={"max_length": "The evidence must be 5,000 "
                                               "characters or fewer"})
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                                 error_messages={"required": "Open the action again and retry",
                                                 "invalid": "Open the action again and retry"})


class ImportForm(forms.Form):
    source = forms.ChoiceField(
        label="What the file holds", choices=[(k, s.title) for k, s in SOURCES.items()],
        error_messages={"required": "Choose what the file holds",
                        "invalid_choice": "Choose what the file holds from the list"})
    file = forms.FileField(label="The file (CSV or Excel .xlsx)",
                           error_messages={"required": "Choose a CSV or .xlsx file",
                                           "empty": "The file is empty"})
