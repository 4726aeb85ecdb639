"""Forms for the EHC process: they check input; ehc.actions decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from tellonce import dates
from tellonce.dates import DateInput
from tellonce.ehc.models import (
    PLAN_SECTIONS,
    AppealEvent,
    PersonalBudget,
    Review,
    SettingType,
    Step,
)
from tellonce.people.models import Organisation


def _text(label: str, required: bool = True, help_text: str = "", rows: int = 5,
          max_length: int = 10_000) -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text,
                           max_length=max_length, widget=forms.Textarea(attrs={"rows": rows}))


FAMILY_AGREED = [("", "Choose an answer"), ("yes", "Yes, they agree"),
                 ("no", "No, they do not agree")]


class RequestForm(forms.Form):
    reasons = _text(
        "Why are you asking for an EHC needs assessment?",
        help_text="Describe the child's needs, what support has been tried and what happened",
        rows=8,
    )
    family_agreed = forms.ChoiceField(
        label="Does the parent or young person agree to this request?", choices=FAMILY_AGREED,
        help_text="A school or setting should ask with the knowledge and agreement of the "
        "parent or young person",
        error_messages={
            "required": "Say whether the parent or young person agrees to the request",
            "invalid_choice": "Say whether the parent or young person agrees to the request",
        },
    )

    def __init__(self, *args: Any, asks_family: bool = False, **kwargs: Any) -> None:
        """`asks_family`: the one asking is a school or setting, not the family."""
        super().__init__(*args, **kwargs)
        self.fields["reasons"].error_messages["required"] = (
            "Say why you are asking for an assessment"
        )
        if not asks_family:
            del self.fields["family_agreed"]

    def agreed(self) -> bool | None:
        answer = self.cleaned_data.get("family_agreed")
        return None if answer is None else answer == "yes"


class AssessmentDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=[("", "Choose a decision"), ("agree", "Agree to assess"),
                                   ("refuse", "Decide not to assess")],
        error_messages={"required": "Choose whether to assess"},
    )
    reasons = _text("Reasons", required=False,
                    help_text="Required if you decide not to assess: the family will see them")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not data.get("reasons", "").strip():
            self.add_error("reasons", "Give the reasons for deciding not to assess")
        return data


class PlanDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=[("", "Choose a decision"), ("issue", "Issue an EHC plan"),
                                   ("not_issue", "Do not issue a plan")],
        error_messages={"required": "Choose whether to issue a plan"},
    )
    reasons = _text("Reasons", required=False,
                    help_text="Required if you decide not to issue a plan")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "not_issue" and not data.get("reasons", "").strip():
            self.add_error("reasons", "Give the reasons for deciding not to issue a plan")
        return data


class AdviceForm(forms.Form):
    needs = _text("Needs", required=False,
                  help_text="The child's needs in your area, as you have assessed them")
    outcomes = _text("Outcomes", required=False,
                     help_text="What the child should achieve, specific and measurable")
    provision = _text("Provision", required=False,
                      help_text="The support needed to meet those needs: who, what, how often")
    nil_reason = _text("Or: nothing to add (nil return)", required=False, rows=3,
                       help_text="If you have no advice to give, say why")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        nil = data.get("nil_reason", "").strip()
        parts = {k: data.get(k, "").strip() for k in ("needs", "outcomes", "provision")}
        if nil and any(parts.values()):
            self.add_error("nil_reason", "Give either advice or a nil return, not both")
        elif not nil:
            for key, value in parts.items():
                if not value:
                    self.add_error(key, f"Describe the {key}, or give a reason for a nil return")
        return data


class DraftForm(forms.Form):
    """Sections A to K, assembled from About me and the advice, edited by the caseworker.

    No school or type of school: a draft must not name one (CFA s.38(5)); it is chosen on
    the final plan's page, after consultation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, title in PLAN_SECTIONS:
            self.fields[f"section_{key}"] = _text(f"Section {key}: {title}", required=False,
                                                  rows=6)

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"section_{key}"].strip() for key, _t in PLAN_SECTIONS}


class CommentForm(forms.Form):
    """The family's comments: on the whole draft, and on any section beside it."""

    comments = _text("Your comments on the whole draft", rows=6, required=False,
                     help_text="What is right, what is missing, what should change")
    preferred_setting = forms.CharField(
        label="School or college you would like named (optional)", required=False,
        max_length=200,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, _title in PLAN_SECTIONS:
            self.fields[f"section_{key}"] = _text(f"Your comments on section {key}",
                                                  required=False, rows=3)

    def section_comments(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"section_{key}"].strip() for key, _t in PLAN_SECTIONS
                if self.cleaned_data.get(f"section_{key}", "").strip()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("comments", "").strip() and not any(
                data.get(f"section_{key}", "").strip() for key, _t in PLAN_SECTIONS):
            self.add_error("comments", "Write your comments on the draft")
        return data


class SignOffForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("", "Choose"), ("approve", "Sign off these sections"),
                 ("changes", "Ask for changes")],
        error_messages={"required": "Choose whether to sign off or ask for changes"},
    )
    comment = _text("Comment", required=False, rows=4,
                    help_text="Required if you ask for changes: say what should change")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "changes" and not data.get("comment", "").strip():
            self.add_error("comment", "Say what needs to change")
        return data


class FinalForm(forms.Form):
    override_reason = _text(
        "Reason for finalising without sign-off (SEND managers only)", required=False, rows=3,
        help_text="Only if health or social care sections are not signed off. The family and "
                  "the services will see this reason on the timeline",
    )


class IssueFinalForm(FinalForm):
    """The final plan's section I (the draft could name none, CFA s.38(5)): the school or
    other institution and its type, or the type alone (s.40(2)); and the override reason."""

    named_setting: forms.ModelChoiceField = forms.ModelChoiceField(
        label="School, college or setting to name in section I", queryset=None,
        required=False, empty_label="None: give only the type",
        help_text="It must have been consulted first",
        error_messages={"invalid_choice": "Choose a school, college or setting from the list"},
    )
    setting_type = forms.ChoiceField(
        label="Type of school or other institution", required=False,
        choices=[("", "Choose the type"), *SettingType.choices],
        error_messages={"invalid_choice": "Choose the type of school or other institution"},
    )
    quality_reason = _text(
        "Why issue the plan with quality findings still open (if any)", required=False,
        rows=3, help_text="Kept against each open finding, for the plan's audit and review",
    )
    field_order = ["named_setting", "setting_type", "override_reason", "quality_reason"]

    def __init__(self, *args: Any, settings_qs: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["named_setting"].queryset = settings_qs  # type: ignore[attr-defined]


class ConsultForm(forms.Form):
    setting: forms.ModelChoiceField = forms.ModelChoiceField(
        label="School, college or setting to consult", queryset=None,
                                     empty_label="Choose a setting",
                                     error_messages={"required": "Choose a setting to consult"})

    def __init__(self, *args: Any, settings_qs: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["setting"].queryset = settings_qs  # type: ignore[attr-defined]


class ConsultationReplyForm(forms.Form):
    response = forms.ChoiceField(
        label="Can the setting meet the child's needs?",
        choices=[("", "Choose"), ("yes", "Yes"), ("no", "No")],
        error_messages={"required": "Choose yes or no"},
    )
    comment = _text("Comment", required=False, rows=4)


class ReviewMeetingForm(forms.Form):
    meeting_on = DateInput(kind=dates.MEETING, label="Date of the review meeting",
                           error_messages={"required": "Enter the date of the meeting"})
    invited = _text("Who is invited", required=False, rows=3,
                    help_text="The family, the school, health and social care, and others")


class ReviewHeldForm(forms.Form):
    held_on = DateInput(kind=dates.PAST_EVENT, label="Date the meeting was held",
                        error_messages={"required": "Enter the date the meeting was held"})


class ReviewDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision", choices=[("", "Choose a decision"), *Review.Outcome.choices],
        error_messages={"required": "Choose keep, amend or cease"},
    )
    reasons = _text("Reasons", required=False, rows=4,
                    help_text="Required to amend or cease: the family will see them")
    amendments = _text("Proposed amendments", required=False, rows=6,
                       help_text="If amending: what will change (added to section F)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") in ("amend", "cease") and not data.get("reasons", "").strip():
            self.add_error("reasons", "Give the reasons for the decision")
        return data


class ExceptionForm(forms.Form):
    exception = forms.ChoiceField(label="Which exception applies",
                                  error_messages={"required": "Choose the exception"})
    reason = _text("Why it applies", rows=4)

    def __init__(self, *args: Any, step: Step, **kwargs: Any) -> None:
        from tellonce.ehc import clock

        super().__init__(*args, **kwargs)
        info = clock.CLOCKS.get(step.clock)
        options = info.exceptions if info else ()
        self.fields["exception"].choices = [("", "Choose")] + [  # type: ignore[attr-defined]
            (code, f"{code}: {clock.EXCEPTIONS[code]}") for code in options
        ]
        self.fields["reason"].error_messages["required"] = "Say why the exception applies"


class AppealEventForm(forms.Form):
    kind = forms.ChoiceField(label="What happened",
                             choices=[("", "Choose"), *AppealEvent.Kind.choices],
                             error_messages={"required": "Choose what happened"})
    on = DateInput(kind=dates.PAST_EVENT, label="Date",
                   error_messages={"required": "Enter the date"})
    note = _text("Note", required=False, rows=3)


WORKLIST_LATENESS = [
    ("", "Any"), ("overdue", "Overdue"), ("due_soon", "Due in the next 14 days"),
    ("on_time", "Not yet due"), ("no_deadline", "No deadline (exception)"),
]


class WorklistFilterForm(forms.Form):
    caseworker = forms.ChoiceField(label="Caseworker", required=False)
    stage = forms.ChoiceField(label="Stage", required=False,
                              choices=[("", "Any"), *Step.Stage.choices])
    locality = forms.ChoiceField(label="Locality", required=False)
    lateness = forms.ChoiceField(label="Due", required=False, choices=WORKLIST_LATENESS)
    period_from = DateInput(kind=dates.REPORTING_PERIOD, label="Measures from",
                            required=False)
    period_to = DateInput(kind=dates.REPORTING_PERIOD, label="Measures to", required=False)

    def __init__(self, *args: Any, caseworkers: list[tuple[str, str]],
                 localities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].choices = [("", "Anyone"), ("me", "Me"),  # type: ignore[attr-defined]
                                             ("none", "Unassigned"), *caseworkers]
        self.fields["locality"].choices = [("", "Any"), *localities]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and start > end:
            self.add_error("period_to", "The end of the period must be after its start")
        return data


# ----- personal budgets and EOTAS packages -----

_BLANK = [("", "Choose one")]


class PersonalBudgetForm(forms.Form):
    """Section J: whether a personal budget was asked for, its kind, what it covers, how much
    and for what period, the decision and its reasons, and a review of a refusal."""

    status = forms.ChoiceField(label="Personal budget", choices=_BLANK + PersonalBudget.Status
                               .choices, error_messages={"required": "Choose whether a "
                                                         "personal budget was asked for"})
    kind = forms.ChoiceField(label="Type of personal budget", required=False,
                             choices=_BLANK + PersonalBudget.Kind.choices)
    provision_covered = _text("Provision it covers", required=False, rows=3,
                              help_text="Name the provision in section F, G or H it pays for")
    amount = forms.DecimalField(label="Amount in pounds", required=False, min_value=0,
                                max_digits=10, decimal_places=2,
                                error_messages={"invalid": "Enter the amount as a number, "
                                                "like 1250 or 1250.50"})
    period = forms.ChoiceField(label="For each", required=False,
                               choices=_BLANK + PersonalBudget.Period.choices)
    requested_on = DateInput(kind=dates.PAST_EVENT, label="Date the family asked",
                             required=False)
    decided_on = DateInput(kind=dates.PAST_EVENT, label="Date of the decision", required=False)
    reasons = _text("Reasons for the decision", required=False, rows=3)
    review = forms.ChoiceField(label="Review of a refusal", required=False,
                               choices=PersonalBudget.Review.choices)
    review_asked_on = DateInput(kind=dates.PAST_EVENT, label="Date the family asked for a "
                                "review", required=False)
    review_decided_on = DateInput(kind=dates.PAST_EVENT, label="Date of the review's decision",
                                  required=False)
    review_reasons = _text("Reasons for the review's decision", required=False, rows=3)
    edition = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status, review = data.get("status"), data.get("review")
        S, R = PersonalBudget.Status, PersonalBudget.Review
        if status in (S.REQUESTED, S.AGREED, S.REFUSED) and not data.get("requested_on"):
            self.add_error("requested_on", "Enter the date the family asked")
        if status in (S.AGREED, S.REFUSED) and not data.get("decided_on"):
            self.add_error("decided_on", "Enter the date of the decision")
        if status == S.REFUSED and not (data.get("reasons") or "").strip():
            self.add_error("reasons", "Give the reasons for refusing: the family is told them")
        if status == S.AGREED or review == R.OVERTURNED:
            if not data.get("kind"):
                self.add_error("kind", "Choose the type of personal budget")
            if data.get("amount") is None:
                self.add_error("amount", "Enter the amount")
            if not data.get("period"):
                self.add_error("period", "Choose the period the amount is for")
            if not (data.get("provision_covered") or "").strip():
                self.add_error("provision_covered", "Say which provision it covers")
        if review and status != S.REFUSED:
            self.add_error("review", "Only a refusal can be reviewed")
        if review and not data.get("review_asked_on"):
            self.add_error("review_asked_on", "Enter the date the family asked for a review")
        if review in (R.UPHELD, R.OVERTURNED):
            if not data.get("review_decided_on"):
                self.add_error("review_decided_on", "Enter the date of the review's decision")
            if not (data.get("review_reasons") or "").strip():
                self.add_error("review_reasons", "Give the reasons for the review's decision")
        return data


class EotasPackageForm(forms.Form):
    """An EOTAS package: who delivers it, how many hours, which provision, the cost, who
    oversees it, and its reviews."""

    providers = _text("Providers", rows=3, help_text="Who delivers the package, one a line")
    hours_a_week = forms.DecimalField(label="Hours a week", min_value=0, max_value=168,
                                      max_digits=4, decimal_places=1,
                                      error_messages={"required": "Enter the hours a week",
                                                      "invalid": "Enter the hours as a number"})
    provision = _text("Provision from section F it delivers", rows=3)
    cost_a_year = forms.DecimalField(label="Cost a year in pounds", min_value=0, max_digits=10,
                                     decimal_places=2,
                                     error_messages={"required": "Enter the cost a year",
                                                     "invalid": "Enter the cost as a number"})
    overseer: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Who oversees it", queryset=None, required=False, empty_label="Choose someone")
    started_on = DateInput(kind=dates.START, label="Date the package started",
                           error_messages={"required": "Enter the date the package started"})
    review_every_weeks = forms.IntegerField(
        label="Review it every (weeks)", min_value=1, max_value=52, initial=12,
        help_text="Set by a SEND manager",
        error_messages={"required": "Enter how often it is reviewed, in weeks"})
    last_reviewed_on = DateInput(kind=dates.PAST_EVENT, label="Date of the last review held",
                                 required=False)
    edition = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, overseers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["overseer"].queryset = overseers  # type: ignore[attr-defined]
