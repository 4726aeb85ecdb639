"""Retention, erasure and subject access (UK GDPR Articles 15 and 17, Article 5(1)(e))."""

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "tellonce.privacy"
    label = "privacy"
    default_auto_field = "django.db.models.BigAutoField"
