"""The SEN2 page for the SEND team: every record that would fail a rule, with a link to fix
it, the counts and 20-week percentages, and the XML once nothing fails."""

from __future__ import annotations

import tempfile
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from tellonce.access import audit
from tellonce.insight import sen2
from tellonce.insight.policy import sen2_authority_or_404
from tellonce.insight.sen2_spec import UNVERIFIED
from tellonce.listing import page_number
from tellonce.people.models import Child, Organisation, User

BASIS = "SEND team: the authority's statutory caseload (SEN2 return)"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _census(request: HttpRequest) -> tuple[date, str]:
    """The census day asked for, or the third Thursday of January of this year (the DfE's
    usual survey day); an error message naming the field for a bad date."""
    raw = request.GET.get("census", "")
    if raw:
        try:
            return date.fromisoformat(raw), ""
        except ValueError:
            pass
    today = date.today()
    first = date(today.year, 1, 1)
    thursday = first.toordinal() + (3 - first.weekday()) % 7 + 14
    default = date.fromordinal(thursday)
    return default, ("Census day: enter a real date, for example 2026-01-15" if raw else "")


@login_required
def sen2_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    la = Organisation.objects.get(pk=sen2_authority_or_404(user))
    census, error = _census(request)
    problems = sen2.validate(la, census)
    page = Paginator(problems, 50).get_page(page_number(request))
    names = {str(c.pk): f"{c.family_name}, {c.given_name}" for c in Child.objects.filter(
        pk__in=[p.child_id for p in page.object_list])}
    audit.record_list(user, "SEN2 return: records failing a rule", BASIS,
                      [p.child_id for p in page.object_list])
    s = sen2.summary(la, census, len(set(sen2.child_ids(la, census))))
    return render(request, "insight/sen2.html", {
        "la": la, "census": census, "error": error, "page": page, "names": names,
        "problems": len(problems), "summary": s, "unverified": UNVERIFIED,
    }, status=400 if error else 200)


@login_required
def sen2_xml(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    la = Organisation.objects.get(pk=sen2_authority_or_404(user))
    census, error = _census(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    # Spooled: in memory while small, on disk beyond 4 MB, so the return is never one
    # document in memory however large the authority.
    spool = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024, mode="w+b")  # noqa: SIM115
    import io

    text = io.TextIOWrapper(spool, encoding="utf-8", write_through=True)
    written = sen2.write_xml(la, census, text)
    text.flush()
    text.detach()
    spool.seek(0)
    audit.record_list(user, "SEN2 return (XML)", BASIS, list(sen2.child_ids(la, census)),
                      action=audit.Action.EXPORT, persons=written.persons,
                      failing=len(written.problems))
    return FileResponse(spool, as_attachment=True, filename=f"sen2-{census.isoformat()}.xml",
                        content_type="application/xml")
