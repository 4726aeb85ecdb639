"""Referral pages: the family's, the practitioners', the leaders' analysis and the planner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from tellonce import csvexport, posted, signed_in
from tellonce.access import audit
from tellonce.access.policy import ChildAccess, get_child_or_404, roles
from tellonce.directory.queries import support_while_you_wait
from tellonce.health import actions, charts, explain, imports, queues
from tellonce.health import forms as health_forms
from tellonce.health.analysis import analyse, csv_rows
from tellonce.health.capacity import CapacityPlan
from tellonce.health.models import Pathway, Referral
from tellonce.health.policy import (
    may_manage_referral,
    referable_pathways,
    referral_import_provider_ids,
    referral_provider_ids,
    scope_referrals,
    waiting_aggregate_scope,
)
from tellonce.listing import SortOption, paginate
from tellonce.people.models import Child, Organisation, StaffMembership, User

Status = Referral.Status



def _today() -> date:
    return date.today()


# The word the local offer's search knows each pathway by (directory taxonomy WAIT_KEYWORDS).
WAIT_KEYWORD = {
    "autism": "autism", "adhd": "adhd", "slt": "speech", "ot": "occupational",
    "paediatrics": "paediatrics", "physio": "physiotherapy", "audiology": "audiology",
    "mental_health": "mental",
}


@dataclass(frozen=True)
class SupportService:
    name: str
    url: str
    description: str


def _support_while_you_wait(referral: Referral) -> list[SupportService]:
    """Local offer services tagged as support while waiting for this kind of appointment,
    in the child's locality or the whole area (the directory's public search)."""
    found: list[SupportService] = []
    seen: set[str] = set()
    # A service listed under one name several times (one entry per venue, say) is shown once.
    services = support_while_you_wait(WAIT_KEYWORD.get(referral.pathway.kind),
                                      referral.child.locality_id)
    for service in services.iterator(chunk_size=50):
        if len(found) == 6:
            break
        name = str(service)
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        url = reverse("directory:service", kwargs={"service_id": service.pk})
        found.append(SupportService(name, url, service.description))
    return found


# ----- the family's pages -----


def _family_child_or_404(user: User, child_id: str) -> tuple[Child, ChildAccess]:
    child, access = get_child_or_404(user, child_id)
    if not access.is_family:
        raise Http404("Referrals are shown to the family here; staff use the referral list")
    return child, access


@login_required
def family_referrals(request: HttpRequest, child_id: str) -> HttpResponse:
    user = signed_in.user(request)
    child, access = _family_child_or_404(user, child_id)
    referrals = (
        Referral.objects.filter(child=child)
        .select_related("pathway", "pathway__provider", "pathway__locality")
        .order_by("-received_on", "-pk")
    )
    audit.record(user, child, audit.Action.VIEW, "Health referrals", access.basis)
    return render(
        request, "health/family_referrals.html",
        {"child": child, "referrals": referrals, "today": _today(),
         "may_refer": referable_pathways(user, child, access).exists()},
    )


@login_required
def family_referral(request: HttpRequest, child_id: str, referral_id: int) -> HttpResponse:
    user = signed_in.user(request)
    child, access = _family_child_or_404(user, child_id)
    referral = (
        Referral.objects.filter(child=child)
        .select_related("pathway", "pathway__provider", "pathway__locality")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    referral.child = child
    today = _today()
    forecast = (queues.forecast_referral(referral, today) if explain.needs_forecast(referral)
                else None)
    services = _support_while_you_wait(referral)
    audit.record(user, child, audit.Action.VIEW, f"Health referral: {referral.pathway.label}",
                 access.basis, referral_id=referral.pk)
    return render(
        request,
        "health/family_referral.html",
        {
            "child": child,
            "referral": referral,
            "where": explain.where_it_is(referral),
            "how_long": explain.how_long(referral, today),
            "expected": explain.expected_wait(forecast, referral),
            "stages": explain.stages(referral),
            "events": referral.events.all()[:20],
            "latest_review": referral.risk_reviews.first(),
            "services": services,
            "today": today,
        },
    )


# ----- practitioners' pages -----


def _provider_ids_or_404(user: User) -> list[int]:
    ids = referral_provider_ids(user)
    if not ids:
        raise Http404("No referrals for this account")
    return ids


def _practitioner_pathways(user: User) -> list[Pathway]:
    ids = _provider_ids_or_404(user)
    return list(
        Pathway.objects.filter(provider_id__in=ids).select_related("provider", "locality")
    )


def get_referral_or_404(user: User, referral_id: int) -> tuple[Referral, ChildAccess]:
    """A referral the user manages, and the basis on which they see the child; else 404."""
    referral = (
        scope_referrals(user, Referral.objects.all())
        .select_related("pathway", "pathway__provider", "pathway__locality")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    child, access = get_child_or_404(user, referral.child_id)
    referral.child = child
    return referral, access


# "Waited longest" puts first the children still on the list (the wait that matters), then
# those seen and under assessment, then those assessed: each by the date referred.
WORKLIST_SORTS = [
    SortOption("longest", "Waited longest", ("list_stage", "received_on", "pk")),
    SortOption("newest", "Newest referrals", ("-received_on", "-pk")),
    SortOption("review", "Risk review due", ("next_risk_review_on", "received_on", "pk")),
    SortOption("name", "Child's name", ("child__family_name", "child__given_name", "pk")),
]


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    user = signed_in.user(request)
    pathways = _practitioner_pathways(user)
    form = health_forms.WorklistFilterForm(request.GET or None, pathways=pathways)
    today = _today()
    scope: QuerySet[Referral] = scope_referrals(user, Referral.objects.all()).select_related(
        "child", "pathway", "pathway__provider", "pathway__locality"
    ).annotate(list_stage=Case(
        When(left_list_on__isnull=True, status__in=Referral.WAITING_STATUSES, then=Value(0)),
        When(status=Status.IN_ASSESSMENT, then=Value(1)),
        default=Value(2), output_field=IntegerField(),
    ))
    if request.GET and not form.is_valid():
        scope = scope.none()
    else:
        data = form.cleaned_data if form.is_bound else {"pathway": "", "status": ""}
        if data["pathway"]:
            scope = scope.filter(pathway_id=data["pathway"])
        status = data["status"]
        if status == "waiting_list":
            scope = scope.filter(left_list_on__isnull=True, status__in=Referral.WAITING_STATUSES)
        elif status == "review_due":
            scope = scope.filter(
                left_list_on__isnull=True, next_risk_review_on__lte=today,
                status__in=Referral.WAITING_STATUSES,
            )
        elif status in Status.values:
            scope = scope.filter(status=status)
        elif status != "all":
            scope = scope.filter(status__in=Referral.OPEN_STATUSES)
    listing = paginate(request, scope, WORKLIST_SORTS)
    if listing.page:
        audit.record_list(user, "Health referrals worklist", actions.BASIS_PROVIDER,
                          [referral.child_id for referral in listing.page])
    return render(
        request, "health/worklist.html", {"form": form, "listing": listing, "today": today}
    )


@login_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = signed_in.user(request)
    referral, access = get_referral_or_404(user, referral_id)
    today = _today()
    audit.record(user, referral.child, audit.Action.VIEW,
                 f"Health referral: {referral.pathway.label}", access.basis,
                 referral_id=referral.pk)
    available = [
        (slug, change.title) for slug, change in CHANGES.items()
        if referral.status in change.statuses
    ]
    return render(
        request,
        "health/referral.html",
        {
            "referral": referral,
            "child": referral.child,
            "forecast": queues.forecast_referral(referral, today),
            "reviews": referral.risk_reviews.select_related("reviewed_by")[:10],
            "events": referral.events.select_related("by")[:20],
            "available": available,
            "ehc_url": reverse("ehc:timeline", kwargs={"child_id": referral.child.pk}),
            "review_overdue": bool(
                referral.is_waiting and referral.next_risk_review_on
                and referral.next_risk_review_on < today
            ),
            "today": today,
        },
    )


@dataclass(frozen=True)
class Change:
    title: str
    button: str
    form: type[health_forms.ReferralForm]
    statuses: tuple[str, ...]
    apply: Callable[[User, Referral, dict[str, Any], str, date], None]
    done: str


def _apply_triage(u: User, r: Referral, d: dict[str, Any], basis: str, today: date) -> None:
    actions.do_triage(u, r, decision=d["decision"], decided_on=d["decided_on"],
                      reason=d["reason"], redirected_to=d["redirected_to"],
                      family_told_on=d["family_told_on"], basis=basis)


def _apply_contact(u: User, r: Referral, d: dict[str, Any], basis: str, today: date) -> None:
    actions.do_record_contact(u, r, on=d["on"], summary=d["summary"],
                              told_decision=d["told_decision"] == "yes", basis=basis)


def _apply_review(u: User, r: Referral, d: dict[str, Any], basis: str, today: date) -> None:
    actions.do_risk_review(u, r, reviewed_on=d["reviewed_on"], outcome=d["outcome"],
                           notes=d["notes"], next_review_on=d["next_review_on"], basis=basis)


def _apply_support(u: User, r: Referral, d: dict[str, Any], basis: str, today: date) -> None:
    actions.do_offer_interim_support(u, r, offered_on=d["offered_on"], support=d["support"],
                                     basis=basis)


def _apply_booking(u: User, r: Referral, d: dict[str, Any], basis: str, today: date) -> None:
    actions.do_book_first_appointment(u, r, on=d["on"], booked_on=today, basis=basis)


def _apply_seen(u: User, r: Referral, d: dict[str, Any], basis: str, today: date) -> None:
    actions.do_record_first_seen(u, r, seen_on=d["seen_on"], basis=basis)


def _apply_assessment(u: User, r: Referral, d: dict[str, Any], basis: str, today: date) -> None:
    actions.do_complete_assessment(u, r, completed_on=d["completed_on"], outcome=d["outcome"],
                                   basis=basis)


def _apply_discharge(u: User, r: Referral, d: dict[str, Any], basis: str, today: date) -> None:
    actions.do_discharge(u, r, discharged_on=d["discharged_on"], reason=d["reason"],
                         note=d["note"], basis=basis)


WAITING = tuple(Referral.WAITING_STATUSES)
CHANGES: dict[str, Change] = {
    "triage": Change("Decide on the referral", "Save the decision", health_forms.TriageForm,
                     (Status.AWAITING_TRIAGE,), _apply_triage, "The decision was saved."),
    "risk-review": Change("Record a clinical risk review", "Save the review",
                          health_forms.RiskReviewForm, WAITING, _apply_review,
                          "The risk review was saved."),
    "interim-support": Change("Offer support while waiting", "Save the support offered",
                              health_forms.InterimSupportForm, WAITING, _apply_support,
                              "The support offered was saved."),
    "appointment": Change("Book the first appointment", "Save the appointment",
                          health_forms.AppointmentForm, (Status.WAITING,), _apply_booking,
                          "The appointment was saved."),
    "seen": Change("Record the first appointment as held", "Save",
                   health_forms.FirstSeenForm, (Status.WAITING,), _apply_seen,
                   "The first appointment was recorded. The child has left the waiting list."),
    "assessment": Change("Record the assessment as completed", "Save the outcome",
                         health_forms.AssessmentForm, (Status.IN_ASSESSMENT,),
                         _apply_assessment, "The assessment outcome was saved."),
    "contact": Change("Record contact with the family", "Save the contact",
                      health_forms.ContactForm, tuple(Referral.OPEN_STATUSES)
                      + (Status.DECLINED, Status.REDIRECTED), _apply_contact,
                      "The contact was saved."),
    "discharge": Change("Discharge", "Discharge", health_forms.DischargeForm,
                        tuple(Referral.OPEN_STATUSES), _apply_discharge,
                        "The child was discharged."),
}


@login_required
def change_referral(request: HttpRequest, referral_id: int, change: str) -> HttpResponse:
    user = signed_in.user(request)
    referral, access = get_referral_or_404(user, referral_id)
    spec = CHANGES[change]
    today = _today()
    if referral.status not in spec.statuses:
        messages.error(
            request, f"You cannot do that now: the referral is "
            f"'{referral.get_status_display().lower()}'."
        )
        return redirect("health:referral", referral_id=referral.pk)
    form = spec.form(posted.data(request), referral=referral, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            spec.apply(user, referral, form.cleaned_data, access.basis, today)
        except actions.ReferralChangeRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, spec.done)
            return redirect("health:referral", referral_id=referral.pk)
    audit.record(user, referral.child, audit.Action.VIEW,
                 f"Health referral ({spec.title.lower()})", access.basis)
    return render(
        request, "health/change.html",
        {"referral": referral, "child": referral.child, "form": form, "spec": spec},
    )


def _change_view(slug: str) -> Callable[..., HttpResponse]:
    def view(request: HttpRequest, referral_id: int) -> HttpResponse:
        return change_referral(request, referral_id, slug)

    view.__name__ = f"change_{slug.replace('-', '_')}"
    return view


@login_required
def refer(request: HttpRequest, child_id: str) -> HttpResponse:
    """Refer a child to a health service: their school's SENCO, their family, or a health
    practitioner, to the pathways that take referrals from them (policy)."""
    user = signed_in.user(request)
    child, access = get_child_or_404(user, child_id)
    pathways = list(referable_pathways(user, child, access))
    if not pathways:
        raise Http404("No health service takes referrals for this child from this account")
    form = health_forms.ReferChildForm(posted.data(request), pathways=pathways,
                                       professional=not access.is_family)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = actions.do_refer(
                user, child, pathway=data["pathway"], reason=data["reason"],
                family_agreed=data.get("family_agreed"), is_family=access.is_family,
                basis=access.basis, on=_today(),
            )
        except actions.ReferralRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"The referral was sent to {referral.pathway.provider}. "
                             "The family is told when the service decides.")
            if access.is_family:
                return redirect("health:family_referral", child_id=child.pk,
                                referral_id=referral.pk)
            return redirect("people:child", child_id=child.pk)
    audit.record(user, child, audit.Action.VIEW, "Health referral form", access.basis)
    return render(request, "health/refer.html",
                  {"child": child, "form": form, "is_family": access.is_family})


@login_required
def new_referral(request: HttpRequest) -> HttpResponse:
    user = signed_in.user(request)
    if not referral_provider_ids(user) and roles(user) & {StaffMembership.Role.SENCO}:
        # A school refers from the child's record, where the policy knows the child is on
        # its roll: send the SENCO to her children rather than to a 404.
        messages.info(request, "To refer a child to a health service, open their record and "
                      "choose 'Refer to a health service'.")
        return redirect("people:children")
    pathways = _practitioner_pathways(user)
    today = _today()
    form = health_forms.NewReferralForm(posted.data(request), pathways=pathways, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pathway: Pathway = data["pathway"]
        child = Child.objects.filter(
            nhs_number=data["nhs_number"], date_of_birth=data["date_of_birth"]
        ).first()
        if child is None:
            form.add_error("nhs_number", "No child has that NHS number and date of birth. "
                           "Check both and try again")
        elif data["received_on"] < child.date_of_birth:
            form.add_error("received_on", "The referral cannot be before the child was born")
        elif Referral.objects.filter(child=child, pathway=pathway,
                                     received_on=data["received_on"]).exists():
            form.add_error(None, "This child already has a referral to that list received on "
                           "that date")
        else:
            referral = actions.do_create_referral(
                user, child=child, pathway=pathway, received_on=data["received_on"],
                referrer_name=data["referrer_name"], referrer_role=data["referrer_role"],
                priority=data["priority"], family_agreed=data["family_agreed"],
            )
            if may_manage_referral(user, referral):
                messages.success(request, "The referral was recorded.")
                return redirect("health:referral", referral_id=referral.pk)
            messages.success(
                request, "The referral was recorded. You will see it in your list once the "
                "family agrees to share the child's record with your service."
            )
            return redirect("health:worklist")
    return render(request, "health/new_referral.html", {"form": form})


@login_required
def import_referrals(request: HttpRequest) -> HttpResponse:
    user = signed_in.user(request)
    provider_ids = referral_import_provider_ids(user)
    if not provider_ids:
        raise Http404("No services to import for")
    providers = list(Organisation.objects.filter(pk__in=provider_ids).order_by("name"))
    form = health_forms.ImportForm(
        posted.data(request), posted.files(request), providers=providers
    )
    checked = None
    if request.method == "POST" and form.is_valid():
        today = _today()
        upload = form.cleaned_data["file"]
        content = upload.read(imports.MAX_BYTES + 1)
        checked = imports.check(form.cleaned_data["provider"], content, today)
        if checked.ok:
            made = actions.do_import_referrals(user, checked.rows, today)
            messages.success(request, f"{len(made)} referral{'s' if len(made) != 1 else ''} "
                             "imported.")
            return redirect("health:import")
    return render(
        request, "health/import.html",
        {"form": form, "checked": checked, "columns": imports.COLUMNS},
    )


# ----- aggregates: the analysis and the capacity planner -----


def _aggregate_pathways(user: User) -> list[Pathway]:
    scope = waiting_aggregate_scope(user)
    if not scope:
        raise Http404("No waiting-list figures for this account")
    return list(
        Pathway.objects.filter(
            Q(local_authority_id__in=scope.local_authority_ids)
            | Q(provider_id__in=scope.provider_ids)
        ).select_related("provider", "locality")
    )


def _filtered(request: HttpRequest, pathways: list[Pathway]
              ) -> tuple[health_forms.AnalysisFilterForm, list[Pathway]]:
    form = health_forms.AnalysisFilterForm(request.GET or None, pathways=pathways)
    if not form.is_bound:
        return form, pathways
    if not form.is_valid():
        return form, []
    data = form.cleaned_data
    chosen = pathways
    if data["kind"]:
        chosen = [p for p in chosen if p.kind == data["kind"]]
    if data["provider"]:
        chosen = [p for p in chosen if str(p.provider_id) == data["provider"]]
    if data["locality"] == "area":
        chosen = [p for p in chosen if p.locality_id is None]
    elif data["locality"]:
        chosen = [p for p in chosen if str(p.locality_id) == data["locality"]]
    return form, chosen


@login_required
def analysis(request: HttpRequest) -> HttpResponse:
    user = signed_in.user(request)
    form, pathways = _filtered(request, _aggregate_pathways(user))
    today = _today()
    result = analyse(pathways, today)
    now = result.now
    month_labels = [m.strftime("%b %y") for m, _t in result.months]
    chart = {
        "bands": charts.bar_chart(
            "chart-bands", "Children waiting now, by weeks waited",
            [label for label, _n in now.shown_waiting_bands],
            [n for _label, n in now.shown_waiting_bands],
        ),
        "over": charts.bar_chart(
            "chart-over", "Share of the list waiting longer than 13, 18 and 52 weeks",
            [f"Over {w} weeks" for w, _c, _s in now.shares_over],
            [s for _w, _c, s in now.shares_over], unit="%",
        ),
        "trend": charts.line_chart(
            "chart-trend", "Children waiting at the end of each month",
            month_labels,
            [("Children waiting", [t.shown_list_size for _m, t in result.months])],
        ),
        "trend_share": charts.line_chart(
            "chart-trend-share", "Share waiting over 18 weeks at the end of each month",
            month_labels, [("Over 18 weeks", [t.share_over_18 for _m, t in result.months])],
            unit="%",
        ),
        "triage": charts.bar_chart(
            "chart-triage", "Time from referral to a decision, last 3 months",
            [label for label, _n in result.triage_last_quarter.shown_triage_bands],
            [n for _label, n in result.triage_last_quarter.shown_triage_bands],
        ),
        "localities": charts.bar_chart(
            "chart-localities", "Mean weeks waited by locality",
            [r.label for r in result.by_locality],
            [r.totals.mean_weeks_waited for r in result.by_locality],
        ),
    }
    return render(
        request, "health/analysis.html",
        {"form": form, "analysis": result, "chart": chart, "threshold": 5,
         "csv_query": request.GET.urlencode()},
    )


@login_required
def analysis_csv(request: HttpRequest) -> HttpResponseBase:
    user = signed_in.user(request)
    form, pathways = _filtered(request, _aggregate_pathways(user))
    today = _today()
    result = analyse(pathways, today)
    audit.record(user, None, audit.Action.EXPORT, "Waiting-time analysis (CSV)",
                 "Aggregate figures, small numbers suppressed",
                 filters={k: v for k, v in request.GET.items()})
    return csvexport.response(f"waiting-times-{today.isoformat()}.csv", csv_rows(result),
                              stream=False)  # a small table


@login_required
def capacity(request: HttpRequest) -> HttpResponse:
    user = signed_in.user(request)
    pathways = _aggregate_pathways(user)
    choices = [(str(p.pk), f"{p} – {p.provider}") for p in pathways]
    by_id = {str(p.pk): p for p in pathways}
    initial = {"target_weeks": 18, "target_percent": 92, "weeks_to_target": 26}
    form = health_forms.CapacityForm(request.GET or None, choices=choices, initial=initial)
    plan: CapacityPlan | None = None
    found = None
    problem = ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        pathway = by_id[data["pathway"]]
        today = _today()
        found = queues.demand([pathway.pk], today)
        try:
            plan = queues.capacity_plan(found, data["target_weeks"],
                                        float(data["target_percent"]) / 100,
                                        data["weeks_to_target"])
        except ValueError as error:
            problem = str(error)
        if found.referrals_per_week <= 0:
            plan, problem = None, ("No referrals arrived on this list in the last 13 weeks, so "
                                   "there is no demand to plan for.")
    return render(
        request, "health/capacity.html",
        {"form": form, "plan": plan, "found": found, "problem": problem,
         "suppressed_list": found is not None and 0 < found.list_size < 5},
    )


# One view per change, so each has its own URL (urls.py).
change_views = {slug: _change_view(slug) for slug in CHANGES}
