"""'About me' pages: read, edit (with conflict detection), history, and one version's changes.

Whoever may see the child's record may write 'About me' (`get_child_or_404` is the whole
rule): the family tells their story, or a practitioner writes it down with them, and each
version records which (`AboutMeVersion.written_by`, from the basis of access)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tellonce import signed_in
from tellonce.access import audit
from tellonce.access.policy import get_child_or_404
from tellonce.listing import SortOption, paginate
from tellonce.profile.actions import EditConflict, changes, do_save_about_me, latest_version
from tellonce.profile.forms import AboutMeForm
from tellonce.profile.models import SECTION_NAMES, AboutMeVersion


@login_required
def about_me(request: HttpRequest, child_id: str) -> HttpResponse:
    user = signed_in.user(request)
    child, access = get_child_or_404(user, child_id)
    version = latest_version(child)
    audit.record(user, child, audit.Action.VIEW, "About me", access.basis)
    return render(
        request,
        "profile/about_me.html",
        {"child": child, "version": version},
    )


@login_required
def edit_about_me(request: HttpRequest, child_id: str) -> HttpResponse:
    user = signed_in.user(request)
    child, access = get_child_or_404(user, child_id)
    latest = latest_version(child)
    conflict = None
    if request.method == "POST":
        form = AboutMeForm(request.POST)
        if form.is_valid():
            try:
                version = do_save_about_me(
                    user,
                    child,
                    access,
                    {name: form.cleaned_data[name] for name in SECTION_NAMES},
                    form.cleaned_data["base_version"],
                )
            except EditConflict as error:
                # Keep what they typed; show what the other person saved; let them save again.
                conflict = error.latest
                data = request.POST.copy()
                data["base_version"] = str(conflict.number if conflict else 0)
                form = AboutMeForm(data)
                form.is_valid()
                form.add_error(
                    None,
                    f"Someone else saved a new version ({conflict.author_description}) while you "
                    "were editing. Your text is still below: compare it with theirs, then save "
                    "again." if conflict else f"{error} Your text is still below: save it again.",
                )
            else:
                messages.success(request, f"About me was saved (version {version.number}).")
                return redirect("profile:version", child_id=child.pk, number=version.number)
    else:
        initial = {"base_version": latest.number if latest else 0}
        if latest:
            initial.update({name: getattr(latest, name) for name in SECTION_NAMES})
        form = AboutMeForm(initial=initial)
    audit.record(user, child, audit.Action.VIEW, "About me (editing)", access.basis)
    return render(
        request,
        "profile/edit_about_me.html",
        {"child": child, "form": form, "latest": latest, "conflict": conflict},
    )


VERSION_SORTS = [
    SortOption("newest", "Newest first", ("-number",)),
    SortOption("oldest", "Oldest first", ("number",)),
]


@login_required
def history(request: HttpRequest, child_id: str) -> HttpResponse:
    user = signed_in.user(request)
    child, access = get_child_or_404(user, child_id)
    versions = AboutMeVersion.objects.filter(child=child).only(
        "number", "written_by", "author_description", "created_at", "child_id"
    )
    listing = paginate(request, versions, VERSION_SORTS)
    audit.record(user, child, audit.Action.VIEW, "About me history", access.basis)
    return render(request, "profile/history.html", {"child": child, "listing": listing})


@login_required
def version(request: HttpRequest, child_id: str, number: int) -> HttpResponse:
    """One version, with what changed since the one before."""
    user = signed_in.user(request)
    child, access = get_child_or_404(user, child_id)
    pair = list(
        AboutMeVersion.objects.filter(child=child, number__in=[number, number - 1]).order_by(
            "-number"
        )
    )
    if not pair or pair[0].number != number:
        raise Http404("No such version")
    current, previous = pair[0], (pair[1] if len(pair) > 1 else None)
    audit.record(user, child, audit.Action.VIEW, f"About me version {number}", access.basis)
    return render(
        request,
        "profile/version.html",
        {
            "child": child,
            "version": current,
            "previous": previous,
            "changes": changes(previous, current),
        },
    )
