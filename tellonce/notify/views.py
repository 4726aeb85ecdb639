"""The local outbox: a person's own messages; SEND managers also see their caseload's."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tellonce import signed_in
from tellonce.access import audit
from tellonce.access.policy import visible_children
from tellonce.listing import SortOption, paginate
from tellonce.notify.models import Message
from tellonce.notify.outbox import notify_configured
from tellonce.notify.policy import may_see_caseload_messages

SORTS = [
    SortOption("newest", "Newest first", ("-created_at", "-pk")),
    SortOption("oldest", "Oldest first", ("created_at", "pk")),
]


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    user = signed_in.user(request)
    everyone = may_see_caseload_messages(user) and request.GET.get("show") == "caseload"
    if everyone:
        # Not invitations to people with no account yet: they hold the invitation's link.
        scope = Message.objects.filter(
            Q(to=user) | Q(child__in=visible_children(user), to__isnull=False)
        )
    else:
        scope = Message.objects.filter(to=user)
    listing = paginate(request, scope.select_related("to", "child"), SORTS, per_page=20)
    about = [message.child_id for message in listing.page if message.child_id]
    if everyone:
        audit.record_list(user, "Outbox (caseload)", "SEND manager", about)
    elif about:
        audit.record_list(user, "Messages", "Messages sent to them", about)
    return render(request, "notify/outbox.html", {
        "listing": listing, "everyone": everyone,
        "may_see_caseload": may_see_caseload_messages(user),
        "notify_configured": notify_configured(),
    })
