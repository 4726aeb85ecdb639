"""URLs: each app's pages, and the API at /api/."""

from django.urls import include, path

from tellonce.api.api import api

urlpatterns = [
    path("", include("tellonce.accounts.urls")),
    path("", include("tellonce.people.urls")),
    path("", include("tellonce.access.urls")),
    path("", include("tellonce.profile.urls")),
    path("", include("tellonce.directory.urls")),
    path("", include("tellonce.health.urls")),
    path("", include("tellonce.feeds.urls")),
    path("", include("tellonce.matching.urls")),
    path("", include("tellonce.ehc.urls")),
    path("", include("tellonce.insight.urls")),
    path("", include("tellonce.notify.urls")),
    path("", include("tellonce.privacy.urls")),
    path("", include("tellonce.invitations.urls")),
    path("", include("tellonce.api.urls")),
    path("api/", api.urls),  # the ORUK routes run outside ATOMIC_REQUESTS (TellOnceAPI)
]

handler404 = "tellonce.accounts.errors.not_found"
handler500 = "tellonce.accounts.errors.server_error"
handler403 = "tellonce.accounts.errors.forbidden"
handler400 = "tellonce.accounts.errors.bad_request"
