"""The synthetic local area generator and the benchmark."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tellonce.demo"
    label = "demo"
    default_auto_field = "django.db.models.BigAutoField"
