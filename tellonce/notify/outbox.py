"""Queueing messages: the one way any app tells someone that something changed.

Call `queue()` inside the action's transaction. The message row commits with the change it
describes; sending is a background task enqueued only once that transaction commits, so a
request never waits on GOV.UK Notify and a rolled-back change never sends anything.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction

from tellonce.notify.models import Message
from tellonce.people.models import Child, User


def notify_configured() -> bool:
    return bool(getattr(settings, "NOTIFY_API_KEY", ""))


def queue(
    *,
    to: User,
    child: Child | None,
    subject: str,
    what_changed: str,
    what_next: str,
    by_when: date | None,
    link: str = "",
) -> Message:
    """Record a message for `to` and, if GOV.UK Notify is configured, send it after commit."""
    configured = notify_configured()
    message = Message.objects.create(
        to=to,
        child=child,
        subject=subject[:200],
        what_changed=what_changed,
        what_next=what_next,
        by_when=by_when,
        link=link[:300],
        status=Message.Status.QUEUED if configured else Message.Status.KEPT,
    )
    if configured:
        from tellonce.notify.tasks import send_message

        message_id = message.pk
        transaction.on_commit(lambda: send_message.enqueue(message_id))
    return message


def queue_to_address(
    *,
    address: str,
    child: Child | None,
    subject: str,
    what_changed: str,
    what_next: str,
    by_when: date | None,
    link: str = "",
) -> Message:
    """A message to someone with no account yet (an invitation to sign in): as queue()."""
    configured = notify_configured()
    message = Message.objects.create(
        to=None,
        to_address=address,
        child=child,
        subject=subject[:200],
        what_changed=what_changed,
        what_next=what_next,
        by_when=by_when,
        link=link[:300],
        status=Message.Status.QUEUED if configured else Message.Status.KEPT,
    )
    if configured:
        from tellonce.notify.tasks import send_message

        message_id = message.pk
        transaction.on_commit(lambda: send_message.enqueue(message_id))
    return message


def queue_many(
    recipients: list[User],
    *,
    child: Child | None,
    subject: str,
    what_changed: str,
    what_next: str,
    by_when: date | None,
    link: str = "",
) -> list[Message]:
    """The same message to several people, once each (duplicates and inactive users dropped)."""
    seen: set[int] = set()
    sent: list[Message] = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        sent.append(
            queue(
                to=user, child=child, subject=subject, what_changed=what_changed,
                what_next=what_next, by_when=by_when, link=link,
            )
        )
    return sent
