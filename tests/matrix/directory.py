"""Expected access for the local offer: public pages and API, editors' and providers' pages."""

from __future__ import annotations

from tests.matrix import SIGNED_IN, Route

EVERYONE = SIGNED_IN | {"anonymous"}


def _service(w):  # type: ignore[no-untyped-def]
    from tests.directory.helpers import make_service

    return make_service("Matrix service", postcode="RV1 1AA")


def service_id(w):  # type: ignore[no-untyped-def]
    return {"id": _service(w).pk}


def sal_id(w):  # type: ignore[no-untyped-def]
    return {"id": _service(w).service_at_locations.get().pk}


def org_id(w):  # type: ignore[no-untyped-def]
    return {"id": _service(w).organization_id}


def taxonomy_id(w):  # type: ignore[no-untyped-def]
    from tellonce.directory import taxonomy

    return {"id": taxonomy.TAXONOMY_ID}


def term_id(w):  # type: ignore[no-untyped-def]
    from tellonce.directory import taxonomy

    return {"id": taxonomy.term_id("need-asd")}


ROUTES = [
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
          everyone_status=404),
]
