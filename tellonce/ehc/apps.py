"""The statutory EHC needs assessment and plan process."""

from django.apps import AppConfig


class EhcConfig(AppConfig):
    name = "tellonce.ehc"
    label = "ehc"
    default_auto_field = "django.db.models.BigAutoField"
