"""Inviting a family member (staff), opening the link and confirming (the family)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tellonce import posted
from tellonce.access import audit
from tellonce.access.policy import get_child_or_404
from tellonce.accounts import oidc
from tellonce.invitations import actions, policy
from tellonce.invitations.forms import ConfirmForm, InviteForm
from tellonce.invitations.models import Invitation
from tellonce.invitations.session import PENDING_INVITATION_KEY
from tellonce.listing import SortOption, paginate
from tellonce.notify.outbox import notify_configured
from tellonce.people.models import User

SORTS = [
    SortOption("newest", "Newest first", ("-created_at", "-pk")),
    SortOption("oldest", "Oldest first", ("created_at", "pk")),
    SortOption("status", "Status", ("status", "-created_at", "-pk")),
]


@login_required
def child_invitations(request: HttpRequest, child_id: str) -> HttpResponse:
    """The child's invitations, and a form to send one."""
    user: User = request.user  # type: ignore[assignment]
    child, access = get_child_or_404(user, child_id)
    if not policy.may_invite(user, access):
        return render(request, "errors/404.html", status=404)
    adults = list(policy.invitable_adults(child))
    young = child.full_name if policy.young_person_invitable(child) else ""
    form = InviteForm(posted.data(request), adults=adults, young_person=young)
    sent = None
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["person"]
        try:
            sent = actions.do_invite(
                user, child, access,
                kind=Invitation.Kind.YOUNG_PERSON if choice == "young_person"
                else Invitation.Kind.PARENT,
                adult=form.adults.get(choice), email=form.cleaned_data["email"],
                link_base=request.build_absolute_uri("/"),
            )
        except actions.InvitationRefused as refused:
            form.add_error(refused.field or "person", str(refused))
    # The page names the child and its family, whatever was posted.
    audit.record(user, child, audit.Action.VIEW, "Family invitations", access.basis)
    listing = paginate(
        request,
        policy.invitations_of(user, child, access).select_related("adult", "invited_by"),
        SORTS, per_page=20,
    )
    return render(request, "invitations/child_invitations.html", {
        "child": child, "form": form, "listing": listing, "sent": sent,
        "may_send": bool(adults or young), "show_secrets": not notify_configured(),
    }, status=200)


@login_required
@require_POST
def withdraw(request: HttpRequest, child_id: str, invitation_id: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    child, access = get_child_or_404(user, child_id)
    invitation = policy.get_invitation_or_404(user, child, access, invitation_id)
    try:
        actions.do_withdraw(user, access, invitation)
        messages.success(request, f"Invitation to {invitation.email} withdrawn")
    except actions.InvitationRefused as refused:
        messages.error(request, str(refused))
    return redirect("invitations:child", child_id=child.pk)


def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the email: anyone who has it may open it. It says nothing of the child
    (the link could be forwarded); the invitation waits in the session while they sign in."""
    invitation = actions.open_invitation(token)
    reason = actions.refusal(invitation)
    if reason or invitation is None:
        return render(request, "invitations/unusable.html", {"reason": reason}, status=410)
    request.session[PENDING_INVITATION_KEY] = str(invitation.pk)
    if request.user.is_authenticated:
        return redirect("invitations:confirm")
    return render(request, "invitations/open.html", {
        "one_login": oidc.provider(oidc.ONE_LOGIN) is not None,
    })


@login_required
def confirm(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    pending = request.session.get(PENDING_INVITATION_KEY)
    if not pending:
        return render(request, "invitations/unusable.html", {
            "reason": "There is no invitation waiting. Open the link in the email again."
        }, status=404)
    form = ConfirmForm(posted.data(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = actions.do_accept(
                user, pending, form.cleaned_data["date_of_birth"], form.cleaned_data["code"]
            )
        except actions.InvitationRefused as refused:
            if refused.field:
                form.add_error(refused.field, str(refused))
            else:
                request.session.pop(PENDING_INVITATION_KEY, None)
                return render(request, "invitations/unusable.html",
                              {"reason": str(refused)}, status=410)
        else:
            request.session.pop(PENDING_INVITATION_KEY, None)
            messages.success(request, "You can now see this record")
            return redirect("people:child", child_id=invitation.child_id)
    return render(request, "invitations/confirm.html", {"form": form})
