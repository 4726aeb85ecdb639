"""The JSON API (django-ninja): one OpenAPI document at /api/openapi.json."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tellonce.api"
    label = "api"
    default_auto_field = "django.db.models.BigAutoField"
