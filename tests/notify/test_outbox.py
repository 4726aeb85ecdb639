"""The outbox: messages are recorded with the change, and sent after commit with retries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from tellonce.notify import outbox, tasks
from tellonce.notify.models import Message
from tests.factories import make_user


@pytest.fixture
def person(db):  # type: ignore[no-untyped-def]
    return make_user("notified", email="notified@example.org")


def _queue(person, **kwargs):  # type: ignore[no-untyped-def]
    return outbox.queue(
        to=person, child=None, subject="Your request was received",
        what_changed="We received your request.", what_next="We decide within 6 weeks.",
        by_when=date(2026, 2, 16), **kwargs,
    )


def test_without_a_notify_key_the_message_is_kept_in_the_outbox(person, settings) -> None:
    settings.NOTIFY_API_KEY = ""
    message = _queue(person)
    assert message.status == Message.Status.KEPT
    assert Message.objects.get().what_next == "We decide within 6 weeks."


def _enqueued() -> list[int]:
    return [r.args_kwargs["args"][0] for r in DBTaskResult.objects.order_by("enqueued_at")]


def test_with_a_key_sending_is_enqueued_only_when_the_transaction_commits(
    person, settings, django_capture_on_commit_callbacks
) -> None:
    settings.NOTIFY_API_KEY = "test-key"
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(person)
        assert _enqueued() == []
    assert _enqueued() == [message.pk]
    assert DBTaskResult.objects.get().task_path == "tellonce.notify.tasks.send_message"
    assert message.status == Message.Status.QUEUED


def test_a_rolled_back_change_sends_nothing(
    person, settings, django_capture_on_commit_callbacks
) -> None:
    settings.NOTIFY_API_KEY = "test-key"

    class Boom(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        _queue(person)
        raise Boom
    assert _enqueued() == [] and not Message.objects.exists()


def test_sending_marks_the_message_sent(person, settings, monkeypatch) -> None:
    settings.NOTIFY_API_KEY = "test-key"
    message = Message.objects.create(
        to=person, subject="s", what_changed="c", what_next="n", status=Message.Status.QUEUED
    )
    sent: list[dict] = []

    class FakeClient:
        def send_email_notification(self, **kwargs):  # type: ignore[no-untyped-def]
            sent.append(kwargs)
            return {"id": "notify-123"}

    monkeypatch.setattr(tasks, "_client", lambda: FakeClient())
    assert tasks.send_message.call(message.pk) == "sent"
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.notify_reference == "notify-123"
    assert sent[0]["email_address"] == "notified@example.org"
    assert sent[0]["personalisation"]["what_next"] == "n"


def test_a_failed_send_is_retried_later_then_marked_failed(
    person, settings, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    settings.NOTIFY_API_KEY = "test-key"
    message = Message.objects.create(
        to=person, subject="s", what_changed="c", what_next="n", status=Message.Status.QUEUED
    )

    class DownClient:
        def send_email_notification(self, **kwargs):  # type: ignore[no-untyped-def]
            raise ConnectionError("Notify is down")

    monkeypatch.setattr(tasks, "_client", lambda: DownClient())
    for attempt in range(1, tasks.MAX_ATTEMPTS + 1):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.send_message.call(message.pk)
        message.refresh_from_db()
        assert message.attempts == attempt
    assert message.status == Message.Status.FAILED
    assert "Notify is down" in message.last_error
    assert _enqueued() == [message.pk] * (tasks.MAX_ATTEMPTS - 1)
    assert all(r.run_after is not None for r in DBTaskResult.objects.all())


def test_a_recipient_without_an_email_fails_after_retries(settings, monkeypatch, db) -> None:
    settings.NOTIFY_API_KEY = "test-key"
    nobody = make_user("noemail")
    message = Message.objects.create(
        to=nobody, subject="s", what_changed="c", what_next="n", status=Message.Status.QUEUED,
        attempts=tasks.MAX_ATTEMPTS - 1,
    )
    assert tasks.send_message.call(message.pk) == "failed"
    message.refresh_from_db()
    assert message.last_error == "The recipient has no email address"


def test_queue_many_sends_once_per_person(person, settings) -> None:
    settings.NOTIFY_API_KEY = ""
    other = make_user("other")
    messages = outbox.queue_many(
        [person, other, person], child=None, subject="s", what_changed="c", what_next="n",
        by_when=None,
    )
    assert [m.to for m in messages] == [person, other]


def test_a_message_to_an_address_without_an_account_is_sent_there(  # type: ignore[no-untyped-def]
    settings, monkeypatch, db
) -> None:
    settings.NOTIFY_API_KEY = "test-key"
    message = outbox.queue_to_address(
        address="invited@example.org", child=None, subject="You are invited",
        what_changed="c", what_next="n", by_when=None, link="http://testserver/invitations/x/",
    )
    assert message.to is None and message.status == Message.Status.QUEUED
    sent: list[dict] = []

    class FakeClient:
        def send_email_notification(self, **kwargs):  # type: ignore[no-untyped-def]
            sent.append(kwargs)
            return {"id": "notify-456"}

    monkeypatch.setattr(tasks, "_client", lambda: FakeClient())
    assert tasks.send_message.call(message.pk) == "sent"
    assert sent[0]["email_address"] == "invited@example.org"
    assert sent[0]["personalisation"]["link"] == "http://testserver/invitations/x/"
