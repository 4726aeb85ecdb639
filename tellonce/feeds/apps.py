"""Files from the other agencies' systems: pupil roll, attendance, social care, health."""

from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "tellonce.feeds"
    label = "feeds"
    default_auto_field = "django.db.models.BigAutoField"
