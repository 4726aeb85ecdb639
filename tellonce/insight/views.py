"""The partnership's scorecard pages: aggregates only (see policy.py), small numbers suppressed."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tellonce import csvexport
from tellonce.access import audit
from tellonce.health import charts
from tellonce.insight import comparators, disclosure, export, indicators
from tellonce.insight.actions import InsightError, do_publish_scorecard
from tellonce.insight.forms import PublishForm
from tellonce.insight.models import PublishedScorecard
from tellonce.insight.policy import published_scope_or_404, scorecard_scope_or_404
from tellonce.insight.scorecard import Row, breakdowns, indicator_row, scorecard
from tellonce.people.models import User

BASIS = "Aggregate figures, small numbers suppressed"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _today() -> date:
    return date.today()


def trend_chart(row: Row) -> str:
    ind = row.indicator
    unit = "%" if ind.unit == "%" else ""
    return charts.line_chart(
        f"trend-{ind.key}", f"{ind.title}: each month",
        [p.month.strftime("%b %y") for p in row.trend],
        [("Each month", [p.shown for p in row.trend])], unit=unit,
        description=f"{ind.title}, month by month over {len(row.trend)} months. The same "
                    "figures are in the table beside the chart.",
    )


def _context(rows: list[Row], period: object) -> dict[str, object]:
    return {"rows": rows, "period": period, "comparators": comparators.load(),
            "small_max": disclosure.SMALL_MAX}


@login_required
def scorecard_page(request: HttpRequest) -> HttpResponse:
    scope = scorecard_scope_or_404(_user(request))
    period, rows = scorecard(scope, _today())
    context = _context(rows, period)
    context["form"] = PublishForm()
    return render(request, "insight/scorecard.html", context)


@login_required
def indicator_page(request: HttpRequest, key: str) -> HttpResponse:
    scope = scorecard_scope_or_404(_user(request))
    ind = indicators.get(key)
    if ind is None:
        raise Http404("No such indicator")
    today = _today()
    row = indicator_row(ind, scope, today)
    tables = breakdowns(ind, scope, today) if ind.by_child else []
    unit = "%" if ind.unit == "%" else ""
    charted = [
        (b, charts.bar_chart(
            f"by-{b.dimension}", f"{ind.title}, by {b.title.lower()}",
            [c.label for c in b.cells], [b.value(c) for c in b.cells], unit=unit,
            description=f"By {b.title.lower()}; suppressed groups are marked c. The same "
                        "figures are in the table beside the chart."))
        for b in tables
    ]
    return render(request, "insight/indicator.html", {
        "row": row, "ind": ind, "trend_chart": trend_chart(row), "breakdowns": charted,
        "period": tables[0].period if tables else None, "small_max": disclosure.SMALL_MAX,
    })


@login_required
def scorecard_csv(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    scope = scorecard_scope_or_404(user)
    today = _today()
    audit.record(user, None, audit.Action.EXPORT, "Partnership scorecard (CSV)", BASIS)
    return csvexport.response(f"scorecard-{today.isoformat()}.csv",
                              list(export.csv_rows(scope, today)), stream=False)


@login_required
def scorecard_pdf(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    scope = scorecard_scope_or_404(user)
    today = _today()
    period, rows = scorecard(scope, today)
    context = _context(rows, period)
    context["charts"] = {row.key: trend_chart(row) for row in rows}
    context["today"] = today
    audit.record(user, None, audit.Action.EXPORT, "Partnership scorecard (PDF)", BASIS)
    response = HttpResponse(export.pdf(scope, today, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="scorecard-{today.isoformat()}.pdf"'
    return response


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    scope = scorecard_scope_or_404(user)
    form = PublishForm(request.POST)
    problem = ""
    if form.is_valid():
        try:
            do_publish_scorecard(user, scope, _today(), form.cleaned_data["note"])
        except InsightError as error:
            problem = str(error)
        else:
            return redirect("insight:published")
    period, rows = scorecard(scope, _today())
    context = _context(rows, period)
    context.update({"form": form, "problem": problem})
    return render(request, "insight/scorecard.html", context, status=400)


@login_required
def published(request: HttpRequest) -> HttpResponse:
    scope = published_scope_or_404(_user(request))
    latest = [
        p for p in (PublishedScorecard.objects.filter(local_authority_id=la)
                    .select_related("local_authority").first()
                    for la in scope.local_authority_ids)
        if p is not None
    ]
    return render(request, "insight/published.html", {"publications": latest,
                                                      "small_max": disclosure.SMALL_MAX})


@login_required
def imports_page(request: HttpRequest) -> HttpResponse:
    from django.core.paginator import Paginator

    from tellonce.insight import imports
    from tellonce.insight.actions import do_import_figures
    from tellonce.insight.forms import ImportForm
    from tellonce.insight.models import ImportedUpload

    user = _user(request)
    scope = scorecard_scope_or_404(user)
    checked = None
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            checked = do_import_figures(user, scope.local_authority_ids[0],
                                        form.cleaned_data["source"], upload.name,
                                        upload.read(), _today())
            if not checked.errors:
                return redirect(f"{request.path}?done={len(checked.rows)}")
            status = 400
        else:
            status = 400
    else:
        form = ImportForm()
    order = "uploaded_at" if request.GET.get("sort") == "oldest" else "-uploaded_at"
    uploads = ImportedUpload.objects.filter(
        local_authority_id__in=scope.local_authority_ids).order_by(order, "-id")
    from tellonce.listing import page_number

    page = Paginator(uploads, 25).get_page(page_number(request))
    return render(request, "insight/imports.html", {
        "form": form, "checked": checked, "sources": [
            (s, imports.columns(s)) for s in imports.SOURCES.values()],
        "page": page, "sort": request.GET.get("sort", "newest"),
        "done": request.GET.get("done", ""),
    }, status=status)


@login_required
def import_template(request: HttpRequest, source: str) -> HttpResponseBase:
    from tellonce.insight import imports

    scorecard_scope_or_404(_user(request))
    found = imports.SOURCES.get(source)
    if found is None:
        raise Http404("No such template")
    return csvexport.response(f"{source}-template.csv", imports.template_rows(found),
                              stream=False)
