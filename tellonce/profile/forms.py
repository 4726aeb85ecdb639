"""The 'About me' form: six sections in the child's own words, and the version it started from."""

from __future__ import annotations

from django import forms

from tellonce.profile.models import SECTIONS

MAX_SECTION_LENGTH = 5000


class AboutMeForm(forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, title, hint in SECTIONS:
            self.fields[name] = forms.CharField(
                label=title,
                help_text=hint,
                required=False,
                max_length=MAX_SECTION_LENGTH,
                widget=forms.Textarea(attrs={"rows": 5}),
                error_messages={
                    "max_length": f"{title} must be {MAX_SECTION_LENGTH} characters or fewer"
                },
            )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not any(str(data.get(name, "")).strip() for name, _t, _h in SECTIONS):
            raise forms.ValidationError("Write something in at least one section")
        return data
