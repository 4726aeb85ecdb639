"""The local offer: services, locations and taxonomy, with the ORUK 3.0 API."""

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "tellonce.directory"
    label = "directory"
    default_auto_field = "django.db.models.BigAutoField"
