"""Every change to a referral: checked, written with its history and audit, the family told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse

from tellonce import dates
from tellonce.access import audit
from tellonce.access.policy import active_memberships, family_users
from tellonce.health.models import Pathway, Referral, ReferralEvent, RiskReview
from tellonce.health.queues import mark_stale
from tellonce.notify import outbox
from tellonce.people.models import Child, Involvement, StaffMembership, User

Role = StaffMembership.Role

if TYPE_CHECKING:
    from tellonce.health.imports import ImportRow

Status = Referral.Status

BASIS_PROVIDER = "Health service managing a referral to it (with the family's consent)"
BASIS_IMPORT = "Referral received from the provider's system"


class ReferralChangeRefused(Exception):
    """The change is not allowed in the referral's present state; the message says why."""


@dataclass(frozen=True)
class FamilyMessage:
    """What the family is told after a change: what changed and what happens next."""

    subject: str
    what_changed: str
    what_next: str
    by_when: date | None = None


def _require(referral: Referral, allowed: tuple[str, ...], doing: str) -> None:
    if referral.status not in allowed:
        raise ReferralChangeRefused(
            f"You cannot {doing}: the referral is '{referral.get_status_display().lower()}'."
        )


def _notify_family(referral: Referral, message: FamilyMessage) -> None:
    """Tell everyone who sees the child as family, through the notification outbox."""
    link = reverse(
        "health:family_referral",
        kwargs={"child_id": referral.child_id, "referral_id": referral.pk},
    )
    outbox.queue_many(
        family_users(referral.child),
        child=referral.child,
        subject=message.subject,
        what_changed=message.what_changed,
        what_next=message.what_next,
        by_when=message.by_when,
        link=link,
    )


def _changed(
    user: User | None,
    referral: Referral,
    on: date,
    what: str,
    basis: str,
    message: FamilyMessage | None,
    fields: list[str],
    action: str = audit.Action.UPDATE,
) -> None:
    """The common tail of every action: save, history, audit, stale summary, family told."""
    if fields:
        referral.save(update_fields=[*fields, "updated_at"])
    ReferralEvent.objects.create(referral=referral, on=on, what=what[:300], by=user)
    audit.record(
        user, referral.child, action, f"Health referral: {referral.pathway.label}"[:100], basis,
        referral_id=referral.pk, change=what[:200],
    )
    mark_stale(referral.pathway_id)
    if message is not None:
        _notify_family(referral, message)


def ensure_team_involvement(child: Child, pathway: Pathway, on: date) -> None:
    """A referral makes the service one of those working with the child (the whole team),
    so its practitioners can manage it wherever the family has agreed to share."""
    exists = Involvement.objects.filter(
        Involvement.active_q(on=on), child=child, organisation_id=pathway.provider_id
    ).exists()
    if not exists:
        Involvement.objects.create(
            child=child, organisation_id=pathway.provider_id, role=f"Referral: {pathway.label}",
            start=on,
        )


def do_create_referral(
    user: User | None,
    *,
    child: Child,
    pathway: Pathway,
    received_on: date,
    referrer_name: str,
    referrer_role: str = "",
    priority: str = Referral.Priority.ROUTINE,
    provider_reference: str = "",
    basis: str = BASIS_PROVIDER,
    notify: bool = True,
    referred_by: User | None = None,
    reason: str = "",
    family_agreed: bool | None = None,
) -> Referral:
    with transaction.atomic():
        referral = Referral.objects.create(
            child=child, pathway=pathway, received_on=received_on, referrer_name=referrer_name,
            referrer_role=referrer_role, priority=priority,
            provider_reference=provider_reference, referred_by=referred_by, reason=reason,
            family_agreed=family_agreed,
        )
        ensure_team_involvement(child, pathway, received_on)
        who = f"{referrer_name} ({referrer_role})" if referrer_role else referrer_name
        message = FamilyMessage(
            subject=f"{child.full_name}'s referral for {pathway.label.lower()} has arrived",
            what_changed=f"{pathway.provider} received a referral from {who} on "
            f"{received_on:%-d %B %Y}.",
            what_next="A clinician will read it and decide whether the service is the right "
            "one. We will tell you what they decide.",
        ) if notify else None
        _changed(user, referral, received_on, f"Referral received from {who}", basis, message,
                 [], action=audit.Action.CREATE)
        return referral


class ReferralRefused(Exception):
    """A referral that cannot be made: the message says why, for the form."""


def referrer_role_for(user: User, child: Child, is_family: bool) -> str:
    """How a referrer made here is described to the service and the family."""
    if is_family:
        return "Young person" if child.user_id == user.pk else "Parent or carer"
    for membership in active_memberships(user):
        if membership.role == Role.SENCO and membership.organisation_id == child.setting_id:
            return f"SENCO, {membership.organisation.name}"[:100]
    for membership in active_memberships(user):
        if membership.role == Role.HEALTH_PRACTITIONER:
            return f"{membership.job_title or 'Health practitioner'}, " \
                f"{membership.organisation.name}"[:100]
    return ""


def do_refer(
    user: User, child: Child, *, pathway: Pathway, reason: str, family_agreed: bool | None,
    is_family: bool, basis: str, on: date,
) -> Referral:
    """A referral made here by someone who may refer the child (policy.referable_pathways,
    checked by the caller), received today. Refused while the child has an open referral to
    the same list."""
    with transaction.atomic():
        Child.objects.select_for_update().filter(pk=child.pk).first()  # one referral at once
        if Referral.objects.filter(child=child, pathway=pathway,
                                   status__in=Referral.OPEN_STATUSES).exists():
            raise ReferralRefused(f"{child.full_name} already has an open referral to this "
                                  "service: contact the service about it")
        return do_create_referral(
            user, child=child, pathway=pathway, received_on=on,
            referrer_name=(user.get_full_name() or user.get_username())[:150],
            referrer_role=referrer_role_for(user, child, is_family), basis=basis,
            referred_by=user, reason=reason.strip(),
            family_agreed=None if is_family else family_agreed,
        )


class Decision:
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REDIRECTED = "redirected"
    CHOICES = [
        (ACCEPTED, "Accept: add the child to the waiting list"),
        (DECLINED, "Decline"),
        (REDIRECTED, "Redirect to a different service"),
    ]


def do_triage(
    user: User,
    referral: Referral,
    *,
    decision: str,
    decided_on: date,
    reason: str = "",
    redirected_to: str = "",
    family_told_on: date | None = None,
    basis: str = BASIS_PROVIDER,
    notify: bool = True,
) -> None:
    """Accept, decline (with the reason) or redirect a referral that awaits a decision."""
    with transaction.atomic():
        _require(referral, (Status.AWAITING_TRIAGE,), "make a decision on this referral")
        referral.triage_decision_on = decided_on
        referral.family_told_on = family_told_on
        fields = ["status", "triage_decision_on", "family_told_on"]
        name = referral.child.full_name
        if decision == Decision.ACCEPTED:
            referral.status = Status.WAITING
            what = "Referral accepted: added to the waiting list"
            message = FamilyMessage(
                subject=f"{name}'s referral has been accepted",
                what_changed=f"{referral.pathway.provider} accepted the referral on "
                f"{decided_on:%-d %B %Y}. {name} is on the waiting list for "
                f"{referral.pathway.label.lower()}.",
                what_next="Your referral page shows how long we expect the wait to be and the "
                "support you can have while you wait.",
            )
        elif decision == Decision.DECLINED:
            if not reason.strip():
                raise ReferralChangeRefused("Say why the referral was declined.")
            referral.status, referral.decline_reason = Status.DECLINED, reason.strip()
            referral.left_list_on = decided_on
            fields += ["decline_reason", "left_list_on"]
            what = f"Referral not accepted: {reason.strip()}"
            message = FamilyMessage(
                subject=f"{name}'s referral was not accepted",
                what_changed=f"{referral.pathway.provider} did not accept the referral. "
                f"The reason: {reason.strip()}",
                what_next="Your referral page says what support is available. If you disagree, "
                "contact the service or the person who referred you.",
            )
        elif decision == Decision.REDIRECTED:
            if not redirected_to.strip():
                raise ReferralChangeRefused("Say which service the referral was sent to.")
            referral.status, referral.redirected_to = Status.REDIRECTED, redirected_to.strip()
            referral.decline_reason = reason.strip()
            referral.left_list_on = decided_on
            fields += ["redirected_to", "decline_reason", "left_list_on"]
            what = f"Referral sent to {redirected_to.strip()}"
            message = FamilyMessage(
                subject=f"{name}'s referral was sent to a different service",
                what_changed=f"{referral.pathway.provider} sent the referral to "
                f"{redirected_to.strip()}, which is better placed to help."
                + (f" {reason.strip()}" if reason.strip() else ""),
                what_next=f"{redirected_to.strip()} will contact you.",
            )
        else:
            raise ReferralChangeRefused("Choose accept, decline or redirect.")
        if family_told_on:
            referral.last_contact_on = family_told_on
            referral.last_contact = "Told the family the decision on the referral"
            fields += ["last_contact_on", "last_contact"]
        _changed(user, referral, decided_on, what, basis, message if notify else None, fields)


def do_record_contact(
    user: User,
    referral: Referral,
    *,
    on: date,
    summary: str,
    told_decision: bool = False,
    basis: str = BASIS_PROVIDER,
) -> None:
    """A call, letter or meeting with the family; optionally, telling them the decision."""
    with transaction.atomic():
        fields = ["last_contact_on", "last_contact"]
        if told_decision:
            if referral.triage_decision_on is None:
                raise ReferralChangeRefused("There is no decision on the referral to tell yet.")
            if referral.family_told_on is None:
                referral.family_told_on = on
                fields.append("family_told_on")
        referral.last_contact_on, referral.last_contact = on, summary.strip()[:300]
        _changed(user, referral, on, f"Contact with the family: {summary.strip()}", basis, None,
                 fields)


def do_risk_review(
    user: User,
    referral: Referral,
    *,
    reviewed_on: date,
    outcome: str,
    notes: str = "",
    next_review_on: date | None = None,
    basis: str = BASIS_PROVIDER,
) -> RiskReview:
    """Review whether a waiting child is safe to keep waiting; 'prioritised' makes it urgent."""
    with transaction.atomic():
        _require(referral, Referral.WAITING_STATUSES, "review a child who is not waiting")
        review = RiskReview.objects.create(
            referral=referral, reviewed_on=reviewed_on, outcome=outcome, notes=notes.strip(),
            next_review_on=next_review_on, reviewed_by=user,
        )
        referral.next_risk_review_on = next_review_on
        fields = ["next_risk_review_on"]
        if outcome == RiskReview.Outcome.PRIORITISED:
            referral.priority = Referral.Priority.URGENT
            fields.append("priority")
        label = RiskReview.Outcome(outcome).label
        next_text = dates.deadline(
            next_review_on, dates.today(), "The next review is due by {date}.",
            "The next review was due by {date}: the service will arrange it as soon as it can.",
        ) if next_review_on else "No further review is planned."
        message = FamilyMessage(
            subject=f"We reviewed {referral.child.full_name}'s needs while waiting",
            what_changed=f"A clinician reviewed the referral on {reviewed_on:%-d %B %Y}: {label}.",
            what_next=next_text + " If things get worse, contact the service.",
            by_when=next_review_on,
        )
        _changed(user, referral, reviewed_on, f"Clinical risk review: {label}", basis, message,
                 fields)
        return review


def do_offer_interim_support(
    user: User, referral: Referral, *, offered_on: date, support: str, basis: str = BASIS_PROVIDER
) -> None:
    with transaction.atomic():
        _require(referral, Referral.WAITING_STATUSES, "offer support while waiting now")
        referral.interim_support = support.strip()
        referral.interim_support_offered_on = offered_on
        message = FamilyMessage(
            subject=f"Support for {referral.child.full_name} while you wait",
            what_changed=f"The service offered support while you wait: {support.strip()}",
            what_next="Your referral page has the details and other support you can use.",
        )
        _changed(user, referral, offered_on, f"Support offered while waiting: {support.strip()}",
                 basis, message, ["interim_support", "interim_support_offered_on"])


def do_book_first_appointment(
    user: User, referral: Referral, *, on: date, booked_on: date, basis: str = BASIS_PROVIDER
) -> None:
    error = dates.check(dates.APPOINTMENT, on, "Date of the first appointment", booked_on)
    if error:
        raise ReferralChangeRefused(error)
    with transaction.atomic():
        _require(referral, (Status.WAITING,), "book a first appointment")
        referral.first_appointment_on = on
        message = FamilyMessage(
            subject=f"{referral.child.full_name}'s first appointment",
            what_changed=f"A first appointment is booked for {on:%-d %B %Y}.",
            what_next="If you cannot come, tell the service as soon as you can so another "
            "child can have the appointment.",
            by_when=on,
        )
        _changed(user, referral, booked_on, f"First appointment booked for {on:%-d %B %Y}", basis,
                 message, ["first_appointment_on"])


def do_record_first_seen(
    user: User, referral: Referral, *, seen_on: date, basis: str = BASIS_PROVIDER
) -> None:
    """The first appointment happened: the child leaves the waiting list."""
    with transaction.atomic():
        _require(referral, (Status.WAITING,), "record a first appointment")
        referral.status = Status.IN_ASSESSMENT
        referral.first_appointment_on = referral.first_appointment_on or seen_on
        referral.first_seen_on = referral.left_list_on = seen_on
        referral.last_contact_on, referral.last_contact = seen_on, "First appointment"
        message = FamilyMessage(
            subject=f"{referral.child.full_name} has been seen",
            what_changed=f"{referral.child.full_name} had a first appointment on "
            f"{seen_on:%-d %B %Y} and is no longer on the waiting list.",
            what_next="The clinician will tell you what happens next in the assessment or "
            "therapy.",
        )
        _changed(user, referral, seen_on, "First appointment held", basis, message,
                 ["status", "first_appointment_on", "first_seen_on", "left_list_on",
                  "last_contact_on", "last_contact"])


def do_complete_assessment(
    user: User, referral: Referral, *, completed_on: date, outcome: str,
    basis: str = BASIS_PROVIDER,
) -> None:
    with transaction.atomic():
        _require(referral, (Status.IN_ASSESSMENT,), "complete an assessment not yet started")
        referral.status = Status.ASSESSED
        referral.assessment_completed_on, referral.outcome = completed_on, outcome.strip()
        message = FamilyMessage(
            subject=f"{referral.child.full_name}'s assessment is complete",
            what_changed=f"The assessment finished on {completed_on:%-d %B %Y}. "
            f"Outcome: {outcome.strip()}",
            what_next="The service will send you a written report. If it is useful for an "
            "EHC needs assessment or plan, it can be shared with the SEND team with your "
            "agreement.",
        )
        _changed(user, referral, completed_on, f"Assessment completed: {outcome.strip()}", basis,
                 message, ["status", "assessment_completed_on", "outcome"])


def do_discharge(
    user: User, referral: Referral, *, discharged_on: date, reason: str, note: str = "",
    basis: str = BASIS_PROVIDER,
) -> None:
    with transaction.atomic():
        _require(referral, Referral.OPEN_STATUSES, "discharge a referral that is closed")
        fields = ["status", "discharged_on", "discharge_reason"]
        if referral.left_list_on is None:
            referral.left_list_on = discharged_on
            fields.append("left_list_on")
        referral.status = Status.DISCHARGED
        referral.discharged_on, referral.discharge_reason = discharged_on, reason
        label = Referral.DischargeReason(reason).label
        what = f"Discharged: {label}" + (f". {note.strip()}" if note.strip() else "")
        message = FamilyMessage(
            subject=f"{referral.child.full_name} has been discharged",
            what_changed=f"{referral.pathway.provider} discharged {referral.child.full_name} on "
            f"{discharged_on:%-d %B %Y}: {label.lower()}.",
            what_next="If you are worried later, your GP, school or nursery can refer again.",
        )
        _changed(user, referral, discharged_on, what, basis, message, fields)


RECENT_DAYS_TO_TELL = 28


def do_import_referrals(user: User, rows: list[ImportRow], today: date) -> list[Referral]:
    """Save checked import rows, all or nothing. Families are told about referrals received
    in the last four weeks; older rows are history being brought across."""
    made: list[Referral] = []
    with transaction.atomic():
        for row in rows:
            recent = (today - row.received_on).days <= RECENT_DAYS_TO_TELL
            referral = do_create_referral(
                user, child=row.child, pathway=row.pathway, received_on=row.received_on,
                referrer_name=row.referrer_name, referrer_role=row.referrer_role,
                priority=row.priority, provider_reference=row.provider_reference,
                basis=BASIS_IMPORT, notify=recent,
            )
            if row.decision and row.decided_on:
                do_triage(
                    user, referral, decision=row.decision, decided_on=row.decided_on,
                    reason=row.decline_reason, redirected_to=row.redirected_to,
                    family_told_on=row.family_told_on, basis=BASIS_IMPORT, notify=recent,
                )
            made.append(referral)
    return made
