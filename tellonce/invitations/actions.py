"""Inviting a family member to a child's record, accepting and withdrawing (actions).

Each is one transaction: the change, its audit row and (inviting) the email in the outbox.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tellonce.access import audit
from tellonce.access.models import AuditEvent
from tellonce.access.policy import (
    Basis,
    ChildAccess,
    active_memberships,
)
from tellonce.invitations import policy
from tellonce.invitations.models import Invitation
from tellonce.notify import outbox
from tellonce.people.models import Adult, Child, FamilyLink, User

# Wrong answers before the invitation stops taking any: six digits and the child's date of
# birth cannot be guessed in five tries.
MAX_FAILED_ATTEMPTS = 5


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class InvitationRefused(Exception):
    """Why an invitation cannot be sent or accepted, in words for the person."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Sent:
    invitation: Invitation
    link: str
    code: str


@transaction.atomic
def do_invite(
    by: User,
    child: Child,
    access: ChildAccess,
    *,
    kind: str,
    adult: Adult | None,
    email: str,
    link_base: str,
) -> Sent:
    """Invite a parent or carer the record holds with parental responsibility (`adult`), or
    the young person from 16, to sign in and see the record. `link_base` is the site's
    address; the link carries a random token, the email a 6-digit code, both kept hashed."""
    if not policy.may_invite(by, access):
        raise InvitationRefused("You cannot invite people to this record")
    if kind == Invitation.Kind.PARENT:
        if adult is None or not policy.invitable_adults(child).filter(pk=adult.pk).exists():
            raise InvitationRefused(
                "Select a parent or carer with parental responsibility who has no account yet",
                "person",
            )
        basis = f"{Basis.FAMILY.value} (recorded on the child's record); invited by {access.basis}"
    elif kind == Invitation.Kind.YOUNG_PERSON:
        if not policy.young_person_invitable(child):
            raise InvitationRefused(
                "Only a young person of 16 or over who has not signed in yet can be invited",
                "person",
            )
        adult = None
        basis = f"{Basis.YOUNG_PERSON.value} (16 or over); invited by {access.basis}"
    else:
        raise InvitationRefused("Select who to invite", "person")
    # Earlier invitations still open for the same person stop working: one link at a time.
    open_before = Invitation.objects.filter(
        child=child, kind=kind, adult=adult, status=Invitation.Status.PENDING
    )
    for earlier in open_before.select_for_update():
        _withdraw(by, earlier, "replaced by a new invitation")
    token = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    invitation = Invitation.objects.create(
        child=child,
        kind=kind,
        adult=adult,
        email=email,
        token_digest=digest(token),
        code_digest=digest(code),
        invited_by=by,
        invited_by_description=audit.describe_actor(by),
        basis=basis[:300],
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )
    link = f"{link_base.rstrip('/')}/invitations/{token}/"
    whose = "your" if kind == Invitation.Kind.YOUNG_PERSON else "your child's"
    expires = timezone.localdate(invitation.expires_at)
    outbox.queue_to_address(
        address=email,
        child=child,
        subject=f"You are invited to see {whose} record on {settings.SERVICE_NAME}",
        what_changed=(
            f"{audit.describe_actor(by)} has invited you to see {whose} SEND record online: "
            "plans, reviews, referrals and who has looked at it. Your code is "
            f"{code}."
        ),
        what_next=(
            "Open the link and sign in with GOV.UK One Login (you can create one). Then enter "
            f"the code and {'your' if kind == Invitation.Kind.YOUNG_PERSON else 'your child’s'}"
            " date of birth. The link works once."
        ),
        by_when=expires,
        link=link,
    )
    audit.record(
        by, child, AuditEvent.Action.CREATE, "Family invitation", access.basis,
        invitation=str(invitation.pk), kind=kind, expires=expires.isoformat(),
    )
    return Sent(invitation, link, code)


def open_invitation(token: str) -> Invitation | None:
    """The invitation a link's token is for, whatever its state (None for no such link)."""
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("child").filter(token_digest=digest(token)).first()


def refusal(invitation: Invitation | None) -> str:
    """Why this invitation can no longer be used, or ''."""
    if invitation is None:
        return "This invitation link is not right. Check you copied all of it from the email."
    if invitation.status == Invitation.Status.ACCEPTED:
        return "This invitation has already been used. Each link works once."
    if invitation.status == Invitation.Status.WITHDRAWN:
        return "This invitation has been withdrawn."
    if invitation.expires_at <= timezone.now():
        return "This invitation has expired."
    if invitation.failed_attempts >= MAX_FAILED_ATTEMPTS:
        return "This invitation was answered wrongly too many times and no longer works."
    return ""


def do_accept(user: User, invitation_id: str, date_of_birth: date, code: str) -> Invitation:
    """Confirm the invitation with the child's date of birth and the code; link the signed-in
    person to the child. A wrong answer is counted and audited: that commits, so it is
    returned from the transaction and raised only after it."""
    outcome = _accept(user, invitation_id, date_of_birth, code)
    if isinstance(outcome, InvitationRefused):
        raise outcome
    return outcome


@transaction.atomic
def _accept(
    user: User, invitation_id: str, date_of_birth: date, code: str
) -> Invitation | InvitationRefused:
    invitation = (
        # Only the invitation's row is locked: its adult is an outer join, which PostgreSQL
        # will not lock.
        Invitation.objects.select_for_update(of=("self",)).select_related("child", "adult")
        .filter(pk=invitation_id).first()
    )
    reason = refusal(invitation)
    if reason or invitation is None:
        raise InvitationRefused(reason)
    if active_memberships(user):
        raise InvitationRefused(
            "You are signed in as a member of staff. Sign out, then open the link again and "
            "sign in with GOV.UK One Login."
        )
    child = invitation.child
    right_code = hmac.compare_digest(digest(code), invitation.code_digest)
    if not (right_code and date_of_birth == child.date_of_birth):
        invitation.failed_attempts += 1
        invitation.save(update_fields=["failed_attempts"])
        audit.record(
            user, child, AuditEvent.Action.VIEW, "Family invitation: wrong answer",
            "Accepting an invitation", invitation=str(invitation.pk),
            failed_attempts=invitation.failed_attempts,
        )
        left = MAX_FAILED_ATTEMPTS - invitation.failed_attempts
        return InvitationRefused(
            "The code or the date of birth does not match the invitation. Check both"
            + (f" (you can try {left} more time{'s' if left != 1 else ''})" if left else ""),
            "code",
        )
    link: FamilyLink | None = None
    if invitation.kind == Invitation.Kind.YOUNG_PERSON:
        if child.user_id not in (None, user.pk) or Child.objects.filter(user=user).exclude(
            pk=child.pk
        ).exists():
            raise InvitationRefused("This record is already linked to another account.")
        child.user = user
        child.save(update_fields=["user"])
        basis = Basis.YOUNG_PERSON.value
    else:
        adult = invitation.adult
        assert adult is not None
        original = FamilyLink.objects.get(adult=adult, child=child)
        own_adult = Adult.objects.filter(user=user).first()
        if own_adult is None and adult.user_id is None:
            adult.user = user
            adult.save(update_fields=["user"])
            link = original
        elif own_adult is not None and own_adult.pk == adult.pk:
            link = original
        elif own_adult is not None:
            # Already a parent here through another record of theirs: the same relationship,
            # on their own record.
            link, _ = FamilyLink.objects.get_or_create(
                adult=own_adult, child=child,
                defaults={"relationship": original.relationship,
                          "parental_responsibility": original.parental_responsibility},
            )
        else:
            raise InvitationRefused("This invitation has already been used. Each link works once.")
        basis = Basis.FAMILY.value
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.family_link = link
    invitation.save(update_fields=["status", "accepted_at", "accepted_by", "family_link"])
    audit.record(
        user, child, AuditEvent.Action.CREATE, "Family invitation accepted", basis,
        invitation=str(invitation.pk), invited_by=invitation.invited_by_description,
        invited_at=invitation.created_at.isoformat(), invitation_basis=invitation.basis,
        identities=[f"{i.provider}" for i in user.identities.all()],
    )
    return invitation


def _withdraw(by: User, invitation: Invitation, why: str) -> None:
    invitation.status = Invitation.Status.WITHDRAWN
    invitation.withdrawn_at = timezone.now()
    invitation.withdrawn_by = by
    invitation.save(update_fields=["status", "withdrawn_at", "withdrawn_by"])
    audit.record(
        by, invitation.child, AuditEvent.Action.UPDATE, "Family invitation withdrawn",
        invitation.basis, invitation=str(invitation.pk), why=why,
    )


@transaction.atomic
def do_withdraw(by: User, access: ChildAccess, invitation: Invitation) -> None:
    if not policy.may_invite(by, access):
        raise InvitationRefused("You cannot withdraw invitations to this record")
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != Invitation.Status.PENDING:
        raise InvitationRefused("Only an invitation still waiting to be accepted can be withdrawn")
    _withdraw(by, locked, "withdrawn")
