"""The priority action plan's pages: the plan, an action's update, the board report."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from tellonce.insight import actionplan
from tellonce.insight.actions import InsightError, do_record_board_report, do_update_action
from tellonce.insight.forms import ActionUpdateForm
from tellonce.insight.models import PlanAction, PriorityArea
from tellonce.insight.policy import (
    editable_actions,
    plan_authorities_or_404,
    scorecard_scope_or_404,
    visible_areas,
)
from tellonce.people.models import User


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _today() -> date:
    return date.today()


def _statuses(user: User, la: int, today: date, *, all_areas: bool = False
              ) -> list[actionplan.AreaStatus]:
    areas = (PriorityArea.objects.filter(local_authority_id=la) if all_areas
             else visible_areas(user).filter(local_authority_id=la))
    last = actionplan.last_board(la)
    return actionplan.plan(la, list(areas.order_by("number")), today, last.at if last else None)


@login_required
def plan_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    la = plan_authorities_or_404(user)[0]
    today = _today()
    editable = set(editable_actions(user).values_list("pk", flat=True))
    return render(request, "insight/plan.html", {
        "statuses": _statuses(user, la, today), "editable": editable, "today": today,
        "last_board": actionplan.last_board(la),
    })


@login_required
def action_page(request: HttpRequest, action_id: int) -> HttpResponse:
    user = _user(request)
    found = editable_actions(user).select_related("area", "owner_organisation").filter(
        pk=action_id).first()
    if found is None:
        raise Http404("No such action")
    action: PlanAction = found
    problem = ""
    status = 200
    if request.method == "POST":
        form = ActionUpdateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                do_update_action(user, action.pk, version=data["version"],
                                 status=data["status"], evidence=data["evidence"],
                                 due=data["due"], today=_today())
            except InsightError as error:
                problem, status = str(error), 409
            else:
                return redirect("insight:plan")
        else:
            status = 400
    else:
        form = ActionUpdateForm(initial={"status": action.status, "due": action.due,
                                         "evidence": action.evidence,
                                         "version": action.version})
    return render(request, "insight/action.html", {
        "action": action, "form": form, "problem": problem,
        "changes": action.changes.all()[:50],
    }, status=status)


@login_required
def board_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    la = scorecard_scope_or_404(user).local_authority_ids[0]
    return render(request, "insight/board.html", _board_context(user, la))


def _board_context(user: User, la: int) -> dict[str, object]:
    today = _today()
    return {"statuses": _statuses(user, la, today, all_areas=True), "today": today,
            "last_board": actionplan.last_board(la)}


@login_required
@require_POST
def board_record(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    la = scorecard_scope_or_404(user).local_authority_ids[0]
    do_record_board_report(user, la, _today())
    return redirect("insight:board")


@login_required
def board_pdf(request: HttpRequest) -> HttpResponse:
    from weasyprint import HTML

    from tellonce.access import audit

    user = _user(request)
    la = scorecard_scope_or_404(user).local_authority_ids[0]
    html = render_to_string("insight/board_pdf.html", _board_context(user, la))
    content = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    audit.record(user, None, audit.Action.EXPORT, "Priority action plan: board report (PDF)",
                 "Partnership leader")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="board-report.pdf"'
    return response
