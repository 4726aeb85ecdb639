"""Joining the agencies' records of one child: the model, the links and the review queue."""

from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "tellonce.matching"
    label = "matching"
    default_auto_field = "django.db.models.BigAutoField"
