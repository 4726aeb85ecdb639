"""The local offer's pages: public search, service pages, feedback, changes; editors' pages."""

from __future__ import annotations

import html
import math
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from tellonce import csvexport, posted, signed_in
from tellonce.directory import (
    actions,
    importer,
    oruk,
    postcodes,
    queries,
    search_index,
    stored,
    taxonomy,
)
from tellonce.directory.forms import (
    FeedbackForm,
    ImportForm,
    ResponseForm,
    RetireForm,
    SearchForm,
    ServiceForm,
    initial_for,
)
from tellonce.directory.models import (
    REVIEW_AFTER,
    Feedback,
    Service,
    ServiceChange,
)
from tellonce.directory.policy import (
    editable_organizations,
    editable_services,
    get_editable_service_or_404,
    is_local_offer_editor,
    may_edit_service,
    may_manage_local_offer,
)
from tellonce.directory.search_index import Found
from tellonce.listing import SortOption, chosen_sort, paginate, paginate_rows
from tellonce.people.models import User

KM_PER_MILE = queries.KM_PER_MILE
# Results per page of the public search: GOV.UK's own search pages show 20.
SEARCH_PAGE_SIZE = 20
TENTH = Decimal("0.1")
SEARCH_SORTS = [
    SortOption("name", "Name (A to Z)", ("name", "pk")),
    SortOption("updated", "Recently updated", ("-last_modified", "pk")),
]
NEAREST = SortOption(
    "nearest", "Nearest first",
    (F("distance_sq_km").asc(nulls_last=True), "name", "pk"),  # type: ignore[arg-type]
)
CHANGE_SORTS = [
    SortOption("newest", "Newest first", ("-at", "-id")),
    SortOption("oldest", "Oldest first", ("at", "id")),
]
MANAGE_SORTS = [
    SortOption("review", "Review due first", ("reviewed_on", "name", "pk")),
    SortOption("name", "Name (A to Z)", ("name", "pk")),
    SortOption("updated", "Recently updated", ("-last_modified", "pk")),
]
FEEDBACK_SORTS = [
    SortOption("newest", "Newest first", ("-received_at", "-id")),
    SortOption("oldest", "Oldest first", ("received_at", "id")),
]


def _public_service_or_404(service_id: UUID) -> Service:
    service = (
        oruk.with_everything(queries.public_services().filter(pk=service_id)).first()
    )
    if service is None:
        raise Http404("No such service")
    return service


# ----- public pages -----


@transaction.non_atomic_requests  # it writes nothing: no transaction, nor SQLite's write lock
def search(request: HttpRequest) -> HttpResponse:
    """The local offer: search by words, need, age, area, cost, waiting and distance.

    Answered from the search index (search_index.py): which services match, how many, the
    page's services in order and their stored cards (stored.py); search_index.answer checks
    the index is still the database's, and answers again from a rebuilt one if not."""
    context = search_index.answer(lambda index: _search(request, index))
    return render(request, "directory/search.html", {
        **context,
        "may_manage": request.user.is_authenticated
        and may_manage_local_offer(signed_in.user(request)),
    })


def _search(request: HttpRequest, index: search_index.SearchIndex) -> dict[str, Any]:
    # A plain dict of the query (each name's last value, as QueryDict.get gives): the form
    # looks up every field, and QueryDict raises and catches KeyError for each one absent.
    form = SearchForm(request.GET.dict() or None, localities=index.locality_names)
    searched = bool(request.GET) and form.is_valid()
    criteria = _criteria(form.cleaned_data) if searched else None
    if not request.GET:
        criteria = queries.PublicSearch()
    place = criteria.place if criteria else None
    sorts = [NEAREST, *SEARCH_SORTS] if place else SEARCH_SORTS
    option = chosen_sort(request, sorts)
    found = index.public_search(criteria) if criteria else 0
    listing = paginate_rows(request, _Found(index, found, option.key, place), option, sorts,
                            per_page=SEARCH_PAGE_SIZE)
    page = list(listing.page)
    return {
        "form": form, "listing": listing, "searched": searched, "place": place,
        "results": _results(index, page, index.stored("result_card", page), place),
    }


def _criteria(data: dict[str, Any]) -> queries.PublicSearch:
    return queries.PublicSearch(
        text=data["q"], need=data["need"], age=data["age"],
        locality=int(data["locality"]) if data["locality"] else None,
        free_only=data["cost"] == "free", waiting=data["waiting"], place=data["postcode"],
        miles=float(data["distance"]) if data["distance"] else None,
    )


def miles(distance_sq_km: float) -> str:
    """A squared distance in km as miles to one decimal place, as the template filter
    `floatformat:1` writes it (half up, from the float's shortest repr), at a tenth of
    the cost: a page has 20."""
    value = Decimal(repr(math.sqrt(distance_sq_km) / KM_PER_MILE))
    return str(value.quantize(TENTH, rounding=ROUND_HALF_UP))


class _Found:
    """A search's matches in a sort's order, for the paginator: counted, and sliced into
    pages of search_index.Found, from the index."""

    def __init__(self, index: search_index.SearchIndex, found: int, sort: str,
                 place: postcodes.Place | None) -> None:
        self.index, self.found, self.sort, self.place = index, found, sort, place

    def __len__(self) -> int:
        return self.found.bit_count()

    def __getitem__(self, rows: slice) -> list[Found]:
        return self.index.page(self.found, self.sort, rows.start or 0, rows.stop, self.place)


def _results(index: search_index.SearchIndex, found: list[Found], cards: dict[int, str],
             place: postcodes.Place | None) -> SafeString:
    """The page's results: each service's stored card (stored.py; one rendered now if it is
    not written yet, or was written by other code), with its distance from the postcode in
    the card's distance slot."""
    missing = [index.ids[p] for p, card in cards.items() if not card]
    if missing:
        live = {s.pk: stored.result_card(s) for s in
                Service.objects.filter(pk__in=missing).select_related("organization")}
        cards.update({p: live[index.ids[p]] for p in cards if index.ids[p] in live})
    items = []
    postcode = html.escape(place.postcode) if place is not None else ""
    for service in found:
        if service.position not in cards:
            continue
        card = cards[service.position]
        if place is not None:
            d2 = service.distance_sq_km
            distance = (f"{miles(d2)} miles from {postcode}"
                        ) if d2 is not None else "Online, by phone or comes to you"
            card = card.replace(stored.DISTANCE_SLOT,
                                f"<div><dt>Distance</dt><dd>{distance}</dd></div>", 1)
        items.append(card)
    return mark_safe("\n".join(items))  # noqa: S308 -- cards rendered by a template; escaped


def service_page(request: HttpRequest, service_id: UUID) -> HttpResponse:
    service = _public_service_or_404(service_id)
    attributes = list(service.attributes.all())
    by_parent: dict[str, list[str]] = {}
    for attr in attributes:
        term = attr.taxonomy_term
        parent = taxonomy.TOP_TERM_BY_ID.get(term.parent_id) if term.parent_id else None
        by_parent.setdefault(parent or "other", []).append(term.name)
    user = request.user
    return render(request, "directory/service.html", {
        "service": service,
        "needs": by_parent.get(taxonomy.NEED, []),
        "support_types": by_parent.get(taxonomy.SUPPORT_TYPE, []),
        "waits": by_parent.get(taxonomy.WHILE_YOU_WAIT, []),
        "age_bands": by_parent.get(taxonomy.AGE_BAND, []),
        "may_edit": user.is_authenticated and may_edit_service(user, service),  # type: ignore[arg-type]
        "needs_review": service.needs_review(),
    })


def _sender(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _feedback(request: HttpRequest, service: Service | None) -> HttpResponse:
    form = FeedbackForm(posted.data(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_submit_feedback(
                _sender(request), form.cleaned_data["comment"], service,
                form.cleaned_data["name"], form.cleaned_data["email"],
            )
        except actions.TooManyComments:
            form.add_error(None, "You have sent several comments in the last hour. Please try "
                           "again later, or email the local offer team.")
        else:
            return redirect("directory:feedback_sent")
    return render(request, "directory/feedback.html", {"form": form, "service": service},
                  status=400 if form.errors else 200)


def feedback(request: HttpRequest) -> HttpResponse:
    return _feedback(request, None)


def service_feedback(request: HttpRequest, service_id: UUID) -> HttpResponse:
    service = queries.public_services().filter(pk=service_id).first()
    if service is None:
        raise Http404("No such service")
    return _feedback(request, service)


def feedback_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/feedback_sent.html")


def you_said_we_did(request: HttpRequest) -> HttpResponse:
    """Reg 56: the comments received in a year and what was done about them."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    if not 2000 <= year <= this_year:
        year = this_year
    received = Feedback.objects.filter(received_at__year=year)
    answered = received.filter(status=Feedback.Status.RESPONDED).select_related("service")
    listing = paginate(request, answered, FEEDBACK_SORTS, per_page=20)
    years = sorted(
        {d.year for d in Feedback.objects.dates("received_at", "year")} | {this_year},
        reverse=True,
    )
    return render(request, "directory/you_said_we_did.html", {
        "year": year, "years": years, "received": received.count(),
        "answered": listing.page.paginator.count, "listing": listing,
    })


def recent_changes(request: HttpRequest) -> HttpResponse:
    changes = ServiceChange.objects.select_related("service")
    listing = paginate(request, changes, CHANGE_SORTS, per_page=30)
    return render(request, "directory/changes.html", {"listing": listing})


CSV_COLUMNS = [
    "id", "name", "organisation", "status", "description", "who_it_is_for", "minimum_age",
    "maximum_age", "needs", "kinds_of_support", "support_while_you_wait", "how_to_get_in_touch",
    "phone", "email", "website", "opening_hours", "free", "fees", "area_served", "address",
    "postcode", "last_modified", "last_reviewed",
]


def _csv_rows() -> Iterator[list[Any]]:
    yield CSV_COLUMNS
    services = oruk.with_everything(Service.objects.order_by("name", "pk"))
    for service in services.iterator(chunk_size=500):
        codes: dict[str, list[str]] = {}
        for attr in service.attributes.all():
            parent_id = attr.taxonomy_term.parent_id
            parent = taxonomy.TOP_TERM_BY_ID.get(parent_id) if parent_id else None
            codes.setdefault(parent or "other", []).append(attr.taxonomy_term.name)
        sal = next(iter(service.service_at_locations.all()), None)
        address = next(iter(sal.location.addresses.all()), None) if sal else None
        area = next(iter(service.service_areas.all()), None)
        phone = next(iter(service.phones.all()), None)
        schedule = next(iter(service.schedules.all()), None)
        yield [
            service.id, service.name, service.organization.name, service.status,
            service.description, service.eligibility_description, service.minimum_age,
            service.maximum_age, "; ".join(codes.get(taxonomy.NEED, [])),
            "; ".join(codes.get(taxonomy.SUPPORT_TYPE, [])),
            "; ".join(codes.get(taxonomy.WHILE_YOU_WAIT, [])), service.application_process,
            phone.number if phone else "", service.email, service.url,
            schedule.description if schedule else "", "yes" if service.free else "no",
            service.fees, area.name if area else "",
            f"{address.address_1}, {address.city}" if address else "",
            address.postal_code if address else "", oruk.timestamp(service.last_modified),
            service.reviewed_on.isoformat(),
        ]


def export_csv(request: HttpRequest) -> HttpResponseBase:
    return csvexport.response("local-offer.csv", _csv_rows())


# ----- editors and providers -----



def _require_manager(user: User) -> None:
    if not may_manage_local_offer(user):
        raise Http404("No local offer to manage")


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    user = signed_in.user(request)
    _require_manager(user)
    services = editable_services(user).select_related("organization")
    due_only = request.GET.get("due") == "1"
    overdue_before = date.today() - REVIEW_AFTER
    if due_only:
        services = services.filter(reviewed_on__lt=overdue_before)
    if words := request.GET.get("q", "")[:100]:
        services = queries.search(services, words)
    listing = paginate(request, services, MANAGE_SORTS)
    is_editor = is_local_offer_editor(user)
    return render(request, "directory/manage.html", {
        "listing": listing, "due_only": due_only, "q": words,
        "due_count": editable_services(user).filter(reviewed_on__lt=overdue_before).count(),
        "is_editor": is_editor, "today": date.today(),
        "new_feedback": Feedback.objects.filter(status=Feedback.Status.NEW).count()
        if is_editor else 0,
    })


@login_required
def create_service(request: HttpRequest) -> HttpResponse:
    user = signed_in.user(request)
    organizations = editable_organizations(user)
    if not organizations.exists():
        raise Http404("No organisation to add a service to")
    form = ServiceForm(posted.data(request), organizations=organizations,
                       initial={"free": "yes"})
    if request.method == "POST" and form.is_valid():
        service = actions.do_create_service(user, form.details())
        messages.success(request, f"{service.name} has been added to the local offer")
        return redirect("directory:service", service_id=service.pk)
    return render(request, "directory/service_form.html", {"form": form, "service": None},
                  status=400 if form.errors else 200)


@login_required
def edit_service(request: HttpRequest, service_id: UUID) -> HttpResponse:
    user = signed_in.user(request)
    service = get_editable_service_or_404(user, service_id)
    form = ServiceForm(posted.data(request), organizations=editable_organizations(user),
                       initial=initial_for(service))
    conflict = None
    if request.method == "POST" and form.is_valid():
        base = form.cleaned_data["version"]
        try:
            changed = actions.do_update_service(
                user, service, form.details(), base if base is not None else -1
            )
        except actions.EditConflict as exc:
            conflict = exc.service
            form.add_error(None, "Someone else saved a change to this service while you were "
                           "editing. Your changes have not been saved: they are still in the "
                           "form below. Check the service as it is now, then save again.")
            form.data = form.data.copy()  # type: ignore[attr-defined]
            form.data["version"] = str(conflict.version)  # type: ignore[index]
        else:
            messages.success(request, f"{service.name} has been saved"
                             + (f" (changed: {', '.join(changed)})" if changed else ""))
            return redirect("directory:service", service_id=service.pk)
    return render(request, "directory/service_form.html",
                  {"form": form, "service": service, "conflict": conflict},
                  status=409 if conflict else 400 if form.errors else 200)


@login_required
@require_POST
def review_service(request: HttpRequest, service_id: UUID) -> HttpResponse:
    user = signed_in.user(request)
    service = get_editable_service_or_404(user, service_id)
    actions.do_mark_reviewed(user, service)
    messages.success(request, f"{service.name} is marked as checked today")
    if request.POST.get("next") == "manage":
        return redirect("directory:manage")
    return redirect("directory:service", service_id=service.pk)


@login_required
def retire_service(request: HttpRequest, service_id: UUID) -> HttpResponse:
    user = signed_in.user(request)
    service = get_editable_service_or_404(user, service_id)
    if service.status == Service.Status.DEFUNCT:
        raise Http404("Already retired")
    form = RetireForm(posted.data(request))
    if request.method == "POST" and form.is_valid():
        actions.do_retire_service(user, service, form.cleaned_data["reason"])
        messages.success(request, f"{service.name} has been retired and no longer appears in "
                         "the local offer")
        return redirect("directory:manage")
    return render(request, "directory/retire.html", {"form": form, "service": service},
                  status=400 if form.errors else 200)


def _require_editor(user: User) -> None:
    if not is_local_offer_editor(user):
        raise Http404("Not a local offer editor")


@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    user = signed_in.user(request)
    _require_editor(user)
    waiting = request.GET.get("status", "new") != "all"
    items = Feedback.objects.select_related("service")
    if waiting:
        items = items.filter(status=Feedback.Status.NEW)
    listing = paginate(request, items, FEEDBACK_SORTS)
    return render(request, "directory/feedback_list.html",
                  {"listing": listing, "waiting": waiting})


@login_required
def respond(request: HttpRequest, feedback_id: int) -> HttpResponse:
    user = signed_in.user(request)
    _require_editor(user)
    item = Feedback.objects.select_related("service").filter(pk=feedback_id).first()
    if item is None:
        raise Http404("No such feedback")
    form = ResponseForm(posted.data(request), initial={
        "published_comment": item.published_comment or item.comment, "response": item.response,
    })
    if request.method == "POST" and form.is_valid():
        actions.do_respond_to_feedback(user, item, form.cleaned_data["published_comment"],
                                       form.cleaned_data["response"])
        messages.success(request, "Your response has been published on 'You said, we did'")
        return redirect("directory:feedback_list")
    return render(request, "directory/respond.html", {"form": form, "item": item},
                  status=400 if form.errors else 200)


@login_required
def import_services(request: HttpRequest) -> HttpResponse:
    """Import another ORUK 3.0 publisher's services: all of them, or none and a report."""
    user = signed_in.user(request)
    _require_editor(user)
    form = ImportForm(posted.data(request), posted.files(request))
    report: importer.Report | None = None
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["file"]:
            report = importer.parse_upload(form.cleaned_data["file"])
        else:
            report = importer.fetch_and_parse(form.cleaned_data["url"])
        if report.ok:
            result = importer.do_import(user, report)
            messages.success(request, f"Imported {result.created} new and updated "
                             f"{result.updated} services")
            return redirect("directory:manage")
    return render(request, "directory/import.html", {"form": form, "report": report},
                  status=400 if form.errors or (report and not report.ok) else 200)
