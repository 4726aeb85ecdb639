"""The review queue: a data officer compares a row with its candidates and decides; a
link can be ended; a child's record lists the agencies' rows linked to it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tellonce import posted
from tellonce.access import audit
from tellonce.access.policy import get_child_or_404
from tellonce.feeds.formats import FORMATS
from tellonce.listing import SortOption, paginate
from tellonce.matching import actions, policy
from tellonce.matching.forms import DecisionForm, UnlinkForm
from tellonce.matching.models import Candidate, Link, Review
from tellonce.people.models import Child, User

QUEUE_SORTS = [
    SortOption("oldest", "Waiting longest", ("status", "opened_at", "pk")),
    SortOption("strongest", "Strongest match first", ("status", "-best_probability", "pk")),
    SortOption("weakest", "Weakest match first", ("status", "best_probability", "pk")),
]
COMPARISON_NAMES = {"name": "Names", "dob": "Date of birth", "postcode": "Postcode",
                    "sex": "Sex"}


def _officer(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not policy.is_data_officer(user):
        raise Http404("Only a data officer decides matches")
    return user


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _officer(request)
    show = request.GET.get("show", "open")
    scope = policy.reviews(user).select_related("record__delivery__sender")
    scope = scope.filter(status__in=Review.OPEN) if show != "decided" else scope.exclude(
        status__in=Review.OPEN)
    listing = paginate(request, scope, QUEUE_SORTS)
    shown = list(Candidate.objects.filter(review__in=list(listing.page))
                 .values_list("child_id", flat=True))
    if shown:
        # The rows' names are often the candidates' names: the list is a read of them.
        audit.record_list(user, "Matches to review", policy.BASIS_MATCHING, shown)
    return render(request, "matching/queue.html", {"listing": listing, "show": show})


def _identity(child: Child) -> dict[str, Any]:
    latest = (Link.objects.filter(child=child, ended_at__isnull=True)
              .select_related("record").order_by("-made_at").first())
    return {
        "name": child.full_name, "given_name": child.given_name,
        "family_name": child.family_name, "dob": child.date_of_birth,
        "sex": latest.record.sex if latest else "", "postcode":
        latest.record.postcode if latest else "", "upn": child.upn or "",
        "nhs_number": child.nhs_number_display if child.nhs_number else "",
        "setting": child.setting.name if child.setting else "",
    }


def _evidence(candidate: Candidate) -> list[dict[str, Any]]:
    rows = []
    for key, label in COMPARISON_NAMES.items():
        item = candidate.evidence.get(key)
        if not item:
            continue
        weight = float(item.get("weight", 0))
        rows.append({"what": label, "label": item.get("label", ""), "weight": weight,
                     "side": "for" if weight > 0.5 else "against" if weight < -0.5
                     else "neither"})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, review_id: int) -> HttpResponse:
    user = _officer(request)
    item = policy.get_review_or_404(user, review_id)
    candidates = list(item.candidates.select_related("child__setting"))
    form = DecisionForm(posted.data(request), candidates=candidates,
                        initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        version = form.cleaned_data["version"]
        try:
            if decision == "reject":
                actions.do_reject(user, item, version, note)
                messages.success(request, "Recorded: the row is none of these children.")
            elif decision == "defer":
                actions.do_defer(user, item, version, note)
                messages.success(request, "Deferred: the row stays in the queue.")
            else:
                chosen = next(c for c in candidates if f"child-{c.pk}" == decision)
                actions.do_accept(user, item, chosen, version, note)
                messages.success(request, f"Linked to {chosen.child}.")
            return redirect("matching:queue")
        except actions.MatchingError as error:
            item.refresh_from_db()
            form.add_error(None, str(error))
    for candidate in candidates:
        audit.record(user, candidate.child, audit.Action.VIEW, "Identity match review",
                     policy.BASIS_MATCHING, review=item.pk)
    record = item.record
    return render(request, "matching/review.html", {
        "review": item, "record": record, "spec": FORMATS[record.delivery.kind],
        "form": form, "compared": [
            {"candidate": c, "identity": _identity(c.child), "evidence": _evidence(c)}
            for c in candidates],
        "open_link": record.links.filter(ended_at__isnull=True).select_related("child").first(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def unlink(request: HttpRequest, link_id: int) -> HttpResponse:
    user = _officer(request)
    link = policy.get_link_or_404(user, link_id)
    form = UnlinkForm(posted.data(request))
    if request.method == "POST" and form.is_valid():
        try:
            reopened = actions.do_unlink(user, link, form.cleaned_data["reason"])
        except actions.MatchingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Unlinked. The row is back in the review queue.")
            return redirect("matching:review", reopened.pk)
    audit.record(user, link.child, audit.Action.VIEW, "Agency record link",
                 policy.BASIS_MATCHING, link=link.pk)
    return render(request, "matching/unlink.html", {"link": link, "form": form})


@login_required
def agency_records(request: HttpRequest, child_id: str) -> HttpResponse:
    """The agencies' rows linked to a child, for anyone who may already see the child."""
    user: User = request.user  # type: ignore[assignment]
    child, access = get_child_or_404(user, child_id)
    links = (Link.objects.filter(child=child, ended_at__isnull=True)
             .select_related("record__delivery__sender").order_by("-record__delivery__received_at"))
    audit.record(user, child, audit.Action.VIEW, "Other agencies' records", access.basis)
    return render(request, "matching/agency_records.html", {
        "child": child, "links": links, "formats": FORMATS,
    })
