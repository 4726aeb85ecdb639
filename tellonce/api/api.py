"""The one NinjaAPI: every app's router is added here, so /api/openapi.json documents it all."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Tell It Once API",
    version="1.0",
    description=(
        "Children's shared records for staff systems (bearer token), and the public local "
        "offer. Every child endpoint is scoped by the same access policy as the pages."
    ),
    urls_namespace="api",
)

api.add_router("/children", "tellonce.people.api.router")
api.add_router("/oruk/", "tellonce.directory.api.router")
api.add_router("/ehc", "tellonce.ehc.api.router")
