"""Families invited to their child's record: a single-use link, confirmed against the record."""

from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "tellonce.invitations"
    label = "invitations"
    default_auto_field = "django.db.models.BigAutoField"
