"""Early years: health notifications, two-year checks and SEN support cycles."""

from django.apps import AppConfig


class EarlyConfig(AppConfig):
    name = "tellonce.early"
    label = "early"
    default_auto_field = "django.db.models.BigAutoField"
