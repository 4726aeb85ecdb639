"""Signing in and out, second factor, and each role's home page."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tellonce.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
