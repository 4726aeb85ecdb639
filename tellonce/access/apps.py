"""Who may see or do what (policy), consent and statutory bases, and the append-only audit log."""

from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "tellonce.access"
    label = "access"
    default_auto_field = "django.db.models.BigAutoField"
