"""The upload form: which kind of file, who sent it, the file."""

from __future__ import annotations

from typing import Any

from django import forms

from tellonce.feeds.formats import FORMATS
from tellonce.people.models import Organisation


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of file", choices=[(k, f.title) for k, f in FORMATS.items()],
        error_messages={"required": "Select the kind of file",
                        "invalid_choice": "Select the kind of file from the list"},
    )
    sender = forms.ChoiceField(
        label="Organisation that sent it",
        error_messages={"required": "Select the organisation that sent the file",
                        "invalid_choice": "Select the organisation that sent the file from the "
                                          "list"},
    )
    sent_by = forms.CharField(
        label="Sent by (a person or a system)", max_length=200,
        error_messages={"required": "Enter who sent the file",
                        "max_length": "Sent by must be 200 characters or fewer"},
    )
    file = forms.FileField(label="CSV or Excel (.xlsx) file",
                           error_messages={"required": "Choose a file to upload",
                                           "empty": "The file is empty"})

    def __init__(self, *args: Any, senders: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.senders = {str(o.pk): o for o in senders}
        field = self.fields["sender"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose")] + [(str(o.pk), o.name) for o in senders]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, sender = data.get("kind"), self.senders.get(data.get("sender") or "")
        if kind and sender is not None and sender.kind not in FORMATS[kind].sender_kinds:
            self.add_error("sender", f"{sender.name} does not send {FORMATS[kind].title.lower()} "
                           "files")
        data["sender"] = sender
        return data
