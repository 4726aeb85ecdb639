"""Pages for bringing in the agencies' files: the list of deliveries, the upload, a report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tellonce import dates, posted
from tellonce.access import audit
from tellonce.feeds import actions, imports
from tellonce.feeds.formats import FORMATS
from tellonce.feeds.forms import UploadForm
from tellonce.feeds.models import FeedRecord
from tellonce.listing import SortOption, paginate
from tellonce.matching import actions as matching
from tellonce.matching import policy
from tellonce.matching.models import Link, Review
from tellonce.people.models import Organisation, User

DELIVERY_SORTS = [
    SortOption("newest", "Newest first", ("-received_at", "-pk")),
    SortOption("oldest", "Oldest first", ("received_at", "pk")),
    SortOption("sender", "Sender", ("sender__name", "-received_at", "pk")),
]
ROW_SORTS = [
    SortOption("row", "Row number", ("row",)),
    SortOption("name", "Name in the file", ("family_name", "given_name", "row")),
]


def _officer(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not policy.is_data_officer(user):
        raise Http404("Only a data officer brings in the agencies' files")
    return user


@login_required
def deliveries(request: HttpRequest) -> HttpResponse:
    user = _officer(request)
    listing = paginate(request, policy.deliveries(user).select_related("sender", "received_by"),
                       DELIVERY_SORTS)
    return render(request, "feeds/deliveries.html", {"listing": listing})


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    user = _officer(request)
    senders: list[Organisation] = []
    for spec in FORMATS.values():
        senders += [o for o in policy.senders(user, spec) if o not in senders]
    senders.sort(key=lambda o: o.name)
    form = UploadForm(posted.data(request), posted.files(request), senders=senders)
    checked = None
    if request.method == "POST" and form.is_valid():
        spec = FORMATS[form.cleaned_data["kind"]]
        sender: Organisation = form.cleaned_data["sender"]
        upload_file = form.cleaned_data["file"]
        content = upload_file.read(imports.MAX_BYTES + 1)
        authority = Organisation.objects.get(pk=policy.matching_authorities(user)[0])
        checked = imports.check(spec, upload_file.name or "", content, authority,
                                dates.today())
        if checked.ok:
            try:
                # Saved and matched together, or not at all.
                with transaction.atomic():
                    delivery = actions.do_save_delivery(
                        user, spec, sender, form.cleaned_data["sent_by"], authority,
                        upload_file.name or "", checked.rows)
                    outcome = matching.do_match_delivery(user, delivery)
            except matching.MatchingError as error:
                form.add_error("file", f"Nothing was imported: {error}")
            else:
                messages.success(request, (
                    f"{delivery.rows} row{'s' if delivery.rows != 1 else ''} imported: "
                    f"{outcome.by_identifier + outcome.linked} linked, {outcome.to_review} to "
                    f"review, {outcome.new_children} new, {outcome.not_found} not on the "
                    "record."))
                return redirect("feeds:delivery", delivery.pk)
    return render(request, "feeds/upload.html",
                  {"form": form, "checked": checked, "formats": list(FORMATS.values())})


@login_required
def delivery(request: HttpRequest, delivery_id: int) -> HttpResponse:
    user = _officer(request)
    found = policy.get_delivery_or_404(user, delivery_id)
    rows = FeedRecord.objects.filter(delivery=found).prefetch_related(
        Prefetch("links", queryset=Link.objects.filter(ended_at__isnull=True)
                 .select_related("child"), to_attr="open_links"),
        Prefetch("reviews", queryset=Review.objects.filter(status__in=Review.OPEN),
                 to_attr="open_reviews"),
    )
    listing = paginate(request, rows, ROW_SORTS, per_page=50)
    shown = [link.child_id for r in listing.page for link in r.open_links]
    if shown:
        audit.record_list(user, "Agency file: rows and their links", policy.BASIS_MATCHING,
                          shown)
    counts = {
        "linked": Link.objects.filter(record__delivery=found, ended_at__isnull=True).count(),
        "review": Review.objects.filter(record__delivery=found, status__in=Review.OPEN).count(),
    }
    counts["unlinked"] = found.rows - counts["linked"]
    return render(request, "feeds/delivery.html", {
        "delivery": found, "listing": listing, "counts": counts,
        "spec": FORMATS[found.kind],
    })
