"""Signing in and out, second factor, and each role's home page."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tellonce.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from tellonce.accounts.private import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="tellonce-idle-clock")
