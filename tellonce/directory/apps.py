"""The local offer: services, locations and taxonomy, with the ORUK 3.0 API."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _refresh_outdated_copies(sender: AppConfig, verbosity: int = 1, **kwargs: Any) -> None:
    """After every migrate (each deployment runs it): rewrite stored copies written by other
    code than this (stored.py), so a change to the card or the serialiser needs no one to
    remember `refresh_stored_copies`. Until then they are built live, never served stale."""
    from tellonce.directory import stored

    def progress(done: int, total: int) -> None:
        if verbosity:
            print(f"  local offer: rewrote stored copies of {done:,} of {total:,} services")

    stored.refresh_outdated(progress=progress)


class DirectoryConfig(AppConfig):
    name = "tellonce.directory"
    label = "directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_refresh_outdated_copies, sender=self)
