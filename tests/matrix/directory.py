"""Expected access for the local offer: public pages and API, editors' and providers' pages."""

from __future__ import annotations

from tests.matrix import SIGNED_IN, Route

EVERYONE = SIGNED_IN | {"anonymous"}


def _service(w):  # type: ignore[no-untyped-def]
    from tests.directory.helpers import make_service

    return make_service("Matrix service", postcode="RV1 1AA")


def _provided(w):  # type: ignore[no-untyped-def]
    """A service of the SLT team's: its staff and the trust's administrator may edit it."""
    from tests.directory.helpers import make_organization, make_service

    return make_service("Provider's service", make_organization("SLT", provider=w.slt))


def provided(w):  # type: ignore[no-untyped-def]
    return {"service_id": _provided(w).pk}


def page_service(w):  # type: ignore[no-untyped-def]
    return {"service_id": _service(w).pk}


def feedback(w):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from tellonce.directory.models import Feedback

    item = Feedback.objects.create(received_at=timezone.now(), comment="More clubs please",
                                   sender_hash="x")
    return {"feedback_id": item.pk}


def service_id(w):  # type: ignore[no-untyped-def]
    return {"id": _service(w).pk}


def sal_id(w):  # type: ignore[no-untyped-def]
    return {"id": _service(w).service_at_locations.get().pk}


def org_id(w):  # type: ignore[no-untyped-def]
    return {"id": _service(w).organization_id}


def taxonomy_id(w):  # type: ignore[no-untyped-def]
    from tellonce.directory import taxonomy

    taxonomy.ensure_send_taxonomy()  # a transactional test may have flushed the migration's
    return {"id": taxonomy.TAXONOMY_ID}


def term_id(w):  # type: ignore[no-untyped-def]
    from tellonce.directory import taxonomy

    taxonomy.ensure_send_taxonomy()
    return {"id": taxonomy.term_id("need-asd")}


EDITORS = frozenset({"editor"})
PROVIDERS = frozenset({"editor", "slt", "orgadmin"})

ROUTES = [
    # Public pages: no sign-in.
    Route("local-offer/", EVERYONE, public=True),
    Route("local-offer/services/<uuid:service_id>/", EVERYONE, page_service, public=True),
    Route("local-offer/services/<uuid:service_id>/feedback/", EVERYONE, page_service,
          public=True),
    Route("local-offer/feedback/", EVERYONE, public=True),
    Route("local-offer/feedback/sent/", EVERYONE, public=True),
    Route("local-offer/you-said-we-did/", EVERYONE, public=True),
    Route("local-offer/changes/", EVERYONE, public=True),
    Route("local-offer/local-offer.csv", EVERYONE, public=True),
    # Keeping it true: editors everywhere, providers for their own services.
    Route("manage-local-offer/", PROVIDERS, lambda w: (_provided(w), {})[1]),
    Route("manage-local-offer/services/new/", PROVIDERS, lambda w: (_provided(w), {})[1]),
    Route("manage-local-offer/services/<uuid:service_id>/edit/", PROVIDERS, provided),
    Route("manage-local-offer/services/<uuid:service_id>/review/", PROVIDERS, provided,
          method="POST"),
    Route("manage-local-offer/services/<uuid:service_id>/retire/", PROVIDERS, provided),
    Route("manage-local-offer/feedback/", EDITORS),
    Route("manage-local-offer/feedback/<int:feedback_id>/", EDITORS, feedback),
    Route("manage-local-offer/import/", EDITORS),
    # The ORUK 3.0 API: public, anonymous, the same for everyone.
    Route("api/oruk/", EVERYONE, public=True, api=True),
    Route("api/oruk/services", EVERYONE, public=True, api=True),
    Route("api/oruk/services/<id>", EVERYONE, service_id, public=True, api=True),
    Route("api/oruk/organizations", EVERYONE, public=True, api=True),
    Route("api/oruk/organizations/<id>", EVERYONE, org_id, public=True, api=True),
    Route("api/oruk/taxonomies", EVERYONE, public=True, api=True),
    Route("api/oruk/taxonomies/<id>", EVERYONE, taxonomy_id, public=True, api=True),
    Route("api/oruk/taxonomy_terms", EVERYONE, public=True, api=True),
    Route("api/oruk/taxonomy_terms/<id>", EVERYONE, term_id, public=True, api=True),
    Route("api/oruk/service_at_locations", EVERYONE, public=True, api=True),
    Route("api/oruk/service_at_locations/<id>", EVERYONE, sal_id, public=True, api=True),
    Route("api/oruk/<path:rest>", frozenset(), lambda w: {"rest": "nothing"}, api=True,
          everyone_status=404, public=True),
]
