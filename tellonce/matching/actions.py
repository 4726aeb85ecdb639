"""Every change to the links between agency rows and children: checks, history and audit in
one transaction. Links are never deleted: unlinking ends one, and the row goes back to the
review queue with its candidates, so every decision can be undone by the next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tellonce.access import audit
from tellonce.access.models import AuditEvent
from tellonce.feeds.formats import FORMATS
from tellonce.feeds.models import Delivery, FeedRecord
from tellonce.matching import concerns, engine
from tellonce.matching.decide import decide
from tellonce.matching.models import Candidate, Link, MatchModel, Review
from tellonce.matching.policy import BASIS_MATCHING, matchable_children
from tellonce.people.models import Child, Organisation, User

Action = AuditEvent.Action
ACCEPT_AT = 0.99
REVIEW_AT = 0.5
# Fewer rows than this teach the model too little: train on a larger file first.
MIN_TRAINING_ROWS = 500


class MatchingError(Exception):
    """Something a person must put right (the message says what)."""


@dataclass
class Outcome:
    linked: int = 0
    by_identifier: int = 0
    to_review: int = 0
    new_children: int = 0
    not_found: int = 0
    model: MatchModel | None = None
    notes: list[str] = field(default_factory=list)


def record_row(record: FeedRecord) -> dict[str, Any]:
    return engine.prepare(f"r{record.pk}", record.given_name, record.family_name,
                          record.date_of_birth, record.sex, record.postcode)


def child_rows(local_authority_id: int, exclude: set[str] | None = None) -> list[dict[str, Any]]:
    """Each child's identity as the record holds it, with the sex and postcode of the latest
    agency row linked to them (the child record keeps neither)."""
    latest: dict[str, tuple[str, str]] = {}
    for child_id, sex, postcode in Link.objects.filter(
        child__local_authority_id=local_authority_id, ended_at__isnull=True
    ).order_by("made_at", "pk").values_list("child_id", "record__sex", "record__postcode"):
        latest[str(child_id)] = (sex, postcode)
    rows = []
    for pk, given, family, born in matchable_children(local_authority_id).values_list(
        "pk", "given_name", "family_name", "date_of_birth"
    ).order_by():
        key = str(pk)
        if exclude and key in exclude:
            continue
        sex, postcode = latest.get(key, ("", ""))
        rows.append(engine.prepare(key, given, family, born, sex, postcode))
    return rows


def current_model(local_authority: Organisation) -> MatchModel | None:
    return MatchModel.objects.filter(local_authority=local_authority).order_by("-version").first()


@transaction.atomic
def do_save_model(parameters: dict[str, Any], local_authority: Organisation, trained_by: str,
                  trained_on: str, accept_at: float = ACCEPT_AT,
                  review_at: float = REVIEW_AT) -> MatchModel:
    last = MatchModel.objects.select_for_update().order_by("-version").first()
    return MatchModel.objects.create(
        version=(last.version + 1) if last else 1, local_authority=local_authority,
        splink_version=engine.SPLINK_VERSION, parameters=parameters, trained_by=trained_by,
        trained_on=trained_on, accept_at=accept_at, review_at=review_at,
    )


def do_train_model(user: User | None, delivery: Delivery) -> MatchModel:
    """Train a new version on a delivery's rows against the authority's children, without
    labels (engine.train), and save it."""
    records = list(delivery.records.all())
    if len(records) < MIN_TRAINING_ROWS:
        raise MatchingError(f"A model needs at least {MIN_TRAINING_ROWS} rows to learn from; "
                            f"this file has {len(records)}.")
    parameters = engine.train([record_row(r) for r in records],
                              child_rows(delivery.local_authority_id))
    return do_save_model(parameters, delivery.local_authority, audit.audit_actor(user),
                         f"{delivery} ({len(records)} rows)")


def _link(user: User | None, record: FeedRecord, child: Child, method: str,
          probability: float | None, model: MatchModel | None) -> Link:
    link = Link.objects.create(record=record, child=child, method=method,
                               probability=probability, model=model, made_by=user)
    audit.record(user, child, Action.CREATE, "Agency record linked", BASIS_MATCHING,
                 delivery=record.delivery_id, row=record.row, method=method,
                 probability=probability, model=model.version if model else None)
    concerns.raise_for([link])
    return link


def _new_child(user: User | None, record: FeedRecord) -> Child:
    delivery = record.delivery
    provision = record.facts.get("sen_provision", "N")
    child = Child.objects.create(
        given_name=record.given_name, family_name=record.family_name,
        date_of_birth=record.date_of_birth, upn=record.upn or None,
        nhs_number=record.nhs_number or None, local_authority=delivery.local_authority,
        setting=record.setting, held_by=record.setting or delivery.sender,
        # The census's E (EHC plan) is the school's word; the plan itself is the council's
        # record, so the child starts at SEN support until the caseworker finds the plan.
        send_status=(Child.SendStatus.NONE if provision == "N"
                     else Child.SendStatus.SEN_SUPPORT),
        primary_need=record.facts.get("primary_need", ""),
    )
    audit.record(user, child, Action.CREATE, "Child added from an agency's file",
                 BASIS_MATCHING, delivery=delivery.pk, row=record.row)
    return child


def _identifier_matches(records: Sequence[FeedRecord], la_id: int
                        ) -> tuple[dict[int, Child], dict[int, Child]]:
    """Rows whose UPN or NHS number names a child: (same date of birth, different one)."""
    upns = {r.upn for r in records if r.upn}
    numbers = {r.nhs_number for r in records if r.nhs_number}
    children = matchable_children(la_id)
    by_upn = {c.upn: c for c in children.filter(upn__in=upns)} if upns else {}
    by_nhs = {c.nhs_number: c for c in children.filter(nhs_number__in=numbers)} if numbers \
        else {}
    same: dict[int, Child] = {}
    differs: dict[int, Child] = {}
    for r in records:
        child = (by_upn.get(r.upn) if r.upn else None) or (
            by_nhs.get(r.nhs_number) if r.nhs_number else None)
        if child is None:
            continue
        (same if child.date_of_birth == r.date_of_birth else differs)[r.pk] = child
    return same, differs


@transaction.atomic
def do_match_delivery(user: User | None, delivery: Delivery) -> Outcome:
    """Link each row of a delivery: by identifier, then by the model; open a review where a
    person must decide; add a child only where the feed is authoritative."""
    spec = FORMATS[delivery.kind]
    la_id = delivery.local_authority_id
    records = list(delivery.records.select_related("delivery", "setting"))
    outcome = Outcome()
    same, differs = _identifier_matches(records, la_id)
    for record in records:
        if record.pk in same:
            _link(user, record, same[record.pk], Link.Method.IDENTIFIER, None, None)
            outcome.by_identifier += 1
    rest = [r for r in records if r.pk not in same]
    if not rest:
        return outcome
    model = current_model(delivery.local_authority)
    if model is None:
        model = do_train_model(user, delivery)
        outcome.notes.append(f"Trained matching model {model.version} on this file.")
    outcome.model = model
    feed = [record_row(r) for r in rest]
    pairs = engine.predict(feed, child_rows(la_id), model.parameters,
                           floor=min(model.review_at, 0.05))
    decisions = decide([f["unique_id"] for f in feed], pairs, model.accept_at, model.review_at)
    children = {str(c.pk): c for c in matchable_children(la_id).filter(
        pk__in={p.record_id for d in decisions.values() for p in d.candidates})}
    for record in rest:
        decision = decisions[f"r{record.pk}"]
        if record.pk in differs:
            child = differs[record.pk]
            review = Review.objects.create(
                record=record, best_probability=decision.probability, model=model,
                reason=("The UPN or NHS number is this child's, but the date of birth is "
                        "different"))
            Candidate.objects.create(review=review, child=child, probability=0, weight=0,
                                     evidence={})
            outcome.to_review += 1
        elif decision.outcome == "link" and decision.record_id in children:
            _link(user, record, children[decision.record_id], Link.Method.MODEL,
                  decision.probability, model)
            outcome.linked += 1
        elif decision.outcome == "review":
            review = Review.objects.create(record=record, best_probability=decision.probability,
                                           model=model, reason=decision.reason)
            Candidate.objects.bulk_create([
                Candidate(review=review, child=children[p.record_id], probability=p.probability,
                          weight=p.weight, evidence={
                              name: {"level": level, "label": label, "weight": round(w, 2)}
                              for name, (level, label, w) in p.evidence.items()})
                for p in decision.candidates if p.record_id in children
            ])
            outcome.to_review += 1
        elif spec.authoritative:
            _link(user, record, _new_child(user, record), Link.Method.NEW_CHILD, None, model)
            outcome.new_children += 1
        else:
            outcome.not_found += 1
    return outcome


class StaleDecision(MatchingError):
    pass


def _decided(review: Review, user: User, status: str, version: int, note: str) -> None:
    if review.status not in Review.OPEN:
        raise StaleDecision("This match was decided already")
    updated = Review.objects.filter(pk=review.pk, version=version).update(
        status=status, decided_by=user, decided_at=timezone.now(), note=note[:500],
        version=F("version") + 1)
    if not updated:
        raise StaleDecision("Someone else decided this match while you were looking at it. "
                            "Check the decision below.")
    review.refresh_from_db()


@transaction.atomic
def do_accept(user: User, review: Review, candidate: Candidate, version: int,
              note: str = "") -> Link:
    if candidate.review_id != review.pk:
        raise MatchingError("Choose one of the children listed")
    if review.record.links.filter(ended_at__isnull=True).exists():
        raise StaleDecision("This row is linked already")
    _decided(review, user, Review.Status.ACCEPTED, version, note)
    return _link(user, review.record, candidate.child, Link.Method.REVIEWED,
                 candidate.probability, review.model)


@transaction.atomic
def do_reject(user: User, review: Review, version: int, note: str = "") -> None:
    """None of the candidates is this child. Their reads are audited by the page; the
    decision is recorded against each candidate's record."""
    _decided(review, user, Review.Status.REJECTED, version, note)
    for candidate in review.candidates.select_related("child"):
        audit.record(user, candidate.child, Action.UPDATE, "Agency record not linked",
                     BASIS_MATCHING, review=review.pk, delivery=review.record.delivery_id,
                     row=review.record.row)


@transaction.atomic
def do_defer(user: User, review: Review, version: int, note: str = "") -> None:
    if review.status not in Review.OPEN:
        raise StaleDecision("This match was decided already")
    updated = Review.objects.filter(pk=review.pk, version=version).update(
        status=Review.Status.DEFERRED, note=note[:500], version=F("version") + 1)
    if not updated:
        raise StaleDecision("Someone else changed this match while you were looking at it.")
    review.refresh_from_db()


@transaction.atomic
def do_unlink(user: User, link: Link, reason: str) -> Review:
    """End a link and send the row back to the queue with the child as a candidate."""
    if link.ended_at is not None:
        raise StaleDecision("This link was ended already")
    if not reason.strip():
        raise MatchingError("Say why the row is not this child")
    Link.objects.filter(pk=link.pk).update(ended_at=timezone.now(), ended_by=user,
                                           end_reason=reason[:300])
    link.refresh_from_db()
    audit.record(user, link.child, Action.UPDATE, "Agency record unlinked", BASIS_MATCHING,
                 delivery=link.record.delivery_id, row=link.record.row, reason=reason[:300])
    review = Review.objects.create(record=link.record, best_probability=link.probability or 0,
                                   model=link.model, reason=f"Unlinked: {reason[:250]}")
    Candidate.objects.create(review=review, child=link.child, probability=link.probability or 0,
                             weight=0, evidence={})
    return review
