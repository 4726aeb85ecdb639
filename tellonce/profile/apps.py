"""'About me': the child's story in their own words, versioned, told once and reused."""

from django.apps import AppConfig


class ProfileConfig(AppConfig):
    name = "tellonce.profile"
    label = "profile"
    default_auto_field = "django.db.models.BigAutoField"
