"""Deciding a review, and ending a link."""

from __future__ import annotations

from typing import Any

from django import forms


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Is this row one of these children?",
        error_messages={"required": "Select a child, none of them, or decide later",
                        "invalid_choice": "Select a child, none of them, or decide later"},
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=500,
                           error_messages={"max_length": "The note must be 500 characters or "
                                                         "fewer"})
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                                 error_messages={"required": "Reload the page and decide again",
                                                 "invalid": "Reload the page and decide again"})

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(f"child-{c.pk}", str(c.child)) for c in candidates] + [
            ("reject", "None of these children"), ("defer", "Decide later")]


class UnlinkForm(forms.Form):
    reason = forms.CharField(label="Why is this row not this child?", max_length=300,
                             error_messages={"required": "Enter why the row is not this child",
                                             "max_length": "The reason must be 300 characters "
                                                           "or fewer"})
