"""Sending queued messages through GOV.UK Notify, as a background task with retries."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from tellonce.notify.models import Message

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Waits between attempts: 1, 5, 30 minutes, then 2 hours.
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]


def _client():  # type: ignore[no-untyped-def]
    from notifications_python_client.notifications import NotificationsAPIClient

    return NotificationsAPIClient(settings.NOTIFY_API_KEY)


def _template_id() -> str:
    return str(getattr(settings, "NOTIFY_TEMPLATE_ID", "") or "")


def personalisation(message: Message) -> dict[str, str]:
    """The fields of the one Notify email template: ((subject)), ((what_changed)) …"""
    return {
        "subject": message.subject,
        "what_changed": message.what_changed,
        "what_next": message.what_next,
        "by_when": message.by_when_words(),
        "link": message.link,
    }


def deliver(message: Message) -> str:
    """Send one message; returns Notify's id. Raises on any failure."""
    if not message.email_address:
        raise ValueError("The recipient has no email address")
    response = _client().send_email_notification(
        email_address=message.email_address,
        template_id=_template_id(),
        personalisation=personalisation(message),
        reference=f"message-{message.pk}",
    )
    return str(response.get("id", ""))


@task()
def send_message(message_id: int) -> str:
    """Try to send one message; on failure, try again later, up to MAX_ATTEMPTS."""
    with transaction.atomic():
        message = (
            # Only the message's row: `to` is an outer join (an invitation has no account),
            # which PostgreSQL will not lock.
            Message.objects.select_for_update(of=("self",)).select_related("to")
            .filter(pk=message_id).first()
        )
        if message is None or message.status != Message.Status.QUEUED:
            return "nothing to do"
        message.attempts += 1
        try:
            message.notify_reference = deliver(message)
        except Exception as error:  # noqa: BLE001 - any failure is retried, then recorded
            log.warning("Sending message %s failed (attempt %s): %s", message.pk,
                        message.attempts, error)
            message.last_error = str(error)[:500]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = Message.Status.FAILED
            else:
                wait = BACKOFF[min(message.attempts - 1, len(BACKOFF) - 1)]
                run_after = timezone.now() + wait
                transaction.on_commit(
                    lambda: send_message.using(run_after=run_after).enqueue(message_id)
                )
            message.save(update_fields=["attempts", "last_error", "status"])
            return "retry" if message.status == Message.Status.QUEUED else "failed"
        message.status = Message.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(
            update_fields=["attempts", "notify_reference", "status", "sent_at", "last_error"]
        )
        return "sent"
