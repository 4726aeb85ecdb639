"""Scorecard and aggregate measures for partnership leaders."""

from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "tellonce.insight"
    label = "insight"
    default_auto_field = "django.db.models.BigAutoField"
