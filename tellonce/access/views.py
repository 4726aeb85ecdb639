"""The family's pages about sharing: consent per organisation, who has looked, parent access."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tellonce import posted, signed_in
from tellonce.access import actions, audit
from tellonce.access.models import Consent
from tellonce.access.policy import (
    get_child_or_404,
    may_decide_parent_access,
    may_manage_consent,
    may_see_audit_trail,
    sharing_with,
)
from tellonce.listing import SortOption, paginate
from tellonce.people.models import Child, Involvement, Organisation


class ConsentChangeForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("give", "Give"), ("withdraw", "Withdraw")])


@login_required
def consent(request: HttpRequest, child_id: str) -> HttpResponse:
    """Give or withdraw consent per organisation; each change takes effect at once."""
    user = signed_in.user(request)
    child, access = get_child_or_404(user, child_id)
    if not may_manage_consent(user, child, access):
        raise Http404("Consent is managed by someone else")
    involved_ids = Involvement.objects.filter(child=child).values("organisation_id")
    consent_ids = Consent.objects.filter(child=child).values("organisation_id")
    organisations = (
        Organisation.objects.filter(Q(pk__in=involved_ids) | Q(pk__in=consent_ids))
        .exclude(pk=child.held_by_id)
        .order_by("name")
    )
    if request.method == "POST":
        form = ConsentChangeForm(request.POST)
        org = None
        if form.is_valid():
            org = organisations.filter(pk=form.cleaned_data["organisation"]).first()
        if org is None:
            messages.error(request, "Choose one of the organisations listed")
            return redirect("access:consent", child_id=child.pk)
        try:
            if form.cleaned_data["decision"] == "give":
                actions.do_give_consent(user, child, access, org)
                messages.success(request, f"{org} can now see {child.full_name}'s record.")
            else:
                actions.do_withdraw_consent(user, child, access, org)
                messages.success(
                    request,
                    f"You withdrew consent. {org} can no longer see {child.full_name}'s record, "
                    "unless the law requires it (for example to keep a child safe).",
                )
        except actions.NothingToChange as unchanged:
            messages.info(request, str(unchanged))
        return redirect("access:consent", child_id=child.pk)
    history = Consent.objects.filter(child=child).select_related("organisation")[:50]
    audit.record(user, child, audit.Action.VIEW, "Consent", access.basis)
    rows = sharing_with(child, list(organisations))
    return render(
        request,
        "access/consent.html",
        {"child": child, "rows": rows, "history": history, "held_by": child.held_by},
    )


AUDIT_SORTS = [
    SortOption("newest", "Newest first", ("-at", "-id")),
    SortOption("oldest", "Oldest first", ("at", "id")),
]


@login_required
def who_has_looked(request: HttpRequest, child_id: str) -> HttpResponse:
    user = signed_in.user(request)
    child, access = get_child_or_404(user, child_id)
    if not may_see_audit_trail(user, child, access):
        raise Http404("Only the family sees this page")
    audit.record(user, child, audit.Action.VIEW, "Who has looked at the record", access.basis)
    events = audit.events_about(child).select_related("user")
    if request.GET.get("who") == "others":
        events = events.exclude(user=user)
    listing = paginate(request, events, AUDIT_SORTS, per_page=50)
    return render(request, "access/who_has_looked.html", {"child": child, "listing": listing})


class ParentAccessForm(forms.Form):
    parent_access = forms.ChoiceField(
        choices=Child.ParentAccess.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether your parents or carers can see your record"},
    )


@login_required
def parent_access(request: HttpRequest, child_id: str) -> HttpResponse:
    user = signed_in.user(request)
    child, access = get_child_or_404(user, child_id)
    if not may_decide_parent_access(user, child, access):
        raise Http404("Only the young person decides this")
    form = ParentAccessForm(
        posted.data(request),
        initial={"parent_access": child.parent_access},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_parent_access(user, child, access, form.cleaned_data["parent_access"])
            messages.success(request, "Your choice is saved. It applies straight away.")
        except actions.NothingToChange as unchanged:
            messages.info(request, str(unchanged))
        return redirect("people:child", child_id=child.pk)
    audit.record(user, child, audit.Action.VIEW, "Whether parents can see the record", access.basis)
    return render(request, "access/parent_access.html", {"child": child, "form": form})
