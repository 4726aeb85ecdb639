"""Outbox of messages that say what changed, sent through GOV.UK Notify when configured."""

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "tellonce.notify"
    label = "notify"
    default_auto_field = "django.db.models.BigAutoField"
