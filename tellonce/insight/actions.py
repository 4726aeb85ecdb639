"""Changes to the partnership's insight: publishing a scorecard (checks, the copy, audit)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from tellonce.access import audit
from tellonce.insight.indicators import Scope
from tellonce.insight.models import PublishedScorecard
from tellonce.insight.scorecard import breakdowns, scorecard
from tellonce.people.models import Organisation, User


class InsightError(Exception):
    """A change refused, with a message the user can act on."""


def published_content(scope: Scope, today: date) -> tuple[Any, list[dict[str, Any]]]:
    """The scorecard as shown: suppressed cells carry no numbers at all."""
    period, rows = scorecard(scope, today)
    content = []
    for row in rows:
        ind = row.indicator
        tables = breakdowns(ind, scope, today) if ind.by_child else []
        content.append({
            "key": ind.key, "title": ind.title, "group": row.group, "unit": ind.unit,
            "good": ind.good, "value": row.value, "before": row.before,
            "improving": row.improving, "target": ind.target,
            "numerator": row.numerator, "denominator": row.denominator,
            "comparators": [{"name": c.name, "period": c.period, "value": c.value,
                             "source": c.source} for c in row.comparators],
            "breakdowns": [{"title": b.title, "cells": [
                {"label": c.label, "suppressed": c.suppressed,
                 "denominator": None if c.suppressed else c.denominator,
                 "value": b.value(c)} for c in b.cells]} for b in tables],
        })
    return period, content


def do_publish_scorecard(user: User, scope: Scope, today: date,
                         note: str = "") -> list[PublishedScorecard]:
    """Publish this period's scorecard of each of the user's areas for the forum."""
    if not scope.local_authority_ids:
        raise InsightError("There is no area to publish a scorecard for")
    made = []
    with transaction.atomic():
        for la in Organisation.objects.filter(pk__in=scope.local_authority_ids):
            period, content = published_content(Scope((la.pk,)), today)
            made.append(PublishedScorecard.objects.create(
                local_authority=la, period_label=period.label, period_end=period.end,
                published_at=timezone.now(), published_by=user,
                published_by_description=audit.describe_actor(user), note=note.strip(),
                content=content,
            ))
            audit.record(user, None, audit.Action.CREATE, "Published the partnership scorecard",
                         "Aggregate figures, small numbers suppressed", local_authority=la.pk,
                         period=period.label)
    return made


# ----- the priority action plan -----


def do_update_action(user: User, action_id: int, *, version: int, status: str,
                     evidence: str, due: date, today: date) -> Any:
    """An owner (or a leader) updates an action: refused if someone else changed it since the
    form was shown; every change kept with who and when, and audited."""
    from tellonce.insight.models import PlanAction, PlanChange
    from tellonce.insight.policy import may_update_action

    with transaction.atomic():
        action = PlanAction.objects.select_for_update().select_related("area").get(pk=action_id)
        if not may_update_action(user, action.pk):
            raise InsightError("You cannot change this action")
        if action.version != version:
            raise InsightError("Someone else changed this action after you opened it: "
                               "check their change below, then make yours again")
        before = {"status": action.status, "evidence": action.evidence,
                  "due": action.due.isoformat()}
        after = {"status": status, "evidence": evidence.strip(), "due": due.isoformat()}
        changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if not changed:
            return action
        action.status, action.evidence, action.due = status, evidence.strip(), due
        if status == PlanAction.Status.DONE and action.done_on is None:
            action.done_on = today
        elif status != PlanAction.Status.DONE:
            action.done_on = None
        action.version += 1
        action.save()
        words = ", ".join({"status": "status", "evidence": "evidence", "due": "due date"}[k]
                          for k in changed)
        PlanChange.objects.create(
            area=action.area, action=action, at=timezone.now(), by=user,
            by_description=audit.describe_actor(user),
            summary=f"Changed the {words} of: {action.what[:200]}", detail=changed)
        audit.record(user, None, audit.Action.UPDATE, "Priority action plan: an action",
                     "Owner of the action, or partnership leader", plan_action=action.pk,
                     changed=sorted(changed))
    return action


def do_record_board_report(user: User, local_authority_id: int, today: date) -> Any:
    """Keep what the board report says now; the next one counts changes from here."""
    from tellonce.insight import actionplan
    from tellonce.insight.models import BoardReport, PriorityArea

    with transaction.atomic():
        areas = list(PriorityArea.objects.filter(local_authority_id=local_authority_id))
        last = actionplan.last_board(local_authority_id)
        statuses = actionplan.plan(local_authority_id, areas, today,
                                   last.at if last else None)
        report = BoardReport.objects.create(
            local_authority_id=local_authority_id, at=timezone.now(), by=user,
            by_description=audit.describe_actor(user),
            content=actionplan.board_content(statuses, today))
        audit.record(user, None, audit.Action.CREATE, "Priority action plan: board report",
                     "Partnership leader", report=report.pk)
    return report


# ----- uploaded figures -----


def do_import_figures(user: User, local_authority_id: int, source_key: str, filename: str,
                      content: bytes, today: date) -> Any:
    """Check every row, then keep the whole upload (with who and when) or nothing. Returns
    the check (its errors, if any, name each row)."""
    from tellonce.insight import imports
    from tellonce.insight.models import ImportedFigure, ImportedUpload

    source = imports.SOURCES.get(source_key)
    if source is None:
        raise InsightError("Choose what the file holds")
    checked = imports.check(source, filename, content, today)
    if checked.errors:
        return checked
    with transaction.atomic():
        upload = ImportedUpload.objects.create(
            local_authority_id=local_authority_id, source=source.key, filename=filename[:200],
            rows=len(checked.rows), uploaded_at=timezone.now(), uploaded_by=user,
            uploaded_by_description=audit.describe_actor(user))
        ImportedFigure.objects.bulk_create(
            [ImportedFigure(upload=upload, month=m, group=g, values=v)
             for m, g, v in checked.rows], batch_size=2000)
        audit.record(user, None, audit.Action.CREATE, "Uploaded figures for the scorecard",
                     "Partnership leader", source=source.key, rows=len(checked.rows))
    return checked
