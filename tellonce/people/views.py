"""Children lists and search, the child record, and organisation administration pages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tellonce import posted, signed_in
from tellonce.access import audit
from tellonce.access.models import AuditEvent, Consent
from tellonce.access.policy import (
    PRACTITIONER_ROLES,
    administered_organisations,
    get_administered_organisation_or_404,
    get_child_or_404,
    may_decide_parent_access,
    may_manage_consent,
    may_see_audit_trail,
    roles,
    visible_children,
)
from tellonce.listing import SortOption, chosen_sort, paginate, paginate_by_keys
from tellonce.people import actions
from tellonce.people.forms import AddInvolvementForm, AddStaffForm, ChildSearchForm
from tellonce.people.models import (
    Child,
    Involvement,
    Organisation,
    RoleChange,
    StaffMembership,
    User,
)
from tellonce.people.record import record_parts

# Names sort by their lower-case keys: the caseload indexes hold them (with the id), so the
# page's children are found from the index alone.
CHILD_SORTS = [
    SortOption("name", "Name (A to Z)", ("family_name_key", "given_name_key", "pk")),
    SortOption("-name", "Name (Z to A)", ("-family_name_key", "-given_name_key", "-pk")),
    SortOption("youngest", "Youngest first", ("-date_of_birth", "pk")),
    SortOption("oldest", "Oldest first", ("date_of_birth", "pk")),
]


# A scope larger than this is not listed whole: nobody pages through thousands of names, and
# sorting them all on every request is the slowest thing the page could do. Search instead.
BROWSE_LIMIT = 500
# What a result row shows (people/children.html).
RESULT_FIELDS = ("id", "family_name", "given_name", "date_of_birth", "send_status", "setting__name")


def _search_alternatives(form: ChildSearchForm) -> list[Q]:
    """The search as alternatives for the policy to combine with each way of seeing a child:
    the first name term matches a family or a given name; everything else narrows both."""
    data = form.cleaned_data
    narrowing = Q()
    terms = data["name"].split()
    for term in terms[1:]:
        narrowing &= Child.name_starts_with(term)
    if data["date_of_birth"]:
        narrowing &= Q(date_of_birth=data["date_of_birth"])
    if data["nhs_number"]:
        narrowing &= Q(nhs_number=data["nhs_number"])
    if data["upn"]:
        narrowing &= Q(upn=data["upn"])
    if not terms:
        return [narrowing]
    return [alternative & narrowing for alternative in Child.name_alternatives(terms[0])]


@login_required
def children(request: HttpRequest) -> HttpResponse:
    """Children I work with (practitioners) or the caseload (caseworkers), with search."""
    user = signed_in.user(request)
    if not roles(user) & PRACTITIONER_ROLES:
        raise Http404("No children list for this account")
    form = ChildSearchForm(request.GET or None)
    searched = bool(request.GET) and form.is_valid() and form.has_criteria
    too_many_to_browse = False
    if request.GET and not form.is_valid():
        scope = Child.objects.none()
    elif searched:
        scope = visible_children(user, matching=_search_alternatives(form))
    else:
        scope = visible_children(user)
        too_many_to_browse = scope[BROWSE_LIMIT : BROWSE_LIMIT + 1].exists()
        if too_many_to_browse:
            scope = Child.objects.none()
    option = chosen_sort(request, CHILD_SORTS)
    listing = paginate_by_keys(
        request,
        scope.order_by(*option.ordering),
        lambda keys: (
            Child.objects.filter(pk__in=keys).select_related("setting").only(*RESULT_FIELDS)
        ),
        option,
        CHILD_SORTS,
    )
    shown = list(listing.page)
    if searched:
        audit.record_list(
            user,
            "Search for children",
            "Search within own scope",
            shown,
            criteria=audit.pseudonymous_criteria(form.cleaned_data),
            results=listing.page.paginator.count,
        )
    elif shown:
        audit.record_list(user, "Children list", "Children within own scope", shown)
    return render(
        request,
        "people/children.html",
        {
            "form": form,
            "listing": listing,
            "rows": _with_record_urls(shown),
            "searched": searched,
            "too_many_to_browse": too_many_to_browse,
            "browse_limit": BROWSE_LIMIT,
        },
    )


# Any id matches the URL pattern; each row's link swaps in its child's own id.
_ANY_CHILD_ID = "00000000-0000-0000-0000-000000000000"


def _with_record_urls(children: Iterable[Child]) -> list[tuple[Child, str]]:
    """Each child of a results page with the link to its record, for the template's loop.
    The URL is reversed once a page: `{% url %}` on every row took four times as long as
    the rest of the row's markup (measured, issue 13)."""
    record_url = reverse("people:child", args=[_ANY_CHILD_ID])
    return [(child, record_url.replace(_ANY_CHILD_ID, str(child.pk))) for child in children]


@login_required
def child_record(request: HttpRequest, child_id: str) -> HttpResponse:
    user = signed_in.user(request)
    child, access = get_child_or_404(user, child_id)
    today = date.today()
    involvements = (
        child.involvements.filter(Involvement.active_q(on=today))
        .select_related("organisation", "staff")
        .order_by("organisation__name")
    )
    family = child.family.select_related("adult").order_by("adult__family_name")
    consents = Consent.objects.filter(child=child, withdrawn_at__isnull=True).select_related(
        "organisation"
    )
    history = (
        AuditEvent.objects.filter(child=child)
        .exclude(action=AuditEvent.Action.VIEW)
        .select_related("user")
        .order_by("-at", "-id")[:8]
    )
    audit.record(user, child, audit.Action.VIEW, "Child record", access.basis)
    return render(
        request,
        "people/child_record.html",
        {
            "child": child,
            "access": access,
            "involvements": involvements,
            "family": family,
            "consents": consents,
            "history": history,
            "may_manage_consent": may_manage_consent(user, child, access),
            "may_see_audit": may_see_audit_trail(user, child, access),
            "may_decide_parent_access": may_decide_parent_access(user, child, access),
            **record_parts(user, child, access),
        },
    )


# ----- organisation administration -----


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    orgs = administered_organisations(signed_in.user(request))
    if not orgs.exists():
        raise Http404("No organisations to manage")
    return render(request, "people/organisations.html", {"organisations": orgs})


STAFF_SORTS = [
    SortOption("name", "Name", ("user__last_name", "user__first_name", "pk")),
    SortOption("role", "Role", ("role", "user__last_name", "pk")),
    SortOption("newest", "Newest first", ("-start", "pk")),
]


# How many of the latest role changes the staff page shows; the rest are a page of their own.
RECENT_CHANGES = 5
CHANGE_SORTS = [SortOption("newest", "Newest first", ("-at", "-pk"))]


def _role_changes(org: Organisation) -> QuerySet[RoleChange]:
    return org.role_changes.select_related("membership__user")


@login_required
def organisation_staff(request: HttpRequest, org_id: int) -> HttpResponse:
    user = signed_in.user(request)
    org = get_administered_organisation_or_404(user, org_id)
    form = AddStaffForm(posted.data(request), organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_staff(
                user,
                org,
                form.cleaned_data["username"],
                form.cleaned_data["role"],
                form.cleaned_data["job_title"],
            )
        except actions.Refused as refused:
            field = refused.refusal.field
            form.add_error(field if field in form.fields else None, refused.refusal.message)
        else:
            messages.success(request, f"{form.cleaned_data['username']} was added to {org}.")
            return redirect("people:organisation_staff", org_id=org.pk)
    staff = org.staff.filter(StaffMembership.active_q()).select_related("user")
    listing = paginate(request, staff, STAFF_SORTS)
    changes = _role_changes(org)
    return render(
        request,
        "people/organisation_staff.html",
        {
            "org": org,
            "listing": listing,
            "form": form,
            "recent_changes": changes[:RECENT_CHANGES],
            "change_count": changes.count(),
        },
    )


@login_required
def organisation_role_changes(request: HttpRequest, org_id: int) -> HttpResponse:
    """Every role given or ended in the organisation, newest first."""
    user = signed_in.user(request)
    org = get_administered_organisation_or_404(user, org_id)
    listing = paginate(request, _role_changes(org), CHANGE_SORTS)
    return render(
        request, "people/organisation_role_changes.html", {"org": org, "listing": listing}
    )


@login_required
@require_POST
def end_membership(request: HttpRequest, org_id: int, membership_id: int) -> HttpResponse:
    user = signed_in.user(request)
    org = get_administered_organisation_or_404(user, org_id)
    membership = (
        org.staff.filter(pk=membership_id, end__isnull=True)
        .select_related("user", "organisation")
        .first()
    )
    if membership is None:
        raise Http404("No such membership")
    try:
        actions.do_end_membership(user, membership, date.today())
    except actions.Refused:  # not theirs to end: as if it did not exist
        raise Http404("No such membership") from None
    messages.success(request, f"{membership.user} no longer works for {org} in this role.")
    return redirect("people:organisation_staff", org_id=org.pk)


INVOLVEMENT_SORTS = [
    SortOption("newest", "Newest first", ("-start", "pk")),
    SortOption("oldest", "Oldest first", ("start", "pk")),
    SortOption("child", "Child's name", ("child__family_name", "child__given_name", "pk")),
]


@login_required
def organisation_involvements(request: HttpRequest, org_id: int) -> HttpResponse:
    user = signed_in.user(request)
    org = get_administered_organisation_or_404(user, org_id)
    form = AddInvolvementForm(posted.data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        child = Child.objects.filter(
            nhs_number=data["nhs_number"], date_of_birth=data["date_of_birth"]
        ).first()
        staff = None
        if data["staff_username"]:
            staff = User.objects.filter(
                StaffMembership.active_q("memberships__"),
                username=data["staff_username"].strip(),
                memberships__organisation=org,
            ).first()
            if staff is None:
                form.add_error("staff_username", f"No one with that username works for {org}")
        if child is None:
            form.add_error(
                "nhs_number",
                "No child has that NHS number and date of birth. Check both and try again",
            )
        if not form.errors and child is not None:
            actions.do_add_involvement(user, org, child, staff, data["role"], data["start"])
            messages.success(request, f"{child.full_name} was added to {org}'s involvements.")
            return redirect("people:organisation_involvements", org_id=org.pk)
    involvements = org.involvements.filter(Involvement.active_q()).select_related("child", "staff")
    listing = paginate(request, involvements, INVOLVEMENT_SORTS)
    if listing.page:
        audit.record_list(
            user,
            f"Involvements with children: {org}"[:100],
            "Administrator of the organisation",
            [involvement.child_id for involvement in listing.page],
        )
    return render(
        request,
        "people/organisation_involvements.html",
        {"org": org, "listing": listing, "form": form},
    )


@login_required
@require_POST
def end_involvement(request: HttpRequest, org_id: int, involvement_id: int) -> HttpResponse:
    user = signed_in.user(request)
    org = get_administered_organisation_or_404(user, org_id)
    involvement = (
        org.involvements.filter(Involvement.active_q(), pk=involvement_id)
        .select_related("child", "organisation")
        .first()
    )
    if involvement is None:
        raise Http404("No such involvement")
    actions.do_end_involvement(user, involvement, date.today())
    messages.success(request, f"The involvement with {involvement.child.full_name} has ended.")
    return redirect("people:organisation_involvements", org_id=org.pk)
