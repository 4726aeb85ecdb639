"""Health pathways, referrals and waiting lists."""

from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "tellonce.health"
    label = "health"
    default_auto_field = "django.db.models.BigAutoField"
