"""Children, families, organisations, staff memberships and involvements."""

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "tellonce.people"
    label = "people"
    default_auto_field = "django.db.models.BigAutoField"
